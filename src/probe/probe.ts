// runProbe(): the whole of `ksmg-setup probe` as a plain function. Loads the scenario packs,
// keeps what a probe of a live gateway can run for the declared client class, runs them one
// session at a time (paced, with a deadline), compares every reply with the config's intent and
// reports through verify's reporters. Exit 0 everything matched, 1 something differs (or an open
// relay, or the deadline cut the probe short), 2 unusable input or an unreachable target.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Config } from '../config/schema.js';
import { checkExpectations, type Failure } from '../lab/check.js';
import { loadPacks } from '../lab/verify.js';
import { ScenarioError, type LoadedScenario } from '../lab/scenario.js';
import { buildTopology, type Topology } from '../lab/topology.js';
import type { RunResult } from '../lab/runner.js';
import type { ReporterName, VerifySummary } from '../lab/reporters/types.js';
import { compareLive, gatherLiveFacts, type LiveComparison, type LiveInfo } from './observe.js';
import { effectiveRate, Pacer, realClock, type PaceClock } from './pace.js';
import { planProbe, type NotApplicableHere, type ProbeClass, type ProbeRun } from './plan.js';
import { probeSession, type ProbeTarget } from './session.js';
import { writeProbeReports } from './report.js';
import type { Lang } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';

export interface ProbeOptions {
  config: Config;
  configPath?: string;
  target: { host: string; port: number };
  as: ProbeClass;
  scenarios?: string[];
  builtin?: boolean;
  filter?: string[];
  sendTo?: string;
  /** Connections per second (default 2, capped under the config's rate limits). */
  rate?: number;
  /** Sessions at the same time (default 1). */
  connections?: number;
  /** The whole probe, real time (default 300 s). */
  maxTimeMs?: number;
  replyTimeoutMs?: number;
  /** Run the rate/connection limit scenarios. */
  limits?: boolean;
  /** Local address to speak from. */
  source?: string;
  /** DNS servers for the PTR lookup ("127.0.0.1:5353"); null = no PTR lookup; undefined = the system's. */
  dns?: string[] | null;
  helo?: string;
  reporters?: Array<{ name: ReporterName; output?: string }>;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
  color?: boolean;
  /** The language of the pretty report (English when absent). */
  lang?: Lang;
  clock?: PaceClock;
}

export interface ProbeResult extends RunResult {
  verdict: 'matched' | 'differs';
  /** What this scenario expects that a probe cannot see. */
  unchecked: string[];
  openRelay: string[];
}

export interface ProbeOutcome {
  exitCode: 0 | 1 | 2;
  results: ProbeResult[];
  notApplicable: NotApplicableHere[];
  live: { comparisons: LiveComparison[]; info: LiveInfo } | null;
  openRelays: Array<{ id: string; recipients: string[] }>;
  /** Every command line sent, per session (the audit trail; tests check it for DATA). */
  sent: string[][];
  rate: { perSecond: number; cappedBy: string | null };
  problems: string[];
  durationMs: number;
}

const DEFAULT_MAX_TIME_MS = 300_000;

/** The topology with this host's address in place of the lab's address for the probed class. */
function withProbeAddress(topology: Topology, as: ProbeClass, address: string | undefined): Topology {
  if (!address) return topology;
  const clients = { ...topology.clients };
  if (as === 'untrusted') clients.untrusted = address;
  else if (as === 'edge' && clients.edge) clients.edge = address;
  else if (as === 'trusted' && clients.trusted) clients.trusted = address;
  return { ...topology, clients };
}

export async function resolveTarget(host: string): Promise<string> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return bare;
  return (await lookup(bare)).address;
}

function toResult(p: ProbeRun, failures: Failure[], transcript: string[], openRelay: string[], durationMs: number): ProbeResult {
  return {
    id: p.run.id,
    name: p.run.name,
    file: p.run.file,
    tags: p.run.tags,
    status: failures.length ? 'failed' : 'passed',
    verdict: failures.length ? 'differs' : 'matched',
    failures,
    why: p.run.why,
    transcript,
    deliveries: [
      p.sendMessage
        ? '(a probe cannot see behind the gateway; the message went to --send-to only)'
        : '(nothing was sent: RSET before DATA)',
    ],
    durationMs,
    unchecked: p.unchecked,
    openRelay,
  };
}

function liveResult(c: LiveComparison, transcript: string[]): ProbeResult {
  return {
    id: c.id,
    name: c.name,
    file: '(live observation)',
    tags: ['live'],
    status: c.matched ? 'passed' : 'failed',
    verdict: c.matched ? 'matched' : 'differs',
    failures: c.matched ? [] : [{ what: c.name, expected: c.expected, observed: c.observed }],
    transcript,
    deliveries: ['(nothing was sent)'],
    durationMs: 0,
    unchecked: [],
    openRelay: [],
  };
}

