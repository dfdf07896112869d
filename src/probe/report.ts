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
import { tEn } from '../i18n/index.js';

export interface ProbeReportOptions {
  target: string;
  as: string;
  sendTo?: string;
  reporters?: Array<{ name: ReporterName; output?: string }>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  color: boolean;
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
): string {
  const c = new Chalk({ level: color ? 1 : 0 });
  const lines: string[] = [
    c.bold(
      `probe of ${o.target} as ${o.as === 'edge' ? 'the edge gateway' : o.as === 'untrusted' ? 'an untrusted client' : 'a trusted client'}, against ${summary.config} (${summary.integration})`,
    ),
  ];
  const width = Math.max(10, ...summary.results.map((r) => r.id.length));
  for (const r of summary.results as ProbeResult[]) {
    const mark = r.verdict === 'matched' ? c.green('✓ matched the config') : c.red('✗ differs           ');
    lines.push(`${mark}  ${r.id.padEnd(width)}  ${c.dim(r.name)}`);
    if (r.verdict === 'differs') {
      for (const f of r.failures) {
        lines.push(`      ${f.what}`);
        lines.push(`        config expects: ${c.green(f.expected)}`);
        lines.push(`        target said:    ${c.red(f.observed)}`);
      }
      if (r.why) lines.push(`      why: ${r.why}`);
    }
    if (r.unchecked.length) lines.push(c.dim(`      not checked from here: ${r.unchecked.join('; ')}`));
  }
  const fromHere = summary.notApplicable.filter((n) => (n as { scope?: string }).scope !== 'config');
  for (const n of fromHere) lines.push(`${c.yellow('- not applicable from here')}  ${n.id}: ${c.dim(n.reason)}`);
  const info = outcome.live?.info;
  if (info) {
    lines.push('', c.bold('live observations'));
    lines.push(`  STARTTLS offered: ${info.starttls === null ? 'unknown (no EHLO reply)' : info.starttls ? 'yes' : 'no'}`);
    if (info.tls) lines.push(...liveTlsLines(info.tls).map((l) => `  ${l}`));
    lines.push(
      `  PTR of the target: ${info.ptr ? info.ptr.join(', ') || '(none)' : `no answer${info.note ? ` (${info.note})` : ''}`}` +
        (info.ptrMatchesGreeting === false
          ? " — does not match the greeting's host name"
          : info.ptrMatchesGreeting
            ? ' (matches the greeting)'
            : ''),
    );
  }
  lines.push(
    `  pace: ${outcome.rate.perSecond.toFixed(2)} connections/s${outcome.rate.cappedBy ? ` (kept under ${outcome.rate.cappedBy})` : ''}`,
  );
  const differs = summary.results.filter((r) => r.status === 'failed').length;
  const matched = summary.results.length - differs;
  const forConfig = summary.notApplicable.length - fromHere.length;
  lines.push('');
  if (outcome.openRelays.length) {
    lines.push(
      c.red.bold(
        `OPEN RELAY: the target accepted foreign recipients from this host in ${outcome.openRelays.map((o2) => o2.id).join(', ')} (no message was sent)`,
      ),
    );
  }
  lines.push(
    `${differs ? c.red.bold(`${differs} differ`) : c.green.bold('all matched')}: ${matched}/${summary.results.length} matched the config` +
      `; ${fromHere.length} not applicable from here; ${forConfig} not meant for this config; ${(summary.durationMs / 1000).toFixed(1)} s` +
      (o.sendTo ? `; messages only to ${o.sendTo}` : '; nothing was sent (RSET before every DATA)'),
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
    else text = probeText(summary, outcome, o, s.output ? false : o.color);
    if (s.output) await writeFile(s.output, text);
    else if (s.name === 'pretty' && machineOnStdout) o.stderr.write(text);
    else o.stdout.write(text);
  }
}

/** The certificate after STARTTLS, in words; a self-signed one is said, never a failure. */
export function liveTlsLines(tls: LiveTls): string[] {
  if (tls.error && !tls.subject) return [tEn('probe.tls.failed', { error: tls.error })];
  const names = tls.altNames?.length ? tls.altNames.join(', ') : tEn('probe.tls.noNames');
  const out = [
    tEn('probe.tls.session', { protocol: tls.protocol ?? '?', cipher: tls.cipher ?? '?' }),
    tEn('probe.tls.certificate', { subject: tls.subject || '(no CN)', names }),
    tEn(tls.daysLeft !== undefined && tls.daysLeft < 0 ? 'probe.tls.expired' : 'probe.tls.expires', {
      until: tls.validTo ?? '?',
      days: Math.abs(tls.daysLeft ?? 0),
    }),
  ];
  if (tls.selfSigned) out.push(tEn('probe.tls.selfSigned'));
  else if (tls.trusted === false) out.push(tEn('probe.tls.untrusted'));
  return out;
}
