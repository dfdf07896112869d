// Network membership through net.BlockList (src/config/net.ts), as the audit and the relay share
// it (src/policy/client.ts): every spelling of an address matches, and IPv4 and IPv6 networks
// stay apart as in Postfix's mynetworks.
import { describe, expect, it } from 'vitest';
import { cidrContains, matchFamily, NetworkMatcher, normaliseIp, parseCidr, type Cidr } from '../../../src/config/net.js';
import { bareAddress, classifyClient, compileNetworks, inNetworks, untrustedRouteHosts } from '../../../src/policy/client.js';

const cidr = (s: string): Cidr => {
  const r = parseCidr(s);
  if (!r.ok) throw new Error(r.reason);
  return r.cidr;
};

const TEN = [
  '10.1.2.3',
  '::ffff:10.1.2.3',
  '::FFFF:10.1.2.3',
  '::ffff:a01:203',
  '0:0:0:0:0:ffff:10.1.2.3',
  '0:0:0:0:0:ffff:a01:203',
  '[::ffff:a01:203]',
  'IPv6:::ffff:10.1.2.3',
];

describe('IPv4-mapped IPv6, every spelling', () => {
  it.each(TEN)('%s is in 10.0.0.0/8 (trusted) for the relay and the audit', (ip) => {
    const nets = compileNetworks(['10.0.0.0/8']);
    expect(inNetworks(nets, ip)).toBe(true);
    expect(classifyClient(nets, ip)).toBe('trusted');
    expect(bareAddress(ip)).toBe('10.1.2.3');
  });

  it.each(TEN.filter((ip) => !ip.includes('[') && !ip.startsWith('IPv6:')))('cidrContains(10.0.0.0/8, %s)', (ip) => {
    expect(cidrContains(cidr('10.0.0.0/8'), ip)).toBe(true);
    expect(normaliseIp(ip)).toBe('10.1.2.3');
    expect(matchFamily(ip)).toBe('ipv4');
  });

  it('outside addresses stay outside, whatever the spelling', () => {
    const nets = compileNetworks(['10.0.0.0/8']);
    for (const ip of ['11.0.0.1', '::ffff:b00:1', '::ffff:11.0.0.1', '::10.1.2.3', '2001:db8::1', 'not-an-ip', ''])
      expect(inNetworks(nets, ip)).toBe(false);
  });
});

describe('families stay apart (Postfix mynetworks)', () => {
  it('an IPv6 network never covers an IPv4 client, nor the reverse', () => {
    const m = new NetworkMatcher([cidr('::/0'), cidr('::ffff:10.0.0.0/104')]);
    expect(m.has('10.1.2.3')).toBe(false);
    expect(m.has('::ffff:10.1.2.3')).toBe(false);
    expect(m.has('2001:db8::1')).toBe(true);
    expect(new NetworkMatcher([cidr('0.0.0.0/0')]).has('2001:db8::1')).toBe(false);
  });

  it('IPv6 networks in any spelling', () => {
    const nets = compileNetworks(['2001:db8:10::/48', '192.168.10.25']);
    expect(inNetworks(nets, '2001:DB8:10:0:0:0:0:5')).toBe(true);
    expect(inNetworks(nets, '[2001:db8:10::5%eth0]')).toBe(true);
    expect(inNetworks(nets, '2001:db8:11::5')).toBe(false);
    expect(inNetworks(nets, '192.168.10.25')).toBe(true);
    expect(inNetworks(nets, '192.168.10.26')).toBe(false);
  });

  it("the audit's route-host check uses the same rule", () => {
    const domains = [
      { name: 'a.example', route: { host: '::ffff:a01:219' } },
      { name: 'b.example', route: { host: '192.0.2.25' } },
    ];
    expect(untrustedRouteHosts(domains, ['10.0.0.0/8']).map((h) => h.host)).toEqual(['192.0.2.25']);
  });
});

describe('remembered answers', () => {
  it('answers the same for an address asked again, and stays right past the memory bound', () => {
    const m = new NetworkMatcher([cidr('10.0.0.0/8'), cidr('2001:db8::/32')]);
    const ask = (i: number) => [
      `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
      `192.0.${(i >> 8) & 255}.${i & 255}`,
      `2001:db8::${i.toString(16)}`,
    ];
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < NetworkMatcher.REMEMBERED; i++) {
        const [inside, outside, v6] = ask(i);
        expect(m.has(inside!)).toBe(true);
        expect(m.has(outside!)).toBe(false);
        expect(m.has(v6!)).toBe(true);
      }
    }
  });
});
