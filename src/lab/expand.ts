// Turns a loaded scenario into concrete runs for one config: applies `schemes:`/`when:`, expands
// `forEach:`, fills {{placeholders}}, evaluates sizes and durations, builds the message bytes.
// A placeholder the config cannot fill (no trusted network, no edge gateway …) makes that run fail
// with a message saying what the config lacks, instead of silently testing something else.
import type { Config } from '../config/schema.js';
import { parseDuration } from '../config/schema.js';
import { buildMessage, FIXTURES } from './fixtures.js';
import { isZip, listZip } from '../scan/zip.js';
import { tlsCondition, type LabHostTls } from './lab-tls.js';
import type { LoadedScenario, Scenario, ScenarioExpect, DialogueStep, CannedReplySpec } from './scenario.js';
import type { ZoneEntry } from './dns.js';
import type { Topology } from './topology.js';

export interface PlannedRun {
  /** Stable id: scenario id, plus the forEach item. */
  id: string;
  name: string;
  file: string;
  why?: string;
  tags: string[];
  /** Problems that make the run fail before it starts (unfillable placeholders, bad sizes). */
  errors: string[];
  client: { address: string; helo: string; useHelo: boolean; starttls: boolean };
  envelope?: { from: string; to: string[]; size?: number };
  /** The message's bytes (CRLF, not dot-stuffed); a large one is built on each read, so read it once per send. */
  readonly data?: Buffer;
  dialogue?: DialogueStep[];
  repeat: number;
  dns: Record<string, ZoneEntry | null>;
  hosts: Record<string, { reply: CannedReplySpec[]; dead: boolean; users?: string[]; forMs: Array<number | undefined>; tls?: LabHostTls }>;
  afterMs: number;
  expect: ScenarioExpect;
  /** Value of the X-Lab-Scenario header in this run's message. */
  tag: string;
  /** Needs the lab to itself: changes hosts/DNS, moves lab time, or cannot be told apart by its tag. */
  exclusive: boolean;
  /**
   * Roughly what the run costs the lab, in bytes the relay, the scanner and the hosts go through:
   * the message's size, plus what its archive attachments declare they unpack to (the scanner
   * inflates them). runner.ts runs the heaviest shared runs side by side.
   */
  weight: number;
}

export const TAG_HEADER = 'X-Lab-Scenario';

const SIZE_UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1048576, m: 1048576, gb: 1073741824 };

/** "25MB", "100KB", 5000, "20971520+1KB" → bytes; null when unreadable. */
export function evalSize(v: string | number): number | null {
  if (typeof v === 'number') return Number.isFinite(v) && v >= 0 ? Math.floor(v) : null;
  let total = 0;
  const terms = v.replace(/\s+/g, '').match(/[+-]?[^+-]+/g);
  if (!terms) return null;
  for (const t of terms) {
    const m = t.match(/^([+-]?)(\d+(?:\.\d+)?)([a-z]*)$/i);
    const unit = m ? SIZE_UNITS[m[3]!.toLowerCase()] : undefined;
    if (!m || unit === undefined) return null;
    total += (m[1] === '-' ? -1 : 1) * Number(m[2]) * unit;
  }
  return total >= 0 ? Math.floor(total) : null;
}

/** Is the scenario meant for this config at all (schemes + when)? Returns the reason when not. */
export function notApplicable(s: Scenario, config: Config): string | null {
  if (s.schemes && !s.schemes.includes(config.integration)) return `applies to ${s.schemes.join(', ')}`;
  for (const [path, want] of Object.entries(s.when ?? {})) {
    const have = path.startsWith('tls.')
      ? tlsCondition(path, config)
      : path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), config);
    if (!matchesCondition(have, want)) return `needs ${path} ${String(want)}`;
  }
  return null;
}

