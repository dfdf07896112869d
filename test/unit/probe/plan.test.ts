// The pure parts of `probe`: which scenarios a probe can run from here and what part of each,
// the pacing and its caps, the live comparisons, and the --target / --rate syntax.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/schema.js';
import { loadConfig } from '../../../src/config/load.js';
import { loadPacks } from '../../../src/lab/verify.js';
import { parseScenario, type LoadedScenario } from '../../../src/lab/scenario.js';
import { buildTopology } from '../../../src/lab/topology.js';
import { planProbe } from '../../../src/probe/plan.js';
import { effectiveRate, Pacer, parseRate } from '../../../src/probe/pace.js';
import { compareLive, reverseName } from '../../../src/probe/observe.js';
import { parseTarget } from '../../../src/cli/probe.js';

let config: Config;
let packs: LoadedScenario[];
beforeAll(async () => {
  config = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
  packs = await loadPacks({});
});

const scenario = (yaml: string, id = 'user/x') => ({ ...parseScenario(yaml, `${id}.yaml`, id) });

describe('planProbe', () => {
  it('keeps only the dialogue part: a smuggling dialogue stops before DATA and says so', () => {
    const plan = planProbe(packs, config, buildTopology(config), { as: 'untrusted' });
    const smuggling = plan.runs.filter((r) => r.run.id.startsWith('smuggling/'));
    expect(smuggling.length).toBeGreaterThan(0);
    for (const r of smuggling) {
      expect(r.steps!.some((s) => /(^|\n)\s*(DATA|BDAT)\b/i.test(s.send ?? s.sendRaw ?? ''))).toBe(false);
      expect(r.unchecked[0]).toMatch(/dialogue step\(s\) from "DATA" on/);
      expect(r.sendMessage).toBe(false);
    }
  });

  it('never plans a message without --send-to, and then only for post-DATA expectations', () => {
    const topology = buildTopology(config);
    const without = planProbe(packs, config, topology, { as: 'edge' });
    expect(without.runs.every((r) => !r.sendMessage)).toBe(true);
    const sizeAfterData = without.notApplicable.find((n) => n.id === 'limits/size-after-data');
    expect(sizeAfterData?.reason).toMatch(/--send-to/);
    const withMailbox = planProbe(packs, config, topology, { as: 'edge', sendTo: 'alice@corp.example' });
    expect(withMailbox.runs.filter((r) => r.sendMessage).map((r) => r.run.id)).toContain('limits/size-after-data');
    expect(withMailbox.runs.filter((r) => r.sendMessage).every((r) => r.expect.message !== undefined || r.expect.data !== undefined)).toBe(
      true,
    );
  });

  it('says why a scenario is not applicable from here', () => {
    const topology = buildTopology(config);
    const loaded = [
      scenario(
        'name: a\nclient: { address: 198.51.100.1 }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nexpect: { mail: "250" }',
        'user/ip',
      ),
      scenario(
        'name: b\nclient: { address: untrusted6 }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nexpect: { mail: "250" }',
        'user/v6',
      ),
      scenario(
        'name: c\nclient: { address: untrusted }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nhosts: { internal: { dead: true } }\nexpect: { mail: "250" }',
        'user/hosts',
      ),
      scenario(
        'name: d\nclient: { address: untrusted }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nafter: 400s\nexpect: { mail: "250" }',
        'user/after',
      ),
      scenario(
        'name: e\nclient: { address: untrusted }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nrepeat: 5\nexpect: { mail: "250" }',
        'user/repeat',
      ),
      scenario(
        'name: f\nclient: { address: untrusted }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nexpect: { deliveries: 1 }',
        'user/downstream',
      ),
      scenario(
        'name: g\nclient: { address: trusted }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\nexpect: { mail: "250" }',
        'user/trusted',
      ),
    ];
    const plan = planProbe(loaded, config, topology, { as: 'untrusted' });
    const reason = (id: string) => plan.notApplicable.find((n) => n.id === id)?.reason ?? '';
    expect(plan.runs).toEqual([]);
    expect(reason('user/ip')).toMatch(/impersonates 198\.51\.100\.1/);
    expect(reason('user/v6')).toMatch(/IPv6/);
    expect(reason('user/hosts')).toMatch(/simulated hosts/);
    expect(reason('user/after')).toMatch(/lab time/);
    expect(reason('user/repeat')).toMatch(/--limits/);
    expect(reason('user/downstream')).toMatch(/number of delivered copies/);
    expect(reason('user/trusted')).toMatch(/trusted client; this probe is --as untrusted/);
    expect(plan.notApplicable.every((n) => n.scope === 'from-here')).toBe(true);
    expect(planProbe(loaded, config, topology, { as: 'untrusted', limits: true }).runs.map((r) => r.run.id)).toEqual(['user/repeat']);
  });

  it('keeps reply expectations and drops downstream ones', () => {
    const loaded = [
      scenario(
        'name: r\nclient: { address: untrusted }\nenvelope: { from: a@b.example, to: ["x@elsewhere.example"] }\nexpect:\n  recipients:\n    x@elsewhere.example: { reply: "554 5.7.1", delivered: none }\n  bounce: none',
      ),
    ];
    const [run] = planProbe(loaded, config, buildTopology(config), { as: 'untrusted' }).runs;
    expect(run!.expect).toEqual({ recipients: { 'x@elsewhere.example': { reply: '554 5.7.1' } } });
    expect(run!.unchecked).toEqual(['where x@elsewhere.example is delivered', 'bounces']);
  });
});

