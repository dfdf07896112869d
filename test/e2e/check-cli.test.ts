// The built `ksmg-setup check`: text and JSON output, exit codes, usage errors.
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from './helpers.js';

describe('ksmg-setup check (built CLI)', () => {
  it('text: the transcript with the rule behind each reply and the next hop; exit 1 when something is refused', () => {
    const r = runBuiltCli([
      'check',
      '-c',
      'examples/behind-edge-verify.yaml',
      '--client',
      'edge',
      '--from',
      'a@sender.example',
      '--to',
      'alice@corp.example,x@elsewhere.example',
    ]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/RCPT TO:<x@elsewhere\.example> +554 5\.7\.1 <x@elsewhere\.example>: Relay access denied/);
    expect(r.stdout).toMatch(/↳ reject_unauth_destination: elsewhere\.example is not a local domain/);
    expect(r.stdout).toMatch(/alice@corp\.example {2}accepted → smtp:\[10\.0\.0\.25\]:25 \(route/);
    expect(r.stdout).toMatch(/outcome: partly accepted/);
  });

  it('JSON with a schema version; exit 0 when every recipient is accepted', () => {
    const r = runBuiltCli([
      'check',
      '-c',
      'examples/edge.yaml',
      '--client',
      '10.0.0.25',
      '--from',
      'alice@corp.example',
      '--to',
      'x@example.net',
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(Object.keys(json)).toEqual([
      'schemaVersion',
      'tool',
      'config',
      'integration',
      'client',
      'helo',
      'sender',
      'stages',
      'recipients',
      'message',
      'outcome',
      'notes',
      'durationMs',
    ]);
    expect(json).toMatchObject({
      schemaVersion: 1,
      tool: 'ksmg-setup check',
      outcome: 'accepted',
      client: { address: '10.0.0.25', class: 'trusted' },
    });
    expect(json.stages.map((s: { stage: string }) => s.stage)).toEqual(['connect', 'ehlo', 'mail', 'rcpt', 'data', 'end-of-data']);
    expect(json.recipients[0].nextHop).toMatchObject({ via: 'mx', transport: 'smtp:example.net' });
  });

  it('exit 2 for unusable input', () => {
    expect(
      runBuiltCli(['check', '-c', 'examples/edge.yaml', '--client', 'somewhere', '--from', 'a@b.example', '--to', 'x@corp.example']).stderr,
    ).toMatch(/--client "somewhere"/);
    expect(
      runBuiltCli([
        'check',
        '-c',
        'examples/edge.yaml',
        '--client',
        'untrusted',
        '--from',
        'a@b.example',
        '--to',
        'x@corp.example',
        '--size',
        'big',
      ]).code,
    ).toBe(2);
    expect(
      runBuiltCli([
        'check',
        '-c',
        'examples/edge.yaml',
        '--client',
        'untrusted',
        '--from',
        'a@b.example',
        '--to',
        'x@corp.example',
        '--message',
        'no-such.eml',
      ]).code,
    ).toBe(2);
    expect(
      runBuiltCli(['check', '-c', 'no-such-ksmg.yaml', '--client', 'untrusted', '--from', 'a@b.example', '--to', 'x@corp.example']).code,
    ).toBe(2);
  }, 60_000);
});
