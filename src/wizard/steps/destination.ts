// Step 3: "Email destination address" — where KSMG sends mail that is not for a routed local domain.
import type { Config } from '../../config/schema.js';
import { hostKind } from '../../config/net.js';
import { tEn, type Translate } from '../../i18n/index.js';
import {
  explain,
  given,
  isBehindEdge,
  prefer,
  schemeOf,
  type DestinationInput,
  type Preference,
  type StepAnswers,
  type StepIo,
} from '../context.js';
import { formatHostPort, inLang, toNumber, validateHost, validatePort } from '../validate.js';
import type { Step } from './types.js';

/** Reads the scheme; reads and writes the destination. */
export type DestinationStepContext = StepIo &
  Preference &
  StepAnswers<'integration' | 'mta'> & { current?: Pick<Config, 'integration' | 'mta'> };

export function describeDestination(d: DestinationInput | undefined, t: Translate = tEn): string {
  if (!d || d.mode === 'dns' || !d.host) return t('wizard.destination.dns');
  return t(d.mxLookup ? 'wizard.destination.viaMx' : 'wizard.destination.via', { hop: formatHostPort(d.host, d.port ?? 25) });
}

export const destinationStep: Step<DestinationStepContext> = {
  id: 'destination',
  title: 'wizard.destination.title',
  async run(ctx) {
    const { t } = ctx;
    const scheme = schemeOf(ctx);
    const current = ctx.draft.mta?.destination ?? ctx.current?.mta.destination;
    const fixed = ctx.given.mta?.destination;
    explain(ctx, t(isBehindEdge(scheme) ? 'wizard.destination.explainBehind' : 'wizard.destination.explainEdge'));

    let dest: DestinationInput;
    const known = current?.mode === 'edge-gateway' && current.host ? current : undefined;
    if (fixed?.host) {
      dest = { ...known, ...fixed, mode: 'edge-gateway' };
      given(ctx, t('wizard.destination.title'), describeDestination(dest, t));
    } else if (!ctx.interactive) {
      // The missing-answers check has made sure a behind-edge scheme has a gateway by now.
      const keepGateway = isBehindEdge(scheme) || prefer(ctx, known ? 'gateway' : undefined, 'dns') === 'gateway';
      dest = known && keepGateway ? { ...known, ...fixed, mode: 'edge-gateway' } : { mode: 'dns' };
    } else {
      let mode: 'dns' | 'edge-gateway' = 'edge-gateway';
      if (!isBehindEdge(scheme)) {
        mode = await ctx.prompt.select({
          message: t('wizard.destination.outgoing'),
          choices: [
            { value: 'dns', name: t('wizard.destination.choice.dns') },
            { value: 'edge-gateway', name: t('wizard.destination.choice.gateway') },
          ],
          default: prefer(ctx, known ? 'edge-gateway' : undefined, 'dns'),
        });
      }
      if (mode === 'dns') {
        dest = { mode: 'dns' };
      } else {
        const host = await ctx.prompt.input({
          message: t(isBehindEdge(scheme) ? 'wizard.destination.edgeAddress' : 'wizard.destination.gatewayAddress'),
          default: current?.host,
          validate: inLang(t, validateHost),
        });
        const port = await ctx.prompt.input({
          message: t('wizard.port'),
          default: String(current?.port ?? 25),
          validate: inLang(t, validatePort),
        });
        const mxLookup =
          hostKind(host) === 'name'
            ? await ctx.prompt.confirm({
                message: t('wizard.destination.mx', { host }),
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
