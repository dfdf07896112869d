// README promises: every audit check is documented, and the quick-start files exist.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { CHECKS, runAudit, summarize } from '../../../src/audit/index.js';
import { parseConfigText } from '../../../src/config/load.js';

const readme = readFileSync('README.md', 'utf8');

describe('README', () => {
  it.each(CHECKS.map((c) => [c.id, c.severity]))('documents audit check %s', (id) => {
    expect(readme).toContain(`| \`${id}\` |`);
  });
  it('has a ksmg.yaml example that loads and passes the audit', () => {
    const block = readme.match(/```yaml\n(version: 1[\s\S]*?)```/);
    expect(block).not.toBeNull();
    const { config } = parseConfigText(block![1]!, 'README.md');
    expect(summarize(runAudit(config)).errors).toBe(0);
  });
  it('points at example files that exist', () => {
    for (const m of readme.matchAll(/examples\/([a-z-]+\.yaml)/g)) expect(existsSync(`examples/${m[1]}`), m[1]).toBe(true);
  });
});
