// Which runs a verify does: every scenario that applies to this config, expanded (one run per
// placeholder value), filtered, sharded, in a stable order. Shared by verify and its lab workers.
import type { Config } from '../config/schema.js';
import { planScenario, notApplicable, type PlannedRun } from './expand.js';
import type { LoadedScenario } from './scenario.js';
import type { Topology } from './topology.js';

function matchesFilter(run: PlannedRun, filters: string[]): boolean {
  if (!filters.length) return true;
  const hay = [run.id, run.name, ...run.tags].map((s) => s.toLowerCase());
  return filters.some((f) => {
    const needle = f.toLowerCase().replace(/^tag:/, '');
    return f.toLowerCase().startsWith('tag:') ? run.tags.map((t) => t.toLowerCase()).includes(needle) : hay.some((h) => h.includes(needle));
  });
}

/** Everything that applies to this config, filtered and sharded, in a stable order. */
export function planRuns(
  loaded: LoadedScenario[],
  config: Config,
  topology: Topology,
  opts: { filter?: string[]; shard?: { index: number; total: number } },
) {
  const notApplicableList = loaded.flatMap((l) => {
    const why = notApplicable(l.scenario, config);
    return why ? [{ id: l.id, reason: why }] : [];
  });
  let runs = loaded.flatMap((l) => planScenario(l, config, topology)).filter((r) => matchesFilter(r, opts.filter ?? []));
  runs.sort((a, b) => a.id.localeCompare(b.id));
  if (opts.shard) runs = runs.filter((_, i) => i % opts.shard!.total === opts.shard!.index - 1);
  return { runs, notApplicable: notApplicableList };
}
