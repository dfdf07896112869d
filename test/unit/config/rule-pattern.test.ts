// Rule patterns that cannot stall the relay: RE2 regular expressions (refused at load with the
// file and line when RE2 cannot run them) and masks matched without backtracking.
import { describe, expect, it } from 'vitest';
import { runAudit } from '../../../src/audit/index.js';
import { ConfigError, parseConfigText } from '../../../src/config/load.js';
import { compileRegexEntry, regexEntryProblem } from '../../../src/config/rule-pattern.js';
import { defaultConfig } from '../../../src/config/schema.js';
import { globMatch } from '../../../src/policy/glob.js';
import { senderMatches } from '../../../src/policy/rules.js';

describe('globMatch', () => {
  it('matches * and ? over the whole text, case-insensitively', () => {
    expect(globMatch('*@corp.example', 'Bob@CORP.example')).toBe(true);
    expect(globMatch('b?b@*', 'bob@x')).toBe(true);
    expect(globMatch('b?b@*', 'bobb@x')).toBe(false);
    expect(globMatch('*a*b', 'xaxxb')).toBe(true);
    expect(globMatch('*a*b', 'xaxxbc')).toBe(false);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('**', 'anything')).toBe(true);
  });

  it('answers masks a backtracking RegExp takes polynomial time for (mask × text steps at most)', () => {
    expect(globMatch('*a*a*a*a*a*a*b', 'a'.repeat(20000))).toBe(false);
    expect(globMatch('*a*a*a*a*a*a*b', `${'a'.repeat(20000)}b`)).toBe(true);
  });
});

describe('regular-expression entries on RE2', () => {
  it('compile case-insensitively and match as before', () => {
    expect(senderMatches('/^alice@/', 'ALICE@sender.example', '')).toBe(true);
    expect(senderMatches('/^(a+)+@sender\\.example$/', `${'a'.repeat(5000)}!@sender.example`, '')).toBe(false);
    expect(typeof compileRegexEntry('/x.y/s')).toBe('object');
  });

  it('refuses what RE2 cannot run, saying why', () => {
    expect(regexEntryProblem('/(a)\\1/')).toMatch(/refused: .*linear time.*invalid escape sequence/);
    expect(regexEntryProblem('/(?=x)y/')).toMatch(/unsupported Perl syntax/);
    expect(regexEntryProblem('/a/q')).toMatch(/unknown flag "q"/);
    expect(regexEntryProblem('*@corp.example')).toBeNull();
  });

  it('a refused pattern stops the load with file and line', () => {
    const text = [
      'version: 1',
      'integration: edge',
      'mta:',
      '  domains: [{ name: corp.example }]',
      'rules:',
      '  - name: Regex',
      "    senders: ['*@ok.example', '/(a)\\1/']",
      '',
    ].join('\n');
    let err: unknown;
    try {
      parseConfigText(text, 'ksmg.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect(String((err as Error).message)).toMatch(/ksmg\.yaml:7.*rules\[0\]\.senders\[1\].*refused/s);
  });

  it('the audit reports a refused pattern in a config built another way', () => {
    const c = defaultConfig('edge', [{ name: 'corp.example' }]);
    c.rules.unshift({ ...c.rules[0]!, name: 'Built', senders: ['/(?<=x)y/'] });
    const f = runAudit(c).filter((x) => x.id === 'rules.regex-refused');
    expect(f).toHaveLength(1);
    expect(f[0]!.path).toBe('rules[0].senders[0]');
    expect(f[0]!.severity).toBe('error');
  });
});
