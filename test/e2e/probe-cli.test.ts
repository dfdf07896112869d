// The built `ksmg-setup probe` against the lab's relay (started in this process), with a PTR
// answer from a DNS server on loopback: exit codes, JSON (verify's schema plus the probe block),
// JUnit, and the usage errors.
import { execFile } from 'node:child_process';
import type dgram from 'node:dgram';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { Lab } from '../../src/lab/lab.js';
import { BIN, ROOT, runBuiltCli } from './helpers.js';

const { Packet } = dns2;

function runAsync(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 30_000 },
      (error, stdout, stderr) => {
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
      },
    );
  });
}

/** Answers PTR 127.0.0.1 → mx.corp.example, nothing else. */
async function ptrServer(): Promise<{ port: number; close(): Promise<void> }> {
  const udp = dns2.createUDPServer(((request: InstanceType<typeof Packet>, send: (r: InstanceType<typeof Packet>) => Promise<Buffer>) => {
    const response = Packet.createResponseFromRequest(request);
    const q = request.questions[0];
    if (q && q.type === Packet.TYPE.PTR && q.name.toLowerCase() === '1.0.0.127.in-addr.arpa') {
      response.answers.push({ name: q.name, type: Packet.TYPE.PTR, class: Packet.CLASS.IN, ttl: 60, domain: 'mx.corp.example' } as never);
    } else response.header.rcode = 3;
    void send(response).catch(() => undefined);
  }) as never) as unknown as dgram.Socket;
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', () => resolve()));
  return { port: udp.address().port, close: () => new Promise((resolve) => udp.close(() => resolve())) };
}

describe('ksmg-setup probe (built CLI)', () => {
  let lab: Lab;
  let dns: Awaited<ReturnType<typeof ptrServer>>;
  beforeAll(async () => {
    lab = await Lab.start({ config: (await loadConfig('examples/edge.yaml')).config });
    dns = await ptrServer();
  });
  afterAll(async () => {
    await lab?.close();
    await dns?.close();
  });

  it('exit 0 and JSON with a verdict per scenario, the live observations and the PTR', async () => {
    const r = await runAsync([
      'probe',
      '--target',
      `127.0.0.1:${lab.relay.port}`,
      '--as',
      'untrusted',
      '-c',
      'examples/edge.yaml',
      '--source',
      '127.0.0.2',
      '--rate',
      '200/s',
      '--dns',
      `127.0.0.1:${dns.port}`,
      '--reporter',
      'json',
      '--filter',
      'relay',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json).toMatchObject({ schemaVersion: 1, tool: 'ksmg-setup probe', summary: { failed: 0 } });
    expect(json.scenarios.length).toBeGreaterThan(5);
    expect(json.scenarios.every((s: { verdict: string }) => s.verdict === 'matched')).toBe(true);
    expect(json.probe).toMatchObject({
      as: 'untrusted',
      sendTo: null,
      messagesSent: 0,
      openRelays: [],
      // The lab's gateway offers STARTTLS with its self-signed certificate (mta.tls default: may).
      live: { starttls: true, tls: { selfSigned: true }, ptr: ['mx.corp.example'], ptrMatchesGreeting: true },
    });
    expect(json.notApplicable.length).toBeGreaterThan(0);
    expect(json.notApplicable.every((n: { scope: string }) => ['config', 'from-here'].includes(n.scope))).toBe(true);
  }, 30_000);

  it('pretty text on stdout, JUnit to a file', async () => {
    const r = await runAsync([
      'probe',
      '--target',
      `127.0.0.1:${lab.relay.port}`,
      '--as',
      'untrusted',
      '-c',
      'examples/edge.yaml',
      '--source',
      '127.0.0.2',
      '--rate',
      '200',
      '--no-ptr',
      '--filter',
      'protocol/greeting',
    ]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/✓ matched the config {2}protocol\/greeting/);
    expect(r.stdout).toMatch(/nothing was sent \(RSET before every DATA\)/);
  }, 30_000);

  it('exit 2 when the target does not answer, or for bad options', async () => {
    const dead = await runAsync(['probe', '--target', '127.0.0.1:1', '--as', 'untrusted', '-c', 'examples/edge.yaml', '--no-ptr']);
    expect(dead.code).toBe(2);
    expect(dead.stderr).toMatch(/does not answer/);
    expect(runBuiltCli(['probe', '--target', 'a b', '--as', 'untrusted', '-c', 'examples/edge.yaml']).code).toBe(2);
    expect(runBuiltCli(['probe', '--target', 'x', '--as', 'friend']).code).toBe(2);
    const badRate = runBuiltCli(['probe', '--target', 'x', '--as', 'edge', '--rate', 'fast', '-c', 'examples/edge.yaml']);
    expect(badRate.code).toBe(2);
    expect(badRate.stderr).toMatch(/--rate "fast"/);
    expect(runBuiltCli(['probe', '--target', 'x', '--as', 'edge', '--send-to', 'not a mailbox']).code).toBe(2);
  }, 60_000);
});
