// No user-facing English outside the catalogue. Every folder with human output is scanned: the
// runbook and the audit (findings, steps), the wizard (questions, choices, hints, validation
// messages, the review), the commands (--help texts, messages), the verify/probe/check reports and
// the config errors. A sentence-like literal (two words) handed to the output — a finding's
// `message`/`fix`, a prompt's `message`, a choice's `name`/`description`, an argument of `.push`,
// `.write`, `.option`, `.description`, `.addHelpText`, `explain`, `given`, `fail`, `logger.info`,
// `new UsageError` … — fails this test: put it in src/i18n/ (en and cs) and call t().
// Texts that code without a language writes in English on purpose (the config schema's zod
// messages, the loader's problems, check's roles and notes, option-value messages) must be one of
// the catalogue's `config.*` / `cli.known.*` templates, which src/i18n/known.ts translates.
// Audit check `title`s are documentation of the check (not printed by the audit), so not scanned.
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { parseKnown } from '../../../src/i18n/known.js';

export const FOLDERS = [
  'src/runbook',
  'src/audit',
  'src/wizard',
  'src/cli',
  'src/lab/reporters',
  'src/check',
  'src/probe',
  'src/config',
] as const;

/** Properties whose value is shown to the admin. */
const PROPS = new Set(['message', 'fix', 'title', 'why', 'name', 'description', 'error', 'reason', 'label', 'hint']);
/** Calls whose arguments are shown to the admin. */
const CALLS = new Set([
  'push',
  'write',
  'option',
  'requiredOption',
  'description',
  'addHelpText',
  'showHelpAfterError',
  'explain',
  'given',
  'fail',
  'info',
  'warn',
  'error',
  'UsageError',
  'WizardInputError',
  'Option',
]);
/** Calls whose string arguments are ids or parameters, not text. */
const CATALOGUE_CALLS = new Set(['t', 'tr', 'translate', 'tEn', 'translateKnown']);
const SENTENCE = /[A-Za-z]{2,}[ ,;:]+[A-Za-z]{2,}/;

/**
 * Files allowed to hold English-only literals, with how many and why. A file added here must not
 * grow its count.
 */
const ALLOWED: Record<string, { count: number; why: string }> = {
  // postqueue -p / postsuper's own output format ("-- N Kbytes in N Requests.", "postsuper:
  // Deleted: N messages"): Postfix's words, which scripts read, kept as Postfix writes them.
  'src/cli/queue.ts': { count: 3, why: "Postfix's postqueue/postsuper output format" },
  // The two optional parts of "unknown key … (did you mean …?); allowed keys here: …", added
  // piece by piece; known.ts matches the whole message (config.load.unknownKeyHint, config.wrap.allowedKeys).
  'src/config/load.ts': { count: 2, why: 'pieces of a known config message' },
  // A bug report (exit 70), not a message about the admin's input.
  'src/config/save.ts': { count: 1, why: 'internal error' },
  // Transcript lines of a probe session (the SMTP dialogue as it went), shown verbatim.
  'src/probe/session.ts': { count: 3, why: 'transcript lines' },
};

/**
 * The one web-UI label table, with both languages side by side (English in rule-actions.ts and
 * ui.ts, Czech in ui.ts as seed 000 writes them): not a catalogue of sentences, so not scanned.
 */
const LABEL_TABLES = new Set(['src/audit/ui.ts', 'src/config/rule-actions.ts']);

/** Option syntax (`--domain NAME[=HOST[:PORT]]`, `--dns <host:port>`) is typed, not translated. */
const OPTION_SYNTAX = /^--?[a-z]/;
const PROGRAM_PREFIX = /^ksmg-setup(?: [a-z]+)*: /;

const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

const calleeName = (node: ts.CallExpression | ts.NewExpression): string | undefined => {
  const e = node.expression;
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) return e.name.text;
  return undefined;
};

/** A template literal with its substitutions replaced by a sample value, to match a known template. */
const sample = (node: ts.TemplateExpression): string => node.head.text + node.templateSpans.map((s) => `x${s.literal.text}`).join('');

