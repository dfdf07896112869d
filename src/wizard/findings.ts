// The audit as the wizard sees it: the same checks `ksmg-setup audit` runs (one truth), on the
// configuration being written (the review) and on the current file (what a rerun prefills).
import { applyPatches, describePatch, patchesOf, PatchError, runAudit, type Finding, type PatchOp } from '../audit/index.js';
import type { Config } from '../config/schema.js';
import { tEn, type Translate } from '../i18n/index.js';
import type { WizardContext } from './context.js';

export { applyPatches, describePatch, patchesOf, PatchError, runAudit, type Finding, type PatchOp };

/** Findings that need attention (errors and warnings); info is advice. */
export const actionable = (findings: readonly Finding[]): Finding[] => findings.filter((f) => f.severity !== 'info');

/** Raised by a run without a terminal when the answers would write a file with audit errors (exit 1). */
export class WizardFindingsError extends Error {
  constructor(
    readonly findings: Finding[],
    target: string,
    t: Translate = tEn,
  ) {
    super(
      `${t('wizard.findings.refused', { file: target, count: findings.length })}\n` +
        findings.map((f) => `  ✖ ${f.path}: ${f.message}\n    ${t('audit.fix')} ${f.fix}`).join('\n') +
        `\n${t('wizard.findings.refusedHint')}`,
    );
    this.name = 'WizardFindingsError';
  }
}

const cache = new WeakMap<Config, Finding[]>();

/** The audit of the current file on a rerun (memoised: several steps ask). */
export function currentFindings(ctx: Pick<WizardContext, 'current'>): Finding[] {
  const c = ctx.current;
  if (!c) return [];
  let f = cache.get(c);
  if (!f) cache.set(c, (f = runAudit(c)));
  return f;
}

/** Findings on exactly this key path (e.g. `mta.trustedNetworks[2]`) or below it. */
export function findingsAt(findings: readonly Finding[], path: string): Finding[] {
  return actionable(findings).filter((f) => f.path === path || f.path.startsWith(`${path}.`) || f.path.startsWith(`${path}[`));
}

/** The value a finding's patch sets at `path`, if one does. */
export function patchedValue(findings: readonly Finding[], path: string): { value: unknown } | undefined {
  for (const f of findings) {
    const op = f.patch?.find((o) => o.op === 'set' && o.path === path);
    if (op && op.op === 'set') return { value: op.value };
  }
  return undefined;
}

/** Findings as the review shows them: one block each, errors first. */
export function renderFindings(ctx: Pick<WizardContext, 'style'> & { t?: Translate }, findings: readonly Finding[]): string {
  const t = ctx.t ?? tEn;
  const shown = actionable(findings);
  const info = findings.length - shown.length;
  if (!shown.length)
    return `${ctx.style.green('✔')} ${info ? t('wizard.findings.noneWithNotes', { count: info }) : t('wizard.findings.none')}\n`;
  const lines = [ctx.style.bold(t('wizard.findings.heading'))];
  for (const f of shown) {
    const mark = f.severity === 'error' ? ctx.style.red(t('wizard.findings.error')) : ctx.style.yellow(t('wizard.findings.warning'));
    lines.push(`  ${mark} ${ctx.style.bold(f.path)}  ${ctx.style.dim(`[${f.id}]`)}`);
    lines.push(`    ${f.message}`);
    lines.push(`    ${ctx.style.green(t(f.patch ? 'audit.fixAutomatic' : 'audit.fix'))} ${f.fix}`);
  }
  return `${lines.join('\n')}\n`;
}
