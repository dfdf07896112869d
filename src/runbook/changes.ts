// A rerun's runbook: only what to change in the web UI to get from the previous ksmg.yaml (the
// .bak, or the file before editing) to the new one, not every step again. Built from the two full
// runbooks, so the wording is the runbook's own; list settings (domains, trusted networks, valid
// recipients) say what to remove as well as what to add.
import type { Config } from '../config/schema.js';
import { buildRunbook, type RunbookOptions, type RunbookStep } from './index.js';
import { FIELD_LABELS } from '../audit/ui.js';
import { t, translator, type Lang } from '../i18n/index.js';

/** Removal wording for the list-like settings, per step. */
function removals(step: string, before: Config, after: Config, lang: Lang): string[] {
  const gone = <T>(a: readonly T[], b: readonly T[], key: (x: T) => string) => {
    const keep = new Set(b.map(key));
    return a.filter((x) => !keep.has(key(x)));
  };
  switch (step) {
    case 'domains':
      return gone(before.mta.domains, after.mta.domains, (d) => d.name).map((d) =>
        t(lang, 'runbook.changes.deleteDomain', { name: d.name }),
      );
    case 'trusted-networks':
      return gone(before.mta.trustedNetworks, after.mta.trustedNetworks, (n) => n).map((network) =>
        t(lang, 'runbook.changes.removeNetwork', { trusted: FIELD_LABELS[lang].trustedNetworks, network }),
      );
    case 'recipient-verification':
      if (after.mta.advanced.recipientVerification !== 'reject-unlisted') return [];
      return gone(before.mta.advanced.validRecipients, after.mta.advanced.validRecipients, (r) => r.toLowerCase()).map((recipient) =>
        t(lang, 'runbook.changes.removeRecipient', { recipient }),
      );
    default:
      return [];
  }
}

/** The runbook steps that change, each with only its new actions (and removals). Empty: nothing to do. */
export function runbookChanges(before: Config, after: Config, opts: RunbookOptions = {}): RunbookStep[] {
  const tr = translator(opts.lang ?? 'en');
  const SAVE = tr('runbook.save');
  const old = new Map(buildRunbook(before, opts).map((s) => [s.id, s]));
  const out: RunbookStep[] = [];
  for (const step of buildRunbook(after, opts)) {
    const was = new Set(old.get(step.id)?.actions ?? []);
    const fresh = step.actions.filter((a) => a !== SAVE && !was.has(a));
    const remove = removals(step.id, before, after, opts.lang ?? 'en');
    if (!fresh.length && !remove.length) continue;
    out.push({ ...step, actions: [...remove, ...fresh, ...(step.actions.includes(SAVE) || remove.length ? [SAVE] : [])] });
  }
  // A step that disappears (e.g. all advanced settings back to the defaults) is a change too.
  const now = new Set(out.map((s) => s.id));
  for (const [id, s] of old) {
    if (now.has(id) || buildRunbook(after, opts).some((x) => x.id === id)) continue;
    out.push({
      ...s,
      title: tr('runbook.changes.backToDefaultsTitle', { title: s.title }),
      actions: [tr('runbook.changes.backToDefaults'), SAVE],
    });
  }
  return out;
}

/** The changes as text; says so when the web UI needs no change at all. */
export function renderRunbookChanges(before: Config, after: Config, opts: RunbookOptions = {}): string {
  const steps = runbookChanges(before, after, opts);
  const tr = translator(opts.lang ?? 'en');
  if (!steps.length) return tr('runbook.changes.nothing');
  const out: string[] = [];
  steps.forEach((s, i) => {
    out.push(`${i + 1}. ${s.title}`, `   ${tr('runbook.where')} ${s.uiPath}`);
    for (const a of s.actions) out.push(`   - ${a}`);
    out.push('');
  });
  return `${out.join('\n').trimEnd()}\n`;
}
