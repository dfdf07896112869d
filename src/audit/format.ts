// Audit output: text grouped by severity (for people) and JSON (for scripts; schema below).
import type { ChalkInstance } from 'chalk';
import type { Config } from '../config/schema.js';
import type { ConfigProblem } from '../config/errors.js';
import { summarize, type AuditSummary } from './index.js';
import type { Finding, Severity } from './types.js';

/**
 * `ksmg-setup audit --format json`, schemaVersion 1. Stable: fields are only ever added.
 * {
 *   schemaVersion: 1,
 *   file: string,                          // the file audited, as given
 *   integration: string | null,            // null when the file was unusable
 *   ok: boolean,                           // true when there is no error finding (exit 0)
 *   summary: { errors, warnings, info },   // counts
 *   findings: Array<{ id, severity: 'error'|'warning'|'info', message, path, line: number|null, fix, uiPath,
 *                     patch?: Array<{ op: 'set'|'remove'|'add', path, value? }> }>,   // the mechanical fix, when there is one
 *   problems: Array<{ file, line, column, path, message }>   // only when the file was unusable (exit 2)
 * }
 */
export interface AuditJson {
  schemaVersion: 1;
  file: string;
  integration: string | null;
  ok: boolean;
  summary: AuditSummary;
  findings: Array<Omit<Finding, 'line'> & { line: number | null }>;
  problems?: ConfigProblem[];
}

export function auditJson(file: string, config: Config, findings: readonly Finding[]): AuditJson {
  const summary = summarize(findings);
  return {
    schemaVersion: 1,
    file,
    integration: config.integration,
    ok: summary.errors === 0,
    summary,
    findings: findings.map((f) => ({
      id: f.id, severity: f.severity, message: f.message, path: f.path, line: f.line ?? null, fix: f.fix, uiPath: f.uiPath,
      ...(f.patch ? { patch: f.patch } : {}),
    })),
  };
}

export function unusableJson(file: string, problems: ConfigProblem[]): AuditJson {
  return { schemaVersion: 1, file, integration: null, ok: false, summary: { errors: 0, warnings: 0, info: 0 }, findings: [], problems };
}

const HEADINGS: Record<Severity, string> = { error: 'Errors', warning: 'Warnings', info: 'Info' };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function auditText(file: string, config: Config, findings: readonly Finding[], style: ChalkInstance): string {
  const colour: Record<Severity, (s: string) => string> = { error: style.red, warning: style.yellow, info: style.cyan };
  const lines: string[] = [style.bold(`Audit of ${file} (integration: ${config.integration})`), ''];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const group = findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push(colour[sev](style.bold(`${HEADINGS[sev]} (${group.length})`)));
    for (const f of group) {
      const where = f.line !== undefined ? `${file}:${f.line}` : file;
      lines.push(`  ${colour[sev](MARKS[sev])} ${style.bold(f.path)}  ${style.dim(`${where}  [${f.id}]`)}`);
      lines.push(`    ${f.message}`);
      lines.push(`    ${style.green(f.patch ? 'Fix (automatic):' : 'Fix:')} ${f.fix}`);
      lines.push(`    ${style.dim('Web UI:')} ${f.uiPath}`);
    }
    lines.push('');
  }
  const s = summarize(findings);
  if (findings.length === 0) {
    lines.push(style.green(`No findings: the configuration fits the ${config.integration} scheme.`));
  } else {
    const counts = `${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.info} info.`;
    lines.push(s.errors > 0
      ? `${counts} ${style.red('Fix the errors before applying this configuration.')}`
      : `${counts} ${style.green('No errors.')}`);
  }
  return `${lines.join('\n')}\n`;
}
