// runVerify(): the whole of `ksmg-setup verify` as a plain function (the wizard calls it at the
// end): load the config and the scenario packs, keep the scenarios meant for this scheme and
// settings, apply --filter/--shard, start the lab, run, report. Exit code 0 all passed, 1 a
// scenario failed, 2 unusable input (config, scenario file, options).
import { writeFile } from 'node:fs/promises';
import { sep } from 'node:path';
import { BUILTIN_SCENARIOS } from './builtin.js';
import { compiledScenario } from './pack-cache.js';
import type { Config } from '../config/schema.js';
import type { PlannedRun } from './expand.js';
import { planRuns } from './plan.js';
import { Lab, labScanPool, prefetchCertificates } from './lab.js';
import { labCertificates, type MadeCertificates } from './certificates.js';
import type { ScanPool } from '../scan/pool.js';
import { labCount, runInLabs } from './parallel.js';
import { buildTopology } from './topology.js';
import { runAll, type RunResult } from './runner.js';
import { loadScenarios, ScenarioError, type LoadedScenario } from './scenario.js';
import { createJsonReporter } from './reporters/json.js';
import { createJunitReporter } from './reporters/junit.js';
import { createPrettyReporter } from './reporters/pretty.js';
import type { Lang } from '../i18n/index.js';
import type { Reporter, ReporterName, VerifySummary } from './reporters/types.js';

export { planRuns };
import { colorEnabled } from '../terminal.js';
import { EXIT } from '../cli/exit.js';

export { BUILTIN_SCENARIOS };

export interface VerifyOptions {
  config: Config;
  /** Shown in reports. */
  configPath?: string;
  /** Extra scenario files/directories (--scenarios). */
  scenarios?: string[];
  /** Run the built-in packs too (default true). */
  builtin?: boolean;
  /** Keep runs whose id, name or a tag contains one of these (case-insensitive). */
  filter?: string[];
  /** Deterministic slice for CI matrices: {index: 1..total, total}. */
  shard?: { index: number; total: number };
  /** Scenarios at a time (default 4); spread over several labs when the pack is large (parallel.ts). */
  jobs?: number;
  /** Number of labs (worker threads) instead of the automatic choice from jobs, cores and pack size. */
  labs?: number;
  /** Default one pretty reporter. Each may write to a file. */
  reporters?: Array<{ name: ReporterName; output?: string }>;
  /** Where human output goes (default stderr when machine output shares stdout, else stdout). */
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  /** Live spinner: default from the stream's isTTY. */
  tty?: boolean;
  /** Colours: default by the one colour rule (src/terminal.ts) for the stream written to. */
  color?: boolean;
  /** The language of the pretty report (English when absent; JSON and JUnit do not change). */
  lang?: Lang;
}

export interface VerifyOutcome {
  exitCode: typeof EXIT.ok | typeof EXIT.findings | typeof EXIT.usage;
  results: RunResult[];
  /** Why the input was unusable (exit 2). */
  problems: string[];
}

export function parseShard(text: string): { index: number; total: number } | null {
  const m = text.trim().match(/^(\d+)\/(\d+)$/);
  if (!m) return null;
  const index = Number(m[1]);
  const total = Number(m[2]);
  return total >= 1 && index >= 1 && index <= total ? { index, total } : null;
}

export async function loadPacks(opts: Pick<VerifyOptions, 'scenarios' | 'builtin'>): Promise<LoadedScenario[]> {
  const roots = [...(opts.builtin === false ? [] : [BUILTIN_SCENARIOS]), ...(opts.scenarios ?? [])];
  // Built-in files read as they were compiled at build time are not parsed again (pack-cache.ts).
  const builtin = BUILTIN_SCENARIOS + sep;
  const loaded = await loadScenarios(roots, { compiled: (file, text) => (file.startsWith(builtin) ? compiledScenario(text) : undefined) });
  // User scenarios get ids relative to their own folder; keep ids unique by prefixing the pack.
  return loaded.map((l) => (l.file.startsWith(BUILTIN_SCENARIOS) ? l : { ...l, id: `user/${l.id}` }));
}

export async function runVerify(opts: VerifyOptions): Promise<VerifyOutcome> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const started = Date.now();
  const phases = new PhaseClock();
  // The scan threads start loading while the packs are read (the lab joins this pool).
  const scanPool = labScanPool();
  void scanPool.ready().then(() => phases.mark('scanPoolReadyMs'));
  // The gateway's key is made in another thread meanwhile (already asked for by the CLI).
  const certificates = labCertificates(opts.config);
  try {
    return await verifyWith(opts, stdout, stderr, started, phases, scanPool, certificates);
  } finally {
    await scanPool.close();
  }
}

