// The audit and the lab agree (issue "one truth"), as a property over generated configurations
// (config-arbitrary.ts) and as fixed regression cases (shrunk counterexamples and the cases that
// started it). Both directions: audit clean ⇒ every applicable scenario passes; a scenario fails ⇒
// the audit has an error or warning on a setting that scenario exercises (agreement.ts).
//
// CI: a fixed seed and a bounded count keep this well under a minute. More runs locally:
//   npm run test:property                      (PROPERTY_RUNS=40, a random seed, logged)
//   PROPERTY_SEED=123 PROPERTY_RUNS=100 npx vitest run --project property
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src/config/schema.js';
import { configInput } from './config-arbitrary.js';
import { judge } from './agreement.js';

const SEED = process.env.PROPERTY_SEED === 'random' ? Date.now() % 2 ** 31 : Number(process.env.PROPERTY_SEED ?? 20261201);
const RUNS = Number(process.env.PROPERTY_RUNS ?? 8);

const base = (over: Record<string, unknown> = {}): ConfigInput =>
  ({
    version: 1,
    integration: 'edge',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/24'],
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
      advanced: { queueRunDelay: 300, recipientVerification: 'reject-unverified' },
      ...over,
    },
  }) as ConfigInput;

const behind = (mta: Record<string, unknown>): ConfigInput =>
  ({
    version: 1,
    integration: 'behind-edge-no-verify',
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/24'],
      destination: { mode: 'edge-gateway', host: '192.0.2.10' },
      advanced: { queueRunDelay: 300 },
      ...mta,
    },
    protection: { spf: false, dmarc: false },
    rules: [
      {
        name: 'Default',
        antiPhishing: { phishing: 'delete-message' },
        contentFiltering: { sizeExceeded: 'delete-message' },
        mailAuthentication: { spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' },
      },
    ],
  }) as ConfigInput;

