import { describe, expect, it } from 'vitest';
import { checkExpectations, matchReply, type Observation } from '../../../src/lab/check.js';
import type { LabHost } from '../../../src/lab/topology.js';
import { junitReport } from '../../../src/lab/reporters/junit.js';
import { jsonReport } from '../../../src/lab/reporters/json.js';
import { pairReporters } from '../../../src/cli/verify.js';

const hosts: LabHost[] = [
  {
    id: 'internal:10.0.0.25',
    role: 'internal',
    label: '10.0.0.25',
    names: [],
    addresses: ['10.0.0.25'],
    port: 25,
    domains: ['corp.example'],
    users: null,
  },
  {
    id: 'internal:10.0.0.26',
    role: 'internal',
    label: '10.0.0.26',
    names: [],
    addresses: ['10.0.0.26'],
    port: 25,
    domains: ['sales.corp.example'],
    users: null,
  },
  { id: 'edge', role: 'edge', label: 'edge', names: [], addresses: ['192.0.2.10'], port: 25, domains: [], users: null },
];
const ob = (o: Partial<Observation>): Observation => ({
  stages: { ehloKeywords: [], rcpt: {} },
  steps: [],
  deliveries: [],
  backscatter: false,
  transcript: [],
  ...o,
});
const copy = (host: string, from: string, to: string[], data = 'Subject: hi\r\n\r\nbody\r\n') => ({
  host,
  role: hosts.find((h) => h.id === host)!.role,
  from,
  to,
  data: Buffer.from(data),
});

describe('matchReply', () => {
  it('matches prefixes and /regex/', () => {
    expect(matchReply('554 5.7.1', '554 5.7.1 <a@b>: Relay access denied')).toBe(true);
    expect(matchReply('250', '554 5.7.1 x')).toBe(false);
    expect(matchReply('/^(450|550) [45]\\.1\\.1/', '550 5.1.1 <a>: x')).toBe(true);
    expect(matchReply('250', undefined)).toBe(false);
  });
});

describe('checkExpectations', () => {
  it('passes when the recipient reached the internal server of its own domain', async () => {
    const f = await checkExpectations({
      expect: { recipients: { 'a@corp.example': { reply: '250 2.1.5', delivered: 'internal' } }, bounce: 'none' },
      observation: ob({
        stages: { ehloKeywords: [], rcpt: { 'a@corp.example': '250 2.1.5 Ok' } },
        deliveries: [copy('internal:10.0.0.25', 'x@y.example', ['a@corp.example'])],
      }),
      hosts,
      envelope: { from: 'x@y.example', to: ['a@corp.example'] },
    });
    expect(f).toEqual([]);
  });

  it("fails when mail for a local domain went to another domain's server or to the edge", async () => {
    const f = await checkExpectations({
      expect: { recipients: { 'a@corp.example': { delivered: 'internal' } } },
      observation: ob({
        deliveries: [copy('internal:10.0.0.26', 'x@y.example', ['a@corp.example']), copy('edge', 'x@y.example', ['a@corp.example'])],
      }),
      hosts,
      envelope: { from: 'x@y.example', to: ['a@corp.example'] },
    });
    expect(f).toHaveLength(1);
    expect(f[0]!.expected).toBe('delivered to internal');
    expect(f[0]!.observed).toMatch(/internal:10\.0\.0\.26 \(internal\) got MAIL FROM:<x@y\.example>/);
  });

  it('words reply mismatches, bounces and backscatter as expected vs observed', async () => {
    const f = await checkExpectations({
      expect: { recipients: { 'b@x.example': { reply: '554 5.7.1' } }, bounce: 'to-sender', backscatter: false, deliveries: 0 },
      observation: ob({
        stages: { ehloKeywords: [], rcpt: { 'b@x.example': '250 2.1.5 Ok' } },
        backscatter: true,
        deliveries: [copy('edge', 's@z.example', ['b@x.example'])],
      }),
      hosts,
      envelope: { from: 's@z.example', to: ['b@x.example'] },
    });
    expect(f.map((x) => x.what)).toEqual(['reply to RCPT TO:<b@x.example>', 'number of delivered copies', 'bounce', 'backscatter']);
    expect(f[0]).toMatchObject({ expected: '554 5.7.1', observed: '250 2.1.5 Ok' });
  });

  it('checks bounces are multipart/report to the sender, and headers/subject of the copy', async () => {
    const bounce = copy('edge', '', ['s@z.example'], 'Content-Type: multipart/report; report-type=delivery-status\r\n\r\n');
    const delivered = copy(
      'internal:10.0.0.25',
      's@z.example',
      ['a@corp.example'],
      'Subject: [Spam] hi\r\nX-KSMG-Message-Action: skipped\r\n\r\nx\r\n',
    );
    const f = await checkExpectations({
      expect: { bounce: 'to-sender', subject: '/^\\[Spam\\]/', headers: { 'X-KSMG-Message-Action': 'skipped', 'X-Bad': false } },
      observation: ob({ deliveries: [bounce, delivered] }),
      hosts,
      envelope: { from: 's@z.example', to: ['a@corp.example'] },
    });
    expect(f).toEqual([]);
  });

  it('reads headers only up to the first blank line, whatever its line ends', async () => {
    const check = (data: string) =>
      checkExpectations({
        expect: { headers: { 'X-A': 'yes', 'X-B': false } },
        observation: ob({ deliveries: [copy('internal:10.0.0.25', 's@z.example', ['a@corp.example'], data)] }),
        hosts,
        envelope: { from: 's@z.example', to: ['a@corp.example'] },
      });
    for (const blank of ['\r\n\r\n', '\n\n', '\n\r\n', '\r\n\n'])
      expect(await check(`X-A: yes\r\nSubject: s${blank}X-B: in the body\r\n`), JSON.stringify(blank)).toEqual([]);
    expect((await check('Subject: s\r\nX-B: folded\r\n  on\r\n\r\n')).map((f) => f.what)).toEqual(['header X-A', 'header X-B']);
    // No blank line: every line is a header line.
    expect(await check('Subject: s\r\nX-A: yes')).toEqual([]);
  });

  it('finds bare LF/CR in a delivered copy (smuggling bytes forwarded)', async () => {
    const run = (data: string) =>
      checkExpectations({
        expect: { bareNewlines: false },
        observation: ob({ deliveries: [copy('internal:10.0.0.25', 's@z.example', ['a@corp.example'], data)] }),
        hosts,
        envelope: { from: 's@z.example', to: ['a@corp.example'] },
      });
    expect(await run('Subject: x\r\n\r\nline\r\n')).toEqual([]);
    expect((await run('Subject: x\r\n\r\nline\n.\nmail FROM:<e@x>\r\n'))[0]!.observed).toMatch(/^a bare LF near byte/);
    expect((await run('Subject: x\r\n\r\nline\r.\r\n'))[0]!.observed).toMatch(/^a bare CR near byte/);
  });

  it('checks dialogue steps with expect and expectNot', async () => {
    const f = await checkExpectations({
      expect: {},
      observation: ob({
        steps: [
          { sent: 'EHLO x', reply: '250-h\n250 VRFY' },
          { sent: 'VRFY a', reply: '252 2.0.0 a' },
        ],
      }),
      hosts,
      dialogue: [{ expect: '250', expectNot: '/VRFY/' }, { expect: '502 5.5.1' }],
    });
    expect(f.map((x) => x.what)).toEqual(['dialogue step 1 (EHLO x)', 'dialogue step 2 (VRFY a)']);
  });
});

