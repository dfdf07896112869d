// Step 4: trusted networks (mynetworks) — who may send through KSMG to any destination.
import { untrustedRouteHosts } from '../../policy/client.js';
import { explain, given, prefer, type DomainInput, type WizardContext } from '../context.js';
import { currentFindings, findingsAt } from '../findings.js';
import { coveringNetwork, validateNetwork } from '../validate.js';
import type { Step } from './types.js';

/** Route hosts given as addresses (the internal servers) that no trusted network covers yet. */
export function suggestedNetworks(domains: readonly DomainInput[], networks: readonly string[]): Array<{ address: string; why: string }> {
  return untrustedRouteHosts(domains, networks).map((h) => ({ address: h.host, why: `the server for ${h.domain}` }));
}

export const trustedNetworksStep: Step = {
  id: 'trusted-networks',
  title: 'Trusted networks',
  async run(ctx: WizardContext) {
    explain(
      ctx,
      'Trusted networks may send mail through KSMG to any destination, so list your internal mail servers and networks — ' +
        'nothing else. Without them your servers cannot send mail out through KSMG.',
    );
    const fixed = ctx.given.mta?.trustedNetworks;
    if (fixed) {
      given(ctx, 'Trusted networks', fixed.join(', ') || 'none');
      ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: fixed };
      return;
    }
    const current = ctx.draft.mta?.trustedNetworks ?? ctx.current?.mta.trustedNetworks;
    const domains = ctx.draft.mta?.domains ?? ctx.current?.mta.domains ?? [];
    const suggestions = suggestedNetworks(domains, current ?? []);
    // An entry the audit says must go (an open relay, the edge gateway itself) is offered unticked:
    // Enter on a rerun must not write it back.
    const flagged = (n: string, i: number): string | undefined => {
      if (!ctx.current || ctx.current.mta.trustedNetworks[i] !== n) return undefined;
      const f = findingsAt(currentFindings(ctx), `mta.trustedNetworks[${i}]`).find((x) =>
        x.patch?.some((op) => op.op === 'remove' && op.path === `mta.trustedNetworks[${i}]`),
      );
      return f?.id;
    };
    if (!ctx.interactive) {
      const recommended = [...(current ?? []).filter((n, i) => !flagged(n, i)), ...suggestions.map((s) => s.address)];
      ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: prefer(ctx, current, recommended) };
      return;
    }
    let list: string[] = [];
    const offered = [
      ...(current ?? []).map((n, i) => {
        const why = flagged(n, i);
        return { value: n, name: why ? `${n}  (unticked: the audit says remove it, ${why})` : n, checked: !why };
      }),
      ...suggestions.map((s) => ({ value: s.address, name: `${s.address}  (${s.why}, not covered yet)`, checked: true })),
    ];
    if (offered.length > 0) {
      list = await ctx.prompt.checkbox({ message: 'Trusted networks (space toggles, enter confirms)', choices: offered });
    }
    for (;;) {
      const text = await ctx.prompt.input({
        message: 'Add a trusted network — IPv4/IPv6 address or CIDR (empty to finish)',
        validate: (v) => {
          if (v === '') return true;
          const r = validateNetwork(v);
          if (r !== true) return r;
          if (list.includes(v)) return `${v} is already in the list`;
          const covering = coveringNetwork(v, list);
          return covering ? `${v} is already inside ${covering}, which is in the list: the entry would change nothing` : true;
        },
      });
      if (text === '') break;
      list.push(text);
    }
    if (list.length === 0) {
      ctx.stdout.write(
        ctx.style.yellow('No trusted networks: your internal servers will not be able to send mail out through KSMG.') + '\n',
      );
    }
    ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: list };
  },
};
