// Simulated hosts that misbehave on cue: the sink's scripted answers over a real socket (drop
// after the message or in the middle of it, a slow answer, a refusal for one recipient, a seeded
// chance), the scenario keys that drive them, and the scripted-host scenario pack through the lab.
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { SmtpSink, cannedFromSpec, seededRandom } from '../../../src/lab/sink.js';
import { SmtpClient } from '../../../src/lab/smtp-client.js';
import { parseScenario, type ScenarioError } from '../../../src/lab/scenario.js';
import { runVerify } from '../../../src/lab/verify.js';

describe('scripted sink', () => {
  const sink = new SmtpSink({ id: 'internal', hostname: 'mail.corp.example' });
  beforeAll(() => sink.start());
  afterAll(() => sink.close());

  /** One transaction; the replies as codes (0 = the connection was closed instead). */
  async function send(to: string[], body = 'Subject: t\r\n\r\nhello\r\n'): Promise<number[]> {
    const c = await SmtpClient.connect('127.0.0.1', sink.port, 5000);
    const codes: number[] = [(await c.read()).code];
    try {
      codes.push((await c.command('EHLO relay.lab.example')).code);
      codes.push((await c.command('MAIL FROM:<x@sender.example>')).code);
      for (const t of to) codes.push((await c.command(`RCPT TO:<${t}>`)).code);
      const data = await c.command('DATA');
      codes.push(data.code);
      if (data.code === 354) {
        c.writeRaw(`${body}.\r\n`);
        codes.push((await c.read()).code);
      }
    } finally {
      await c.close();
    }
    return codes;
  }

  it('drop at data: the whole message arrives, no reply comes, nothing counts as delivered', async () => {
    sink.reset();
    sink.addCanned(cannedFromSpec({ stage: 'data', drop: true, times: 1 }, undefined));
    expect(await send(['a@corp.example'])).toEqual([220, 250, 250, 250, 354, 0]);
    expect(sink.transactions).toEqual([]);
    expect(sink.unacknowledged).toHaveLength(1);
    expect(sink.unacknowledged[0]!.data.toString()).toContain('hello');
    // times: 1 — the next attempt is answered normally.
    expect(await send(['a@corp.example'])).toEqual([220, 250, 250, 250, 354, 250]);
    expect(sink.transactions).toHaveLength(1);
  });

  it('dropAfter: the connection is cut in the middle of the message', async () => {
    sink.reset();
    sink.addCanned(cannedFromSpec({ stage: 'data', dropAfter: '1KB' }, undefined));
    const codes = await send(['a@corp.example'], `Subject: big\r\n\r\n${'x'.repeat(70)}\r\n`.repeat(200));
    expect(codes.at(-1)).toBe(0);
    expect(sink.transactions).toEqual([]);
    expect(sink.unacknowledged[0]!.data.length).toBeGreaterThanOrEqual(1024);
  });

  it('delay: a slow but normal answer', async () => {
    sink.reset();
    sink.addCanned(cannedFromSpec({ stage: 'mail', delay: '1s' }, undefined));
    const t0 = Date.now();
    expect(await send(['a@corp.example'])).toEqual([220, 250, 250, 250, 354, 250]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
  });

  it('recipient: one recipient refused, the other accepted (a partial delivery downstream)', async () => {
    sink.reset();
    sink.addCanned(cannedFromSpec({ stage: 'rcpt', recipient: 'B@corp.example', code: 550, text: '5.1.1 Mailbox disabled' }, undefined));
    expect(await send(['a@corp.example', 'b@corp.example'])).toEqual([220, 250, 250, 250, 550, 354, 250]);
    expect(sink.transactions[0]!.to).toEqual(['a@corp.example']);
  });

  it('greeting 554 and drop at connect', async () => {
    sink.reset();
    sink.addCanned(cannedFromSpec({ stage: 'connect', code: 554, text: '5.3.2 Go away', times: 1 }, undefined));
    const c = await SmtpClient.connect('127.0.0.1', sink.port, 5000);
    expect((await c.read()).text).toMatch(/^554 5\.3\.2 Go away/);
    await c.close();
    sink.addCanned(cannedFromSpec({ stage: 'connect', drop: true, times: 1 }, undefined));
    const d = await SmtpClient.connect('127.0.0.1', sink.port, 5000);
    expect((await d.read()).code).toBe(0);
    await d.close();
  });

  it('chance: a seeded sequence, the same on every run', async () => {
    const pattern = async () => {
      sink.reset();
      sink.addCanned(cannedFromSpec({ stage: 'mail', code: 451, text: '4.3.0 Flaky', chance: 0.5, seed: 7 }, undefined));
      const out: number[] = [];
      for (let i = 0; i < 8; i++) out.push((await send(['a@corp.example']))[2]!);
      return out;
    };
    const first = await pattern();
    expect(first).toEqual(await pattern());
    expect(new Set(first)).toEqual(new Set([250, 451]));
    const r = seededRandom(7);
    expect(first).toEqual(Array.from({ length: 8 }, () => (r() < 0.5 ? 451 : 250)));
  });
});

describe('scenario keys for scripted hosts', () => {
  const base = 'name: x\nclient: { address: inbound }\nenvelope: { from: a@b.example, to: ["{{user}}"] }\n';
  it('accepts the new keys and checks them at load time, with the line', () => {
    expect(() =>
      parseScenario(
        `${base}hosts:\n  internal:\n    reply: [{ stage: data, drop: true, times: 1 }, { stage: data, dropAfter: 4KB }, { stage: rcpt, recipient: "{{user2}}", code: 550 }, { stage: mail, delay: 2s, chance: 0.3, seed: 9 }]\n`,
        'ok.yaml',
      ),
    ).not.toThrow();
    const bad = (hosts: string) => {
      try {
        parseScenario(`${base}hosts:\n  internal:\n    reply: ${hosts}\n`, 'bad.yaml');
        return '';
      } catch (e) {
        return (e as ScenarioError).message;
      }
    };
    expect(bad('{ stage: data }')).toMatch(
      /bad\.yaml:6:\d+: hosts\.internal\.reply.*a host reply needs code:, drop: true, dropAfter: or delay:/,
    );
    expect(bad('{ stage: rcpt, dropAfter: 1KB }')).toMatch(/dropAfter: only applies to stage: data/);
    expect(bad('{ stage: data, recipient: a@b.example, code: 550 }')).toMatch(/recipient: only applies to stage: rcpt/);
    expect(bad('{ stage: data, delay: soon }')).toMatch(/expected a duration/);
    expect(bad('{ stage: data, code: 451, seed: 3 }')).toMatch(/seed: only makes sense with chance:/);
  });
});

describe('a next hop greeting 554 (Postfix: deferred, smtp_skip_5xx_greeting = yes)', () => {
  // Postfix 3.7.11 from `export postfix`, next hop greeting "554 5.3.2 …": the log says
  // dsn=4.3.2, status=deferred (host … refused to talk to me: 554 …); the retry delivers.
  it('the relay defers and delivers on the retry instead of bouncing', async () => {
    const config = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    const out = await runVerify({
      config,
      builtin: false,
      scenarios: ['scenarios/queue'],
      filter: ['greeting-554'],
      stdout: quiet,
      stderr: quiet,
      tty: false,
    });
    expect(out.results.map((r) => [r.id, r.status, r.failures])).toEqual([['user/greeting-554-deferred', 'passed', []]]);
  }, 60_000);
});

describe('the slow scripted-host scenarios (kept out of the built-in packs: seconds each)', () => {
  // 451 to every MAIL until the queue lifetime is ~65 real delivery attempts (about 8 s); the slow
  // host waits a real second. Both run here, once, instead of in every `verify` of every config.
  it('a 4xx until the lifetime bounces, not before; a slow next hop still gets the message', async () => {
    const config = (await loadConfig('examples/behind-edge-no-verify.yaml')).config;
    const quiet = new Writable({ write: (_c, _e, cb) => cb() });
    const out = await runVerify({
      config,
      builtin: false,
      scenarios: ['test/fixtures/scripted-hosts/slow'],
      stdout: quiet,
      stderr: quiet,
      tty: false,
    });
    expect(out.results.map((r) => [r.id, r.status, r.failures])).toEqual([
      ['user/mail-4xx-until-lifetime-bounces', 'passed', []],
      ['user/slow-next-hop-delivered', 'passed', []],
    ]);
  }, 90_000);
});
