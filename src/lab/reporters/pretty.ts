// Human output: on a TTY a live spinner listing the scenarios in progress, otherwise one plain
// line per finished scenario; then a summary table and, for each failure, what was expected,
// what was observed (where the mail went, the transcript) and the scenario's `why:`.
import { Chalk } from 'chalk';
import ora, { type Ora } from 'ora';
import type { PlannedRun } from '../expand.js';
import type { RunResult } from '../runner.js';
import type { Reporter, VerifySummary } from './types.js';

export interface PrettyOptions {
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Live spinner (TTY only). */
  live: boolean;
  color: boolean;
}

type Paint = InstanceType<typeof Chalk>;

/** The failure block for one scenario (also the JUnit failure text). */
export function failureText(r: RunResult, color: boolean | Paint = false): string {
  const c = typeof color === 'boolean' ? new Chalk({ level: color ? 1 : 0 }) : color;
  const lines: string[] = [`${c.red('✗')} ${c.bold(r.name)}  ${c.dim(r.file)}`];
  for (const f of r.failures) {
    lines.push(`    ${f.what}`);
    lines.push(`      expected: ${c.green(f.expected)}`);
    lines.push(`      observed: ${c.red(f.observed)}`);
  }
  if (r.why) lines.push(`    why: ${r.why}`);
  lines.push('    where the mail went:', ...r.deliveries.map((d) => `      ${d}`));
  if (r.transcript.length) {
    lines.push('    transcript:');
    const t =
      r.transcript.length > 40
        ? [...r.transcript.slice(0, 15), `… ${r.transcript.length - 30} lines …`, ...r.transcript.slice(-15)]
        : r.transcript;
    lines.push(...t.map((l) => `      ${c.dim(l)}`));
  }
  return lines.join('\n');
}

export function summaryTable(summary: VerifySummary, c: Paint): string {
  const rows = summary.results.map((r) => [r.status === 'passed' ? c.green('pass') : c.red('FAIL'), r.id, `${r.durationMs} ms`]);
  const width = Math.max(8, ...summary.results.map((r) => r.id.length));
  const out = [c.bold(`${'result'.padEnd(6)}  ${'scenario'.padEnd(width)}  time`)];
  for (const [s, id, t] of rows) out.push(`${s!.padEnd(6 + (s!.length - 4))}  ${id!.padEnd(width)}  ${t}`);
  const failed = summary.results.filter((r) => r.status === 'failed').length;
  const passed = summary.results.length - failed;
  out.push('');
  out.push(
    `${failed ? c.red.bold(`${failed} failed`) : c.green.bold('all passed')}: ${passed}/${summary.results.length} scenarios passed` +
      ` for ${summary.integration} (${summary.config}) in ${(summary.durationMs / 1000).toFixed(1)} s` +
      (summary.notApplicable.length ? `; ${summary.notApplicable.length} not applicable to this config` : ''),
  );
  return out.join('\n');
}

export function createPrettyReporter(opts: PrettyOptions): Reporter {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const running = new Map<string, string>();
  let spinner: Ora | null = null;
  let done = 0;
  const write = (s: string) => {
    if (spinner) spinner.clear();
    opts.stream.write(`${s}\n`);
    if (spinner) spinner.render();
  };
  const refresh = () => {
    if (!spinner) return;
    // One line, cut to the terminal width: multi-line spinner text breaks on narrow or unknown widths.
    const width = Math.max(40, ((opts.stream as NodeJS.WriteStream).columns || 80) - 4);
    const text = `${done} done, ${running.size} running: ${[...running.values()].join(' | ')}`;
    spinner.text = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  return {
    onStart(run: PlannedRun) {
      running.set(run.id, run.name);
      if (opts.live && !spinner) {
        spinner = ora({ stream: opts.stream as NodeJS.WriteStream, isEnabled: true, discardStdin: false }).start();
      }
      refresh();
    },
    onResult(r: RunResult) {
      running.delete(r.id);
      done++;
      write(`${r.status === 'passed' ? c.green('✓') : c.red('✗')} ${r.name} ${c.dim(`(${r.durationMs} ms)`)}`);
      refresh();
    },
    finish(summary) {
      if (spinner) {
        spinner.stop();
        spinner = null;
      }
      const failed = summary.results.filter((r) => r.status === 'failed');
      const blocks = failed.map((r) => failureText(r, c));
      opts.stream.write(`\n${summaryTable(summary, c)}\n${blocks.length ? `\n${blocks.join('\n\n')}\n` : ''}`);
      return '';
    },
  };
}
