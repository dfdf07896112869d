import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LabDns } from '../../../src/lab/dns.js';
import { createDnsResolver, DnsError } from '../../../src/relay/resolver.js';
import net from 'node:net';

describe('lab DNS', () => {
  const dns = new LabDns({
    zone: new Map([
      ['corp.example', { MX: [{ priority: 10, exchange: 'mail.corp.example' }], TXT: ['v=spf1 ip4:10.0.0.0/8 -all'] }],
      ['mail.corp.example', { A: ['10.0.0.25'], AAAA: ['2001:db8::25'] }],
      ['nullmx.example', { MX: [{ priority: 0, exchange: '.' }] }],
    ]),
    fallback: (name) => (name.endsWith('.invalid') ? null : { A: ['198.51.100.25'] }),
  });
  beforeAll(async () => {
    await dns.start();
  });
  afterAll(async () => {
    await dns.close();
  });

  it('serves MX, A, AAAA and TXT over UDP on 127.0.0.1 only', async () => {
    const r = createDnsResolver({ servers: [dns.server127], timeoutMs: 1000, tries: 1 });
    expect(await r.resolveMx('corp.example')).toEqual([{ exchange: 'mail.corp.example', priority: 10 }]);
    expect(await r.resolve4('mail.corp.example')).toEqual(['10.0.0.25']);
    expect(await r.resolve6('mail.corp.example')).toEqual(['2001:db8::25']);
    expect(await r.resolveTxt('corp.example')).toEqual([['v=spf1 ip4:10.0.0.0/8 -all']]);
    expect(await r.resolve4('anything.example')).toEqual(['198.51.100.25']);
  });

  it('answers NXDOMAIN, NODATA and null MX', async () => {
    const r = createDnsResolver({ servers: [dns.server127], timeoutMs: 1000, tries: 1 });
    await expect(r.resolveMx('nothing.invalid')).rejects.toMatchObject({ kind: 'nxdomain' });
    await expect(r.resolveMx('mail.corp.example')).rejects.toBeInstanceOf(DnsError);
    await expect(r.resolveMx('mail.corp.example')).rejects.toMatchObject({ kind: 'nodata' });
    const nullMx = await r.resolveMx('nullmx.example');
    expect(nullMx).toHaveLength(1);
    expect(nullMx[0]!.exchange).toBe('');
    dns.add('corp.example', null);
    await expect(r.resolveMx('corp.example')).rejects.toMatchObject({ kind: 'nxdomain' });
    dns.reset();
    expect(await r.resolveMx('corp.example')).toHaveLength(1);
  });

  it('listens on TCP at the same port, on loopback', async () => {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: dns.port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    expect(ok).toBe(true);
  });
});
