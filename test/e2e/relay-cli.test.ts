// The built CLI: `ksmg-setup relay` as a child process on a free port (test/global-setup.ts
// builds dist/ when it is stale).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import dgram from 'node:dgram';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRaw } from '../helpers/raw-smtp.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(ROOT, 'bin/ksmg-setup.js');

const CONFIG = `version: 1
integration: behind-edge-no-verify
mta:
  hostname: ksmg.corp.example
  trustedNetworks: [10.0.0.0/8]
  domains:
    - name: corp.example
`;

// Tests talk to loopback only: the relay's DNS (recipient domains, MX, SPF) goes to a loopback
// port where nothing answers, never to the system resolver.
async function closedUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
let noDns: string[] = [];

interface Run {
  child: ChildProcess;
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(args: string[], cwd: string): Run {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, stderr: () => err, exit };
}

async function waitFor(get: () => string, re: RegExp, ms = 10_000): Promise<RegExpMatchArray> {
  const end = Date.now() + ms;
  for (;;) {
    const m = get().match(re);
    if (m) return m;
    if (Date.now() > end) throw new Error(`timed out waiting for ${re} in:\n${get()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('ksmg-setup relay (built CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    noDns = ['--dns', `127.0.0.1:${await closedUdpPort()}`];
    dir = await mkdtemp(path.join(tmpdir(), 'ksmg-relay-e2e-'));
    await writeFile(path.join(dir, 'ksmg.yaml'), CONFIG);
    await writeFile(path.join(dir, 'bad.yaml'), 'version: 1\nintegration: nonsense\nmta:\n  messageSizeLimit: -1\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts, prints a start line, relays, logs like Postfix, and stops on SIGTERM with exit 0', async () => {
    const r = run(['relay', '--listen', '127.0.0.1:0', '--xclient-from', '127.0.0.1', '--spool', 'spool', ...noDns], dir);
    const m = await waitFor(
      r.stderr,
      /listening on 127\.0\.0\.1:(\d+) as ksmg\.corp\.example \(config .*ksmg\.yaml, spool .*spool, XCLIENT from 127\.0\.0\.1, DNS 127\.0\.0\.1:\d+\)/,
    );
    const c = await connectRaw({ port: Number(m[1]) });
    expect(await c.read()).toBe('220 ksmg.corp.example ESMTP MTA');
    expect(await c.cmd('XCLIENT ADDR=203.0.113.7')).toBe('220 ksmg.corp.example ESMTP MTA');
    expect(await c.cmd('EHLO mail.sender.example')).toMatch(/^250-ksmg\.corp\.example/);
    expect(await c.cmd('MAIL FROM:<a@sender.example>')).toBe('250 2.1.0 Ok');
    expect(await c.cmd('RCPT TO:<x@elsewhere.example>')).toBe('554 5.7.1 <x@elsewhere.example>: Relay access denied');
    expect(await c.cmd('RCPT TO:<bob@corp.example>')).toBe('250 2.1.5 Ok');
    await c.cmd('DATA');
    expect(await c.cmd('Subject: e2e\r\n\r\nhi\r\n.')).toMatch(/^250 2\.0\.0 Ok: queued as [0-9A-F]{11}$/);
    expect(await c.quit()).toBe('221 2.0.0 Bye');
    await waitFor(r.stderr, /disconnect from unknown\[203\.0\.113\.7\]/);
    expect(r.stderr()).toMatch(/connect from unknown\[127\.0\.0\.1\]/);
    expect(r.stderr()).toMatch(
      /NOQUEUE: reject: RCPT from unknown\[203\.0\.113\.7\]: 554 5\.7\.1 <x@elsewhere\.example>: Relay access denied; from=<a@sender\.example> to=<x@elsewhere\.example> proto=ESMTP helo=<mail\.sender\.example>/,
    );
    expect(r.stderr()).toMatch(/[0-9A-F]{11}: client=unknown\[203\.0\.113\.7\]/);
    expect(r.stderr()).toMatch(/[0-9A-F]{11}: clean: .*mail-from=<a@sender\.example>/); // the content scan ran
    r.child.kill('SIGTERM');
    expect(await r.exit).toBe(0);
    expect(r.stderr()).toMatch(/SIGTERM received/);
  });

  it('--log-format json writes one JSON object per line', async () => {
    const r = run(['relay', '--listen', '127.0.0.1:0', '--spool', 'spool2', '--log-format', 'json', ...noDns], dir);
    const m = await waitFor(r.stderr, /"port":(\d+)/);
    const c = await connectRaw({ port: Number(m[1]) });
    await c.read();
    await c.quit();
    await waitFor(r.stderr, /disconnect from/);
    r.child.kill('SIGINT');
    expect(await r.exit).toBe(0);
    const lines = r
      .stderr()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; event?: string });
    expect(lines.some((l) => l.event === 'connect' && /^connect from unknown\[127\.0\.0\.1\]$/.test(l.msg))).toBe(true);
  });

  it('a bad config exits 2 and lists the problems', async () => {
    const r = run(['relay', '--config', 'bad.yaml', '--listen', '127.0.0.1:0'], dir);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/The configuration cannot be used \(\d+ problems\):/);
    expect(r.stderr()).toMatch(/bad\.yaml:2:\d+/);
    expect(r.stderr()).toMatch(/integration/);
    expect(r.stderr()).toMatch(/messageSizeLimit/);
  });

  it('a missing config exits 2', async () => {
    const r = run(['relay', '--config', 'nope.yaml', '--listen', '127.0.0.1:0'], dir);
    expect(await r.exit).toBe(2);
    expect(r.stderr()).toMatch(/does not exist/);
  });

  it('a port in use exits 2 with a clear message', async () => {
    const blocker = net.createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', () => res()));
    const port = (blocker.address() as net.AddressInfo).port;
    try {
      const r = run(['relay', '--listen', `127.0.0.1:${port}`, '--spool', 'spool3'], dir);
      expect(await r.exit).toBe(2);
      expect(r.stderr()).toMatch(new RegExp(`127\\.0\\.0\\.1:${port} is already in use`));
    } finally {
      blocker.close();
    }
  });

  it('bad options exit 2', async () => {
    const runs = [
      ['--listen', 'nonsense'],
      ['--listen', '127.0.0.1:0', '--dns', 'x:y'],
      ['--listen', '127.0.0.1:0', '--xclient-from', '300.1.1.1'],
      ['--listen', '127.0.0.1:0', '--route-map', 'nonsense'],
    ].map((args) => run(['relay', ...args], dir));
    expect(await Promise.all(runs.map((r) => r.exit))).toEqual([2, 2, 2, 2]);
    expect(runs[3]!.stderr()).toMatch(/--route-map/);
  });
});
