// Sender authentication (SPF, DKIM, DMARC) with mailauth, over the relay's injected Resolver —
// in the lab that is the lab DNS, so records a scenario publishes decide the outcome.
// Honours Settings > General > Protection > External services (ksmg-product.md §6): DNS off
// turns all three off; DMARC is off when SPF or DKIM is off; after the DNS timeout the message
// is processed without sender authentication.
import type { Config } from '../config/schema.js';
import { normaliseIp } from '../config/net.js';
import type { Clock } from '../relay/clock.js';
import { DnsError, withoutStackTrace, type Resolver } from '../relay/resolver.js';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';

export type AuthCheck = 'spf' | 'dkim' | 'dmarc';

export interface AuthOutcome {
  /** Which checks were switched on (and therefore ran, unless timedOut). */
  enabled: Record<AuthCheck, boolean>;
  /** The DNS timeout passed: no check result is used. */
  timedOut: boolean;
  /** pass | fail | softfail | neutral | none | temperror | permerror (mailauth's result words). */
  spf?: { result: string; domain: string; info: string };
  /** Combined over all signatures: pass if any passes; none without a signature. */
  dkim?: { result: string; domains: string[]; info: string[] };
  /** pass | fail | none | temperror; policy = the published p=/sp= when a record exists. */
  dmarc?: { result: string; policy?: string; domain?: string; info: string };
}

/**
 * A DKIM signature is present but does not verify. mailauth says "fail" for a bad signature and
 * "neutral" for a body-hash mismatch, a missing or invalid key, or an expired signature.
 */
export function dkimFailed(a: AuthOutcome | undefined): boolean {
  return a?.dkim?.result === 'fail' || a?.dkim?.result === 'neutral';
}

export function enabledChecks(p: Config['protection']): Record<AuthCheck, boolean> {
  const spf = p.dns && p.spf;
  const dkim = p.dns && p.dkim;
  return { spf, dkim, dmarc: spf && dkim && p.dmarc };
}

const CODES: Record<DnsError['kind'], string> = {
  nxdomain: 'ENOTFOUND',
  nodata: 'ENODATA',
  servfail: 'ESERVFAIL',
  timeout: 'ETIMEOUT',
};

/** mailauth's resolver shape `(name, rrtype)`, with errors carrying node:dns codes as it expects. */
export function mailauthResolver(r: Resolver) {
  return async (name: string, rr: string): Promise<any> => {
    try {
      switch (rr) {
        case 'TXT':
          return await r.resolveTxt(name);
        case 'A':
          return await r.resolve4(name);
        case 'AAAA':
          return await r.resolve6(name);
        case 'MX':
          return await r.resolveMx(name);
        default: {
          // PTR and others are not in the Resolver interface: treat as "no such record".
          throw new DnsError('nodata', name, rr);
        }
      }
    } catch (e) {
      // Without a stack trace: mailauth reads only the code (and the message), and most senders
      // make two of these per message (no SPF record, no DMARC record).
      const err = withoutStackTrace(() => new Error(e instanceof Error ? e.message : String(e))) as NodeJS.ErrnoException;
      err.code = e instanceof DnsError ? CODES[e.kind] : 'ESERVFAIL';
      throw err;
    }
  };
}

export interface AuthInput {
  data: Buffer;
  sender: string;
  ip: string;
  helo?: string;
  /** Our host name, for the comments mailauth writes. */
  mta: string;
}

function summarizeDkim(results: any[] | undefined): AuthOutcome['dkim'] {
  const rows = results ?? [];
  const info = rows.map((r) => String(r.info ?? ''));
  const domains = rows.map((r) => String(r.signingDomain ?? ''));
  if (rows.length === 0 || rows.every((r) => r.status?.result === 'none')) return { result: 'none', domains: [], info };
  const pass = rows.find((r) => r.status?.result === 'pass');
  return { result: pass ? 'pass' : String(rows[0].status?.result ?? 'neutral'), domains, info };
}

function summarizeSpf(r: any): AuthOutcome['spf'] {
  return { result: String(r?.status?.result ?? 'none'), domain: String(r?.domain ?? ''), info: String(r?.info ?? '') };
}

