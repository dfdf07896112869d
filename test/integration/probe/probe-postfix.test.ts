// `probe` against real Postfix 3.7 (the differential suite's private instance, started from
// `export postfix` of the same ksmg.yaml) as the stand-in for a live KSMG: the scenarios' reply
// expectations must hold there too, a Postfix configured differently must show the difference,
// and nothing is ever completed as a message (the instance's queue stays empty).
// Skipped with one line when Postfix is not installed (CI=true makes that a failure).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { loadConfig } from '../../../src/config/load.js';
import { SmtpSink } from '../../../src/lab/sink.js';
import { buildTopology } from '../../../src/lab/topology.js';
import { runProbe, type ProbeOutcome } from '../../../src/probe/probe.js';
import { postfixAvailability, startPostfix, type PostfixInstance } from '../../differential/postfix-instance.js';

const avail = postfixAvailability();
if (!avail.ok && process.env.CI === 'true') throw new Error(`CI=true: the Postfix probe test must run, but ${avail.reason}`);
if (!avail.ok) console.log(`probe-postfix skipped: ${avail.reason}`);

const PROBE_ADDRESS = '127.0.0.2';

const quiet = { write: () => true } as unknown as NodeJS.WritableStream;

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

describe.skipIf(!avail.ok)('probe of real Postfix from export postfix (behind-edge-no-verify)', () => {
  let config: Config;
  let next: SmtpSink;
  let postfix: PostfixInstance;
  let differing: PostfixInstance;
  beforeAll(async () => {
    config = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
    // The next hop for everything Postfix would deliver: the lab's users exist, nobody else.
    next = new SmtpSink({ id: 'next-hop', hostname: 'next.lab.example' });
    next.setUsers([...buildTopology(config).users.values()].flat());
    await next.start();
    const common = { nextHop: `127.0.0.1:${next.port}`, overrides: { smtpd_error_sleep_time: '0s' } };
    // The differing Postfix comes from a deliberately different ksmg.yaml (VRFY on, lax envelopes).
    const different = structuredClone(config);
    different.mta.advanced.disableVrfy = false;
    different.mta.advanced.strictRfc821Envelopes = false;
    [postfix, differing] = await Promise.all([startPostfix(config, common), startPostfix(different, common)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([postfix?.stop(), differing?.stop()]);
    await next?.close();
  });

  const probe = (pf: PostfixInstance, as: 'untrusted' | 'edge'): Promise<ProbeOutcome> =>
    runProbe({
      config,
      target: { host: '127.0.0.1', port: pf.port },
      as,
      source: PROBE_ADDRESS,
      rate: 1000,
      dns: null,
      stdout: quiet,
      stderr: quiet,
    });

  it.each(['untrusted', 'edge'] as const)(
    '--as %s: every applicable scenario matched the config',
    async (as) => {
      const o = await probe(postfix, as);
      expect(o.problems).toEqual([]);
      expect(o.results.filter((r) => r.verdict === 'differs').map((r) => `${r.id}: ${JSON.stringify(r.failures)}`)).toEqual([]);
      expect(o.exitCode).toBe(0);
      expect(o.sent.flat().filter((l) => /^(DATA|BDAT)\b/i.test(l))).toEqual([]);
      // Nothing was accepted as a message: the queue holds no message file.
      const queued = (
        await Promise.all(['incoming', 'active', 'deferred', 'maildrop'].map((d) => filesUnder(path.join(postfix.queueDir, d))))
      ).flat();
      expect(queued).toEqual([]);
      expect(next.transactions).toEqual([]);
    },
    30_000,
  );

  // (Not "trusts this host": a trusted client's foreign recipients make Postfix's
  // reject_unknown_recipient_domain ask real DNS, which a test must never do.)
  it('a Postfix with VRFY on and lax envelopes: exactly those differences, and still no DATA', async () => {
    const o = await probe(differing, 'untrusted');
    expect(o.exitCode).toBe(1);
    const ids = o.results.filter((r) => r.verdict === 'differs').map((r) => r.id);
    expect(ids).toEqual([
      'live/ehlo-keywords',
      'protocol/strict-rfc821-recipient',
      'protocol/strict-rfc821-sender',
      'protocol/vrfy-disabled',
    ]);
    expect(o.openRelays).toEqual([]);
    expect(o.results.find((r) => r.id === 'protocol/greeting')?.verdict).toBe('matched');
    expect(o.sent.flat().filter((l) => /^(DATA|BDAT)\b/i.test(l))).toEqual([]);
    expect(next.transactions).toEqual([]);
  }, 30_000);
});
