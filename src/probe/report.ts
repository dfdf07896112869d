// Probe output through verify's reporters: JSON is verify's schema (version 1) with the tool
// name, a per-scenario verdict and a `probe` block added; JUnit is verify's; the human text says
// per scenario "matched the config", "differs" (expected by the config vs the target's reply) or
// "not applicable from here", then the live observations and any open relay in capitals.
import { writeFile } from 'node:fs/promises';
import { Chalk } from 'chalk';
import { jsonReport } from '../lab/reporters/json.js';
import { junitReport } from '../lab/reporters/junit.js';
import type { ReporterName, VerifySummary } from '../lab/reporters/types.js';
import type { ProbeOutcome, ProbeResult } from './probe.js';
import type { LiveTls } from './observe.js';
import { formatDecimal, tEn, translator, type Lang, type Translate } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';

export interface ProbeReportOptions {
  target: string;
  as: string;
  sendTo?: string;
  reporters?: Array<{ name: ReporterName; output?: string }>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  color: boolean;
  /** The language of the pretty text (English when absent); JSON and JUnit do not change. */
  lang?: Lang;
}

export function probeJson(summary: VerifySummary, outcome: ProbeOutcome, o: Pick<ProbeReportOptions, 'target' | 'as' | 'sendTo'>): object {
  const base = jsonReport(summary) as { scenarios: Array<Record<string, unknown>> } & Record<string, unknown>;
  const byId = new Map(outcome.results.map((r) => [r.id, r]));
  return {
    ...base,
    tool: 'ksmg-setup probe',
    scenarios: base.scenarios.map((s) => {
      const r = byId.get(String(s.id));
      return { ...s, verdict: r?.verdict ?? null, unchecked: r?.unchecked ?? [], openRelay: r?.openRelay ?? [] };
    }),
    probe: {
      target: o.target,
      as: o.as,
      sendTo: o.sendTo ?? null,
      rate: outcome.rate,
      live: outcome.live?.info ?? null,
      openRelays: outcome.openRelays,
      messagesSent: outcome.sent.flat().filter((l) => /^DATA\b/i.test(l)).length,
    },
  };
}

export function probeText(
  summary: VerifySummary,
  outcome: ProbeOutcome,
  o: Pick<ProbeReportOptions, 'target' | 'as' | 'sendTo'>,
  color: boolean,
  t: Translate = tEn,
): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  // The plan's reasons and the live checks' names are written in English (they are in the JSON too).
  const known = (text: string) => translateKnown(t.lang, text);
  const as = t(o.as === 'edge' ? 'probe.as.edge' : o.as === 'untrusted' ? 'probe.as.untrusted' : 'probe.as.trusted');
  const lines: string[] = [c.bold(t('probe.heading', { target: o.target, as, config: summary.config, integration: summary.integration }))];
  const width = Math.max(10, ...summary.results.map((r) => r.id.length));
  // Both verdicts padded to one width, so the scenario ids line up.
  const matched = t('probe.matched');
  const differs = t('probe.differs');
  const markWidth = Math.max(matched.length, differs.length);
  const expects = t('probe.configExpects');
  const said = t('probe.targetSaid');
  const labelWidth = Math.max(expects.length, said.length);
  for (const r of summary.results as ProbeResult[]) {
    const mark = r.verdict === 'matched' ? c.green(matched.padEnd(markWidth)) : c.red(differs.padEnd(markWidth));
    lines.push(`${mark}  ${r.id.padEnd(width)}  ${c.dim(known(r.name))}`);
    if (r.verdict === 'differs') {
      for (const f of r.failures) {
        lines.push(`      ${f.what}`);
        lines.push(`        ${expects.padEnd(labelWidth)} ${c.green(f.expected)}`);
        lines.push(`        ${said.padEnd(labelWidth)} ${c.red(known(f.observed))}`);
      }
      if (r.why) lines.push(`      ${t('probe.why', { why: r.why })}`);
    }
    if (r.unchecked.length) lines.push(c.dim(`      ${t('probe.notChecked', { what: r.unchecked.map(known).join('; ') })}`));
  }
  const fromHere = summary.notApplicable.filter((n) => (n as { scope?: string }).scope !== 'config');
  for (const n of fromHere) lines.push(`${c.yellow(t('probe.notApplicable'))}  ${n.id}: ${c.dim(known(n.reason))}`);
  const info = outcome.live?.info;
  if (info) {
    lines.push('', c.bold(t('probe.live')));
    const starttls = info.starttls === null ? t('probe.unknownNoEhlo') : t(info.starttls ? 'probe.yes' : 'probe.no');
    lines.push(`  ${t('probe.starttls', { value: starttls })}`);
    const ptr = info.ptr
      ? info.ptr.join(', ') || t('probe.ptrNone')
      : info.note
        ? t('probe.noAnswerNote', { note: info.note })
        : t('probe.noAnswer');
    if (info.tls) lines.push(...liveTlsLines(info.tls, t).map((l) => `  ${l}`));
    lines.push(
      `  ${t('probe.ptr', { value: ptr })}` +
        (info.ptrMatchesGreeting === false ? t('probe.ptrMismatch') : info.ptrMatchesGreeting ? t('probe.ptrMatches') : ''),
    );
  }
  const rate = formatDecimal(t.lang, outcome.rate.perSecond, 2);
  lines.push(`  ${outcome.rate.cappedBy ? t('probe.paceCapped', { rate, cap: outcome.rate.cappedBy }) : t('probe.pace', { rate })}`);
  const differCount = summary.results.filter((r) => r.status === 'failed').length;
  const matchedCount = summary.results.length - differCount;
  const forConfig = summary.notApplicable.length - fromHere.length;
  lines.push('');
  if (outcome.openRelays.length) lines.push(c.red.bold(t('probe.openRelay', { ids: outcome.openRelays.map((o2) => o2.id).join(', ') })));
  lines.push(
    t('probe.summary', {
      head: differCount ? c.red.bold(t('probe.differCount', { count: differCount })) : c.green.bold(t('probe.allMatched')),
      matched: matchedCount,
      total: summary.results.length,
      here: fromHere.length,
      forConfig,
      seconds: formatDecimal(t.lang, summary.durationMs / 1000, 1),
    }) + (o.sendTo ? t('probe.onlyTo', { mailbox: o.sendTo }) : t('probe.nothingSent')),
  );
  return `${lines.join('\n')}\n`;
}