function summarizeDmarc(r: any): AuthOutcome['dmarc'] {
  if (!r) return { result: 'none', info: '' };
  return {
    result: String(r.status?.result ?? 'none'),
    policy: r.policy ? String(r.policy) : undefined,
    domain: r.domain ? String(r.domain) : undefined,
    info: String(r.info ?? ''),
  };
}

/**
 * A field that mailauth's DKIM step takes for a signature among `head`'s lines: its
 * parseHeaders() splits the block at line ends, joins lines that start with white space to the
 * one before (not the first), and keys each field by what comes before its first colon — or the
 * whole field when it has none — trimmed and in lower case. So "DKIM-Signature\xa0: …", a name
 * folded before its colon, a lone "DKIM-Signature" line or a first line that starts with a space
 * are signatures to it too, and such a message must go to it whole (its body hash is checked).
 */
export function hasDkimSignature(head: Buffer): boolean {
  const text = head.toString('latin1');
  if (!/dkim-signature/i.test(text)) return false; // most mail: no field of that name at all
  const lines = text.replace(/[\r\n]+$/, '').split(/\r?\n/);
  const fields: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (i > 0 && /^\s/.test(lines[i]!)) fields[fields.length - 1] += `\r\n${lines[i]}`;
    else fields.push(lines[i]!);
  }
  return fields.some((f) => /^[^:]+/.exec(f)?.[0].trim().toLowerCase() === 'dkim-signature');
}

/**
 * What mailauth needs to see: without a DKIM-Signature header its DKIM step only reads the header
 * block (From for DMARC; the result is "none" whatever the body), so the body is left out and a
 * large unsigned message is not parsed and copied for nothing. Signed messages go in whole.
 */
export function authInput(data: Buffer): Buffer {
  const crlf = data.indexOf('\r\n\r\n');
  // A bare-LF blank line counts only before the CRLF one: no search of a large body for it.
  const lf = (crlf >= 0 ? data.subarray(0, crlf + 2) : data).indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
  if (end < 0) return data;
  const head = data.subarray(0, end);
  return hasDkimSignature(head) ? data : head;
}

// mailauth's three verifiers are loaded with the first check, not with this module: the verdict
// helpers below are imported by every command that loads the scanner. Only these three: the
// package's index also loads ARC, BIMI (and its HTTP client) and the signer, which we never use.
type Verifiers = {
  dkimVerify: typeof import('mailauth/lib/dkim/verify.js').dkimVerify;
  spf: typeof import('mailauth/lib/spf/index.js').spf;
  dmarc: typeof import('mailauth/lib/dmarc/index.js').dmarc;
  DkimVerifier: typeof import('mailauth/lib/dkim/dkim-verifier.js').DkimVerifier;
  parseHeaders: typeof import('mailauth/lib/tools.js').parseHeaders;
};
let verifiers: Promise<Verifiers> | undefined;
export const loadMailauth = (): Promise<Verifiers> =>
  (verifiers ??= Promise.all([
    import('mailauth/lib/dkim/verify.js'),
    import('mailauth/lib/spf/index.js'),
    import('mailauth/lib/dmarc/index.js'),
    import('mailauth/lib/dkim/dkim-verifier.js'),
    import('mailauth/lib/tools.js'),
  ]).then(([d, s, m, verifier, tools]) => ({
    dkimVerify: d.dkimVerify,
    spf: s.spf,
    dmarc: m.dmarc,
    DkimVerifier: verifier.DkimVerifier,
    parseHeaders: tools.parseHeaders,
  })));

/** Only CRLF line ends, and the first empty line is the last line: the whole input is the header block. */
function isCrlfHeaderBlock(head: Buffer): boolean {
  if (head.length < 6 || head[0] === 0x0d || head.indexOf('\r\n\r\n') !== head.length - 4) return false;
  for (let i = head.indexOf(0x0a); i !== -1; i = head.indexOf(0x0a, i + 1)) if (head[i - 1] !== 0x0d) return false;
  for (let i = head.indexOf(0x0d); i !== -1; i = head.indexOf(0x0d, i + 1)) if (head[i + 1] !== 0x0a) return false;
  return true;
}

