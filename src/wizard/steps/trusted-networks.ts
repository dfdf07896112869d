// Step 4: trusted networks (mynetworks) — who may send through KSMG to any destination.
import type { Config } from '../../config/schema.js';
import { untrustedRouteHosts } from '../../policy/client.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { explain, given, prefer, type DomainInput, type Preference, type StepAnswers, type StepIo } from '../context.js';
import { currentFindings, findingsAt } from '../findings.js';
import { coveringNetwork, networkValidator } from '../validate.js';
import type { Step } from './types.js';

/** Reads the domains (their route hosts are suggested); reads and writes the trusted networks. */
export type TrustedNetworksStepContext = StepIo & Preference & StepAnswers<'mta'> & { current?: Config };

/** Route hosts given as addresses (the internal servers) that no trusted network covers yet. */
export function suggestedNetworks(
  domains: readonly DomainInput[],
  networks: readonly string[],
  t: Translate = tEn,
): Array<{ address: string; why: string }> {
  return untrustedRouteHosts(domains, networks).map((h) => ({ address: h.host, why: t('wizard.trusted.serverFor', { domain: h.domain }) }));
}

export const trustedNetworksStep: Step<TrustedNetworksStepContext> = {
  id: 'trusted-networks',
  title: 'wizard.trusted.title',
  async run(ctx) {
    const { t } = ctx;
    explain(ctx, t('wizard.trusted.explain'));
    const fixed = ctx.given.mta?.trustedNetworks;
    if (fixed) {
      given(ctx, t('wizard.trusted.title'), fixed.join(', ') || t('wizard.none'));
      ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: fixed };
      return;
    }
    const current = ctx.draft.mta?.trustedNetworks ?? ctx.current?.mta.trustedNetworks;
    const domains = ctx.draft.mta?.domains ?? ctx.current?.mta.domains ?? [];
    const suggestions = suggestedNetworks(domains, current ?? [], t);
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
        const id = flagged(n, i);
        return { value: n, name: id ? t('wizard.trusted.unticked', { network: n, id }) : n, checked: !id };
      }),
      ...suggestions.map((s) => ({
        value: s.address,
        name: t('wizard.trusted.suggested', { network: s.address, why: s.why }),
        checked: true,
      })),
    ];
    if (offered.length > 0) {
      list = await ctx.prompt.checkbox({ message: t('wizard.trusted.list'), choices: offered });
    }
    const validateNetwork = networkValidator(t);
    for (;;) {
      const text = await ctx.prompt.input({
        message: t('wizard.trusted.add'),
        validate: (v) => {
          if (v === '') return true;
          const r = validateNetwork(v);
          if (r !== true) return r;
          if (list.includes(v)) return t('wizard.alreadyListed', { value: v });
          const covering = coveringNetwork(v, list);
          return covering ? t('wizard.trusted.covered', { value: v, covering }) : true;
        },
      });
      if (text === '') break;
      list.push(text);
    }
    if (list.length === 0) ctx.stdout.write(ctx.style.yellow(t('wizard.trusted.none')) + '\n');
    ctx.draft.mta = { ...ctx.draft.mta, trustedNetworks: list };
  },
};
