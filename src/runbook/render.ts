// Runbook as plain text (terminal, ticket) or Markdown (wiki, change request).
import type { RunbookStep } from './index.js';
import { t, type Lang } from '../i18n/index.js';

export interface RenderOptions {
  /** Heading line, e.g. the scheme and file. */
  title?: string;
  /** The language of the "Where:"/"Why:" labels (default English; the steps bring their own). */
  lang?: Lang;
}

export function renderRunbook(steps: readonly RunbookStep[], format: 'text' | 'markdown', opts: RenderOptions = {}): string {
  return format === 'markdown' ? markdown(steps, opts) : text(steps, opts);
}

function text(steps: readonly RunbookStep[], opts: RenderOptions): string {
  const lang = opts.lang ?? 'en';
  const out: string[] = [];
  if (opts.title) out.push(opts.title, '');
  steps.forEach((s, i) => {
    out.push(`${i + 1}. ${s.title}`);
    out.push(`   ${t(lang, 'runbook.where')} ${s.uiPath}`);
    for (const a of s.actions) out.push(`   - ${a}`);
    if (s.why) out.push(`   ${t(lang, 'runbook.why')} ${s.why}`);
    out.push('');
  });
  return `${out.join('\n').trimEnd()}\n`;
}

/** Escapes the characters Markdown would read as formatting inside running text. */
const md = (s: string) => s.replace(/([\\`*_[\]<|])/g, '\\$1');

function markdown(steps: readonly RunbookStep[], opts: RenderOptions): string {
  const lang = opts.lang ?? 'en';
  const out: string[] = [];
  if (opts.title) out.push(`# ${md(opts.title)}`, '');
  steps.forEach((s, i) => {
    out.push(`## ${i + 1}. ${md(s.title)}`, '');
    out.push(`**${t(lang, 'runbook.where')}** ${md(s.uiPath)}`, '');
    for (const a of s.actions) out.push(`- [ ] ${md(a)}`);
    out.push('');
    if (s.why) out.push(`> ${md(s.why)}`, '');
  });
  return `${out.join('\n').trimEnd()}\n`;
}