function matchesCondition(have: unknown, want: string | number | boolean | null): boolean {
  if (want === 'set')
    return have !== null && have !== undefined && have !== '' && !(Array.isArray(have) && have.length === 0) && have !== 0;
  if (want === 'unset') return !matchesCondition(have, 'set');
  if (typeof want === 'string') {
    if (want.startsWith('contains:')) return Array.isArray(have) && have.map(String).includes(want.slice(9));
    const m = want.match(/^(>=|<=|>|<|!=)\s*(-?\d+)$/);
    if (m && typeof have === 'number') {
      const n = Number(m[2]);
      return m[1] === '>' ? have > n : m[1] === '<' ? have < n : m[1] === '>=' ? have >= n : m[1] === '<=' ? have <= n : have !== n;
    }
    if (want.startsWith('!')) return String(have) !== want.slice(1);
  }
  return have === want || String(have) === String(want);
}

interface Context {
  config: Config;
  topology: Topology;
  domain?: string;
  internal?: string;
  errors: Set<string>;
}

function placeholderValue(name: string, ctx: Context): string | null {
  const { config, topology } = ctx;
  const adv = config.mta.advanced;
  const domain = ctx.domain ?? topology.localDomains[0];
  const need = (v: string | null | undefined, why: string): string | null => {
    if (v === null || v === undefined || v === '') {
      ctx.errors.add(`{{${name}}}: ${why}`);
      return null;
    }
    return v;
  };
  const local = name.match(/^local\.(\d+)$/);
  if (local)
    return need(
      topology.localDomains[Number(local[1])],
      `the config has fewer than ${Number(local[1]) + 1} local domain(s) in mta.domains`,
    );
  switch (name) {
    case 'domain':
      return need(domain, 'the config has no local domain (mta.domains with local: true)');
    case 'user':
      return need(domain ? topology.users.get(domain)?.[0] : undefined, noUser(domain));
    case 'user2':
      return need(domain ? secondUser(topology, domain) : undefined, noUser(domain));
    case 'postmaster':
      return need(domain && `postmaster@${domain}`, 'the config has no local domain');
    case 'unknown':
      return need(domain && `no-such-user-lab@${domain}`, 'the config has no local domain');
    case 'trusted':
      return need(topology.clients.trusted, 'the config has no trusted networks (mta.trustedNetworks), so no internal host may send out');
    case 'untrusted':
      return topology.clients.untrusted;
    case 'untrusted6':
      return topology.clients.untrusted6;
    case 'edge':
      return need(topology.clients.edge, 'the config names no edge gateway (mta.destination.host with mode edge-gateway)');
    case 'inbound':
      return topology.clients.edge ?? topology.clients.untrusted;
    case 'internal': {
      const first = topology.hosts.find(
        (h) => h.role === 'internal' && !h.allocated && h.domains.some((d) => topology.localDomains.includes(d)),
      );
      return need(ctx.internal ?? first?.addresses[0], 'the config routes no local domain to an internal server by IP address');
    }
    case 'external':
      return topology.external;
    case 'nonexistent':
      return topology.nonexistent;
    case 'hostname':
      return config.mta.hostname;
    case 'sizeLimit':
      return String(config.mta.messageSizeLimit);
    case 'messageRateLimit':
      return String(adv.messageRateLimit);
    case 'connectionRateLimit':
      return String(adv.connectionRateLimit);
    case 'minimalBackoff':
      return `${adv.minimalBackoff}s`;
    // Long enough for at least one retry, shorter than any sane queue lifetime.
    case 'retryWindow':
      return `${adv.maximalBackoff + adv.queueRunDelay + 60}s`;
    // Past the point where a never-deliverable message must have bounced.
    case 'queueLifetime':
      return `${adv.maximalQueueLifetime + adv.maximalBackoff + adv.queueRunDelay + 60}s`;
    case 'bcc':
      return need(adv.alwaysBcc, 'the config sets no BCC address (mta.advanced.alwaysBcc)');
    default:
      ctx.errors.add(`unknown placeholder {{${name}}}`);
      return null;
  }
}

/**
 * A second address, different from {{user}}: the next user of the domain, else a user of another
 * local domain, else an address that does not exist (with a one-address valid list nothing else can
 * receive mail; the scenarios using it only need a recipient other than {{user}}).
 */
