// Every SMTP reply the code writes comes from src/policy/replies.ts: a string literal elsewhere in
// src/ whose text starts like a reply ("550 5.7.1 …", "250 Ok", `421 ${h} …`), or a reply(…) call
// with a literal code, fails here with file and line. Prose that quotes a reply mid-sentence (the
// audit's explanations, main.cf comments) and comments are not replies and are not matched. The
// literals are found with TypeScript's own parser, not with a regex over lines.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../..');
const SRC = join(ROOT, 'src');
const HOME = join(SRC, 'policy/replies.ts');

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The text of a literal that starts like a reply: a code, a space or hyphen, then words, `<` or a placeholder. */
const REPLY_TEXT = /^[245]\d\d[ -](?:[245]\.\d{1,3}\.\d{1,3} )?(?:[A-Za-z<(]|$)/;

/** `file:line: text` for each reply written in this source. */
function offenders(name: string, source: string): string[] {
  const file = ts.createSourceFile(name, source, ts.ScriptTarget.Latest, true);
  const out: string[] = [];
  const at = (node: ts.Node, what: string) =>
    out.push(`${relative(ROOT, name)}:${file.getLineAndCharacterOfPosition(node.getStart()).line + 1}: ${what}`);
  const visit = (node: ts.Node): void => {
    if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node)) && REPLY_TEXT.test(node.text)) {
      at(node, node.text);
    } else if (
      ts.isCallExpression(node) &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === 'reply' &&
      node.arguments[0] &&
      ts.isNumericLiteral(node.arguments[0])
    ) {
      at(node, node.getText(file));
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}

describe('SMTP replies live in src/policy/replies.ts', () => {
  it('no reply text is written anywhere else in src/', () => {
    const files = tsFiles(SRC).filter((f) => f !== HOME);
    expect(files.length).toBeGreaterThan(50);
    expect(files.flatMap((f) => offenders(f, readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('the check finds a reply written elsewhere, and leaves prose that quotes one alone', () => {
    const found = (code: string) => offenders(join(SRC, 'x.ts'), code).length;
    expect(found('const d = `550 5.7.1 ${reason}`;')).toBe(1);
    expect(found("send('250 Ok');")).toBe(1);
    expect(found('send(`421 ${h} Error: timeout exceeded`);')).toBe(1);
    expect(found("return reply(421, '4.4.2', text);")).toBe(1);
    expect(found('const t = \'KSMG refuses it with "554 5.7.1 Relay access denied".\';')).toBe(0);
    expect(found("// 550 5.1.1 in a comment\nconst n = '20971520 bytes';")).toBe(0);
    // The relay's own texts come through REPLIES and formatReply, which this does not flag.
    expect(found('w.write(formatReply(REPLIES.ok()));')).toBe(0);
  });
});
