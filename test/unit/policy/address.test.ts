import { describe, expect, it } from 'vitest';
import { extractAddress, parseEnvelopeCommand, resolveAddress } from '../../../src/policy/address.js';

describe('parseEnvelopeCommand', () => {
  const ok = (verb: 'MAIL' | 'RCPT', rest: string, strict = true) => {
    const r = parseEnvelopeCommand(verb, rest, strict);
    if (!r.ok) throw new Error(`unexpected ${r.reply.text}`);
    return r.value;
  };
  const err = (verb: 'MAIL' | 'RCPT', rest: string, strict = true) => {
    const r = parseEnvelopeCommand(verb, rest, strict);
    if (r.ok) throw new Error('expected an error');
    return `${r.reply.code} ${r.reply.enhanced} ${r.reply.text}`;
  };

  it.each([
    ['FROM:<a@b.example>', 'a@b.example', []],
    ['from:<a@b.example>', 'a@b.example', []],
    ['FROM: <a@b.example>', 'a@b.example', []],
    ['FROM:<>', '', []],
    ['FROM:<a@b.example> SIZE=10 BODY=8BITMIME', 'a@b.example', ['SIZE=10', 'BODY=8BITMIME']],
    ['FROM:<"a b"@b.example>', 'a b@b.example', []],
    ['FROM:<"a\\"b"@b.example>', 'a"b@b.example', []],
    ['FROM:<@relay.example,@r2.example:a@b.example>', 'a@b.example', []],
    ['FROM:<a@[192.0.2.1]>', 'a@[192.0.2.1]', []],
    ['FROM:<a@[IPv6:2001:db8::1]>', 'a@[IPv6:2001:db8::1]', []],
  ])('MAIL %s → %s', (rest, address, params) => {
    expect(ok('MAIL', rest)).toMatchObject({ address, params });
  });

  it.each([
    ['', '501 5.5.4 Syntax: MAIL FROM:<address>'],
    ['FROM:', '501 5.5.4 Syntax: MAIL FROM:<address>'],
    ['TO:<a@b.example>', '501 5.5.4 Syntax: MAIL FROM:<address>'],
    ['FROM:a@b.example', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<a@b.example', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<a (c)@b.example>', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<a@b.example (c)>', '501 5.1.7 Bad sender address syntax'],
    ['FROM:Name <a@b.example>', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<a@b.example,c@d.example>', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<"unterminated@b.example>', '501 5.1.7 Bad sender address syntax'],
    ['FROM:<@b.example>', '501 5.1.7 Bad sender address syntax'],
  ])('strict MAIL %s → %s', (rest, reply) => {
    expect(err('MAIL', rest)).toBe(reply);
  });

  it.each([
    ['TO:<>', '501 5.1.3 Bad recipient address syntax'],
    ['TO:b@c.example', '501 5.1.3 Bad recipient address syntax'],
    ['TO:', '501 5.5.4 Syntax: RCPT TO:<address>'],
  ])('strict RCPT %s → %s', (rest, reply) => {
    expect(err('RCPT', rest)).toBe(reply);
  });

  it('non-strict mode accepts bare addresses, phrases and comments', () => {
    expect(ok('MAIL', 'FROM:a@b.example', false).address).toBe('a@b.example');
    // Like smtpd's tokenizer: the first word is the address, the rest are parameters.
    expect(ok('RCPT', 'TO:Bob <b@c.example>', false)).toMatchObject({ address: 'Bob', params: ['<b@c.example>'] });
    expect(ok('RCPT', 'TO:b(comment)@c.example', false).address).toBe('b@c.example');
    expect(err('RCPT', 'TO:<>', false)).toBe('501 5.1.3 Bad recipient address syntax');
  });

  it('extractAddress is what VRFY uses', () => {
    expect(extractAddress('<a@b.example>', false, false)).toBe('a@b.example');
    expect(extractAddress('a@b.example', true, false)).toBeNull();
  });
});

describe('resolveAddress (trivial-rewrite)', () => {
  it.each([
    ['user@corp.example', { local: 'user', domain: 'corp.example', routed: false }],
    ['user@CORP.example.', { local: 'user', domain: 'corp.example', routed: false }],
    ['user%ext.example@corp.example', { local: 'user%ext.example', domain: 'corp.example', routed: true }],
    ['user@ext.example@corp.example', { local: 'user@ext.example', domain: 'corp.example', routed: true }],
    ['ext.example!user', { local: 'user', domain: 'ext.example', routed: false }],
    ['ext.example!user@corp.example', { local: 'ext.example!user', domain: 'corp.example', routed: true }],
    ['a!b!user', { local: 'b!user', domain: 'a', routed: true }],
    ['postmaster', { local: 'postmaster', domain: 'ksmg.corp.example', routed: false }],
    ['user%ext.example', { local: 'user%ext.example', domain: 'ksmg.corp.example', routed: true }],
    ['user@[192.0.2.1]', { domain: '[192.0.2.1]', literal: true }],
    ['user@192.0.2.1', { domain: '192.0.2.1', numeric: true, literal: false }],
    ['user@', { nullDomain: true }],
  ])('%s', (addr, expected) => {
    expect(resolveAddress(addr, 'ksmg.corp.example')).toMatchObject(expected);
  });
});
