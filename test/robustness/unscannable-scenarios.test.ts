// The scenarios for objects Anti-Virus cannot scan (scenarios/scan/unscannable-*) through the lab,
// with both actions for scan errors: each applicable scenario passes, none is left out silently.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { runVerify } from '../../src/lab/verify.js';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function verify(scanError: 'delete-attachment' | 'skip') {
  const config = configSchema.parse({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/24'],
      destination: { mode: 'edge-gateway', host: '192.0.2.10', port: 25, mxLookup: false },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25, mxLookup: false } }],
    },
    protection: { spf: false, dmarc: false },
    rules: [{ name: 'Default', antiVirus: { scanError } }],
  });
  const out = await runVerify({ config, filter: ['unscannable'], jobs: 4, stdout: sink(), stderr: sink(), tty: false });
  return Object.fromEntries(out.results.map((r) => [r.id, r.status]));
}

describe('unscannable-object scenarios', () => {
  it('Delete attachment for scan errors: bomb, corrupted, too deep and encrypted archives are removed, marked Error/Encrypted', async () => {
    expect(await verify('delete-attachment')).toEqual({
      'scan/unscannable-corrupted-zip-removed': 'passed',
      'scan/unscannable-deep-zip-not-clean': 'passed',
      'scan/unscannable-encrypted-zip-removed': 'passed',
      'scan/unscannable-zip-bomb-attachment-removed': 'passed',
    });
  });

  it('Skip for scan errors: delivered, but marked Error (never Clean)', async () => {
    expect(await verify('skip')).toEqual({
      'scan/unscannable-encrypted-zip-removed': 'passed',
      'scan/unscannable-skip-delivered-marked-error': 'passed',
    });
  });
});
