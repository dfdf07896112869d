import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { evalSize, notApplicable, planScenario } from '../../../src/lab/expand.js';
import { buildMessage, dotStuff } from '../../../src/lab/fixtures.js';
import { parseScenario, ScenarioError, loadScenarios } from '../../../src/lab/scenario.js';
import { buildTopology } from '../../../src/lab/topology.js';
import { BUILTIN_SCENARIOS, parseShard, planRuns } from '../../../src/lab/verify.js';

const config = configSchema.parse({
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: {
    trustedNetworks: ['10.0.0.0/24'],
    destination: { mode: 'edge-gateway', host: 'edge.corp.example', mxLookup: true },
    domains: [
      { name: 'corp.example', route: { host: '10.0.0.25' } },
      { name: 'sales.corp.example', route: { host: 'mail.sales.corp.example' } },
    ],
  },
});

function problemsOf(text: string): string[] {
  try {
    parseScenario(text, 'x.yaml');
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return (e as ScenarioError).message.split('\n');
  }
  throw new Error('expected a ScenarioError');
}

describe('scenario loader', () => {
  it('reports unknown keys with file:line:column and the key path', () => {
    const p = problemsOf('name: x\nenvelope:\n  from: a@b.example\n  to: [c@d.example]\n  bcc: [e@f.example]\n');
    expect(p).toEqual(['x.yaml:5:3: envelope: unknown key "bcc"']);
  });

  it('points at the bad value, and needs envelope or dialogue', () => {
    expect(problemsOf('name: x\nenvelope: { from: a@b.example, to: [] }\n')[0]).toMatch(/^x\.yaml:2:\d+: envelope\.to: /);
    expect(problemsOf('name: x\n')[0]).toMatch(/envelope: a scenario needs envelope: \(message form\) or dialogue:/);
    expect(problemsOf('name: x\nschemes: [edgy]\nenvelope: { from: a@b.example, to: [c@d.example] }\n')[0]).toMatch(
      /^x\.yaml:2:\d+: schemes\[0\]: /,
    );
  });

  it('reports YAML syntax errors with a line', () => {
    expect(problemsOf('name: x\nwhy: a: b\n')[0]).toMatch(/^x\.yaml:2:\d+: YAML syntax error/);
  });

  it('loads every built-in pack without problems, at least 40 files', async () => {
    const all = await loadScenarios([BUILTIN_SCENARIOS]);
    expect(all.length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((s) => s.id)).size).toBe(all.length);
  });
});

describe('planning', () => {
  const topology = buildTopology(config);
  const plan = (text: string, c = config) => planScenario(parseScenario(text, 's.yaml', 's'), c, buildTopology(c));

  it('fills placeholders from the config and expands forEach', () => {
    const runs = plan(
      'name: n\nforEach: localDomain\nclient: { address: edge-gateway }\nenvelope: { from: a@x.example, to: ["{{user}}", "{{postmaster}}"] }\n',
    );
    expect(runs.map((r) => r.id)).toEqual(['s[corp.example]', 's[sales.corp.example]']);
    expect(runs[0]!.envelope!.to).toEqual(['alice@corp.example', 'postmaster@corp.example']);
    expect(runs[0]!.client.address).toBe(topology.clients.edge);
    expect(runs[0]!.errors).toEqual([]);
  });

  it('turns a placeholder the config cannot fill into a failure that says what is missing', () => {
    const noTrust = configSchema.parse({ version: 1, integration: 'edge', mta: { domains: [{ name: 'corp.example' }] } });
    const [run] = plan('name: n\nclient: { address: trusted }\nenvelope: { from: "{{user}}", to: [b@x.example] }\n', noTrust);
    expect(run!.errors.join()).toMatch(/no trusted networks/);
  });

  it('applies schemes and when', () => {
    const s = parseScenario(
      'name: n\nschemes: [edge]\nwhen: { "mta.messageSizeLimit": ">0" }\nenvelope: { from: a@x.example, to: [b@x.example] }\n',
      's.yaml',
    ).scenario;
    expect(notApplicable(s, config)).toMatch(/applies to edge/);
    const edge = configSchema.parse({ version: 1, integration: 'edge', mta: { messageSizeLimit: 0 } });
    expect(notApplicable(s, edge)).toMatch(/needs mta.messageSizeLimit >0/);
  });

  it('evaluates sizes', () => {
    expect(evalSize('25MB')).toBe(25 * 1048576);
    expect(evalSize('20971520+1KB')).toBe(20971520 + 1024);
    expect(evalSize(12)).toBe(12);
    expect(evalSize('lots')).toBeNull();
  });

  it('shards deterministically and completely', async () => {
    const loaded = await loadScenarios([BUILTIN_SCENARIOS]);
    const all = planRuns(loaded, config, topology, {}).runs.map((r) => r.id);
    const parts = [1, 2, 3].map((i) => planRuns(loaded, config, topology, { shard: { index: i, total: 3 } }).runs.map((r) => r.id));
    expect(parts.flat().sort()).toEqual([...all].sort());
    expect(planRuns(loaded, config, topology, { shard: { index: 2, total: 3 } }).runs.map((r) => r.id)).toEqual(parts[1]);
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    expect(parseShard('4/3')).toBeNull();
    expect(planRuns(loaded, config, topology, { filter: ['tag:smuggling'] }).runs.every((r) => r.tags.includes('smuggling'))).toBe(true);
  });
});