export async function runProbe(opts: ProbeOptions): Promise<ProbeOutcome> {
  const stderr = opts.stderr ?? process.stderr;
  const clock = opts.clock ?? realClock;
  const started = clock.now();
  const { rate, capped } = effectiveRate(opts.config, opts.rate, Boolean(opts.limits));
  const outcome: ProbeOutcome = {
    exitCode: 2,
    results: [],
    notApplicable: [],
    live: null,
    openRelays: [],
    sent: [],
    rate: { perSecond: rate, cappedBy: capped },
    problems: [],
    durationMs: 0,
  };
  const fail = (problem: string): ProbeOutcome => {
    stderr.write(`ksmg-setup probe: ${translateKnown(opts.lang ?? 'en', problem)}\n`);
    outcome.problems.push(problem);
    outcome.durationMs = clock.now() - started;
    return outcome;
  };

  let loaded: LoadedScenario[];
  try {
    loaded = await loadPacks(opts);
  } catch (e) {
    const problems = e instanceof ScenarioError ? e.message.split('\n') : [(e as Error).message];
    for (const p of problems.slice(1)) stderr.write(`ksmg-setup probe: ${p}\n`);
    return fail(problems[0]!);
  }
  let address: string;
  try {
    address = await resolveTarget(opts.target.host);
  } catch (e) {
    return fail(`cannot resolve the target ${opts.target.host}: ${(e as Error).message}`);
  }
  const target: ProbeTarget = { address, port: opts.target.port, localAddress: opts.source, replyTimeoutMs: opts.replyTimeoutMs ?? 10_000 };
  const pacer = new Pacer(rate, clock);
  const deadline = started + (opts.maxTimeMs ?? DEFAULT_MAX_TIME_MS);

  await pacer.next();
  const facts = await gatherLiveFacts(
    target,
    opts.helo ?? 'client.lab.example',
    opts.dns === null ? null : { servers: opts.dns ?? [] },
    opts.target.host,
  );
  if (!facts.greeting || facts.greeting.startsWith('<no connection'))
    return fail(`the target ${opts.target.host}:${opts.target.port} does not answer: ${facts.greeting ?? ''}`);
  outcome.live = compareLive(opts.config, facts);

  // {{untrusted}}, {{edge}}, {{trusted}} in replies ("too many connections from <ip>") are this
  // host's address as the gateway sees it, not the lab's documentation addresses.
  const topology = withProbeAddress(buildTopology(opts.config), opts.as, opts.source ?? facts.localAddress);
  const plan = planProbe(loaded, opts.config, topology, { as: opts.as, sendTo: opts.sendTo, limits: opts.limits, filter: opts.filter });
  outcome.notApplicable = plan.notApplicable;
  if (!plan.runs.length) return fail(`no scenario can be probed --as ${opts.as} (check --as, --filter and --scenarios)`);

  const byId = new Map<string, ProbeResult>();
  const queue = [...plan.runs];
  const worker = async () => {
    for (let p = queue.shift(); p; p = queue.shift()) {
      if (clock.now() >= deadline) {
        byId.set(
          p.run.id,
          toResult(
            p,
            [
              {
                what: 'probe',
                expected: 'to run',
                observed: `not run: the total time limit (${Math.round((opts.maxTimeMs ?? DEFAULT_MAX_TIME_MS) / 1000)} s) was reached`,
              },
            ],
            [],
            [],
            0,
          ),
        );
        continue;
      }
      const t0 = clock.now();
      // repeat: (limit scenarios, only with --limits) one session each; replies are checked on the last.
      let s!: Awaited<ReturnType<typeof probeSession>>;
      const openRelay: string[] = [];
      for (let i = 0; i < p.run.repeat; i++) {
        await pacer.next();
        s = await probeSession(p, { config: opts.config, target, as: opts.as, sendTo: opts.sendTo });
        outcome.sent.push(s.sent);
        openRelay.push(...s.openRelay.filter((r) => !openRelay.includes(r)));
      }
      s = { ...s, openRelay };
      const failures = await checkExpectations({
        expect: p.expect,
        observation: s.observation,
        hosts: [],
        envelope: p.run.envelope,
        dialogue: p.steps,
      });
      if (s.openRelay.length) {
        failures.unshift({
          what: 'OPEN RELAY',
          expected: 'every foreign recipient refused (Relay access denied)',
          observed: `the target accepted ${s.openRelay.map((r) => `<${r}>`).join(', ')} from this host (no DATA followed)`,
        });
        outcome.openRelays.push({ id: p.run.id, recipients: s.openRelay });
      }
      byId.set(p.run.id, toResult(p, failures, s.observation.transcript, s.openRelay, clock.now() - t0));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.connections ?? 1) }, worker));

  outcome.results = [...outcome.live.comparisons.map((c) => liveResult(c, facts.transcript)), ...plan.runs.map((p) => byId.get(p.run.id)!)];
  outcome.durationMs = clock.now() - started;
  const summary: VerifySummary = {
    config: opts.configPath ?? '(in memory)',
    integration: opts.config.integration,
    results: outcome.results,
    notApplicable: outcome.notApplicable,
    durationMs: outcome.durationMs,
  };
  await writeProbeReports(summary, outcome, {
    target: `${opts.target.host}:${opts.target.port}`,
    as: opts.as,
    sendTo: opts.sendTo,
    reporters: opts.reporters,
    stdout: opts.stdout ?? process.stdout,
    stderr,
    color: opts.color ?? false,
    lang: opts.lang,
  });
  outcome.exitCode = outcome.results.some((r) => r.status === 'failed') ? 1 : 0;
  return outcome;
}