/** [what, config, scenarios to run, what the audit must say (ids of error/warning findings, [] = clean)]. */
const REGRESSIONS: Array<[string, ConfigInput, RegExp, string[]]> = [
  [
    'an IDN local domain is delivered',
    base({ domains: [{ name: 'münchen.example', route: { host: '10.0.0.25' } }] }),
    /^(inbound\/local-user|recipients\/unknown-user-rejected|limits\/size-after)/,
    [],
  ],
  [
    'the always-BCC mailbox need not be declared in lab.users',
    base({ advanced: { queueRunDelay: 300, recipientVerification: 'reject-unverified', alwaysBcc: 'archive@corp.example' } }),
    /^bcc\//,
    [],
  ],
  [
    'an IDN always-BCC address routes like its domain',
    behind({
      domains: [{ name: 'münchen.example', route: { host: '10.0.0.25' } }],
      advanced: { queueRunDelay: 300, alwaysBcc: 'archive@münchen.example' },
    }),
    /^(bcc|queue\/dead-route-bounces)/,
    [],
  ],
  [
    'a smarthost at the edge is not an edge gateway in front',
    base({ destination: { mode: 'edge-gateway', host: 'smtp.isp.example' } }),
    /^(content\/clean-mail|outbound\/)/,
    [],
  ],
  [
    'a route for a non-local domain is not an internal sender',
    base({
      domains: [
        { name: 'partner.example', local: false, route: { host: '10.0.0.40' } },
        { name: 'corp.example', route: { host: '10.0.0.25' } },
      ],
    }),
    /^outbound\//,
    [],
  ],
  [
    'reject-unlisted with only postmaster listed',
    base({ advanced: { queueRunDelay: 300, recipientVerification: 'reject-unlisted', validRecipients: ['postmaster@corp.example'] } }),
    /^(inbound|smuggling|recipients)\//,
    [],
  ],
  [
    'behind a relayhost a local domain without route loops, and the audit says so',
    behind({ domains: [{ name: 'corp.example' }] }),
    /^inbound\/local-user/,
    ['domains.no-route'],
  ],
  [
    'internal servers by name only: the per-server scenarios do not apply',
    behind({ domains: [{ name: 'corp.example', route: { host: 'mail.corp.example' } }] }),
    /^outbound\/internal-server/,
    [],
  ],
  // Shrunk from seed 20261201: the archive mailbox was taken for the ordinary user, whom reject-unlisted refused.
  [
    'reject-unlisted with an unlisted always-BCC archive',
    base({
      domains: [{ name: 'sales.corp.example', route: { host: '10.0.0.25' } }],
      advanced: {
        queueRunDelay: 300,
        recipientVerification: 'reject-unlisted',
        validRecipients: ['postmaster@sales.corp.example'],
        alwaysBcc: 'archive@sales.corp.example',
      },
    }),
    /^(inbound\/local-user|bcc|recipients)\//,
    [],
  ],
  [
    "phishing set to Skip behind the edge is the admin's choice",
    {
      ...behind({ domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] }),
      rules: [
        {
          name: 'Default',
          antiPhishing: { phishing: 'skip' },
          contentFiltering: { sizeExceeded: 'delete-message' },
          mailAuthentication: { spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' },
        },
      ],
    } as ConfigInput,
    /^content\/phishing/,
    [],
  ],
  [
    'a 100-byte size limit fails the lab and the audit says why',
    base({ messageSizeLimit: 100 }),
    /^(inbound\/local-user|bcc)/,
    ['limits.size-tiny'],
  ],
  // Seed 4242: SPF on behind the edge with Mail Sender Authentication deleting: inbound mail is deleted, the SPF error explains it.
  [
    'SPF behind the edge deletes inbound mail, and the audit says so',
    {
      ...behind({ domains: [{ name: 'münchen.example', route: { host: '192.168.5.10' } }], trustedNetworks: ['192.168.5.10'] }),
      protection: { spf: true, dmarc: true },
      rules: [
        {
          name: 'Default',
          antiPhishing: { phishing: 'delete-message' },
          contentFiltering: { sizeExceeded: 'delete-message' },
          mailAuthentication: { enabled: true, spf: 'delete-message', dkim: 'delete-message', dmarc: 'delete-message' },
        },
      ],
    } as ConfigInput,
    /^inbound\/local-user/,
    ['sender-auth.dmarc-behind-edge', 'sender-auth.spf-behind-edge'],
  ],
  [
    'an unanswered edge probe is a warning, as the lab fails it',
    { ...behind({ domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] }), integration: 'behind-edge-verify' } as ConfigInput,
    /^recipients\/edge-probe/,
    ['recipients.edge-probe-unanswered'],
  ],
];

describe('audit ⇔ lab: regression cases', () => {
  it.each(REGRESSIONS)(
    '%s',
    async (_what, input, only, expected) => {
      const v = await judge(input, only);
      // Scenarios ran, except where the point is that they do not apply.
      if (!/do not apply|admin's choice/.test(_what)) expect(v.results.length).toBeGreaterThan(0);
      expect(v.disagreements).toEqual([]);
      expect([...new Set(v.findings.filter((f) => f.severity !== 'info').map((f) => f.id))].sort()).toEqual([...expected].sort());
    },
    60_000,
  );
});

describe('audit ⇔ lab: property over generated configurations', () => {
  it(`agree both ways (seed ${SEED}, ${RUNS} runs)`, async () => {
    // The seed is in the test name and here, so a failure can be replayed with PROPERTY_SEED.
    console.log(`audit⇔lab property: seed ${SEED}, ${RUNS} runs (PROPERTY_SEED / PROPERTY_RUNS to change)`);
    const started = Date.now();
    let clean = 0;
    let judged = 0;
    await fc.assert(
      fc.asyncProperty(configInput, async (input) => {
        const v = await judge(input);
        judged++;
        if (!v.findings.some((f) => f.severity !== 'info')) clean++;
        if (v.disagreements.length) throw new Error(`${v.disagreements.join('\n')}\nconfig: ${JSON.stringify(input)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: process.env.PROPERTY_SHRINK !== '1' },
    );
    console.log(`audit⇔lab property: ${RUNS} configurations (${clean} audit-clean) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    expect(judged).toBeGreaterThanOrEqual(RUNS);
  }, 600_000);
});
