// header_size_limit against the oracle: a private Postfix 3.7 (Debian's package) receives the same
// over-long headers; what its cleanup stored (postcat -h of the queue file; nothing delivered) must
// equal what cleanupHeaders() keeps. Skipped where Postfix is not installed or we are not root.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupHeaders } from '../../src/policy/header-limit.js';
import { postfixAvailability, startPostfix, type PostfixInstance } from '../differential/postfix-instance.js';
import { connectRaw } from '../helpers/raw-smtp.js';
import { makeConfig } from '../helpers/relay-fixture.js';

const run = promisify(execFile);
const avail = postfixAvailability();

/** The lines of header `name` (first line and continuations) in a header block. */
function headerLines(block: string, name: string): string[] {
  const lines = block.split(/\r?\n/);
  const start = lines.findIndex((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  if (start === -1) return [];
  const out = [lines[start]!];
  for (let i = start + 1; i < lines.length && /^[ \t]/.test(lines[i]!); i++) out.push(lines[i]!);
  return out;
}

const CASES: Array<[string, string]> = [
  // 72,000 folded lines (5 MB): collected up to the limit, nice cut at a line boundary.
  ['folded 5 MB', `X-Folded: start\r\n${` ${'y'.repeat(69)}\r\n`.repeat(72000)}`],
  // Lines whose boundary falls below 90% of the limit before it: the unkind cut inside a line.
  ['unkind cut', `X-Folded: start\r\n${` ${'z'.repeat(900)}\r\n`.repeat(150)}`],
];

describe.skipIf(!avail.ok)('header_size_limit, as Postfix cleanup stores it', () => {
  let pf: PostfixInstance;
  beforeAll(async () => {
    pf = await startPostfix(makeConfig(), { overrides: { smtpd_error_sleep_time: '0s' } });
  }, 60_000);
  afterAll(async () => pf?.stop());

  it.each(CASES)(
    '%s',
    async (_name, header) => {
      const message = `From: alice@sender.example\r\nTo: bob@corp.example\r\nSubject: long header\r\n${header}Message-ID: <h@sender.example>\r\n\r\nbody\r\n`;
      const c = await connectRaw({ port: pf.port, timeoutMs: 30_000 });
      await c.read();
      await c.cmd('EHLO client.example');
      expect(await c.cmd('MAIL FROM:<alice@sender.example>')).toMatch(/^250/);
      expect(await c.cmd('RCPT TO:<bob@corp.example>')).toMatch(/^250/);
      expect(await c.cmd('DATA')).toMatch(/^354/);
      const reply = await c.cmd(`${message}.`);
      await c.quit();
      const id = reply.match(/queued as (\S+)/)?.[1];
      expect(id, reply).toBeDefined();
      const { stdout } = await run('/usr/sbin/postcat', ['-c', pf.configDir, '-h', '-q', id!], { maxBuffer: 64 * 1024 * 1024 });
      const postfix = headerLines(stdout, 'X-Folded');
      const ours = headerLines(cleanupHeaders(Buffer.from(message, 'latin1')).toString('latin1'), 'X-Folded');
      expect(ours.length).toBe(postfix.length);
      expect(ours).toEqual(postfix);
    },
    60_000,
  );
});
