// The scan scenario pack (scenarios/scan/) through the lab: configs set up as the seed says pass,
// and KSMG's defaults kept behind an edge fail exactly where Reject turns into backscatter and
// SPF/DMARC fail legitimate mail relayed by the edge.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { configSchema, type ConfigInput } from '../../../src/config/schema.js';
import { runVerify } from '../../../src/lab/verify.js';

const sink = () => new Writable({ write: (_c, _e, cb) => cb() });

async function verify(input: Omit<ConfigInput, 'version'>, filter = ['content']) {
  const config = configSchema.parse({ version: 1, ...input });
  const out = await runVerify({ config, filter, jobs: 8, stdout: sink(), stderr: sink(), tty: false });
  const by = (s: string) =>
    out.results
      .filter((r) => r.status === s)
      .map((r) => r.id)
      .sort();
  return { exitCode: out.exitCode, passed: by('passed'), failed: by('failed'), results: out.results };
}

const behindEdge = (extra: Partial<ConfigInput> = {}) => ({
  integration: 'behind-edge-no-verify' as const,
  mta: {
    hostname: 'ksmg.corp.example',
    trustedNetworks: ['10.0.0.0/24'],
    destination: { mode: 'edge-gateway' as const, host: '192.0.2.10', port: 25, mxLookup: false },
    domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25, mxLookup: false } }],
  },
  ...extra,
});

const edge = (rules: ConfigInput['rules']) => ({
  integration: 'edge' as const,
  mta: {
    hostname: 'mx.corp.example',
    trustedNetworks: ['10.0.0.0/24'],
    destination: { mode: 'dns' as const },
    domains: [{ name: 'corp.example', route: { host: '10.0.0.25', port: 25, mxLookup: false } }],
  },
  rules,
});

describe('scan scenarios in the lab', () => {
  it('behind an edge as the seed says (SPF/DMARC off, Reject → Delete): all pass', async () => {
    const r = await verify(
      behindEdge({
        protection: { spf: false, dmarc: false },
        rules: [
          {
            name: 'Default',
            antiSpam: { spam: 'delete-message' },
            antiPhishing: { phishing: 'delete-message' },
            contentFiltering: { sizeExceeded: 'delete-message', bannedTypes: ['executables'], banned: 'delete-attachment' },
            mailAuthentication: { enabled: true, spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' },
          },
        ],
      }),
    );
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(
      expect.arrayContaining([
        'scan/banned-type-via-edge-no-backscatter',
        'scan/dkim-signed-delivered-intact',
        'scan/spam-deleted-without-ndr',
        'scan/virus-deleted-without-ndr',
        'content/phishing-via-edge-deleted',
        'content/sender-auth-behind-edge',
      ]),
    );
  });

  it('behind an edge with KSMG defaults kept: backscatter and failed SPF show up', async () => {
    const r = await verify(
      behindEdge({
        rules: [
          { name: 'Default', mailAuthentication: { enabled: true }, contentFiltering: { bannedTypes: ['executables'], banned: 'reject' } },
        ],
      }),
    );
    // Phishing and the banned type: Reject → 5xx to the edge. The rest: the edge is the SMTP
    // client, so SPF fails for every outside sender and the rule's SPF action (Reject) fires.
    expect(r.failed).toEqual([
      'content/clean-mail-x-headers',
      'content/phishing-via-edge-deleted',
      'content/sender-auth-behind-edge',
      'content/spam-via-edge-no-backscatter',
      'scan/banned-type-via-edge-no-backscatter',
      'scan/unscannable-corrupted-zip-removed',
      'scan/unscannable-deep-zip-not-clean',
      'scan/unscannable-encrypted-zip-removed',
      'scan/unscannable-zip-bomb-attachment-removed',
    ]);
    const spf = r.results.find((x) => x.id === 'content/sender-auth-behind-edge')!;
    expect(JSON.stringify(spf.failures)).toMatch(/550 5\.7\.1 Message rejected by Kaspersky Secure Mail Gateway: SPF check failed/);
  });

  it('at the edge with sender authentication on: authorised client passes, forged sender rejected', async () => {
    const r = await verify(
      edge([{ name: 'Default', mailAuthentication: { enabled: true }, contentFiltering: { bannedNames: ['*.exe'] } }]),
    );
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(
      expect.arrayContaining([
        'scan/edge-spf-pass-authorised-client',
        'scan/edge-spf-forged-sender-rejected',
        'scan/edge-phishing-rejected-in-session',
        'scan/banned-name-attachment-removed',
        'scan/dkim-subject-tag-breaks-signature',
      ]),
    );
  });

  it('at the edge with rule-level authentication off: the forged sender only raises the rating; Delete attachment removes the virus', async () => {
    const r = await verify(edge([{ name: 'Default', antiVirus: { ifDisinfectionFails: 'delete-attachment' } }]));
    expect(r.failed).toEqual([]);
    expect(r.passed).toEqual(expect.arrayContaining(['scan/edge-spf-forged-sender-rated', 'scan/virus-attachment-removed']));
  });
});