describe('pacing', () => {
  it('spaces connections at 1/rate with an injected clock', async () => {
    let now = 1000;
    const sleeps: number[] = [];
    const pacer = new Pacer(4, {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
      },
    });
    for (let i = 0; i < 4; i++) await pacer.next();
    expect(sleeps).toEqual([250, 250, 250]);
  });

  it("stays under the gateway's own rate limits unless the limits are under test", () => {
    const limited = structuredClone(config);
    limited.mta.advanced.connectionRateLimit = 30;
    expect(effectiveRate(limited, 5, false)).toEqual({ rate: 0.4, capped: 'mta.advanced.connectionRateLimit 30/min' });
    limited.mta.advanced.messageRateLimit = 12;
    expect(effectiveRate(limited, undefined, false).rate).toBeCloseTo(0.08);
    expect(effectiveRate(limited, 5, true)).toEqual({ rate: 5, capped: null });
    expect(effectiveRate(config, undefined, false)).toEqual({ rate: 2, capped: null });
  });

  it('reads --rate', () => {
    expect(parseRate('5')).toBe(5);
    expect(parseRate('0.5/s')).toBe(0.5);
    expect(parseRate('30/min')).toBe(0.5);
    expect(parseRate('0')).toBeNull();
    expect(parseRate('fast')).toBeNull();
  });
});

describe('--target', () => {
  it('reads host, host:port, IPv4, bracketed and bare IPv6', () => {
    expect(parseTarget('ksmg.corp.example')).toEqual({ host: 'ksmg.corp.example', port: 25 });
    expect(parseTarget('192.0.2.1:2525')).toEqual({ host: '192.0.2.1', port: 2525 });
    expect(parseTarget('[2001:db8::1]:587')).toEqual({ host: '2001:db8::1', port: 587 });
    expect(parseTarget('2001:db8::1')).toEqual({ host: '2001:db8::1', port: 25 });
    expect(parseTarget('host:99999')).toBeNull();
    expect(parseTarget('a b')).toBeNull();
  });
});

describe('live comparisons', () => {
  const ehlo = ['PIPELINING', 'SIZE 20971520', 'ENHANCEDSTATUSCODES', '8BITMIME', 'SMTPUTF8', 'CHUNKING'];
  it('match the config: greeting host name and EHLO keywords (STARTTLS as mta.tls.securityLevel says)', () => {
    const { comparisons, info } = compareLive(config, {
      greeting: '220 ksmg.corp.example ESMTP MTA',
      ehlo: [...ehlo, 'STARTTLS'],
      transcript: [],
      ptr: ['ksmg.corp.example'],
    });
    expect(comparisons.map((c) => [c.id, c.matched])).toEqual([
      ['live/greeting-hostname', true],
      ['live/ehlo-keywords', true],
    ]);
    expect(info).toMatchObject({ starttls: true, ptrMatchesGreeting: true });
  });

  it('name what differs', () => {
    const { comparisons, info } = compareLive(config, {
      greeting: '220 mail.other.example ESMTP Postfix',
      ehlo: [...ehlo.slice(1), 'VRFY', 'AUTH PLAIN'],
      transcript: [],
      ptr: null,
      ptrProblem: 'ENOTFOUND',
    });
    expect(comparisons[0]!.matched).toBe(false);
    expect(comparisons[1]!.observed).toMatch(/missing PIPELINING, STARTTLS; extra VRFY, AUTH/);
    expect(info).toMatchObject({ starttls: false, ptr: null, note: 'PTR lookup: ENOTFOUND' });
  });
});

describe('reverseName', () => {
  it('writes the PTR query name for IPv4 and IPv6', () => {
    expect(reverseName('192.0.2.1')).toBe('1.2.0.192.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.${'0.'.repeat(23)}8.b.d.0.1.0.0.2.ip6.arpa`);
  });
});
