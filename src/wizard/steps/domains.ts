// Step 2: local domains (relay_domains) and optional per-domain routes (transport_maps).
import { OUTGOING_TLS_LEVELS, type Config, type OutgoingTlsLevel } from '../../config/schema.js';
import { hostKind } from '../../config/net.js';
import { tEn, type Translate } from '../../i18n/index.js';
import { explain, given, type DomainInput, type StepAnswers, type StepIo } from '../context.js';
import { check, formatHostPort, inLang, schemas, validateDomainName, validateHost, validatePort, toNumber } from '../validate.js';
import type { Step } from './types.js';

/** Reads and writes the domain list only. */
export type DomainsStepContext = StepIo & StepAnswers<'mta'> & { current?: Pick<Config, 'mta'> };

export function describeDomain(d: DomainInput, t: Translate = tEn): string {
  const route = d.route
    ? ` → ${formatHostPort(d.route.host, d.route.port ?? 25)}${d.route.mxLookup ? t('wizard.domains.describe.mx') : ''}`
    : ' → DNS';
  const tls = d.tls ? t('wizard.domains.describe.tls', { level: d.tls }) : '';
  return `${d.name}${d.local === false ? t('wizard.domains.describe.notLocal') : ''}${route}${tls}`;
}

async function askDomain(ctx: StepIo, taken: string[], existing?: DomainInput): Promise<DomainInput> {
  const { t } = ctx;
  const nameText = await ctx.prompt.input({
    message: t('wizard.domains.name'),
    default: existing?.name,
    validate: (v) => {
      const r = inLang(t, validateDomainName)(v);
      if (r !== true) return r;
      const ascii = check(schemas.domainName, v);
      return ascii.ok && taken.includes(ascii.value) ? t('wizard.alreadyListed', { value: ascii.value }) : true;
    },
  });
  const name = check(schemas.domainName, nameText);
  if (!name.ok) throw new Error(name.message); // unreachable: validated above
  const local = await ctx.prompt.confirm({
    message: t('wizard.domains.local', { name: name.value }),
    default: existing?.local ?? true,
  });
  const routed = await ctx.prompt.confirm({
    message: t('wizard.domains.routed', { name: name.value }),
    default: existing ? existing.route !== undefined : true,
  });
  const entry: DomainInput = { name: name.value, local };
  if (routed) {
    const host = await ctx.prompt.input({
      message: t('wizard.domains.server', { name: name.value }),
      default: existing?.route?.host,
      validate: inLang(t, validateHost),
    });
    const port = await ctx.prompt.input({
      message: t('wizard.port'),
      default: String(existing?.route?.port ?? 25),
      validate: inLang(t, validatePort),
    });
    // MX lookup is only meaningful (and only allowed by the schema) for a name.
    const mxLookup =
      hostKind(host) === 'name'
        ? await ctx.prompt.confirm({
            message: t('wizard.domains.mx', { host }),
            default: existing?.route?.mxLookup ?? false,
          })
        : false;
    entry.route = { host, port: toNumber(port) as number, mxLookup };
    // The TLS mode belongs to the route's next hop (smtp_tls_policy_maps is keyed by it), so it is
    // asked only for a routed domain; 'default' leaves the key out (mta.tls.outgoing applies).
    const tls = await ctx.prompt.select<OutgoingTlsLevel | 'default'>({
      message: t('wizard.domains.tls', { name: name.value, host: formatHostPort(host, entry.route.port ?? 25) }),
      choices: [
        { value: 'default', name: t('wizard.domains.tlsDefault') },
        ...OUTGOING_TLS_LEVELS.map((value) => ({ value, name: t(`runbook.tls.level.${value}`) })),
      ],
      default: existing?.tls ?? 'default',
    });
    if (tls !== 'default') entry.tls = tls;
  } else if (existing?.tls) {
    // Kept through an edit; without a route the audit says why it does not apply (relayhost mail).
    entry.tls = existing.tls;
  }
  return entry;
}

export const domainsStep: Step<DomainsStepContext> = {
  id: 'domains',
  title: 'wizard.domains.title',
  async run(ctx) {
    const { t } = ctx;
    explain(ctx, t('wizard.domains.explain'));
    const fixed = ctx.given.mta?.domains;
    if (fixed) {
      for (const d of fixed) given(ctx, t('wizard.domains.given'), describeDomain(d, t));
      ctx.draft.mta = { ...ctx.draft.mta, domains: fixed };
      return;
    }
    const start: DomainInput[] = structuredClone(ctx.draft.mta?.domains ?? ctx.current?.mta.domains ?? []);
    if (!ctx.interactive) {
      ctx.draft.mta = { ...ctx.draft.mta, domains: start };
      return;
    }
    const list: DomainInput[] = [];
    // Names not yet decided on still count as taken while another domain is edited.
    const pending = (i: number) => start.slice(i + 1).map((x) => x.name);
    for (const [i, d] of start.entries()) {
      const action = await ctx.prompt.select({
        message: describeDomain(d, t),
        choices: [
          { value: 'keep', name: t('wizard.domains.keep') },
          { value: 'edit', name: t('wizard.domains.change') },
          { value: 'remove', name: t('wizard.domains.remove') },
        ],
        default: 'keep',
      });
      if (action === 'keep') list.push(d);
      if (action === 'edit') list.push(await askDomain(ctx, [...list.map((x) => x.name), ...pending(i)], d));
    }
    for (;;) {
      if (list.length > 0) {
        const more = await ctx.prompt.confirm({ message: t('wizard.domains.another'), default: false });
        if (!more) break;
      } else {
        ctx.stdout.write(`${t('wizard.domains.needOne')}\n`);
      }
      list.push(
        await askDomain(
          ctx,
          list.map((x) => x.name),
        ),
      );
    }
    ctx.draft.mta = { ...ctx.draft.mta, domains: list };
  },
};