/**
 * mailauth's dkimVerify(), and for an unsigned message's header block (authInput) the same
 * verifier without its stream: dkimVerify() writes the message into a DkimVerifier, whose
 * header state looks at every header byte in JavaScript (≈ 0.1 ms for a 400-byte header block)
 * before it calls parseHeaders() on the block and messageHeaders() with the result; with no
 * signature finalChunk() then only records "none". Here those two steps are called on the block
 * directly — the same functions on the same bytes. Anything else (a body, a bare CR or LF,
 * which the stream rewrites first) goes through dkimVerify() itself.
 */
export async function verifyDkim(v: Verifiers, data: Buffer, opts: { resolver: MailauthResolver; sender?: string }) {
  if (!isCrlfHeaderBlock(data) || hasDkimSignature(data)) return v.dkimVerify(data, opts);
  const verifier = new v.DkimVerifier(opts);
  await verifier.messageHeaders(v.parseHeaders(data));
  await verifier.finalChunk();
  return { headerFrom: verifier.headerFrom, envelopeFrom: verifier.envelopeFrom, results: verifier.results } as Awaited<
    ReturnType<Verifiers['dkimVerify']>
  >;
}

/**
 * The domain whose `_dmarc.` record mailauth's DMARC step asks for first (dmarc/verify.js):
 * exactly one From address, the part after its first "@", lower case, in ASCII. null when
 * DMARC would not run (no or several From addresses).
 */
export function dmarcDomain(headerFrom: string[] | undefined): string | null {
  if (headerFrom?.length !== 1) return null;
  const from = headerFrom[0]!;
  const at = from.indexOf('@');
  const domain = (at >= 0 ? from.slice(at + 1) : from).toLowerCase().trim();
  return domainToASCII(domain) || domain;
}

/**
 * A resolver that can be asked for a record ahead of its user: the first later query for the
 * same name and type takes the answer (or error) of the early one instead of asking again.
 */
export function prefetchingResolver(res: MailauthResolver): MailauthResolver & { prefetch(name: string, rr: string): void } {
  const early = new Map<string, Promise<unknown>>();
  const key = (name: string, rr: string) => `${rr} ${name.toLowerCase()}`;
  const resolve = (name: string, rr: string) => {
    const k = key(name, rr);
    const p = early.get(k);
    if (!p) return res(name, rr);
    early.delete(k);
    return p;
  };
  return Object.assign(resolve, {
    prefetch(name: string, rr: string) {
      const p = res(name, rr);
      p.catch(() => undefined); // handled by the query that takes it
      early.set(key(name, rr), p);
    },
  });
}

type MailauthResolver = (name: string, rr: string) => Promise<any>;

/**
 * mailauth's authenticate() for our options (no ARC, no BIMI, no sealing, client facts from the
 * session, not from Received:), with the same steps and inputs, reordered for latency: SPF does
 * not depend on the DKIM step here, so both start at once, and DMARC's record is asked for as
 * soon as the DKIM step has read the From header, while SPF's lookups are still under way —
 * one DNS round trip per message instead of two in a row.
 */
