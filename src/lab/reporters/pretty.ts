// Human output: on a TTY a live spinner listing the scenarios in progress, otherwise one plain
// line per finished scenario; then a summary table and, for each failure, what was expected,
// what was observed (where the mail went, the transcript) and the scenario's `why:`.
import { Chalk } from 'chalk';
import type { Ora, Options as OraOptions } from 'ora';
import type { PlannedRun } from '../expand.js';
import type { RunResult } from '../runner.js';
import type { Reporter, VerifySummary } from './types.js';
import { formatDecimal, tEn, translator, type Lang, type Translate } from '../../i18n/index.js';

export interface PrettyOptions {
  stream: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Live spinner (TTY only). */
  live: boolean;
  /**
   * ora's spinner factory, needed when `live`: the caller imports ora only then (it and its
   * dependencies are ≈ 40 ms of start-up that a CI run, never on a TTY, does not need).
   */
  spinner?: (options: OraOptions) => Ora;
  color: boolean;
  /** The language of the text (English when absent); JSON and JUnit stay as they are. */
  lang?: Lang;
}

type Paint = InstanceType<typeof Chalk>;

/** The failure block for one scenario (also the JUnit failure text, in English). */
export function failureText(r: RunResult, color: boolean | Paint = false, t: Translate = tEn): string {
  const c = typeof color === 'boolean' ? new Chalk({ level: color ? 1 : 0 }) : color;
  const lines: string[] = [`${c.red('✗')} ${c.bold(r.name)}  ${c.dim(r.file)}`];
  for (const f of r.failures) {
    lines.push(`    ${f.what}`);
    lines.push(`      ${t('verify.expected')} ${c.green(f.expected)}`);
    lines.push(`      ${t('verify.observed')} ${c.red(f.observed)}`);
  }
  if (r.why) lines.push(`    ${t('verify.why', { why: r.why })}`);
  lines.push(`    ${t('verify.whereMailWent')}`, ...r.deliveries.map((d) => `      ${d}`));
  if (r.transcript.length) {
    lines.push(`    ${t('verify.transcript')}`);
    const shown =
      r.transcript.length > 40
        ? [...r.transcript.slice(0, 15), t('verify.linesLeftOut', { count: r.transcript.length - 30 }), ...r.transcript.slice(-15)]
        : r.transcript;
    lines.push(...shown.map((l) => `      ${c.dim(l)}`));
  }
  return lines.join('\n');
}

export function summaryTable(summary: VerifySummary, c: Paint, t: Translate = tEn): string {
  const pass = t('verify.pass');
  const fail = t('verify.fail');
  // The status column is as wide as its longest word (pass/FAIL, prošel/SELHAL) and its heading.
  const statusWidth = Math.max(pass.length, fail.length, t('verify.column.result').length);
  const rows = summary.results.map((r) => [r.status === 'passed' ? pass : fail, r.id, t('verify.ms', { ms: r.durationMs })] as const);
  const width = Math.max(8, ...summary.results.map((r) => r.id.length));
  const out = [
    c.bold(`${t('verify.column.result').padEnd(statusWidth)}  ${t('verify.column.scenario').padEnd(width)}  ${t('verify.column.time')}`),
  ];
  for (const [s, id, time] of rows) {
    const paint = s === pass ? c.green : c.red;
    out.push(`${paint(s)}${' '.repeat(statusWidth - s.length)}  ${id.padEnd(width)}  ${time}`);
  }
  const failed = summary.results.filter((r) => r.status === 'failed').length;
  const passed = summary.results.length - failed;
  out.push('');
  const head = failed ? c.red.bold(t('verify.failed', { count: failed })) : c.green.bold(t('verify.allPassed'));
  out.push(
    t('verify.summary', {
      head,
      passed,
      total: summary.results.length,
      integration: summary.integration,
      config: summary.config,
      seconds: formatDecimal(t.lang, summary.durationMs / 1000, 1),
    }) + (summary.notApplicable.length ? t('verify.notApplicable', { count: summary.notApplicable.length }) : ''),
  );
  return out.join('\n');
}

export function createPrettyReporter(opts: PrettyOptions): Reporter {
  const c = new Chalk({ level: opts.color ? 1 : 0 });
  const t = translator(opts.lang ?? 'en');
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
    const text = t('verify.progress', { done, running: running.size, names: [...running.values()].join(' | ') });
    spinner.text = text.length > width ? `${text.slice(0, width - 1)}…` : text;
  };
  return {
    onStart(run: PlannedRun) {
      running.set(run.id, run.name);
      if (opts.live && opts.spinner && !spinner) {
        spinner = opts.spinner({ stream: opts.stream as NodeJS.WriteStream, isEnabled: true, discardStdin: false }).start();
      }
      refresh();
    },
    onResult(r: RunResult) {
      running.delete(r.id);
      done++;
      write(`${r.status === 'passed' ? c.green('✓') : c.red('✗')} ${r.name} ${c.dim(`(${t('verify.ms', { ms: r.durationMs })})`)}`);
      refresh();
    },
    finish(summary) {
      if (spinner) {
        spinner.stop();
        spinner = null;
      }
      const failed = summary.results.filter((r) => r.status === 'failed');
      const blocks = failed.map((r) => failureText(r, c, t));
      opts.stream.write(`\n${summaryTable(summary, c, t)}\n${blocks.length ? `\n${blocks.join('\n\n')}\n` : ''}`);
      return '';
    },
  };
}
