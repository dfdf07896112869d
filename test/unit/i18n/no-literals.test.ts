// No user-facing English outside the catalogue, in the folders translated so far (src/runbook and
// src/audit; the wizard, verify/probe reports and validation errors are not translated yet, so
// they are not scanned). A sentence-like string literal (two words) as a finding's `message`/`fix`,
// a runbook step's `title`/`why`, or an argument of `.push(...)` (the steps' actions, the report's
// lines) fails this test: put it in src/i18n/en.ts and cs.ts and call t().
// Audit check `title`s are documentation of the check (not printed by the audit), so not scanned.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

const FOLDERS = ['src/runbook', 'src/audit'];
const PROPS = new Set(['message', 'fix', 'title', 'why']);
const SENTENCE = /[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}/;

/**
 * Files allowed to hold English-only literals, with how many (none today: every audit check and the
 * runbook speak through the catalogue). A file added here must not grow its count.
 */
const NOT_YET_TRANSLATED: Record<string, number> = {};

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

/** The sentence-like literals of one file that are handed to the output outside t(). */
function literalsIn(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const collect = (node: ts.Node): void => {
    // A literal inside t(...) / tr(...) is a message id or a parameter: fine.
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && ['t', 'tr', 'translate'].includes(node.expression.text)) return;
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (SENTENCE.test(node.text)) found.push(node.text);
    } else if (ts.isTemplateExpression(node)) {
      const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ');
      if (SENTENCE.test(text)) found.push(node.getText(src));
    }
    ts.forEachChild(node, collect);
  };
  const isCheckTitle = (node: ts.PropertyAssignment) =>
    file.includes('/checks/') &&
    ts.isObjectLiteralExpression(node.parent) &&
    node.parent.properties.some((p) => p.name?.getText(src) === 'severity');
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && PROPS.has(node.name.getText(src)) && !isCheckTitle(node)) collect(node.initializer);
    else if (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && node.expression.name.text === 'push') {
      node.arguments.forEach(collect);
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  return found;
}

describe('user-facing strings in src/runbook and src/audit come from the catalogue', () => {
  const all = FOLDERS.flatMap(files);
  it.each(all)('%s', (file) => {
    const found = literalsIn(file);
    const allowed = NOT_YET_TRANSLATED[file] ?? 0;
    if (found.length > allowed) expect(found, `${file}: English-only strings outside src/i18n`).toEqual([]);
    expect(found.length).toBeLessThanOrEqual(allowed);
  });

  it('the scan finds a literal where there is one', () => {
    expect(SENTENCE.test('Save each rule.')).toBe(true);
    expect(SENTENCE.test('mta.advanced.greeting')).toBe(false);
  });
});
