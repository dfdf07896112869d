// The relay's DNS stub (src/relay/dns-client.ts) against real servers on 127.0.0.1: the same
// answers as c-ares (node:dns, what the relay used before) for every record form the relay reads,
// TCP after a truncated UDP answer, forged answers ignored, timeouts on an injected clock and a
// new source port every SOCKET_QUERIES queries.
import dgram from 'node:dgram';
import { Resolver as CaresResolver } from 'node:dns/promises';
import net from 'node:net';
import dns2 from 'dns2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/relay/clock.js';
import { DnsClient, encodeQuestion, formatIpv6, SOCKET_QUERIES } from '../../../src/relay/dns-client.js';
import { createDnsResolver, DnsError, splitServer, type Resolver } from '../../../src/relay/resolver.js';
import { rawDnsServer } from '../../helpers/raw-dns-server.js';

const { Packet } = dns2;
const T = Packet.TYPE;

type Rr = { type: number; [k: string]: unknown };
const ZONE: Record<string, Rr[]> = {
  'host.example': [
    { type: T.A, address: '192.0.2.1' },
    { type: T.A, address: '192.0.2.2' },
    { type: T.AAAA, address: '2001:db8::1' },
    { type: T.AAAA, address: '2001:db8:0:0:1:0:0:1' },
    { type: T.AAAA, address: '::1' },
    { type: T.AAAA, address: '::ffff:192.0.2.9' },
    { type: T.AAAA, address: 'fe80:0:0:0:1:2:3:4' },
  ],
  'mail.example': [
    { type: T.MX, priority: 10, exchange: 'mx1.mail.example' },
    { type: T.MX, priority: 20, exchange: 'MX2.Mail.Example' },
    { type: T.TXT, data: 'v=spf1 ip4:192.0.2.0/24 -all' },
    { type: T.TXT, data: ['first part ', 'second part'] },
    { type: T.TXT, data: ['x'.repeat(255), 'y'.repeat(100)] },
  ],
  'nullmx.example': [{ type: T.MX, priority: 0, exchange: '' }],
  'alias.example': [{ type: T.CNAME, domain: 'host.example' }],
  'servfail.example': [],
};

function answer(req: any): any {
  const res = Packet.createResponseFromRequest(req);
  const q = req.questions[0];
  const name = String(q.name).toLowerCase();
  if (name === 'servfail.example') {
    res.header.rcode = 2;
    return res;
  }
  let rrs = ZONE[name];
  if (!rrs) {
    res.header.rcode = 3;
    return res;
  }
  const cname = rrs.find((r) => r.type === T.CNAME);
  if (cname && q.type !== T.CNAME) {
    res.answers.push({ name: q.name, class: Packet.CLASS.IN, ttl: 60, ...cname } as never);
    rrs = ZONE[String(cname.domain)]!;
    for (const r of rrs.filter((r) => r.type === q.type))
      res.answers.push({ name: String(cname.domain), class: Packet.CLASS.IN, ttl: 60, ...r } as never);
    return res;
  }
  for (const r of rrs.filter((r) => r.type === q.type)) res.answers.push({ name: q.name, class: Packet.CLASS.IN, ttl: 60, ...r } as never);
  return res;
}

let server: any;
let port = 0;
let ours: Resolver;
let cares: CaresResolver;

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const p = s.address().port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

beforeAll(async () => {
  server = dns2.createServer({ udp: true, handle: (req: any, send: any) => send(answer(req)) } as any);
  port = await freeUdpPort();
  await server.listen({ udp: { port, address: '127.0.0.1' } });
  ours = createDnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 2000, tries: 1 });
  cares = new CaresResolver({ timeout: 2000, tries: 1 });
  cares.setServers([`127.0.0.1:${port}`]);
});

afterAll(async () => {
  await server?.close();
});

/** c-ares's answer in our Resolver's terms: the records, or the DnsError kind its code maps to. */
async function viaCares(method: keyof Resolver, name: string): Promise<unknown> {
  const kinds: Record<string, string> = { ENOTFOUND: 'nxdomain', ENODATA: 'nodata', ETIMEOUT: 'timeout' };
  try {
    return await (cares[method] as (n: string) => Promise<unknown>).call(cares, name);
  } catch (e) {
    return { kind: kinds[(e as NodeJS.ErrnoException).code!] ?? 'servfail' };
  }
}

