// Audit output: text grouped by severity (for people) and JSON (for scripts; schema below).
import type { ChalkInstance } from 'chalk';
import type { Config } from '../config/schema.js';
import type { ConfigProblem } from '../config/errors.js';
import { summarize, type AuditSummary } from './index.js';
import type { Finding, Severity } from './types.js';
import { translator, type Lang, type MessageId } from '../i18n/index.js';
import { localUiPath } from './ui.js';

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
      id: f.id,
      severity: f.severity,
      message: f.message,
      path: f.path,
      line: f.line ?? null,
      fix: f.fix,
      uiPath: f.uiPath,
      ...(f.patch ? { patch: f.patch } : {}),
    })),
  };
}

export function unusableJson(file: string, problems: ConfigProblem[]): AuditJson {
  return { schemaVersion: 1, file, integration: null, ok: false, summary: { errors: 0, warnings: 0, info: 0 }, findings: [], problems };
}

const HEADINGS: Record<Severity, MessageId> = { error: 'audit.group.error', warning: 'audit.group.warning', info: 'audit.group.info' };
const MARKS: Record<Severity, string> = { error: '✖', warning: '▲', info: 'ℹ' };

/** The report for people; `lang` picks the headings and the web-UI paths (the findings bring their own text). */
export function auditText(file: string, config: Config, findings: readonly Finding[], style: ChalkInstance, lang: Lang = 'en'): string {
  const t = translator(lang);
  const colour: Record<Severity, (s: string) => string> = { error: style.red, warning: style.yellow, info: style.cyan };
  const lines: string[] = [style.bold(t('audit.heading', { file, integration: config.integration })), ''];
  for (const sev of ['error', 'warning', 'info'] as const) {
    const group = findings.filter((f) => f.severity === sev);
    if (group.length === 0) continue;
    lines.push(colour[sev](style.bold(t(HEADINGS[sev], { count: group.length }))));
    for (const f of group) {
      const where = f.line !== undefined ? `${file}:${f.line}` : file;
      lines.push(`  ${colour[sev](MARKS[sev])} ${style.bold(f.path)}  ${style.dim(`${where}  [${f.id}]`)}`);
      lines.push(`    ${f.message}`);
      lines.push(`    ${style.green(t(f.patch ? 'audit.fixAutomatic' : 'audit.fix'))} ${f.fix}`);
      lines.push(`    ${style.dim(t('audit.webUi'))} ${localUiPath(f.uiPath, lang)}`);
    }
    lines.push('');
  }
  const s = summarize(findings);
  if (findings.length === 0) {
    lines.push(style.green(t('audit.none', { integration: config.integration })));
  } else {
    const counts = t('audit.counts', {
      errors: t('audit.count.errors', { count: s.errors }),
      warnings: t('audit.count.warnings', { count: s.warnings }),
      info: t('audit.count.info', { count: s.info }),
    });
    lines.push(s.errors > 0 ? `${counts} ${style.red(t('audit.fixErrors'))}` : `${counts} ${style.green(t('audit.noErrors'))}`);
  }
  return `${lines.join('\n')}\n`;
}
