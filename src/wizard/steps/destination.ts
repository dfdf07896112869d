// Step 3: "Email destination address" — where KSMG sends mail that is not for a routed local domain.
import { hostKind } from '../../config/net.js';
import { explain, given, isBehindEdge, prefer, schemeOf, type DestinationInput, type WizardContext } from '../context.js';
import { formatHostPort, toNumber, validateHost, validatePort } from '../validate.js';
import type { Step } from './types.js';

export function describeDestination(d: DestinationInput | undefined): string {
  if (!d || d.mode === 'dns' || !d.host) return 'direct delivery using DNS (MX records)';
  return `via gateway ${formatHostPort(d.host, d.port ?? 25)}${d.mxLookup ? ' (MX lookup)' : ''}`;
}

export const destinationStep: Step = {
  id: 'destination',
  title: 'Destination',
  async run(ctx: WizardContext) {
    const scheme = schemeOf(ctx);
    const current = ctx.draft.mta?.destination ?? ctx.current?.mta.destination;
    const fixed = ctx.given.mta?.destination;
    if (isBehindEdge(scheme)) {
      explain(
        ctx,
        'Behind an edge gateway, KSMG sends all outgoing mail back to that gateway ("Send via edge gateway", relayhost). ' +
          'MX lookup is only possible for a host name; without it KSMG connects to the host itself.',
      );
    } else {
      explain(
        ctx,
        "As the edge gateway, KSMG normally delivers outgoing mail itself, looking up each domain's MX records. " +
          'Choose a gateway only if your outgoing mail must leave through another server (a smarthost).',
      );
    }

    let dest: DestinationInput;
    const known = current?.mode === 'edge-gateway' && current.host ? current : undefined;
    if (fixed?.host) {
      dest = { ...known, ...fixed, mode: 'edge-gateway' };
      given(ctx, 'Destination', describeDestination(dest));
    } else if (!ctx.interactive) {
      // The missing-answers check has made sure a behind-edge scheme has a gateway by now.
      const keepGateway = isBehindEdge(scheme) || prefer(ctx, known ? 'gateway' : undefined, 'dns') === 'gateway';
      dest = known && keepGateway ? { ...known, ...fixed, mode: 'edge-gateway' } : { mode: 'dns' };
    } else {
      let mode: 'dns' | 'edge-gateway' = 'edge-gateway';
      if (!isBehindEdge(scheme)) {
        mode = await ctx.prompt.select({
          message: 'Outgoing mail',
          choices: [
            { value: 'dns', name: 'Deliver directly using DNS (MX records)' },
            { value: 'edge-gateway', name: 'Send via another gateway (smarthost)' },
          ],
          default: prefer(ctx, known ? 'edge-gateway' : undefined, 'dns'),
        });
      }
      if (mode === 'dns') {
        dest = { mode: 'dns' };
      } else {
        const host = await ctx.prompt.input({
          message: isBehindEdge(scheme) ? 'Edge gateway address (IPv4, IPv6 or host name)' : 'Gateway address (IPv4, IPv6 or host name)',
          default: current?.host,
          validate: validateHost,
        });
        const port = await ctx.prompt.input({ message: 'Port', default: String(current?.port ?? 25), validate: validatePort });
        const mxLookup =
          hostKind(host) === 'name'
            ? await ctx.prompt.confirm({
                message: `Use MX lookup for ${host} (deliver to its MX hosts rather than to ${host} itself)?`,
                default: fixed?.mxLookup ?? current?.mxLookup ?? false,
              })
            : false;
        dest = { mode: 'edge-gateway', host, port: toNumber(port) as number, mxLookup };
      }
    }
    // A dns destination carries no host, port or MX flag: keep the file free of stale values.
    ctx.draft.mta = { ...ctx.draft.mta, destination: dest.mode === 'dns' ? { mode: 'dns' } : dest };
  },
};
