// The runner against a real lab: attribution of concurrent runs, lab time, canned host replies,
// DNS additions and their reset, and that everything listens on loopback only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { planScenario } from '../../../src/lab/expand.js';
import { Lab } from '../../../src/lab/lab.js';
import { runAll } from '../../../src/lab/runner.js';
import { parseScenario } from '../../../src/lab/scenario.js';

const config = configSchema.parse({
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    trustedNetworks: ['10.0.0.0/24'],
    destination: { mode: 'edge-gateway', host: '192.0.2.10' },
    domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
  },
  lab: { users: { 'corp.example': ['postmaster', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6'] } },
});

let lab: Lab;
beforeAll(async () => {
  lab = await Lab.start({ config });
});
afterAll(async () => {
  await lab.close();
});

const plan = (id: string, yaml: string) => planScenario(parseScenario(yaml, `${id}.yaml`, id), config, lab.topology);

describe('runner', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(lab.relay.address).toBe('127.0.0.1');
    for (const target of lab.routeMap.values()) expect(target.host).toBe('127.0.0.1');
  });

  it('tells concurrent runs apart: each sees only its own copy', async () => {
    const runs = [1, 2, 3, 4, 5, 6].flatMap((n) =>
      plan(
        `c${n}`,
        `name: c${n}\nclient: { address: inbound }\nenvelope: { from: s@sender.example, to: [u${n}@corp.example] }\nexpect:\n  deliveries: 1\n  recipients:\n    u${n}@corp.example: { delivered: internal }\n`,
      ),
    );
    expect(runs.every((r) => !r.exclusive)).toBe(true);
    const started: string[] = [];
    const results = await runAll(lab, runs, { jobs: 6, onStart: (r) => started.push(r.id) });
    expect(results.map((r) => [r.id, r.status, r.failures])).toEqual(runs.map((r) => [r.id, 'passed', []]));
    expect(started).toHaveLength(6);
  });

  it('moves lab time for after: and cleans up a still-queued message before the next scenario', async () => {
    const deferred = (after: string) =>
      `name: d\nclient: { address: inbound }\nenvelope: { from: s@sender.example, to: [u1@corp.example] }\nhosts:\n  internal: { reply: { stage: data, code: 451, text: "4.3.0 Busy", for: 10m } }\nafter: ${after}\nexpect:\n  recipients:\n    u1@corp.example: { delivered: internal }\n  bounce: none\n`;
    const [early] = plan('early', deferred('0s'));
    const [late] = plan('late', deferred('2h'));
    const [next] = plan(
      'next',
      `name: n\nclient: { address: inbound }\nenvelope: { from: s@sender.example, to: [u2@corp.example] }\nexpect:\n  deliveries: 1\n`,
    );
    const t0 = lab.clock.now();
    const [e, l, n] = await runAll(lab, [early!, late!, next!]);
    expect(e!.status).toBe('failed');
    expect(e!.failures[0]).toMatchObject({
      what: 'delivery of u1@corp.example',
      expected: 'delivered to internal',
      observed: '(nothing reached any simulated host)',
    });
    expect(e!.transcript.join('\n')).toMatch(/250 2\.0\.0 Ok: queued as/);
    expect(l!.status, JSON.stringify(l!.failures)).toBe('passed');
    expect(n!.status, JSON.stringify(n!.failures)).toBe('passed');
    expect(lab.clock.now() - t0).toBeGreaterThanOrEqual(2 * 3600_000);
    expect(await lab.queued()).toBe(0);
  });

  it('applies DNS additions for one scenario only, and reports unfillable placeholders', async () => {
    const [spf] = plan(
      'spf',
      `name: s\ndns: { strict.example: { TXT: ["v=spf1 -all"] } }\nclient: { address: inbound }\nenvelope: { from: a@strict.example, to: [u3@corp.example] }\n`,
    );
    const [noBcc] = plan('bcc', `name: b\nclient: { address: inbound }\nenvelope: { from: a@x.example, to: ["{{bcc}}"] }\n`);
    const results = await runAll(lab, [spf!, noBcc!]);
    expect(results[0]!.status).toBe('passed');
    expect(lab.dns.lookup('strict.example')?.TXT).toBeUndefined();
    expect(results[1]!.status).toBe('failed');
    expect(results[1]!.failures[0]!.observed).toMatch(/\{\{bcc\}\}: the config sets no BCC address \(mta\.advanced\.alwaysBcc\)/);
  });

  it('repeats sessions and checks the last one', async () => {
    const [r] = plan(
      'rep',
      `name: r\nrepeat: 3\nclient: { address: inbound }\nenvelope: { from: s@sender.example, to: [u4@corp.example] }\nexpect:\n  deliveries: 3\n`,
    );
    const [res] = await runAll(lab, [r!]);
    expect(res!.status, JSON.stringify(res!.failures)).toBe('passed');
    expect(res!.transcript.filter((l) => l.startsWith('-- session'))).toHaveLength(3);
  });
});