export async function writeProbeReports(summary: VerifySummary, outcome: ProbeOutcome, o: ProbeReportOptions): Promise<void> {
  const specs = o.reporters?.length ? o.reporters : [{ name: 'pretty' as const }];
  const machineOnStdout = specs.some((s) => s.name !== 'pretty' && !s.output);
  for (const s of specs) {
    let text: string;
    if (s.name === 'json') text = `${JSON.stringify(probeJson(summary, outcome, o), null, 2)}\n`;
    else if (s.name === 'junit')
      text = junitReport(summary).replace('<testsuites name="ksmg-setup verify"', '<testsuites name="ksmg-setup probe"');
    else text = probeText(summary, outcome, o, s.output ? false : o.color, translator(o.lang ?? 'en'));
    if (s.output) await writeFile(s.output, text);
    else if (s.name === 'pretty' && machineOnStdout) o.stderr.write(text);
    else o.stdout.write(text);
  }
}

/** The certificate after STARTTLS, in words; a self-signed one is said, never a failure. */
export function liveTlsLines(tls: LiveTls, t: Translate = tEn): string[] {
  if (tls.error && !tls.subject) return [t('probe.tls.failed', { error: tls.error })];
  if (tls.subject === undefined) return [t('probe.tls.noCertificate', { protocol: tls.protocol ?? '?', cipher: tls.cipher ?? '?' })];
  const names = tls.altNames?.length ? tls.altNames.join(', ') : t('probe.tls.noNames');
  const out = [
    t('probe.tls.session', { protocol: tls.protocol ?? '?', cipher: tls.cipher ?? '?' }),
    t('probe.tls.certificate', { subject: tls.subject || '(no CN)', names }),
    t(tls.daysLeft !== undefined && tls.daysLeft < 0 ? 'probe.tls.expired' : 'probe.tls.expires', {
      until: tls.validTo ?? '?',
      days: Math.abs(tls.daysLeft ?? 0),
    }),
  ];
  if (tls.selfSigned) out.push(t('probe.tls.selfSigned'));
  else if (tls.trusted === false) out.push(t('probe.tls.untrusted'));
  return out;
}
