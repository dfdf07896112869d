// The audit and runbook command functions in-process: what goes to stdout, what to stderr, exit codes.
import { describe, expect, it } from 'vitest';
import { auditMain } from '../../../src/cli/audit.js';
import { runbookMain } from '../../../src/cli/runbook.js';
import type { CliIo } from '../../../src/cli/output.js';

function collect(tty = false): CliIo & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: tty },
    stderr: { write: (s: string) => (err += s), isTTY: tty },
    env: {},
    out: () => out,
    err: () => err,
  };
}

describe('auditMain', () => {
  it('text to stdout, exit 0 for a clean file', async () => {
    const io = collect();
    expect(await auditMain({ config: 'examples/edge.yaml', format: 'text' }, io)).toBe(0);
    expect(io.out()).toContain('No findings');
    expect(io.err()).toBe('');
  });

  it('colour on a TTY unless NO_COLOR', async () => {
    const tty = collect(true);
    await auditMain({ config: 'examples/broken.yaml', format: 'text' }, tty);
    expect(tty.out()).toMatch(/\x1b\[/);
    const noColor = collect(true);
    noColor.env = { NO_COLOR: '1' };
    await auditMain({ config: 'examples/broken.yaml', format: 'text' }, noColor);
    expect(noColor.out()).not.toMatch(/\x1b\[/);
  });

  it('json only on stdout; problems of an unusable file on stderr too, exit 2', async () => {
    const io = collect();
    expect(await auditMain({ config: 'missing.yaml', format: 'json' }, io)).toBe(2);
    expect(JSON.parse(io.out())).toMatchObject({ schemaVersion: 1, ok: false, integration: null, problems: [{ file: 'missing.yaml' }] });
    expect(io.err()).toMatch(/missing.yaml: the file does not exist/);
  });

  it('exit 1 with error findings', async () => {
    const io = collect();
    expect(await auditMain({ config: 'examples/broken.yaml', format: 'json' }, io)).toBe(1);
    expect(io.err()).toBe('');
  });
});

describe('runbookMain', () => {
  it('steps to stdout, exit 0; unusable file exit 2', async () => {
    const io = collect();
    expect(await runbookMain({ config: 'examples/behind-edge-verify.yaml', format: 'markdown' }, io)).toBe(0);
    expect(io.out()).toMatch(
      /^# KSMG web-UI runbook for examples\/behind-edge-verify.yaml: behind an edge gateway that verifies recipients/,
    );
    const bad = collect();
    expect(await runbookMain({ config: 'missing.yaml', format: 'text' }, bad)).toBe(2);
    expect(bad.out()).toBe('');
    expect(bad.err()).toMatch(/The configuration cannot be used/);
  });
});
