import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import {
  groupRecipientsByRule,
  patternKind,
  patternProblem,
  recipientMatches,
  selectRule,
  senderMatches,
} from '../../../src/policy/rules.js';

const rules = (list: unknown[]) => configSchema.parse({ version: 1, integration: 'edge', rules: list }).rules;

describe('sender patterns', () => {
  it('address masks with * and ? match the whole address, case-insensitively', () => {
    expect(senderMatches('*@sender.example', 'Alice@SENDER.example', '')).toBe(true);
    expect(senderMatches('*@sender.example', 'alice@evil-sender.example', '')).toBe(false);
    expect(senderMatches('a?ice@sender.example', 'alice@sender.example', '')).toBe(true);
    expect(senderMatches('a?ice@sender.example', 'aalice@sender.example', '')).toBe(false);
    expect(senderMatches('*', '', '')).toBe(true); // the null sender too
  });

  it('a bare domain or @domain means the whole domain', () => {
    expect(senderMatches('sender.example', 'bob@sender.example', '')).toBe(true);
    expect(senderMatches('@sender.example', 'bob@sender.example', '')).toBe(true);
    expect(senderMatches('*.sender.example', 'bob@eu.sender.example', '')).toBe(true);
    expect(senderMatches('sender.example', 'bob@other.example', '')).toBe(false);
  });

  it('/regular expressions/ match the sender address', () => {
    expect(senderMatches('/^(alice|bob)@sender\\.example$/', 'BOB@sender.example', '')).toBe(true);
    expect(senderMatches('/^(alice|bob)@sender\\.example$/', 'carol@sender.example', '')).toBe(false);
    expect(patternKind('/x+/')).toBe('regex');
    // A broken expression never matches and is reported for the audit.
    expect(senderMatches('/(unclosed/', '(unclosed', '')).toBe(false);
    expect(patternProblem('/(unclosed/')).toMatch(/is refused: .*missing closing \)/);
    expect(patternProblem('*@x.example')).toBeNull();
  });

  it('IP addresses and CIDR networks match the client IP, not the address', () => {
    expect(senderMatches('10.0.0.0/8', 'alice@sender.example', '10.1.2.3')).toBe(true);
    expect(senderMatches('10.0.0.0/8', 'alice@sender.example', '::ffff:10.1.2.3')).toBe(true);
    expect(senderMatches('10.0.0.0/8', 'alice@sender.example', '192.0.2.1')).toBe(false);
    expect(senderMatches('203.0.113.7', 'x@y.example', '203.0.113.7')).toBe(true);
    expect(senderMatches('2001:db8::/32', 'x@y.example', '2001:db8::5')).toBe(true);
    expect(patternKind('2001:db8::/32')).toBe('ip');
    expect(patternKind('*@x.example')).toBe('mask');
  });

  it('recipient patterns: masks and regexes', () => {
    expect(recipientMatches('*@corp.example', 'bob@corp.example')).toBe(true);
    expect(recipientMatches('/^sales-/', 'sales-eu@corp.example')).toBe(true);
    expect(recipientMatches('ceo@corp.example', 'bob@corp.example')).toBe(false);
  });
});

describe('rule selection', () => {
  const list = rules([
    { name: 'Default', mode: 'scan' }, // written first: still considered last
    { name: 'AllowList', enabled: false, senders: ['*'], mode: 'skip' },
    { name: 'Internal', senders: ['10.0.0.0/8'], mode: 'skip' },
    { name: 'CEO', recipients: ['ceo@corp.example'], mode: 'delete' },
    { name: 'Spammers', senders: ['*@spam.example'], mode: 'reject' },
  ]);

  it('first enabled match wins; disabled rules are ignored; Default applies last', () => {
    expect(selectRule(list, 'x@spam.example', '203.0.113.7', 'bob@corp.example').rule.name).toBe('Spammers');
    expect(selectRule(list, 'x@spam.example', '203.0.113.7', 'ceo@corp.example').rule.name).toBe('CEO');
    expect(selectRule(list, 'x@spam.example', '10.9.9.9', 'ceo@corp.example').rule.name).toBe('Internal');
    const d = selectRule(list, 'a@b.example', '203.0.113.7', 'bob@corp.example');
    expect(d.rule.name).toBe('Default');
    expect(d.id).toBe(1); // its position in the list is its ID
  });

  it('the schema appends Default when the file has none', () => {
    const only = rules([{ name: 'X', senders: ['nobody@x.example'] }]);
    expect(selectRule(only, 'a@b.example', '', 'c@d.example')).toMatchObject({ rule: { name: 'Default' }, id: 2 });
  });

  it('groups recipients by their rule', () => {
    const g = groupRecipientsByRule(list, 'x@spam.example', '203.0.113.7', ['bob@corp.example', 'ceo@corp.example', 'ann@corp.example']);
    expect(g.map((x) => [x.rule.name, x.recipients])).toEqual([
      ['Spammers', ['bob@corp.example', 'ann@corp.example']],
      ['CEO', ['ceo@corp.example']],
    ]);
  });
});

describe('Reject settings (shared with the audit and the wizard)', () => {
  it('lists the KSMG default Rejects and replaces them with Delete message', async () => {
    const { rejectSettings, replaceRejectWithDelete } = await import('../../../src/policy/rules.js');
    const [def] = rules([{ name: 'Default', mailAuthentication: { enabled: false } }]);
    expect(rejectSettings(def!)).toEqual([
      'antiPhishing.phishing',
      'contentFiltering.sizeExceeded',
      'mailAuthentication.spf',
      'mailAuthentication.dkim',
    ]);
    expect(rejectSettings(def!, { activeOnly: true })).toEqual(['antiPhishing.phishing', 'contentFiltering.sizeExceeded']);
    const fixed = replaceRejectWithDelete(def!);
    expect(rejectSettings(fixed)).toEqual([]);
    expect(fixed.antiPhishing.phishing).toBe('delete-message');
    expect(def!.antiPhishing.phishing).toBe('reject'); // the input is not changed
    const [r] = rules([{ name: 'Block', mode: 'reject' }]);
    expect(rejectSettings(r!, { activeOnly: true })).toEqual(['mode']);
    expect(replaceRejectWithDelete(r!).mode).toBe('delete');
  });
});
