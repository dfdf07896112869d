// Observations of one scenario run and the comparison with its expectations. Pure: the runner
// collects the observation; this decides pass/fail and words each failure as expected vs observed.
import { toAsciiDomain } from '../config/net.js';
import type { ScenarioExpect } from './scenario.js';
import type { LabHost } from './topology.js';

export interface Delivery {
  /** Simulated host id. */
  host: string;
  role: LabHost['role'];
  from: string;
  to: string[];
  data: Buffer;
}

export interface Observation {
  /** Reply per stage of the last session. */
  stages: {
    connect?: string;
    helo?: string;
    /** The first EHLO's keywords (before STARTTLS). */
    ehloKeywords: string[];
    /** Reply to STARTTLS, and whether the handshake then completed (client.starttls). */
    starttls?: string;
    tls?: boolean;
    mail?: string;
    rcpt: Record<string, string>;
    data?: string;
    message?: string;
  };
  /** Dialogue form: reply per step. */
  steps: Array<{ sent: string; reply: string }>;
  /** Copies that reached simulated hosts (bounces included; they have from ''). */
  deliveries: Delivery[];
  /** The client was the edge gateway and got a 5xx for a MAIL/RCPT/DATA. */
  backscatter: boolean;
  transcript: string[];
}

export interface Failure {
  what: string;
  expected: string;
  observed: string;
}

/** "554 5.7.1" (prefix of the reply), or /regex/flags against the whole reply. */
export function matchReply(pattern: string, reply: string | undefined): boolean {
  if (reply === undefined) return false;
  const re = pattern.match(/^\/(.*)\/([gimsuy]*)$/s);
  if (re) {
    try {
      return new RegExp(re[1]!, re[2]!.replace('g', '')).test(reply);
    } catch {
      return false;
    }
  }
  return reply.startsWith(pattern) || reply.split('\n').some((l) => l.startsWith(pattern));
}

function domainOf(address: string): string {
  const d = address.slice(address.lastIndexOf('@') + 1);
  return toAsciiDomain(d) ?? d.toLowerCase();
}

/**
 * An address for comparison: lower case, the domain in its ASCII (punycode) form. The sinks see
 * IDN domains decoded to Unicode (smtp-server does that), the scenarios write them as configured.
 */
export function sameAddress(a: string, b: string): boolean {
  const key = (x: string) => {
    const at = x.lastIndexOf('@');
    return at < 0 ? x.toLowerCase() : `${x.slice(0, at).toLowerCase()}@${domainOf(x)}`;
  };
  return a.toLowerCase() === b.toLowerCase() || key(a) === key(b);
}

/** Why a bounce says the message was not delivered: its Diagnostic-Code/Status, else the human part's reason line. */
export function bounceReason(data: Buffer): string | null {
  const text = data.toString('utf8');
  const diag = text.match(/^Diagnostic-Code:\s*(?:smtp|X-Postfix);\s*(.+(?:\r?\n[ \t].+)*)/im);
  if (diag) return diag[1]!.replace(/\r?\n[ \t]+/g, ' ').trim();
  const human = text.match(/^<[^>\r\n]*>: (.+)$/m);
  return human ? human[1]!.trim() : null;
}

/** Does a host satisfy a `delivered:` selector for this recipient? */
export function hostMatches(selector: string, host: LabHost | undefined, recipient: string): boolean {
  if (!host) return false;
  const s = selector.toLowerCase();
  if (s === 'any') return true;
  if (s === 'internal') {
    // Intent: mail for a local domain reaches the internal server of *that* domain.
    return host.role === 'internal' && (host.domains.length === 0 || host.domains.includes(domainOf(recipient)));
  }
  if (s === host.role) return true;
  return host.id.toLowerCase() === s || host.names.includes(s) || host.addresses.map((a) => a.toLowerCase()).includes(s);
}

export function describeDeliveries(deliveries: Delivery[]): string[] {
  if (!deliveries.length) return ['(nothing reached any simulated host)'];
  return deliveries.map((d) => {
    const reason = d.from === '' ? bounceReason(d.data) : null;
    const bounce = d.from === '' ? ` [bounce${reason ? `: ${reason}` : ''}]` : '';
    return `${d.host} (${d.role}) got MAIL FROM:<${d.from}> RCPT TO:${d.to.map((t) => `<${t}>`).join(',')}${bounce}`;
  });
}

/** The bytes up to and including the first blank line (\n then an optional \r and \n); all of them without one. */
function headerBlock(data: Buffer): string {
  const a = data.indexOf('\n\n');
  const b = data.indexOf('\n\r\n');
  const at = a < 0 ? b : b < 0 ? a : Math.min(a, b);
  // A 5 MB copy is not turned into a 5 MB string to read its headers.
  return data.toString('latin1', 0, at < 0 ? data.length : at + 3);
}

