// Which scenarios a probe of a live gateway can run, and what part of each. A probe speaks from
// this host's own address (no XCLIENT), so only scenarios for the declared client class apply;
// it sees nothing downstream (deliveries, bounces, headers), so only the reply expectations are
// kept; and it never completes a message except to --send-to, so the dialogue stops before DATA.
// Pure: no sockets.
import type { Config } from '../config/schema.js';
import { notApplicable, planScenario, type PlannedRun } from '../lab/expand.js';
import type { LoadedScenario, ScenarioExpect } from '../lab/scenario.js';
import type { Topology } from '../lab/topology.js';

export const PROBE_CLASSES = ['trusted', 'untrusted', 'edge'] as const;
export type ProbeClass = (typeof PROBE_CLASSES)[number];

/** A line that starts a message (DATA or BDAT) anywhere in what a step sends. */
const STARTS_MESSAGE = /(^|\n)[ \t]*(DATA|BDAT)\b/i;

export interface ProbeRun {
  run: PlannedRun;
  /** The reply expectations a probe can observe (nothing downstream). */
  expect: ScenarioExpect;
  /** Dialogue form: the steps up to (not including) the first one that would start a message. */
  steps?: PlannedRun['dialogue'];
  /** Message form with --send-to: after the dialogue part, one real message to the mailbox only. */
  sendMessage: boolean;
  /** What the probe leaves unchecked for this scenario, in words (shown in reports). */
  unchecked: string[];
}

export interface NotApplicableHere {
  id: string;
  reason: string;
  /** 'config': not meant for this config at all; 'from-here': meant for it, but a probe cannot run it. */
  scope: 'config' | 'from-here';
}

export interface ProbePlan {
  runs: ProbeRun[];
  notApplicable: NotApplicableHere[];
}

export interface ProbePlanOptions {
  as: ProbeClass;
  /** --send-to: the only mailbox a probe may complete a message to. */
  sendTo?: string;
  /** Run the rate and connection limit scenarios (they open many connections on purpose). */
  limits?: boolean;
  filter?: string[];
}

/** The probe class a scenario's `client.address` stands for, or why a probe cannot be that client. */
export function scenarioClass(address: string, topology: Topology): ProbeClass | { reason: string } {
  switch (address) {
    case 'trusted':
    case 'internal':
      return 'trusted';
    case 'untrusted':
      return 'untrusted';
    case 'edge':
    case 'edge-gateway':
      return 'edge';
    case 'inbound':
      return topology.clients.edge ? 'edge' : 'untrusted';
    case 'untrusted6':
      return { reason: "the scenario is an IPv6 client; a probe speaks from this host's own address" };
    default:
      return { reason: `the scenario impersonates ${address}; a live gateway sees this host's own address (no XCLIENT)` };
  }
}

function matchesFilter(run: PlannedRun, filters: string[]): boolean {
  if (!filters.length) return true;
  const hay = [run.id, run.name, ...run.tags].map((s) => s.toLowerCase());
  return filters.some((f) => {
    const needle = f.toLowerCase().replace(/^tag:/, '');
    return f.toLowerCase().startsWith('tag:') ? run.tags.map((t) => t.toLowerCase()).includes(needle) : hay.some((h) => h.includes(needle));
  });
}

/** Only what the SMTP client itself sees: replies and EHLO keywords. */
function observableExpect(ex: ScenarioExpect, withMessage: boolean): { expect: ScenarioExpect; unchecked: string[] } {
  const unchecked: string[] = [];
  const expect: ScenarioExpect = {};
  if (ex.connect !== undefined) expect.connect = ex.connect;
  if (ex.helo !== undefined) expect.helo = ex.helo;
  if (ex.ehlo !== undefined) expect.ehlo = ex.ehlo;
  if (ex.mail !== undefined) expect.mail = ex.mail;
  if (ex.recipients) {
    const recipients: NonNullable<ScenarioExpect['recipients']> = {};
    for (const [rcpt, rx] of Object.entries(ex.recipients)) {
      if (rx.reply !== undefined) recipients[rcpt] = { reply: rx.reply };
      if (rx.delivered !== undefined || rx.from !== undefined) unchecked.push(`where ${rcpt} is delivered`);
    }
    if (Object.keys(recipients).length) expect.recipients = recipients;
  }
  if (ex.data !== undefined || ex.message !== undefined) {
    if (withMessage) {
      if (ex.data !== undefined) expect.data = ex.data;
      if (ex.message !== undefined) expect.message = ex.message;
    } else unchecked.push('the reply after DATA (run with --send-to MAILBOX)');
  }
  const downstream: Array<[keyof ScenarioExpect, string]> = [
    ['headers', 'headers of the delivered copy'],
    ['subject', 'the delivered Subject'],
    ['attachments', 'attachments of the delivered copy'],
    ['bounce', 'bounces'],
    ['deliveries', 'the number of delivered copies'],
    ['bareNewlines', 'line ends of the delivered copy'],
    ['backscatter', 'backscatter to the edge'],
  ];
  for (const [key, words] of downstream) if (ex[key] !== undefined) unchecked.push(words);
  return { expect, unchecked };
}

