// One colour rule for every command (src/terminal.ts): verify follows FORCE_COLOR and NO_COLOR
// exactly as audit does (test/e2e/cli.test.ts covers audit).
import { describe, expect, it } from 'vitest';
import { runBuiltCli as run } from './helpers.js';

const args = ['verify', '-c', 'examples/edge.yaml', '--filter', 'tag:smuggling', '--jobs', '2'];

describe('verify colours', () => {
  it('none in a pipe; FORCE_COLOR adds them; NO_COLOR wins', () => {
    const plain = run(args);
    expect(plain.code).toBe(0);
    expect(plain.stdout).not.toMatch(/\x1b\[/);
    expect(run(args, { FORCE_COLOR: '1' }).stdout).toMatch(/\x1b\[/);
    expect(run(args, { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout).not.toMatch(/\x1b\[/);
  });
});
