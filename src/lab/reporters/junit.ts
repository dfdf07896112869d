// JUnit XML: one testcase per scenario run; a failure's text carries expected vs observed,
// where the mail went and the SMTP transcript, so CI shows everything without the JSON.
import type { Reporter, VerifySummary } from './types.js';
import { failureText } from './pretty.js';

export function escapeXml(s: string): string {
  // XML 1.0 cannot carry most control characters at all; show them escaped.
  return s
    .replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

export function junitReport(summary: VerifySummary): string {
  const failed = summary.results.filter((r) => r.status === 'failed').length;
  const secs = (ms: number) => (ms / 1000).toFixed(3);
  const cases = summary.results.map((r) => {
    // The pack folder of the scenario id (relay, user/…): stable wherever the packs are installed.
    const classname = `ksmg-setup.${r.id.split('/').slice(0, -1).join('.') || 'scenarios'}`;
    const head = `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(r.name)}" time="${secs(r.durationMs)}"`;
    if (r.status === 'passed') return `${head}/>`;
    const message = r.failures.map((f) => `${f.what}: expected ${f.expected}`).join('; ');
    return `${head}>\n      <failure message="${escapeXml(message)}" type="ScenarioFailed">${escapeXml(failureText(r, false))}</failure>\n    </testcase>`;
  });
  const skipped = summary.notApplicable.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ksmg-setup verify" tests="${summary.results.length}" failures="${failed}" time="${secs(summary.durationMs)}">`,
    `  <testsuite name="${escapeXml(`${summary.integration}: ${summary.config}`)}" tests="${summary.results.length}" failures="${failed}" errors="0" skipped="0" time="${secs(summary.durationMs)}">`,
    `    <properties><property name="notApplicable" value="${skipped}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export function createJunitReporter(): Reporter {
  return { finish: junitReport };
}