async function viaOurs(method: keyof Resolver, name: string): Promise<unknown> {
  try {
    return await ours[method](name);
  } catch (e) {
    expect(e).toBeInstanceOf(DnsError);
    return { kind: (e as DnsError).kind };
  }
}

describe('the same answers as c-ares', () => {
  const cases: Array<[keyof Resolver, string]> = [
    ['resolve4', 'host.example'],
    ['resolve6', 'host.example'],
    ['resolveMx', 'mail.example'],
    ['resolveMx', 'nullmx.example'],
    ['resolveTxt', 'mail.example'],
    ['resolve4', 'alias.example'],
    ['resolve4', 'HOST.Example'],
    ['resolve4', 'host.example.'],
    ['resolve4', 'nothing.example'],
    ['resolveTxt', 'host.example'],
    ['resolveMx', 'servfail.example'],
    ['resolve4', 'bad..name.example'],
  ];
  it.each(cases)('%s %s', async (method, name) => {
    const expected = await viaCares(method, name);
    const got = await viaOurs(method, name);
    // c-ares's order of records is the server's; so is ours.
    expect(got).toEqual(expected);
  });
});

describe('on the wire', () => {
  const rawServer = rawDnsServer;
  const encode = (q: Buffer) => answer(Packet.parse(q)).toBuffer() as Buffer;

  it('ignores answers with another id or from another port, and takes the real one', async () => {
    const srv = await rawServer((q) => {
      const real = encode(q);
      // Forgeries name 203.0.113.66 where the real answer has 192.0.2.1.
      const forge = () => Buffer.from(real.toString('hex').replace('c0000201', 'cb007142'), 'hex');
      const wrongId = forge();
      wrongId.writeUInt16BE((real.readUInt16BE(0) + 1) & 0xffff, 0);
      const forged = forge();
      return [{ msg: wrongId }, { msg: forged, via: srv.other }, { msg: real }];
    });
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 2000, tries: 1 });
    expect(await client.query('host.example', 'A')).toEqual({ ok: true, records: ['192.0.2.1', '192.0.2.2'] });
    client.close();
    await srv.close();
  });

  it('asks again over TCP when the UDP answer is truncated', async () => {
    const tcp = net.createServer((s) => {
      let buf = Buffer.alloc(0);
      s.on('data', (d) => {
        buf = Buffer.concat([buf, d]);
        if (buf.length < 2 || buf.length < 2 + buf.readUInt16BE(0)) return;
        const out = encode(buf.subarray(2, 2 + buf.readUInt16BE(0)));
        const len = Buffer.alloc(2);
        len.writeUInt16BE(out.length);
        s.end(Buffer.concat([len, out]));
      });
    });
    const srv = await rawServer((q) => {
      const truncated = Buffer.from(q); // the question, with QR and TC set, no answers
      truncated[2] = truncated[2]! | 0x80 | 0x02;
      return [{ msg: truncated }];
    });
    await new Promise<void>((r) => tcp.listen(srv.port, '127.0.0.1', () => r()));
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 2000, tries: 1 });
    expect(await client.query('mail.example', 'TXT')).toEqual({
      ok: true,
      records: [['v=spf1 ip4:192.0.2.0/24 -all'], ['first part ', 'second part'], ['x'.repeat(255), 'y'.repeat(100)]],
    });
    client.close();
    await srv.close();
    await new Promise<void>((r) => tcp.close(() => r()));
  });

  it('times out on the injected clock, trying each server `tries` times', async () => {
    const srv = await rawServer(() => []); // never answers
    const clock = new ManualClock();
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 5000, tries: 2, clock });
    const pending = client.query('host.example', 'A');
    while (srv.seen.length < 1) await new Promise((r) => setImmediate(r));
    await clock.advance(5000);
    while (srv.seen.length < 2) await new Promise((r) => setImmediate(r));
    await clock.advance(5000);
    expect(await pending).toEqual({ ok: false, kind: 'timeout' });
    expect(srv.seen).toHaveLength(2);
    client.close();
    await srv.close();
  });

  it('a timer that fires late (this event loop was held up) waits once more before giving up', async () => {
    const srv = await rawServer(() => []); // never answers
    let now = 0;
    const timers: Array<() => void> = [];
    const clock = { now: () => now, setTimer: (_ms: number, fn: () => void) => (timers.push(fn), { cancel() {} }) };
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 2000, tries: 1, clock });
    let settled = false;
    const pending = client.query('host.example', 'A').then((r) => ((settled = true), r));
    while (timers.length < 1) await new Promise((r) => setImmediate(r));
    now = 2000 + 5000; // due at 2000, fired 5 s late
    timers[0]!();
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);
    expect(timers).toHaveLength(2); // the wait started again
    now += 2000; // on time
    timers[1]!();
    expect(await pending).toEqual({ ok: false, kind: 'timeout' });
    client.close();
    await srv.close();
  });

  it('a closed port fails at once (ICMP port unreachable), not after the timeout', async () => {
    const closed = await freeUdpPort();
    const clock = new ManualClock(); // never advanced: only the refusal can end the query
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: closed }], timeoutMs: 5000, tries: 2, clock });
    expect(await client.query('host.example', 'A')).toEqual({ ok: false, kind: 'servfail' });
    expect(clock.pending()).toBe(0);
    client.close();
  });

  it(`takes a new socket (source port) after ${SOCKET_QUERIES} queries, with random ids`, async () => {
    const ids = new Set<number>();
    const srv = await rawServer((q) => {
      ids.add(q.readUInt16BE(0));
      return [{ msg: encode(q) }];
    });
    const client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 2000, tries: 1, cache: false });
    for (let i = 0; i < SOCKET_QUERIES * 2 + 1; i++) expect((await client.query('host.example', 'A')).ok).toBe(true);
    expect(new Set(srv.seen.map((s) => s.port)).size).toBe(3);
    expect(ids.size).toBeGreaterThan(SOCKET_QUERIES * 2 - 5); // 16-bit random ids: a few repeats at most
    client.close();
    await srv.close();
  });

  it('a name that cannot be asked (empty label, over 63 octets, not ASCII) is a server failure, never sent', () => {
    expect(encodeQuestion('a..b', 1)).toBeNull();
    expect(encodeQuestion(`${'a'.repeat(64)}.example`, 1)).toBeNull();
    expect(encodeQuestion('bücher.example', 1)).toBeNull();
    expect(encodeQuestion('ok.example', 16)!.toString('hex')).toBe('026f6b076578616d706c6500' + '0010' + '0001');
  });

  it('IPv6 addresses are written as inet_ntop writes them', () => {
    const b = (s: string) => Buffer.from(s.replace(/:/g, ''), 'hex');
    expect(formatIpv6(b('2001:0db8:0000:0000:0000:0000:0000:0001'))).toBe('2001:db8::1');
    expect(formatIpv6(b('0000:0000:0000:0000:0000:0000:0000:0000'))).toBe('::');
    expect(formatIpv6(b('0000:0000:0000:0000:0000:ffff:c000:0209'))).toBe('::ffff:192.0.2.9');
    expect(formatIpv6(b('2001:0db8:0000:0001:0000:0000:0000:0001'))).toBe('2001:db8:0:1::1');
    expect(formatIpv6(b('2001:0db8:0001:0001:0001:0001:0000:0001'))).toBe('2001:db8:1:1:1:1:0:1');
  });

  it('server strings in the forms --dns and getServers() give', () => {
    expect(splitServer('127.0.0.1:5353')).toEqual({ host: '127.0.0.1', port: 5353 });
    expect(splitServer('192.0.2.53')).toEqual({ host: '192.0.2.53', port: 53 });
    expect(splitServer('[::1]:5353')).toEqual({ host: '::1', port: 5353 });
    expect(splitServer('::1')).toEqual({ host: '::1', port: 53 });
    expect(splitServer('resolver.example')).toBeNull();
  });
});
