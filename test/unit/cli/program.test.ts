// The program shell: the lazy command registry, runCli's exit codes (without touching
// process.exitCode), `help X`, and the zod option schemas against commander's real options.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../../../src/cli/commands.js';
import { buildProgram, commandNameIn, runCli } from '../../../src/cli/program.js';
import { t } from '../../../src/i18n/index.js';

function capture() {
  let out = '';
  let err = '';
  const o = vi.spyOn(process.stdout, 'write').mockImplementation((s) => ((out += String(s)), true));
  const e = vi.spyOn(process.stderr, 'write').mockImplementation((s) => ((err += String(s)), true));
  return { out: () => out, err: () => err, restore: () => (o.mockRestore(), e.mockRestore()) };
}

let io: ReturnType<typeof capture> | null = null;
afterEach(() => {
  io?.restore();
  io = null;
});

describe('the command registry', () => {
  it.each(commands.map((c) => [c.name, c] as const))('%s loads a command of that name', async (name, entry) => {
    expect((await entry.load()).name()).toBe(name);
    // The registry's summary (a catalogue id) is the description, loaded or not (--help lists it without loading).
    const program = await buildProgram([name]);
    expect(program.commands.find((c) => c.name() === name)!.description()).toBe(t('en', entry.summary));
  });

  it('--help lists every command without loading it', async () => {
    const program = await buildProgram(['--help']);
    expect(program.commands.map((c) => c.name())).toEqual(commands.map((c) => c.name));
    // Stand-ins have no options of their own; only the named command is the real one.
    expect(program.commands.every((c) => c.options.length === 0)).toBe(true);
    const real = await buildProgram(['audit', '-c', 'x.yaml']);
    expect(real.commands.find((c) => c.name() === 'audit')!.options.length).toBeGreaterThan(0);
  });

  it('finds the command name in argv, through `help`', () => {
    expect(commandNameIn(['--help'])).toBeUndefined();
    expect(commandNameIn(['audit', '-c', 'x'])).toBe('audit');
    expect(commandNameIn(['help', 'verify'])).toBe('verify');
  });
});

describe('runCli', () => {
  it("returns the command's code and leaves process.exitCode alone", async () => {
    io = capture();
    expect(await runCli(['audit', '-c', 'examples/broken.yaml'])).toBe(1);
    expect(await runCli(['audit', '-c', 'examples/edge.yaml'])).toBe(0);
    expect(await runCli(['audit', '-c', 'missing.yaml'])).toBe(2);
    expect(process.exitCode).toBeUndefined();
  });

  it('`help audit` is `audit --help`; a bad option value is exit 2 naming the option', async () => {
    io = capture();
    expect(await runCli(['help', 'audit'])).toBe(0);
    expect(io.out()).toMatch(/Usage: ksmg-setup audit \[options\]/);
    expect(await runCli(['verify', '-c', 'examples/edge.yaml', '--jobs', 'many'])).toBe(2);
    expect(io.err()).toContain('ksmg-setup verify: --jobs "many": expected a whole number 1–64');
    expect(await runCli(['relay', '--listen', '127.0.0.1:2525', '--shutdown-grace', '-1'])).toBe(2);
    expect(io.err()).toContain('ksmg-setup relay: --shutdown-grace "-1": expected seconds (0 or more)');
  });

  it.each(['init', 'audit', 'runbook', 'verify', 'relay'])('%s takes -c for --config', async (name) => {
    const entry = commands.find((c) => c.name === name)!;
    const cmd = await entry.load();
    expect(cmd.options.find((o) => o.long === '--config')?.short).toBe('-c');
  });
});