/** `'a ' + `b ${x}`` as one sample text, or undefined when the node is not a chain of literals joined by `+`. */
function concatenated(node: ts.Node): string | undefined {
  if (!ts.isBinaryExpression(node) || node.operatorToken.kind !== ts.SyntaxKind.PlusToken) return undefined;
  const part = (n: ts.Node): string | undefined =>
    ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)
      ? n.text
      : ts.isTemplateExpression(n)
        ? sample(n)
        : ts.isParenthesizedExpression(n)
          ? part(n.expression)
          : concatenated(n);
  const left = part(node.left);
  const right = part(node.right);
  return left === undefined || right === undefined ? undefined : left + right;
}

/** The sentence-like literals of one file that are handed to the output outside the catalogue. */
export function literalsIn(file: string): string[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const collect = (node: ts.Node): void => {
    // A literal inside t(...) is a message id or a parameter: fine.
    if (ts.isCallExpression(node) && CATALOGUE_CALLS.has(calleeName(node) ?? '')) return;
    // A message split over lines with `+` is one message.
    const joined = concatenated(node);
    if (joined !== undefined) {
      if (SENTENCE.test(joined.replace(PROGRAM_PREFIX, '')) && !parseKnown(joined)) found.push(node.getText(src));
      return;
    }
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
      if (SENTENCE.test(node.text) && !OPTION_SYNTAX.test(node.text) && !parseKnown(node.text)) found.push(node.text);
    } else if (ts.isTemplateExpression(node)) {
      // The program-name prefix of an error line ("ksmg-setup probe: …") is not a sentence.
      const text = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)].join(' ').replace(PROGRAM_PREFIX, '');
      if (SENTENCE.test(text) && !parseKnown(sample(node))) found.push(node.getText(src));
      // The substitutions may hold literals of their own.
      node.templateSpans.forEach((s) => collect(s.expression));
      return;
    }
    ts.forEachChild(node, collect);
  };
  const isCheckTitle = (node: ts.PropertyAssignment) =>
    file.includes('/checks/') &&
    ts.isObjectLiteralExpression(node.parent) &&
    node.parent.properties.some((p) => p.name?.getText(src) === 'severity');
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAssignment(node) && PROPS.has(node.name.getText(src)) && !isCheckTitle(node)) collect(node.initializer);
    else if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && CALLS.has(calleeName(node) ?? '')) {
      node.arguments?.forEach(collect);
    }
    // A named constant holding a message (const DURATION_MESSAGE = '…').
    else if (ts.isVariableDeclaration(node) && /MESSAGE$/.test(node.name.getText(src)) && node.initializer) collect(node.initializer);
    ts.forEachChild(node, visit);
  };
  visit(src);
  return [...new Set(found)];
}

describe('user-facing strings come from the catalogue', () => {
  const all = FOLDERS.flatMap(files).filter((f) => !LABEL_TABLES.has(f));
  it.each(all)('%s', (file) => {
    const found = literalsIn(file);
    const allowed = ALLOWED[file]?.count ?? 0;
    if (found.length > allowed) expect(found, `${file}: English-only strings outside src/i18n`).toEqual([]);
    expect(found.length).toBeLessThanOrEqual(allowed);
  });

  it('every folder with human output is scanned', () => {
    expect(all.length).toBeGreaterThan(70);
    for (const f of FOLDERS) expect(files(f).length, f).toBeGreaterThan(0);
  });

  it('the scan finds a literal where there is one, and accepts a known config message', () => {
    expect(SENTENCE.test('Save each rule.')).toBe(true);
    expect(SENTENCE.test('mta.advanced.greeting')).toBe(false);
    expect(parseKnown('expected a port number 1–65535')?.id).toBe('config.schema.port');
    expect(parseKnown('Make these 4 changes?')).toBeUndefined();
  });

  it('flags a new English question, output line or help text, and passes the catalogue forms', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksmg-literals-'));
    try {
      const file = join(dir, 'step.ts');
      writeFileSync(
        file,
        [
          "await ctx.prompt.confirm({ message: 'Use the new thing?', default: true });",
          'ctx.stdout.write(`Wrote ${n} new things\\n`);',
          "cmd.option('--thing <x>', 'the thing to use');",
          "ctx.stdout.write(t('wizard.domains.another'));",
          "ctx.addIssue({ code: 'custom', message: 'expected a port number 1–65535' });",
          "cmd.option('--dns <host:port>', t('cli.probe.option.dns'));",
        ].join('\n'),
      );
      expect(literalsIn(file)).toEqual(['Use the new thing?', '`Wrote ${n} new things\\n`', 'the thing to use']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