function secondUser(topology: Topology, domain: string): string | undefined {
  const users = topology.users.get(domain) ?? [];
  if (!users[0]) return undefined;
  if (users[1]) return users[1];
  for (const d of topology.localDomains) {
    const other = topology.users.get(d)?.[0];
    if (other && other !== users[0]) return other;
  }
  return `no-such-user-lab2@${domain}`;
}

/** Why there is no user to address in `domain`. */
function noUser(domain: string | undefined): string {
  return domain
    ? `no mailbox of ${domain} can receive mail: with reject-unlisted, list at least one address of it in mta.advanced.validRecipients`
    : 'the config has no local domain (mta.domains with local: true)';
}

function fill<T>(value: T, ctx: Context): T {
  if (typeof value === 'string') {
    return value.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (m, name: string) => placeholderValue(name, ctx) ?? m) as T;
  }
  if (Array.isArray(value)) return value.map((v) => fill(v, ctx)) as T;
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[fill(k, ctx)] = fill(v, ctx);
    return out as T;
  }
  return value;
}

const CLIENT_CLASSES: Record<string, string> = {
  trusted: '{{trusted}}',
  untrusted: '{{untrusted}}',
  untrusted6: '{{untrusted6}}',
  'edge-gateway': '{{edge}}',
  edge: '{{edge}}',
  inbound: '{{inbound}}',
  internal: '{{internal}}',
};

let runCounter = 0;