describe('reporters', () => {
  const summary = {
    config: 'k.yaml',
    integration: 'edge',
    durationMs: 1234,
    notApplicable: [{ id: 'x', reason: 'applies to behind-edge-verify' }],
    results: [
      {
        id: 'a/ok',
        name: 'ok',
        file: 'scenarios/a/ok.yaml',
        tags: ['t'],
        status: 'passed' as const,
        failures: [],
        transcript: [],
        deliveries: [],
        durationMs: 5,
      },
      {
        id: 'a/bad',
        name: 'bad <one>',
        file: 'scenarios/a/bad.yaml',
        tags: [],
        status: 'failed' as const,
        why: 'because',
        failures: [{ what: 'reply', expected: '554', observed: '250 & \u0000' }],
        transcript: ['C: RCPT TO:<x>', 'S: 250 2.1.5 Ok'],
        deliveries: ['edge got it'],
        durationMs: 7,
      },
    ],
  };
  it('junit: one testcase per scenario, failure text with the transcript, valid escaping', () => {
    const x = junitReport(summary);
    expect(x.match(/<testcase /g)).toHaveLength(2);
    expect(x).toMatch(/tests="2" failures="1"/);
    expect(x).toMatch(/name="bad &lt;one&gt;"/);
    expect(x).toMatch(/C: RCPT TO:&lt;x&gt;/);
    expect(x).toMatch(/why: because/);
    expect(x).not.toMatch(/\u0000/);
  });
  it('json: stable schema', () => {
    const j = jsonReport(summary) as { schemaVersion: number; summary: object; scenarios: Array<{ status: string; why: string | null }> };
    expect(j.schemaVersion).toBe(1);
    expect(j.summary).toEqual({ total: 2, passed: 1, failed: 1, notApplicable: 1, durationMs: 1234 });
    expect(j.scenarios[1]).toMatchObject({ status: 'failed', why: 'because' });
  });
  it('pairs --reporter and --output in order', () => {
    expect(pairReporters(['pretty', 'junit'], [])).toEqual([{ name: 'pretty' }, { name: 'junit' }]);
    expect(pairReporters(['json', 'junit'], ['a.json', 'b.xml'])).toEqual([
      { name: 'json', output: 'a.json' },
      { name: 'junit', output: 'b.xml' },
    ]);
    expect(pairReporters(['tap'], [])).toMatch(/unknown reporter "tap"/);
    expect(pairReporters([], ['a', 'b'])).toMatch(/more --output/);
  });
});
