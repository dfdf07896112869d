// The key test of the lab: a good config passes every scenario that applies, and breaking one
// thing at a time makes exactly the scenarios that protect that thing fail, with a clear message.
// A harness that passes everything is worthless.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { runVerify } from '../../../src/lab/verify.js';
import type { RunResult } from '../../../src/lab/runner.js';

const USER_SCENARIOS = 'test/fixtures/lab/user-scenarios';

function load(name: string): Record<string, any> {
  return YAML.parse(readFileSync(`test/fixtures/lab/${name}.yaml`, 'utf8'));
}

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function verify(
  raw: Record<string, any>,
  scenarios: string[] = [],
): Promise<{ exitCode: number; failed: RunResult[]; passed: number }> {
  const config: Config = configSchema.parse(raw);
  const out = await runVerify({ config, scenarios, jobs: 8, stdout: sink(), stderr: sink(), tty: false });
  return {
    exitCode: out.exitCode,
    failed: out.results.filter((r) => r.status === 'failed'),
    passed: out.results.filter((r) => r.status === 'passed').length,
  };
}

const ids = (failed: RunResult[]) => failed.map((r) => r.id).sort();
const text = (r: RunResult | undefined) => JSON.stringify(r?.failures ?? []);

describe('verify: good configs pass', () => {
  for (const name of ['behind-edge-no-verify', 'behind-edge-verify', 'edge']) {
    it(`${name}: every applicable scenario passes`, async () => {
      const r = await verify(load(name), name === 'behind-edge-no-verify' ? [USER_SCENARIOS] : []);
      expect(ids(r.failed), r.failed.map((f) => `${f.id}: ${text(f)}`).join('\n')).toEqual([]);
      expect(r.exitCode).toBe(0);
      expect(r.passed).toBeGreaterThanOrEqual(40);
    });
  }
});

describe('verify: breaking one thing fails exactly the scenarios that protect it', () => {
  it('an internal server outside the trusted networks cannot send out', async () => {
    const c = load('behind-edge-no-verify');
    c.mta.trustedNetworks = ['10.0.0.25', '2001:db8:10::/48'];
    const r = await verify(c);
    expect(ids(r.failed)).toEqual(['outbound/internal-server-sends-out-via-edge[10.0.0.26]']);
    expect(r.exitCode).toBe(1);
    const f = r.failed[0]!;
    expect(f.failures).toContainEqual(
      expect.objectContaining({
        what: 'reply to RCPT TO:<bob@elsewhere.example.net>',
        expected: '250 2.1.5 Ok',
        observed: '554 5.7.1 <bob@elsewhere.example.net>: Relay access denied',
      }),
    );
    expect(f.why).toMatch(/trusted networks/);
    expect(f.transcript).toContain('C: XCLIENT ADDR=10.0.0.26 NAME=[UNAVAILABLE]');
  });

  it('a user scenario for a domain the config no longer lists fails as relaying', async () => {
    const c = load('behind-edge-no-verify');
    c.mta.domains = c.mta.domains.filter((d: { name: string }) => d.name !== 'sales.corp.example');
    const r = await verify(c, [USER_SCENARIOS]);
    expect(ids(r.failed)).toEqual(['user/sales-inbound']);
    const f = r.failed[0]!;
    expect(f.failures[0]).toMatchObject({
      what: 'reply to RCPT TO:<alice@sales.corp.example>',
      observed: '554 5.7.1 <alice@sales.corp.example>: Relay access denied',
    });
    expect(f.failures[1]).toMatchObject({
      what: 'delivery of alice@sales.corp.example',
      expected: 'delivered to 10.0.0.26',
      observed: '(nothing reached any simulated host)',
    });
  });

  it('reject-unlisted without postmaster in the valid-recipient list loses postmaster@', async () => {
    const c = load('edge');
    c.mta.advanced.validRecipients = ['alice@corp.example', 'bob@corp.example'];
    const r = await verify(c);
    expect(ids(r.failed)).toEqual(['inbound/postmaster-reachable[corp.example]']);
    expect(text(r.failed[0])).toContain(
      '550 5.1.1 <postmaster@corp.example>: Recipient address rejected: User unknown in relay recipient table',
    );
    expect(r.failed[0]!.why).toMatch(/RFC 5321/);
  });

  it("a size limit lowered below a scenario's message refuses it", async () => {
    const c = load('behind-edge-no-verify');
    c.mta.messageSizeLimit = 1048576;
    const r = await verify(c);
    expect(ids(r.failed)).toEqual(['inbound/large-message-delivered']);
    expect(r.failed[0]!.failures[0]).toMatchObject({
      what: 'reply after the end of data',
      expected: '250 2.0.0 Ok: queued as',
      observed: '552 5.3.4 Error: message file too big',
    });
  });

  it('switching recipient verification on where the scheme says "Do not reject" fails the no-verify scenario', async () => {
    const c = load('behind-edge-no-verify');
    c.mta.advanced.recipientVerification = 'reject-unverified';
    const r = await verify(c);
    expect(ids(r.failed)).toEqual(expect.arrayContaining(['recipients/unknown-user-accepted-no-verify']));
    const f = r.failed.find((x) => x.id === 'recipients/unknown-user-accepted-no-verify');
    expect(text(f)).toMatch(/450 4\.1\.1 <no-such-user-lab@corp\.example>: Recipient address rejected: unverified address/);
    // Backscatter is named: the 4xx/5xx goes to the edge gateway.
    expect(f!.why).toMatch(/Do not reject/);
  });

  it('switching recipient verification off where the scheme verifies fails the unknown-user scenario', async () => {
    const c = load('behind-edge-verify');
    c.mta.advanced.recipientVerification = 'none';
    const r = await verify(c);
    expect(ids(r.failed)).toEqual(['recipients/edge-probe-unknown-user', 'recipients/unknown-user-rejected']);
    expect(r.failed[1]!.failures[0]).toMatchObject({ what: 'reply to RCPT TO:<no-such-user-lab@corp.example>', observed: '250 2.1.5 Ok' });
  });
});
