// The outgoing-TLS scenarios (scenarios/outbound-tls) in the lab, under each level for the local
// domain's internal server: may delivers to a TLS-less server; encrypt defers it and bounces after
// the queue lifetime; verify delivers to the lab's trusted certificate and defers for an untrusted one.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { configSchema } from '../../../src/config/schema.js';
import { runVerify } from '../../../src/lab/verify.js';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function verifyAt(level: string) {
  const raw = YAML.parse(readFileSync('test/fixtures/lab/behind-edge-no-verify.yaml', 'utf8'));
  raw.mta.domains[0].tls = level;
  const out = await runVerify({
    config: configSchema.parse(raw),
    filter: ['outbound-tls'],
    jobs: 1,
    stdout: sink(),
    stderr: sink(),
    tty: false,
  });
  const by = (status: string) =>
    out.results
      .filter((r) => r.status === status)
      .map((r) => r.id.replace(/^outbound-tls\//, ''))
      .sort();
  return { exitCode: out.exitCode, passed: by('passed'), failed: out.results.filter((r) => r.status === 'failed') };
}

describe('outgoing TLS scenarios in the lab', () => {
  it.each([
    ['may', ['may-delivers-to-tls-less-internal-server']],
    ['encrypt', ['encrypt-bounces-after-lifetime-for-tls-less-internal-server', 'encrypt-defers-for-tls-less-internal-server']],
    ['verify', ['verify-defers-for-untrusted-certificate', 'verify-delivers-to-trusted-certificate']],
  ])('%s: the scenarios for that level pass', async (level, expected) => {
    const r = await verifyAt(level);
    expect(r.failed.map((f) => `${f.id}: ${JSON.stringify(f.failures)}`)).toEqual([]);
    expect(r.passed).toEqual(expected);
    expect(r.exitCode).toBe(0);
  });
});