describe('topology', () => {
  const t = buildTopology(config);
  it('makes route hosts internal servers, the edge and its MX target, and the internet', () => {
    const ids = t.hosts.map((h) => h.id);
    expect(ids).toEqual(expect.arrayContaining(['internal:10.0.0.25', 'internal:mail.sales.corp.example', 'edge', 'edge-mx', 'internet']));
    const sales = t.hosts.find((h) => h.id === 'internal:mail.sales.corp.example')!;
    expect(sales.domains).toEqual(['sales.corp.example']);
    // A named internal server gets an address inside the trusted network.
    expect(sales.addresses[0]).toMatch(/^10\.0\.0\./);
    expect(t.zone.get('edge.corp.example')!.MX).toEqual([{ priority: 10, exchange: 'mx1.edge.corp.example' }]);
    expect(t.users.get('corp.example')).toEqual(['alice@corp.example', 'bob@corp.example', 'postmaster@corp.example']);
    expect(t.fallback('anything.example.net')!.MX![0]!.exchange).toBe('mx.internet.lab.example');
    expect(t.fallback('x.invalid')).toBeNull();
    expect(t.zone.get('corp.example')!.TXT).toEqual(['v=spf1 ip4:10.0.0.0/24 -all']);
    expect(t.zone.get('_dmarc.corp.example')!.TXT).toEqual(['v=DMARC1; p=none']);
    expect(t.zone.get('sender.example')!.TXT![0]).toMatch(/^v=spf1 ip4:203\.0\.113\.0\/24/);
  });
  it('takes users from lab: and from the valid-recipient list', () => {
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { domains: [{ name: 'a.example' }, { name: 'b.example' }], advanced: { validRecipients: ['carol@b.example'] } },
      lab: { users: { 'a.example': ['dave'] } },
    });
    const topo = buildTopology(c);
    expect(topo.users.get('a.example')).toEqual(['dave@a.example']);
    expect(topo.users.get('b.example')![0]).toBe('carol@b.example');
  });
});

describe('message builder', () => {
  const tag = { name: 'X-Lab-Scenario', value: 't1' };
  it('pads to the exact size and keeps CRLF', () => {
    const m = buildMessage({ from: 'a@x.example', to: ['b@y.example'], padTo: 100_000, tag });
    expect(m.length).toBe(100_000);
    expect(m.toString('latin1')).not.toMatch(/(^|[^\r])\n/);
  });
  it('adds fixtures as attachments and knows the fixture names', () => {
    const m = buildMessage({
      from: 'a@x.example',
      to: ['b@y.example'],
      attachments: [{ name: 'eicar.com', fixture: 'eicar' }],
      tag,
    }).toString();
    expect(m).toMatch(/filename="eicar.com"/);
    expect(() => buildMessage({ from: '', to: ['b@y.example'], fixture: 'nope', tag })).toThrow(/unknown fixture "nope"/);
  });
  it('dot-stuffs lines that start with a dot', () => {
    expect(dotStuff(Buffer.from('.a\r\nb\r\n.c\r\n')).toString()).toBe('..a\r\nb\r\n..c\r\n');
  });
});
