// The README's answers file works as written: `ksmg-setup init --answers answers.yaml` without
// --yes and without a terminal has every answer it needs.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { answersToDraft, missingAnswers, readAnswersFile } from '../../../src/wizard/flags.js';

describe('README answers file', () => {
  it('parses, converts without errors and leaves no answer missing', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const block = readme.match(/An answers file, `answers\.yaml`[\s\S]*?```yaml\n([\s\S]*?)```/);
    expect(block, 'the answers example in README.md').not.toBeNull();
    const file = join(mkdtempSync(join(tmpdir(), 'ksmg-answers-')), 'answers.yaml');
    writeFileSync(file, block![1]!);
    const { answers, errors } = await readAnswersFile(file);
    expect(errors).toEqual([]);
    const { draft, errors: bad } = answersToDraft(answers);
    expect(bad).toEqual([]);
    expect(missingAnswers(draft, undefined, false)).toMatchObject({ required: [], defaulted: [] });
  });
});