function headerValues(data: Buffer, name: string): string[] {
  const text = headerBlock(data);
  const end = text.search(/\r?\n\r?\n/);
  const head = (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ');
  const want = name.toLowerCase();
  return head
    .split(/\r?\n/)
    .filter((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase() === want)
    .map((l) => l.slice(l.indexOf(':') + 1).trim());
}

export interface CheckInput {
  expect: ScenarioExpect;
  observation: Observation;
  hosts: LabHost[];
  envelope?: { from: string; to: string[] };
  dialogue?: Array<{ expect?: string; expectNot?: string }>;
}

export async function checkExpectations(input: CheckInput): Promise<Failure[]> {
  const { expect: ex, observation: ob, hosts } = input;
  const failures: Failure[] = [];
  const hostById = new Map(hosts.map((h) => [h.id, h]));
  const stage = (what: string, pattern: string | undefined, reply: string | undefined) => {
    if (pattern !== undefined && !matchReply(pattern, reply))
      failures.push({ what, expected: pattern, observed: reply ?? '(stage not reached)' });
  };
  stage('reply to the connection', ex.connect, ob.stages.connect);
  stage('reply to EHLO/HELO', ex.helo, ob.stages.helo);
  stage('reply to STARTTLS', ex.starttls, ob.stages.starttls);
  if (ex.tls !== undefined && ex.tls !== (ob.stages.tls === true))
    failures.push({
      what: 'TLS',
      expected: ex.tls ? 'the message sent inside TLS' : 'the message sent in plaintext',
      observed: ob.stages.tls ? 'inside TLS' : ob.stages.starttls ? `plaintext (STARTTLS: ${ob.stages.starttls})` : 'plaintext',
    });
  stage('reply to MAIL FROM', ex.mail, ob.stages.mail);
  stage('reply to DATA', ex.data, ob.stages.data);
  stage('reply after the end of data', ex.message, ob.stages.message);
  for (const kw of ex.ehlo?.has ?? []) {
    if (!ob.stages.ehloKeywords.some((k) => k.toUpperCase().split(' ')[0] === kw.toUpperCase())) {
      failures.push({
        what: `EHLO keyword ${kw}`,
        expected: `${kw} advertised`,
        observed: ob.stages.ehloKeywords.join(', ') || '(no EHLO reply)',
      });
    }
  }
  for (const kw of ex.ehlo?.lacks ?? []) {
    if (ob.stages.ehloKeywords.some((k) => k.toUpperCase().split(' ')[0] === kw.toUpperCase())) {
      failures.push({ what: `EHLO keyword ${kw}`, expected: `${kw} not advertised`, observed: ob.stages.ehloKeywords.join(', ') });
    }
  }
  (input.dialogue ?? []).forEach((step, i) => {
    const got = ob.steps[i];
    if (step.expect !== undefined && !matchReply(step.expect, got?.reply)) {
      failures.push({
        what: `dialogue step ${i + 1} (${got?.sent ?? 'not sent'})`,
        expected: step.expect,
        observed: got?.reply ?? '(not reached)',
      });
    }
    if (step.expectNot !== undefined && got && matchReply(step.expectNot, got.reply)) {
      failures.push({ what: `dialogue step ${i + 1} (${got.sent})`, expected: `not ${step.expectNot}`, observed: got.reply });
    }
  });

  const nullSender = input.envelope?.from === '';
  const copies = ob.deliveries.filter((d) => d.from !== '' || nullSender);
  const bounces = ob.deliveries.filter((d) => d.from === '' && !nullSender);
  const where = describeDeliveries(ob.deliveries).join('; ');

  for (const [rcpt, rx] of Object.entries(ex.recipients ?? {})) {
    stage(`reply to RCPT TO:<${rcpt}>`, rx.reply, ob.stages.rcpt[rcpt] ?? ob.stages.rcpt[rcpt.toLowerCase()]);
    // Bounces count too: a recipient expectation may be about the sender receiving one.
    const inEnvelope = input.envelope?.to.some((t) => sameAddress(t, rcpt)) ?? false;
    const got = (inEnvelope ? copies : ob.deliveries).filter((d) => d.to.some((t) => sameAddress(t, rcpt)));
    if (rx.delivered !== undefined) {
      const selectors = Array.isArray(rx.delivered) ? rx.delivered : [rx.delivered];
      if (selectors.length === 1 && selectors[0]!.toLowerCase() === 'none') {
        if (got.length) failures.push({ what: `delivery of ${rcpt}`, expected: 'not delivered anywhere', observed: where });
      } else {
        for (const sel of selectors) {
          if (!got.some((d) => hostMatches(sel, hostById.get(d.host), rcpt))) {
            failures.push({ what: `delivery of ${rcpt}`, expected: `delivered to ${sel}`, observed: where });
          }
        }
      }
    }
    if (rx.from !== undefined && got.length && !got.some((d) => d.from === rx.from)) {
      failures.push({
        what: `envelope sender of the copy for ${rcpt}`,
        expected: `<${rx.from}>`,
        observed: got.map((d) => `<${d.from}>`).join(', '),
      });
    }
  }

  if (ex.deliveries !== undefined && copies.length !== ex.deliveries) {
    failures.push({ what: 'number of delivered copies', expected: String(ex.deliveries), observed: `${copies.length}: ${where}` });
  }

  if (ex.bareNewlines === false) {
    for (const d of copies) {
      const text = d.data.toString('latin1');
      const at = text.search(/(^|[^\r])\n|\r(?!\n)/);
      if (at >= 0) {
        const around = JSON.stringify(text.slice(Math.max(0, at - 20), at + 20));
        failures.push({
          what: `line ends of the copy at ${d.host}`,
          expected: 'CRLF only (bare LF/CR normalised or refused)',
          observed: `a bare ${text[at + 1] === '\n' || text[at] === '\n' ? 'LF' : 'CR'} near byte ${at}: ${around}`,
        });
        break;
      }
    }
  }

  if (ex.bounce !== undefined) {
    if (ex.bounce === 'none') {
      if (bounces.length) failures.push({ what: 'bounce', expected: 'no bounce', observed: describeDeliveries(bounces).join('; ') });
    } else {
      const to = ex.bounce === 'to-sender' ? (input.envelope?.from ?? '') : ex.bounce.to;
      const b = bounces.find((d) => d.to.some((t) => sameAddress(t, to)));
      if (!b) failures.push({ what: 'bounce', expected: `a bounce (null sender) to <${to}>`, observed: where });
      else if (!headerValues(b.data, 'Content-Type').some((v) => /multipart\/report/i.test(v))) {
        failures.push({
          what: 'bounce format',
          expected: 'Content-Type: multipart/report',
          observed: headerValues(b.data, 'Content-Type').join(', ') || '(no Content-Type)',
        });
      }
    }
  }

  if (ex.backscatter !== undefined && ex.backscatter !== ob.backscatter) {
    failures.push({
      what: 'backscatter',
      expected: ex.backscatter
        ? 'an in-session 5xx to the edge gateway'
        : 'no in-session 5xx to the edge gateway (it would send the sender a non-delivery report)',
      observed: ob.backscatter
        ? `5xx given to the edge: ${[ob.stages.mail, ...Object.values(ob.stages.rcpt), ob.stages.data, ob.stages.message].filter((r) => r?.startsWith('5')).join(' | ')}`
        : 'no 5xx',
    });
  }

  const first = copies[0];
  if (ex.headers || ex.subject !== undefined || ex.attachments) {
    if (!first) failures.push({ what: 'message content', expected: 'a delivered copy to inspect', observed: where });
    else {
      for (const [name, want] of Object.entries(ex.headers ?? {})) {
        const values = headerValues(first.data, name);
        if (want === false) {
          if (values.length) failures.push({ what: `header ${name}`, expected: 'absent', observed: values.join(' | ') });
        } else if (!values.some((v) => matchReply(want, v))) {
          failures.push({ what: `header ${name}`, expected: want, observed: values.length ? values.join(' | ') : '(absent)' });
        }
      }
      if (ex.subject !== undefined) {
        const subject = headerValues(first.data, 'Subject')[0];
        if (!matchReply(ex.subject, subject)) failures.push({ what: 'Subject', expected: ex.subject, observed: subject ?? '(absent)' });
      }
      if (ex.attachments) {
        // mailparser is loaded only by the scenarios that check attachments (≈ 0.1 s of verify's start-up).
        const { simpleParser } = await import('mailparser');
        const parsed = await simpleParser(first.data);
        const names = parsed.attachments.map((a) => a.filename ?? '(unnamed)');
        for (const n of ex.attachments.present ?? []) {
          if (!names.includes(n))
            failures.push({ what: `attachment ${n}`, expected: 'present', observed: names.join(', ') || '(no attachments)' });
        }
        for (const n of ex.attachments.absent ?? []) {
          if (names.includes(n)) failures.push({ what: `attachment ${n}`, expected: 'removed', observed: names.join(', ') });
        }
      }
    }
  }
  return failures;
}
