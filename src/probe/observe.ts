// What only a live check can see: the greeting's host name against mta.hostname, the EHLO
// keywords against the ones the config implies, STARTTLS, and the PTR of the target's address.
// The comparison is pure; the one session and the PTR lookup are the only I/O.
import { Resolver as NodeResolver } from 'node:dns/promises';
import type { Config } from '../config/schema.js';
import { ipToBigInt, isIPv4 } from '../config/net.js';
import { ehloKeywords } from '../policy/ehlo.js';
import { formatReply, REPLIES } from '../policy/replies.js';
import { SmtpClient, type TlsInfo } from '../lab/smtp-client.js';
import type { ProbeTarget } from './session.js';

export interface LiveFacts {
  greeting: string | null;
  ehlo: string[] | null;
  transcript: string[];
  /** PTR names of the target address; null when DNS did not answer. */
  ptr: string[] | null;
  ptrProblem?: string;
  /** The address this host spoke from (what the gateway sees, unless something NATs it). */
  localAddress?: string;
  /** STARTTLS was offered and tried: the session and certificate, or why the handshake failed. */
  tls?: TlsInfo | { error: string };
}

/** What `probe` reports about the gateway's TLS: never a difference, whatever the certificate is. */
export interface LiveTls {
  protocol?: string;
  cipher?: string;
  /** Certificate subject CN and subjectAltNames, its expiry and days left, self-signed or not. */
  subject?: string;
  altNames?: string[];
  validTo?: string;
  daysLeft?: number;
  selfSigned?: boolean;
  /** The chain verified against this host's CAs (false for a self-signed certificate). */
  trusted?: boolean;
  error?: string;
}

export interface LiveComparison {
  id: string;
  name: string;
  matched: boolean;
  expected: string;
  observed: string;
}

export interface LiveInfo {
  starttls: boolean | null;
  /** After STARTTLS (when offered). */
  tls?: LiveTls;
  ptr: string[] | null;
  /** The PTR name equals the greeting's host name (MXToolbox's "banner vs rDNS" check). */
  ptrMatchesGreeting: boolean | null;
  note?: string;
}

/**
 * Keywords the config does not model either way: their presence is reported, never a difference
 * (none left: STARTTLS follows mta.tls.securityLevel).
 */
const UNMODELLED = new Set<string>();

const word = (k: string) => k.trim().split(/\s+/)[0]!.toUpperCase();

export async function gatherLiveFacts(
  target: ProbeTarget,
  helo: string,
  dns?: { servers: string[] } | null,
  servername?: string,
): Promise<LiveFacts> {
  const facts: LiveFacts = { greeting: null, ehlo: null, transcript: [], ptr: null };
  let client: SmtpClient | null = null;
  try {
    client = await SmtpClient.connect(target.address, target.port, target.replyTimeoutMs, target.localAddress);
    facts.localAddress = client.localAddress?.replace(/^::ffff:/, '');
    const banner = await client.read();
    facts.greeting = banner.raw;
    if (banner.code === 220) {
      const r = await client.command(`EHLO ${helo}`);
      if (r.code === 250) facts.ehlo = r.lines.slice(1);
      // STARTTLS offered: the handshake, to see the certificate (any is accepted; it is reported).
      if (facts.ehlo?.some((k) => word(k) === 'STARTTLS')) {
        const st = await client.command('STARTTLS');
        if (st.code === 220) {
          try {
            facts.tls = await client.startTls(servername);
            await client.command(`EHLO ${helo}`);
          } catch (e) {
            facts.tls = { error: (e as Error).message };
          }
        } else facts.tls = { error: st.raw };
      }
      if (!client.isClosed) await client.command('QUIT');
    }
  } catch (e) {
    facts.greeting = `<no connection: ${(e as Error).message}>`;
  } finally {
    if (client) {
      facts.transcript.push(...client.transcript);
      await client.close();
    }
  }
  if (dns !== null) {
    try {
      const r = new NodeResolver({ timeout: 2000, tries: 1 });
      if (dns?.servers.length) r.setServers(dns.servers);
      // resolvePtr, not reverse(): c-ares answers reverse() from /etc/hosts before any DNS server.
      facts.ptr = (await r.resolvePtr(reverseName(target.address))).map((n) => n.toLowerCase().replace(/\.$/, ''));
    } catch (e) {
      facts.ptrProblem = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
  }
  return facts;
}

/** 192.0.2.1 → 1.2.0.192.in-addr.arpa; IPv6 → nibbles under ip6.arpa. */
export function reverseName(ip: string): string {
  if (isIPv4(ip)) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const big = ipToBigInt(ip);
  if (!big) throw new Error(`not an IP address: ${ip}`);
  return `${big.value.toString(16).padStart(32, '0').split('').reverse().join('.')}.ip6.arpa`;
}

function greetingHost(greeting: string | null): string | null {
  const m = greeting?.match(/^220[ -](\S+)/);
  return m ? m[1]!.toLowerCase() : null;
}

export function compareLive(config: Config, facts: LiveFacts, now = Date.now()): { comparisons: LiveComparison[]; info: LiveInfo } {
  const host = greetingHost(facts.greeting);
  const comparisons: LiveComparison[] = [
    {
      id: 'live/greeting-hostname',
      name: 'The greeting names mta.hostname',
      matched: host === config.mta.hostname.toLowerCase(),
      expected: formatReply(REPLIES.greeting(`${config.mta.hostname} …`)),
      observed: facts.greeting ?? '(no greeting)',
    },
  ];
  const want = ehloKeywords(config, { xclientAllowed: false }).map(word);
  if (facts.ehlo) {
    const got = facts.ehlo.map(word);
    const missing = want.filter((k) => !got.includes(k));
    const extra = got.filter((k) => !want.includes(k) && !UNMODELLED.has(k));
    const parts = [missing.length ? `missing ${missing.join(', ')}` : '', extra.length ? `extra ${extra.join(', ')}` : ''].filter(Boolean);
    comparisons.push({
      id: 'live/ehlo-keywords',
      name: 'The EHLO keywords are the ones the config implies',
      matched: parts.length === 0,
      expected: want.join(', '),
      observed: parts.length ? `${got.join(', ')} (${parts.join('; ')})` : got.join(', '),
    });
  } else {
    comparisons.push({
      id: 'live/ehlo-keywords',
      name: 'The EHLO keywords are the ones the config implies',
      matched: false,
      expected: want.join(', '),
      observed: '(no EHLO reply)',
    });
  }
  const info: LiveInfo = {
    starttls: facts.ehlo ? facts.ehlo.map(word).includes('STARTTLS') : null,
    ptr: facts.ptr,
    ptrMatchesGreeting: facts.ptr && host ? facts.ptr.includes(host) : null,
    ...(facts.ptrProblem ? { note: `PTR lookup: ${facts.ptrProblem}` } : {}),
    ...(facts.tls ? { tls: liveTls(facts.tls, now) } : {}),
  };
  return { comparisons, info };
}

function liveTls(t: TlsInfo | { error: string }, now: number): LiveTls {
  if ('error' in t) return { error: t.error };
  const cert = t.certificate;
  if (!cert) return { protocol: t.protocol, cipher: t.cipher };
  return {
    protocol: t.protocol,
    cipher: t.cipher,
    subject: cert.subject,
    altNames: cert.altNames,
    validTo: cert.validTo,
    daysLeft: Math.floor((Date.parse(cert.validTo) - now) / 86_400_000),
    selfSigned: cert.selfSigned,
    trusted: cert.authorized,
  };
}