async function verifyWith(
  opts: VerifyOptions,
  stdout: NodeJS.WritableStream,
  stderr: NodeJS.WritableStream,
  started: number,
  phases: PhaseClock,
  scanPool: ScanPool,
  certificates: MadeCertificates,
): Promise<VerifyOutcome> {
  let loaded: LoadedScenario[];
  try {
    loaded = await loadPacks(opts);
  } catch (e) {
    const problems = e instanceof ScenarioError ? e.message.split('\n') : [(e as Error).message];
    for (const p of problems) stderr.write(`ksmg-setup verify: ${p}\n`);
    return { exitCode: EXIT.usage, results: [], problems };
  }

  const specs = opts.reporters?.length ? opts.reporters : [{ name: 'pretty' as const }];
  const machineOnStdout = specs.some((s) => s.name !== 'pretty' && !s.output);
  const tty = opts.tty ?? Boolean((stdout as NodeJS.WriteStream).isTTY);
  const streamOf = (s: (typeof specs)[number]) => (s.output ? null : machineOnStdout ? stderr : stdout);
  const isLive = (stream: NodeJS.WritableStream | null) => Boolean(stream && tty && (stream as NodeJS.WriteStream).isTTY !== false);
  // The spinner's module only when a live reporter will use it.
  const spinner = specs.some((s) => s.name === 'pretty' && isLive(streamOf(s))) ? (await import('ora')).default : undefined;
  const reporters: Array<{ reporter: Reporter; output?: string; toStdout: boolean }> = specs.map((s) => {
    if (s.name === 'pretty') {
      // Human text goes to stderr when machine output occupies stdout.
      const stream = streamOf(s);
      const live = isLive(stream);
      return {
        reporter: stream
          ? createPrettyReporter({
              stream,
              live,
              spinner,
              color: opts.color ?? colorEnabled(stream as NodeJS.WriteStream),
              lang: opts.lang,
            })
          : prettyToString(opts.lang),
        output: s.output,
        toStdout: false,
      };
    }
    return { reporter: s.name === 'json' ? createJsonReporter() : createJunitReporter(), output: s.output, toStdout: !s.output };
  });

  let lab: Lab | null = null;
  let results: RunResult[] = [];
  let notApplicableList: VerifySummary['notApplicable'] = [];
  let labsUsed = 1;
  try {
    const topology = buildTopology(opts.config);
    const planned = planRuns(loaded, opts.config, topology, opts);
    const certsReady = prefetchCertificates(certificates, opts.config, topology, planned.runs);
    certsReady.catch(() => undefined);
    notApplicableList = planned.notApplicable;
    const events = {
      onStart: (run: PlannedRun) => reporters.forEach((r) => r.reporter.onStart?.(run)),
      onResult: (res: RunResult) => reporters.forEach((r) => r.reporter.onResult?.(res)),
    };
    const jobs = opts.jobs ?? 4;
    const labs = opts.labs ?? labCount(jobs, planned.runs.length);
    labsUsed = labs;
    if (labs > 1) {
      // Each lab worker starts its own scan threads; this thread scans nothing.
      await scanPool.close();
      await certsReady;
      const base = { config: opts.config, loaded, filter: opts.filter, shard: opts.shard, certificates: await certificates.material() };
      phases.mark('plannedMs');
      results = await runInLabs(base, planned.runs, { labs, jobs, ...events });
    } else {
      phases.mark('plannedMs');
      lab = await Lab.start({ config: opts.config, certificates, topology });
      phases.mark('labStartedMs');
      results = await runAll(lab, planned.runs, { jobs, ...events });
    }
    phases.mark('scenariosDoneMs');
  } catch (e) {
    stderr.write(`ksmg-setup verify: the lab could not run: ${(e as Error).message}\n`);
    return { exitCode: EXIT.usage, results, problems: [(e as Error).message] };
  } finally {
    await lab?.close();
  }

  const summary: VerifySummary = {
    config: opts.configPath ?? '(in memory)',
    integration: opts.config.integration,
    results,
    notApplicable: notApplicableList,
    durationMs: Date.now() - started,
    phases: { ...phases.marks, labs: Math.max(1, labsUsed) },
  };
  for (const r of reporters) {
    const text = r.reporter.finish(summary);
    if (r.output) await writeFile(r.output, text);
    else if (r.toStdout && text) stdout.write(text);
  }
  const failed = results.some((r) => r.status === 'failed');
  if (!results.length) {
    // Nothing ran: a typo in --filter must not pass a CI job silently.
    const why = 'no scenario matched (check --filter, --shard and --scenarios)';
    stderr.write(`ksmg-setup verify: ${why}\n`);
    return { exitCode: EXIT.usage, results, problems: [why] };
  }
  return { exitCode: failed ? EXIT.findings : EXIT.ok, results, problems: [] };
}

/** A pretty reporter that renders into its --output file instead of a terminal. */
function prettyToString(lang?: Lang): Reporter {
  const chunks: string[] = [];
  const stream = { write: (s: string) => (chunks.push(s), true) } as unknown as NodeJS.WritableStream;
  const inner = createPrettyReporter({ stream, live: false, color: false, lang });
  return {
    onStart: inner.onStart,
    onResult: inner.onResult,
    finish: (s) => (inner.finish(s), chunks.join('')),
  };
}

/**
 * When verify's stages ended, in ms since the process started (so the first one includes Node's
 * start, the imports and reading the config): what `npm run bench` splits the wall time into.
 */
class PhaseClock {
  readonly marks: NonNullable<VerifySummary['phases']> = { startedMs: Math.round(performance.now()) };

  mark(name: Exclude<keyof NonNullable<VerifySummary['phases']>, 'labs'>): void {
    this.marks[name] = Math.round(performance.now());
  }
}
