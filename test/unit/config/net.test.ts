import { describe, expect, it } from 'vitest';
import {
  bigIntToIp,
  cidrContains,
  cidrCovers,
  hostKind,
  ipToBigInt,
  isEmailAddress,
  parseCidr,
  toAsciiDomain,
} from '../../../src/config/net.js';

function cidr(s: string) {
  const r = parseCidr(s);
  if (!r.ok) throw new Error(r.reason);
  return r.cidr;
}

describe('parseCidr', () => {
  it.each([
    ['10.0.0.0/8', 8, 32],
    ['192.168.10.25', 32, 32],
    ['0.0.0.0/0', 0, 32],
    ['2001:db8:10::/48', 48, 128],
    ['::1', 128, 128],
    ['::/0', 0, 128],
  ])('accepts %s', (s, prefix, bits) => {
    const c = cidr(s);
    expect(c.prefix).toBe(prefix);
    expect(c.bits).toBe(bits);
  });

  it('says which network was meant when host bits are set', () => {
    const r = parseCidr('10.1.2.3/8');
    expect(r).toEqual({ ok: false, reason: 'host bits are set in "10.1.2.3/8": the network of /8 is 10.0.0.0/8' });
    const r6 = parseCidr('2001:db8::1/32');
    expect(r6.ok || r6.reason).toBe('host bits are set in "2001:db8::1/32": the network of /32 is 2001:db8::/32');
  });

  it.each([
    ['10.0.0.0/33', 'prefix length "/33" must be 0–32 for IPv4'],
    ['2001:db8::/129', 'prefix length "/129" must be 0–128 for IPv6'],
    ['10.0.0/8', '"10.0.0" is not an IPv4 or IPv6 address'],
    ['corp.example', '"corp.example" is not an IPv4 or IPv6 address'],
    ['10.0.0.0/x', 'prefix length "/x" must be 0–32 for IPv4'],
  ])('refuses %s', (s, reason) => {
    expect(parseCidr(s)).toEqual({ ok: false, reason });
  });
});

describe('cidrContains / cidrCovers', () => {
  it('matches IPv4, IPv6 and IPv4-mapped IPv6 clients', () => {
    expect(cidrContains(cidr('10.0.0.0/8'), '10.200.1.1')).toBe(true);
    expect(cidrContains(cidr('10.0.0.0/8'), '11.0.0.1')).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), '::ffff:10.1.2.3')).toBe(true);
    expect(cidrContains(cidr('2001:db8:10::/48'), '2001:db8:10:ffff::5')).toBe(true);
    expect(cidrContains(cidr('2001:db8:10::/48'), '2001:db8:11::5')).toBe(false);
    expect(cidrContains(cidr('192.168.10.25'), '192.168.10.25')).toBe(true);
    expect(cidrContains(cidr('192.168.10.25'), '192.168.10.26')).toBe(false);
    expect(cidrContains(cidr('10.0.0.0/8'), '2001:db8::1')).toBe(false);
  });

  it('knows when one network covers another', () => {
    expect(cidrCovers(cidr('10.0.0.0/8'), cidr('10.1.0.0/16'))).toBe(true);
    expect(cidrCovers(cidr('10.1.0.0/16'), cidr('10.0.0.0/8'))).toBe(false);
    expect(cidrCovers(cidr('0.0.0.0/0'), cidr('203.0.113.0/24'))).toBe(true);
    expect(cidrCovers(cidr('::/0'), cidr('10.0.0.0/8'))).toBe(false);
  });
});

describe('IP text round trip', () => {
  it.each(['2001:db8::1', '::1', '2001:db8:0:1::', 'fe80::1:2', '1:2:3:4:5:6:7:8'])('%s', (ip) => {
    const v = ipToBigInt(ip)!;
    expect(bigIntToIp(v.value, v.bits)).toBe(ip);
  });
  it('reads embedded dotted quads', () => {
    expect(ipToBigInt('::ffff:10.0.0.1')!.value).toBe(0xffff0a000001n);
  });
});

describe('domains, hosts and addresses', () => {
  it('normalises domain names and IDN to ASCII', () => {
    expect(toAsciiDomain('Corp.Example')).toBe('corp.example');
    expect(toAsciiDomain('mail.corp.example.')).toBe('mail.corp.example');
    expect(toAsciiDomain('příklad.cz')).toBe('xn--pklad-zsa96e.cz');
    expect(toAsciiDomain('localhost')).toBe('localhost');
  });
  it.each(['-bad.example', 'bad-.example', 'a..b', '', 'under_score.example', '10.0.0.300', 'x'.repeat(64) + '.example'])(
    'refuses %j as a domain',
    (s) => expect(toAsciiDomain(s)).toBeNull(),
  );
  it('classifies hosts', () => {
    expect(hostKind('192.168.0.1')).toBe('ipv4');
    expect(hostKind('2607:f0d0:1002:51::4')).toBe('ipv6');
    expect(hostKind('edge.corp.example')).toBe('name');
    expect(hostKind('192.0.0.0/16')).toBeNull();
  });
  it.each([
    ['user@corp.example', true],
    ['first.last+tag@corp.example', true],
    ['"odd user"@corp.example', true],
    ['uživatel@příklad.cz', true],
    ['user@', false],
    ['@corp.example', false],
    ['user@@corp.example', false],
    ['user.@corp.example', false],
    ['user@corp_example', false],
  ])('email %s → %s', (s, ok) => expect(isEmailAddress(s)).toBe(ok));
});
