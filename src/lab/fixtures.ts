// Test content the scanner recognises, and the MIME message a scenario's `message:` becomes.
// The samples come from scan's src/scan/samples.ts.
import { SAMPLE_FIXTURES } from '../scan/samples.js';

export { EICAR, GTUBE, PHISHING_TEST_URL } from '../scan/samples.js';

export interface Fixture {
  /** Bytes of the attachment, or text added to the body. */
  content: Buffer;
  contentType: string;
  /** Name used when the fixture is an attachment without one. */
  defaultName: string;
}

/** The scanner's own samples (src/scan/samples.ts), so scenarios send exactly what it detects, plus plain text. */
export const FIXTURES: Record<string, Fixture> = {
  ...Object.fromEntries(
    Object.entries(SAMPLE_FIXTURES).map(([k, f]) => [k, { content: f.content, contentType: f.type, defaultName: f.name }]),
  ),
  text: { content: Buffer.from('A harmless text attachment.\r\n'), contentType: 'text/plain', defaultName: 'notes.txt' },
};

export function fixtureNames(): string[] {
  return Object.keys(FIXTURES);
}

export interface MessageSpec {
  from: string;
  to: string[];
  subject?: string;
  body?: string;
  fixture?: string;
  headers?: Record<string, string>;
  attachments?: Array<{ name: string; fixture?: string; content?: string; contentType?: string }>;
  padTo?: number;
  raw?: string;
  /** Header that lets the lab find this scenario's copies among everything the sinks received. */
  tag: { name: string; value: string };
}

const CRLF = '\r\n';

function toCrlf(s: string): string {
  return s.replace(/\r?\n/g, CRLF);
}

function base64Lines(b: Buffer): string {
  return (b.toString('base64').match(/.{1,76}/g) ?? []).join(CRLF);
}

/** Builds the message bytes (CRLF line ends, not yet dot-stuffed). Throws on an unknown fixture. */
export function buildMessage(spec: MessageSpec): Buffer {
  const tagLine = `${spec.tag.name}: ${spec.tag.value}`;
  if (spec.raw !== undefined) {
    const raw = toCrlf(spec.raw);
    return Buffer.from(`${tagLine}${CRLF}${raw.endsWith(CRLF) ? raw : raw + CRLF}`, 'latin1');
  }
  const fixture = (name: string): Fixture => {
    const f = FIXTURES[name];
    if (!f) throw new Error(`unknown fixture "${name}" (known: ${fixtureNames().join(', ')})`);
    return f;
  };
  const headers: string[] = [
    `From: <${spec.from || 'mailer-daemon@lab.example'}>`,
    `To: ${spec.to.map((t) => `<${t}>`).join(', ')}`,
    `Subject: ${spec.subject ?? 'Lab test message'}`,
    'Date: Thu, 01 Jan 2026 00:00:00 +0000',
    `Message-ID: <${spec.tag.value}@lab.example>`,
    tagLine,
    'MIME-Version: 1.0',
  ];
  for (const [k, v] of Object.entries(spec.headers ?? {})) headers.push(`${k}: ${v}`);
  let text = toCrlf(spec.body ?? 'This is a lab test message.');
  if (!text.endsWith(CRLF)) text += CRLF;
  if (spec.fixture) text += fixture(spec.fixture).content.toString('latin1') + CRLF;

  const render = (padding: string): string => {
    const body = text + padding;
    if (!spec.attachments?.length) {
      return [...headers, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body].join(CRLF);
    }
    const boundary = `----=_lab_${spec.tag.value}`;
    const parts = [`--${boundary}`, 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', '', body];
    for (const a of spec.attachments) {
      const f = a.fixture ? fixture(a.fixture) : null;
      const content = f ? f.content : Buffer.from(a.content ?? '', 'utf8');
      const type = a.contentType ?? f?.contentType ?? 'application/octet-stream';
      parts.push(
        `--${boundary}`,
        `Content-Type: ${type}; name="${a.name}"`,
        `Content-Disposition: attachment; filename="${a.name}"`,
        'Content-Transfer-Encoding: base64',
        '',
        base64Lines(content),
      );
    }
    parts.push(`--${boundary}--`, '');
    return [...headers, `Content-Type: multipart/mixed; boundary="${boundary}"`, '', parts.join(CRLF)].join(CRLF);
  };

  const out = render('');
  if (!spec.padTo || spec.padTo <= out.length) return Buffer.from(out, 'utf8');
  // Lines of 76 characters + CRLF, the last one cut to land exactly on the size.
  let missing = spec.padTo - out.length;
  const line = 'x'.repeat(76) + CRLF;
  const full = Math.floor(missing / line.length);
  missing -= full * line.length;
  const rest = missing >= 3 ? 'x'.repeat(missing - 2) + CRLF : '';
  // The padding (megabytes) is filled into the bytes directly instead of going through strings:
  // the message is rendered around a marker and the padding put where the marker is.
  const marker = '\u0000lab-padding\u0000';
  const framed = render(marker);
  const at = framed.indexOf(marker);
  if (at < 0 || framed.indexOf(marker, at + 1) >= 0) return Buffer.from(render(line.repeat(full) + rest), 'utf8');
  // One buffer of the final size, written in place: no padding buffer copied into a second one.
  const head = Buffer.from(framed.slice(0, at), 'utf8');
  const tail = Buffer.from(framed.slice(at + marker.length), 'utf8');
  const padBytes = full * line.length + rest.length;
  const outBuf = Buffer.allocUnsafe(head.length + padBytes + tail.length);
  head.copy(outBuf, 0);
  if (full) outBuf.fill(line, head.length, head.length + full * line.length, 'latin1');
  outBuf.write(rest, head.length + full * line.length, 'latin1');
  tail.copy(outBuf, head.length + padBytes);
  return outBuf;
}

/** SMTP transparency: a line starting with "." gets another one (RFC 5321 §4.5.2). */
export function dotStuff(data: Buffer): Buffer {
  // Most messages have no line starting with ".": they are sent as they are, without a copy.
  const DOT = 0x2e;
  let at = data.indexOf('\r\n.');
  if (at < 0 && data[0] !== DOT) return data;
  const parts: Buffer[] = [];
  let from = 0;
  if (data[0] === DOT) parts.push(Buffer.from('.'));
  while (at >= 0) {
    parts.push(data.subarray(from, at + 3), Buffer.from('.'));
    from = at + 3;
    at = data.indexOf('\r\n.', from);
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
}
