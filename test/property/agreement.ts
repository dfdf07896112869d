// The audit ⇔ lab agreement, judged for one configuration: run the audit and the built-in
// scenarios that exercise what the generator varies, in-process (one lab per configuration, the
// scenario packs loaded once), and say where they disagree:
//   audit clean (no error, no warning)  ⇒  every applicable scenario passes;
//   a scenario fails                     ⇒  the audit has an error or warning on a setting that scenario exercises.
import { configSchema, type Config, type ConfigInput } from '../../src/config/schema.js';
import { runAudit, type Finding } from '../../src/audit/index.js';
import { Lab } from '../../src/lab/lab.js';
import { runAll, type RunResult } from '../../src/lab/runner.js';
import { loadPacks, planRuns } from '../../src/lab/verify.js';
import type { LoadedScenario } from '../../src/lab/scenario.js';

/**
 * Which settings each pack exercises: a failure there is explained by a finding on one of these
 * key paths. Packs left out (protocol, smuggling) depend on nothing the generator varies.
 */
export const EXERCISES: Array<[RegExp, string[]]> = [
  [
    /^inbound\//,
    [
      'mta.domains',
      'mta.destination',
      'mta.trustedNetworks',
      'mta.advanced.recipientVerification',
      'mta.advanced.validRecipients',
      'mta.messageSizeLimit',
    ],
  ],
  [
    /^outbound\//,
    ['mta.destination', 'mta.trustedNetworks', 'mta.domains', 'mta.advanced.recipientVerification', 'mta.advanced.validRecipients'],
  ],
  [
    /^recipients\//,
    ['mta.advanced.recipientVerification', 'mta.advanced.validRecipients', 'mta.trustedNetworks', 'mta.domains', 'mta.destination'],
  ],
  [/^relay\//, ['mta.trustedNetworks', 'mta.domains', 'mta.destination']],
  [
    /^bcc\//,
    ['mta.advanced.alwaysBcc', 'mta.domains', 'mta.destination', 'mta.advanced.validRecipients', 'mta.advanced.recipientVerification'],
  ],
  [/^limits\//, ['mta.messageSizeLimit', 'mta.advanced', 'mta.trustedNetworks', 'mta.domains', 'mta.destination']],
  [/^queue\//, ['mta.domains', 'mta.destination', 'mta.advanced']],
  [
    /^(content|scan)\//,
    [
      'rules',
      'protection',
      'mta.domains',
      'mta.destination',
      'mta.trustedNetworks',
      'mta.advanced.recipientVerification',
      'mta.advanced.validRecipients',
      'mta.messageSizeLimit',
    ],
  ],
];

/**
 * Every scenario sends a message through the scan: a size limit too small for it, or sender
 * authentication and rule actions that delete it (SPF checked behind the edge with Mail Sender
 * Authentication on deletes ordinary inbound mail), explain a failure anywhere.
 */
const EVERYWHERE = ['mta.messageSizeLimit', 'protection', 'rules'];

const exercised = (id: string) => {
  const areas = EXERCISES.find(([re]) => re.test(id))?.[1];
  return areas && [...new Set([...areas, ...EVERYWHERE])];
};

export interface Verdict {
  config: Config;
  findings: Finding[];
  results: RunResult[];
  /** Empty when the audit and the lab agree. */
  disagreements: string[];
  ms: number;
}

let packs: Promise<LoadedScenario[]> | undefined;
const cache = new Map<string, Promise<Verdict>>();

/**
 * Judges one configuration (memoised: shrinking revisits the same ones). `only` restricts the
 * scenarios to those whose id matches (regression cases run just the scenarios they are about).
 */
export function judge(input: ConfigInput, only?: RegExp): Promise<Verdict> {
  const key = JSON.stringify(input) + String(only ?? '');
  let v = cache.get(key);
  if (!v) cache.set(key, (v = judgeUncached(input, only)));
  return v;
}

const where = (f: Finding) => `${f.severity} ${f.id} at ${f.path}`;

async function judgeUncached(input: ConfigInput, only?: RegExp): Promise<Verdict> {
  const started = Date.now();
  const config = configSchema.parse(input);
  const findings = runAudit(config);
  const actionable = findings.filter((f) => f.severity !== 'info');
  packs ??= loadPacks({});
  const loaded = (await packs).filter((l) => exercised(l.id) && (!only || only.test(l.id)));
  const lab = await Lab.start({ config, onLog: () => undefined });
  let results: RunResult[];
  try {
    const { runs } = planRuns(loaded, config, lab.topology, {});
    results = await runAll(lab, runs, { jobs: 8 });
  } finally {
    await lab.close();
  }
  const disagreements: string[] = [];
  const failed = results.filter((r) => r.status === 'failed');
  const text = (r: RunResult) =>
    `${r.id}: ${r.failures
      .map((f) => `${f.what}: expected ${f.expected}; observed ${f.observed}`)
      .join(' | ')
      .slice(0, 500)}`;
  if (!actionable.length) {
    for (const r of failed) disagreements.push(`audit clean, but the lab fails ${text(r)}`);
  } else {
    for (const r of failed) {
      const areas = exercised(r.id) ?? [];
      const explains = actionable.filter((f) =>
        areas.some((a) => f.path === a || f.path.startsWith(`${a}.`) || f.path.startsWith(`${a}[`)),
      );
      if (!explains.length) {
        disagreements.push(
          `the lab fails ${text(r)}; no audit finding on ${areas.join(', ')} explains it (findings: ${actionable.map(where).join('; ')})`,
        );
      }
    }
  }
  return { config, findings, results, disagreements, ms: Date.now() - started };
}