function hasExpectations(ex: ScenarioExpect): boolean {
  return Object.keys(ex).length > 0;
}

export function planProbe(loaded: LoadedScenario[], config: Config, topology: Topology, opts: ProbePlanOptions): ProbePlan {
  const runs: ProbeRun[] = [];
  const na: NotApplicableHere[] = [];
  for (const l of loaded) {
    const s = l.scenario;
    const why = notApplicable(s, config);
    if (why) {
      na.push({ id: l.id, reason: why, scope: 'config' });
      continue;
    }
    for (const run of planScenario(l, config, topology)) {
      if (!matchesFilter(run, opts.filter ?? [])) continue;
      const fromHere = (reason: string) => na.push({ id: run.id, reason, scope: 'from-here' });
      const cls = scenarioClass(s.client.address, topology);
      if (typeof cls !== 'string') {
        fromHere(cls.reason);
        continue;
      }
      if (cls !== opts.as) {
        fromHere(
          `a scenario for ${cls === 'untrusted' ? 'an untrusted' : cls === 'edge' ? 'the edge gateway as' : 'a trusted'} client; this probe is --as ${opts.as}`,
        );
        continue;
      }
      if (run.errors.length) {
        fromHere(`cannot be filled from this config: ${run.errors.join('; ')}`);
        continue;
      }
      if (Object.keys(run.hosts).length) {
        fromHere('it scripts the simulated hosts behind the gateway (lab only)');
        continue;
      }
      if (Object.keys(run.dns).length) {
        fromHere('it changes the lab DNS (lab only)');
        continue;
      }
      if (run.afterMs > 0) {
        fromHere('it moves lab time (retries, lifetimes: lab only)');
        continue;
      }
      if (run.repeat > 1 && !opts.limits) {
        fromHere('a rate or connection limit test (many sessions): run with --limits');
        continue;
      }

      if (run.dialogue) {
        const cut = run.dialogue.findIndex((st) => STARTS_MESSAGE.test(st.send ?? st.sendRaw ?? ''));
        const steps = cut < 0 ? run.dialogue : run.dialogue.slice(0, cut);
        const dropped = cut < 0 ? [] : run.dialogue.slice(cut);
        const { expect, unchecked } = observableExpect(run.expect, false);
        if (dropped.length)
          unchecked.unshift(
            `${dropped.length} dialogue step(s) from "${(dropped[0]!.send ?? dropped[0]!.sendRaw ?? '').split(/\r?\n/)[0]}" on (a probe never starts a message in a dialogue)`,
          );
        const checked = steps.some((st) => st.expect !== undefined || st.expectNot !== undefined) || hasExpectations(expect);
        if (!checked) {
          fromHere(`nothing a probe can check: ${unchecked.join('; ') || 'no reply expectations'}`);
          continue;
        }
        runs.push({ run, expect, steps, sendMessage: false, unchecked });
        continue;
      }
      const wantsMessage = run.expect.data !== undefined || run.expect.message !== undefined;
      const sendMessage = Boolean(opts.sendTo) && wantsMessage;
      const { expect, unchecked } = observableExpect(run.expect, sendMessage);
      if (!hasExpectations(expect)) {
        fromHere(`only observable behind the gateway: ${unchecked.join('; ') || 'no reply expectations'}`);
        continue;
      }
      runs.push({ run, expect, sendMessage, unchecked });
    }
  }
  runs.sort((a, b) => a.run.id.localeCompare(b.run.id));
  return { runs, notApplicable: na };
}