/** The runs a loaded scenario makes for this config (empty when it does not apply). */
export function planScenario(loaded: LoadedScenario, config: Config, topology: Topology): PlannedRun[] {
  const s = loaded.scenario;
  if (notApplicable(s, config)) return [];
  const items: Array<{ suffix: string; domain?: string; internal?: string }> = [];
  if (s.forEach === 'localDomain') {
    for (const d of topology.localDomains) items.push({ suffix: d, domain: d });
    if (!items.length) items.push({ suffix: '' });
  } else if (s.forEach === 'internalServer') {
    // Only servers whose address the admin gave (a guessed address proves nothing about trust),
    // and only servers of local domains: a route for a domain KSMG does not accept (a partner's
    // server) is a next hop, not one of the organisation's senders (the audit judges the same).
    const local = new Set(topology.localDomains);
    const internal = topology.hosts.filter((h) => h.role === 'internal' && !h.allocated && h.domains.some((d) => local.has(d)));
    for (const h of internal)
      items.push({ suffix: h.addresses[0]!, internal: h.addresses[0]!, domain: h.domains.find((d) => local.has(d)) });
    // No internal server given by address (routes by name, or by DNS): nothing the lab can prove
    // about trusting it, and nothing wrong with the config either, so the scenario does not apply.
    if (!items.length) return [];
  } else items.push({ suffix: '' });

  return items.map((item) => {
    const ctx: Context = { config, topology, domain: item.domain, internal: item.internal, errors: new Set() };
    const id = item.suffix ? `${loaded.id}[${item.suffix}]` : loaded.id;
    const tag = `lab-${process.pid}-${++runCounter}`;
    const clientAddr = fill(CLIENT_CLASSES[s.client.address] ?? s.client.address, ctx);
    const envelope = s.envelope ? fill({ from: s.envelope.from, to: s.envelope.to }, ctx) : undefined;
    let size: number | undefined;
    if (s.envelope?.size !== undefined) {
      const v = evalSize(fill(s.envelope.size, ctx));
      if (v === null) ctx.errors.add(`envelope.size: cannot read "${s.envelope.size}" as a size`);
      else size = v;
    }
    const repeatText = s.repeat === undefined ? 1 : evalSize(fill(s.repeat, ctx));
    if (repeatText === null) ctx.errors.add(`repeat: cannot read "${s.repeat}" as a number`);
    const afterMs =
      (parseDuration(fill(s.after, ctx)) ?? (ctx.errors.add(`after: "${s.after}" is not a duration (30s, 5m, 4h, 3d)`), 0)) * 1000;

    let message: (() => Buffer) | undefined;
    let weight = 0;
    if (envelope && !s.dialogue) {
      const m = s.message ? fill(s.message, ctx) : {};
      let padTo: number | undefined;
      if (m.padTo !== undefined) {
        const v = evalSize(m.padTo);
        if (v === null) ctx.errors.add(`message.padTo: cannot read "${m.padTo}" as a size (25MB, 100KB, 5000)`);
        else padTo = v;
      }
      const spec = { ...m, padTo: undefined, from: envelope.from, to: envelope.to, tag: { name: TAG_HEADER, value: tag } };
      try {
        // Unpadded, the message is small and kept; a padded one (5 MB, the size limit + 1 KB) is
        // checked here unpadded (same fixtures, same errors) and built again each time it is sent,
        // so a large pack does not hold every large message in memory from planning to the end.
        const unpadded = buildMessage(spec);
        message = padTo === undefined || padTo <= unpadded.length ? () => unpadded : () => buildMessage({ ...spec, padTo });
        weight = Math.max(padTo ?? 0, unpadded.length) + unpackedSize(m.attachments);
      } catch (e) {
        ctx.errors.add(`message: ${(e as Error).message}`);
      }
    }

    const hosts: PlannedRun['hosts'] = {};
    for (const [sel, b] of Object.entries(fill(s.hosts ?? {}, ctx))) {
      const replies = b.reply === undefined ? [] : Array.isArray(b.reply) ? b.reply : [b.reply];
      const forMs = replies.map((r) => {
        if (r.for === undefined) return undefined;
        const d = parseDuration(r.for);
        if (d === null) ctx.errors.add(`hosts.${sel}.reply.for: "${r.for}" is not a duration`);
        return d === null ? undefined : d * 1000;
      });
      hosts[sel] = { reply: replies, dead: b.dead ?? false, users: b.users, forMs, ...(b.tls ? { tls: b.tls } : {}) };
    }
    const dns = fill(s.dns ?? {}, ctx) as Record<string, ZoneEntry | null>;
    const expect = fill(s.expect, ctx);
    const dialogue = s.dialogue ? fill(s.dialogue, ctx).map(unescapeStep) : undefined;
    const exclusive = Boolean(
      s.dialogue ||
      afterMs > 0 ||
      Object.keys(hosts).length ||
      Object.keys(dns).length ||
      (repeatText ?? 1) > 1 ||
      s.message?.raw !== undefined,
    );
    return {
      id,
      name: item.suffix ? `${s.name} (${item.suffix})` : s.name,
      file: loaded.file,
      why: s.why ? fill(s.why, ctx) : undefined,
      tags: s.tags,
      errors: [...ctx.errors],
      client: {
        address: clientAddr,
        helo: fill(s.client.helo, ctx),
        useHelo: s.client.useHelo,
        starttls: s.client.starttls ?? config.mta.tls.securityLevel === 'encrypt',
      },
      envelope: envelope ? { ...envelope, size } : undefined,
      get data() {
        return message?.();
      },
      dialogue,
      repeat: Math.max(1, repeatText ?? 1),
      dns,
      hosts,
      afterMs,
      expect,
      tag,
      exclusive,
      weight,
    };
  });
}

/** What the archive fixtures among these attachments declare they unpack to (their zip entries' sizes). */
function unpackedSize(attachments: Array<{ fixture?: string }> | undefined): number {
  let total = 0;
  for (const a of attachments ?? []) {
    const content = a.fixture ? FIXTURES[a.fixture]?.content : undefined;
    if (!content || !isZip(content)) continue;
    for (const e of listZip(content).entries) if (e.size < 0xffffffff) total += e.size;
  }
  return total;
}

/** `\r`, `\n`, `\0` and `\xNN` written literally in single-quoted YAML become bytes. */
function unescapeStep(step: DialogueStep): DialogueStep {
  const un = (s: string) =>
    s.replace(/\\(r|n|0|x[0-9a-fA-F]{2}|\\)/g, (_, e: string) =>
      e === 'r' ? '\r' : e === 'n' ? '\n' : e === '0' ? '\0' : e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)),
    );
  return {
    ...step,
    send: step.send === undefined ? undefined : un(step.send),
    sendRaw: step.sendRaw === undefined ? undefined : un(step.sendRaw),
  };
}