async function authenticate(
  v: Verifiers,
  data: Buffer,
  opts: { ip: string; helo?: string; sender: string; mta: string; resolver: MailauthResolver; dmarc: boolean },
) {
  const resolver = prefetchingResolver(opts.resolver);
  // authenticate(): the HELO defaults to the IP, and an address literal is written in brackets.
  let helo = opts.helo ?? opts.ip;
  if (isIP(helo)) helo = `[${helo}]`;
  const dkimStep = verifyDkim(v, data, { resolver, sender: opts.sender }).then((r) => {
    const domain = opts.dmarc ? dmarcDomain(r.headerFrom as string[] | undefined) : null;
    if (domain) resolver.prefetch(`_dmarc.${domain}`, 'TXT');
    return r;
  });
  const [dkim, spf] = await Promise.all([
    dkimStep,
    v.spf({ ip: opts.ip, helo, sender: opts.sender, mta: opts.mta, resolver } as Parameters<Verifiers['spf']>[0]),
  ]);
  const dmarc =
    opts.dmarc && dkim.headerFrom
      ? await v.dmarc({
          headerFrom: dkim.headerFrom,
          spfDomains: ([] as string[]).concat((spf?.status?.result === 'pass' && spf.domain) || []),
          dkimDomains: (dkim.results ?? [])
            .filter((r: any) => r.status.result === 'pass')
            .map((r: any) => ({ id: r.id, domain: r.signingDomain, aligned: r.status.aligned, underSized: r.status.underSized })),
          resolver,
        } as Parameters<Verifiers['dmarc']>[0])
      : undefined;
  return { dkim, spf, dmarc };
}

async function runChecks(
  input: AuthInput,
  on: Record<AuthCheck, boolean>,
  resolver: Resolver,
): Promise<Omit<AuthOutcome, 'enabled' | 'timedOut'>> {
  const v = await loadMailauth();
  input = { ...input, data: authInput(input.data) };
  const res = mailauthResolver(resolver);
  const ip = normaliseIp(input.ip);
  const helo = input.helo || undefined;
  const sender = input.sender || undefined; // mailauth uses postmaster@HELO for the null sender
  if (on.spf && on.dkim) {
    const r = await authenticate(v, input.data, {
      ip,
      helo,
      sender: sender ?? `postmaster@${helo ?? ip}`,
      mta: input.mta,
      resolver: res,
      dmarc: on.dmarc,
    });
    return {
      spf: summarizeSpf(r.spf),
      dkim: summarizeDkim((r.dkim as any)?.results),
      dmarc: on.dmarc ? summarizeDmarc(r.dmarc) : undefined,
    };
  }
  const out: Omit<AuthOutcome, 'enabled' | 'timedOut'> = {};
  if (on.dkim) out.dkim = summarizeDkim(((await verifyDkim(v, input.data, { resolver: res, sender })) as any).results);
  if (on.spf) out.spf = summarizeSpf(await v.spf({ sender, ip, helo: helo ?? `[${ip}]`, mta: input.mta, resolver: res } as any));
  return out;
}

/** Runs the enabled checks; null-safe: any failure inside mailauth becomes a temperror result. */
export async function checkMailAuth(
  input: AuthInput,
  protection: Config['protection'],
  resolver: Resolver,
  clock: Clock,
): Promise<AuthOutcome> {
  const enabled = enabledChecks(protection);
  if (!enabled.spf && !enabled.dkim) return { enabled, timedOut: false };
  let timer: { cancel(): void } | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = clock.setTimer(protection.dnsTimeout * 1000, () => resolve('timeout'));
  });
  try {
    const r = await Promise.race([runChecks(input, enabled, resolver), timeout]);
    if (r === 'timeout') return { enabled, timedOut: true };
    return { enabled, timedOut: false, ...r };
  } catch (e) {
    const info = `temperror (${e instanceof Error ? e.message : String(e)})`;
    return {
      enabled,
      timedOut: false,
      spf: enabled.spf ? { result: 'temperror', domain: '', info } : undefined,
      dkim: enabled.dkim ? { result: 'temperror', domains: [], info: [info] } : undefined,
      dmarc: enabled.dmarc ? { result: 'temperror', info } : undefined,
    };
  } finally {
    timer?.cancel();
  }
}

/** The X-KSMG-AntiSpam-Auth value: the results of the checks that ran. */
export function authSummary(a: AuthOutcome | undefined): string {
  if (!a || (!a.enabled.spf && !a.enabled.dkim)) return 'not checked, disabled by settings';
  if (a.timedOut) return 'not checked, DNS timeout';
  const parts: string[] = [];
  if (a.dkim) parts.push(`dkim=${a.dkim.result}`);
  if (a.spf) parts.push(`spf=${a.spf.result}`);
  if (a.dmarc) parts.push(`dmarc=${a.dmarc.result}`);
  return parts.join('; ');
}
