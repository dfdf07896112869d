// Machine-readable result, schema version 1 (documented in README "ksmg-setup verify").
// Additive changes only; a breaking change bumps schemaVersion.
import type { Reporter, VerifySummary } from './types.js';

export function jsonReport(summary: VerifySummary): object {
  const passed = summary.results.filter((r) => r.status === 'passed').length;
  return {
    schemaVersion: 1,
    tool: 'ksmg-setup verify',
    config: summary.config,
    integration: summary.integration,
    summary: {
      total: summary.results.length,
      passed,
      failed: summary.results.length - passed,
      notApplicable: summary.notApplicable.length,
      durationMs: summary.durationMs,
      ...(summary.phases ? { phases: summary.phases } : {}),
    },
    scenarios: summary.results.map((r) => ({
      id: r.id,
      name: r.name,
      file: r.file,
      tags: r.tags,
      status: r.status,
      durationMs: r.durationMs,
      why: r.why ?? null,
      failures: r.failures,
      deliveries: r.deliveries,
      transcript: r.transcript,
    })),
    notApplicable: summary.notApplicable,
  };
}

export function createJsonReporter(): Reporter {
  return { finish: (summary) => `${JSON.stringify(jsonReport(summary), null, 2)}\n` };
}
