// Builds small MIME messages for the scan tests (CRLF, like the relay hands them over).
import { configSchema, type Config, type ConfigInput } from '../../../src/config/schema.js';

export interface Attachment {
  name: string;
  data: Buffer | string;
  type?: string;
  /** base64 (default) or 7bit. */
  encoding?: 'base64' | '7bit';
}

export function buildMessage(opts: {
  from?: string;
  to?: string;
  subject?: string;
  body?: string;
  html?: string;
  attachments?: Attachment[];
  extraHeaders?: string[];
}): Buffer {
  const head = [
    `From: ${opts.from ?? 'alice@sender.example'}`,
    `To: ${opts.to ?? 'bob@corp.example'}`,
    ...(opts.subject !== undefined ? [`Subject: ${opts.subject}`] : []),
    'Message-ID: <test-1@sender.example>',
    'Date: Mon, 23 Nov 2026 10:00:00 +0000',
    'MIME-Version: 1.0',
    ...(opts.extraHeaders ?? []),
  ];
  const body = opts.body ?? 'Hello Bob,\r\nsee you.\r\n';
  if (!opts.attachments?.length && !opts.html) {
    return Buffer.from([...head, 'Content-Type: text/plain; charset=utf-8', '', body].join('\r\n'));
  }
  const b = 'b1_boundary_test';
  const parts: string[] = [];
  parts.push(['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit', '', body].join('\r\n'));
  if (opts.html) parts.push(['Content-Type: text/html; charset=utf-8', '', opts.html].join('\r\n'));
  for (const a of opts.attachments ?? []) {
    const data = Buffer.isBuffer(a.data) ? a.data : Buffer.from(a.data);
    const enc = a.encoding ?? 'base64';
    const content = enc === 'base64' ? data.toString('base64').replace(/.{76}/g, '$&\r\n') : data.toString('latin1');
    parts.push(
      [
        `Content-Type: ${a.type ?? 'application/octet-stream'}; name="${a.name}"`,
        `Content-Disposition: attachment; filename="${a.name}"`,
        `Content-Transfer-Encoding: ${enc}`,
        '',
        content,
      ].join('\r\n'),
    );
  }
  return Buffer.from(
    [
      ...head,
      `Content-Type: multipart/mixed; boundary="${b}"`,
      '',
      'This is a multi-part message.',
      ...parts.map((p) => `--${b}\r\n${p}`),
      `--${b}--`,
      '',
    ].join('\r\n'),
  );
}

export function config(input: Partial<ConfigInput> = {}): Config {
  return configSchema.parse({ version: 1, integration: 'edge', mta: { domains: [{ name: 'corp.example' }] }, ...input });
}

export const client = (address = '203.0.113.7', helo = 'mail.sender.example') => ({
  address,
  name: 'unknown',
  helo,
  protocol: 'ESMTP',
});

/** The message with the scanner's X-KSMG-* header lines taken out again (for byte comparisons). */
export function withoutXHeaders(data: Buffer): Buffer {
  return Buffer.from(data.toString('latin1').replace(/^X-KSMG-[^\r\n]*\r?\n/gm, ''), 'latin1');
}
