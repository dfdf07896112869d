// Step 2: local domains (relay_domains) and optional per-domain routes (transport_maps).
import { hostKind } from '../../config/net.js';
import { explain, given, type DomainInput, type WizardContext } from '../context.js';
import { check, formatHostPort, schemas, validateDomainName, validateHost, validatePort, toNumber } from '../validate.js';
import type { Step } from './types.js';

export function describeDomain(d: DomainInput): string {
  const route = d.route ? ` → ${formatHostPort(d.route.host, d.route.port ?? 25)}${d.route.mxLookup ? ' (MX lookup)' : ''}` : ' → DNS';
  return `${d.name}${d.local === false ? ' (not local)' : ''}${route}`;
}

async function askDomain(ctx: WizardContext, taken: string[], existing?: DomainInput): Promise<DomainInput> {
  const nameText = await ctx.prompt.input({
    message: 'Domain or subdomain',
    default: existing?.name,
    validate: (v) => {
      const r = validateDomainName(v);
      if (r !== true) return r;
      const ascii = check(schemas.domainName, v);
      return ascii.ok && taken.includes(ascii.value) ? `${ascii.value} is already in the list` : true;
    },
  });
  const name = check(schemas.domainName, nameText);
  if (!name.ok) throw new Error(name.message); // unreachable: validated above
  const local = await ctx.prompt.confirm({
    message: `Local domain — accept mail for ${name.value} from any source, including the internet?`,
    default: existing?.local ?? true,
  });
  const routed = await ctx.prompt.confirm({
    message: `Route ${name.value} to a specific mail server (otherwise KSMG looks it up in DNS)?`,
    default: existing ? existing.route !== undefined : true,
  });
  const entry: DomainInput = { name: name.value, local };
  if (routed) {
    const host = await ctx.prompt.input({
      message: `Server for ${name.value} (IPv4, IPv6 or host name)`,
      default: existing?.route?.host,
      validate: validateHost,
    });
    const port = await ctx.prompt.input({
      message: 'Port',
      default: String(existing?.route?.port ?? 25),
      validate: validatePort,
    });
    // MX lookup is only meaningful (and only allowed by the schema) for a name.
    const mxLookup =
      hostKind(host) === 'name'
        ? await ctx.prompt.confirm({
            message: `Look up the MX records of ${host} (instead of connecting to ${host} itself)?`,
            default: existing?.route?.mxLookup ?? false,
          })
        : false;
    entry.route = { host, port: toNumber(port) as number, mxLookup };
  }
  return entry;
}

export const domainsStep: Step = {
  id: 'domains',
  title: 'Local domains',
  async run(ctx: WizardContext) {
    explain(
      ctx,
      'Local domains are the domains KSMG accepts mail for from any source, the internet included; mail from untrusted ' +
        'sources to any other domain is refused. A route sends a domain to a fixed internal server; without one KSMG uses DNS.',
    );
    const fixed = ctx.given.mta?.domains;
    if (fixed) {
      for (const d of fixed) given(ctx, 'Domain', describeDomain(d));
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
        message: describeDomain(d),
        choices: [
          { value: 'keep', name: 'Keep' },
          { value: 'edit', name: 'Change' },
          { value: 'remove', name: 'Remove' },
        ],
        default: 'keep',
      });
      if (action === 'keep') list.push(d);
      if (action === 'edit') list.push(await askDomain(ctx, [...list.map((x) => x.name), ...pending(i)], d));
    }
    for (;;) {
      if (list.length > 0) {
        const more = await ctx.prompt.confirm({ message: 'Add another domain?', default: false });
        if (!more) break;
      } else {
        ctx.stdout.write('At least one local domain is needed: without one KSMG accepts no mail for your servers.\n');
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
