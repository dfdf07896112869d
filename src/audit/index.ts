// `runAudit(config, source?)`: every check against one Config. Findings carry the line in the file
// when the config was loaded from one (source from loadConfig).
import type { Config } from '../config/schema.js';
import type { ConfigSource } from '../config/load.js';
import type { AuditCheck, Finding, Severity } from './types.js';
import { domainChecks } from './checks/domains.js';
import { destinationChecks } from './checks/destination.js';
import { senderAuthChecks } from './checks/sender-auth.js';
import { ruleChecks } from './checks/rules.js';
import { recipientChecks } from './checks/recipients.js';
import { networkChecks } from './checks/networks.js';
import { queueChecks } from './checks/queue.js';
import { advancedChecks } from './checks/advanced.js';
import { valueChecks } from './checks/values.js';
import { rulePatternChecks } from './checks/rule-patterns.js';
import { tlsChecks } from './checks/tls.js';
import { outgoingTlsChecks } from './checks/outgoing-tls.js';
import { translator, type Lang } from '../i18n/index.js';

export type { AuditCheck, Finding, PatchOp, Severity } from './types.js';
export { applyPatches, describePatch, patchesOf, PatchError } from './patch.js';
export { SEVERITIES } from './types.js';

/** All checks, in the order of the web-UI steps (domains, destination, networks, protection, rules, advanced). */
export const CHECKS: readonly AuditCheck[] = [
  ...domainChecks,
  ...destinationChecks,
  ...outgoingTlsChecks,
  ...networkChecks,
  ...senderAuthChecks,
  ...ruleChecks,
  ...rulePatternChecks,
  ...recipientChecks,
  ...advancedChecks,
  ...tlsChecks,
  ...queueChecks,
  ...valueChecks,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** `lang` is the language of each finding's message and fix (default English); ids, paths, uiPath stay the same. */
export function runAudit(config: Config, source?: ConfigSource, lang: Lang = 'en'): Finding[] {
  const findings: Finding[] = [];
  const t = translator(lang);
  for (const check of CHECKS) {
    for (const d of check.run(config, t)) {
      const line = source?.locate(d.path)?.line;
      findings.push({
        id: check.id,
        severity: d.severity ?? check.severity,
        message: d.message,
        path: d.path,
        ...(line !== undefined ? { line } : {}),
        fix: d.fix,
        uiPath: d.uiPath,
        ...(d.patch?.length ? { patch: d.patch } : {}),
      });
    }
  }
  // Stable order: severity, then check order (already), keeping each check's own order.
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
}

export interface AuditSummary {
  errors: number;
  warnings: number;
  info: number;
}

export function summarize(findings: readonly Finding[]): AuditSummary {
  return {
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    info: findings.filter((f) => f.severity === 'info').length,
  };
}
