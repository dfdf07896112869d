// Step 4: trusted networks (mynetworks) — who may send through KSMG to any destination.
import { untrustedRouteHosts } from '../../policy/client.js';
import { explain, given, prefer, type DomainInput, type WizardContext } from '../context.js';
import { validateNetwork } from '../validate.js';
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
    if (!ctx.interactive) {
      const recommended = [...(current ?? []), ...suggestions.map((s) => s.address)];
      ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: prefer(ctx, current, recommended) };
      return;
    }
    let list: string[] = [];
    const offered = [
      ...(current ?? []).map((n) => ({ value: n, name: n, checked: true })),
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
          return list.includes(v) ? `${v} is already in the list` : true;
        },
      });
      if (text === '') break;
      list.push(text);
    }
    if (list.length === 0) {
      ctx.stdout.write(ctx.style.yellow('No trusted networks: your internal servers will not be able to send mail out through KSMG.') + '\n');
    }
    ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: list };
  },
};
