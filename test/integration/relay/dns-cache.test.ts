// The relay's DNS stub keeps answers for their TTL (src/relay/dns-client.ts, DnsCacheOptions):
// against a raw server on 127.0.0.1 that counts the queries it gets and answers every query for a
// name with a new address, so an answer from the cache is told apart from a fresh one.
import dns2 from 'dns2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/relay/clock.js';
import { decodeWithTtl, DnsClient } from '../../../src/relay/dns-client.js';
import { rawDnsServer, type RawDnsServer } from '../../helpers/raw-dns-server.js';

const { Packet } = dns2;
const T = Packet.TYPE;
const IN = Packet.CLASS.IN;

/** An SOA for the authority section of a negative answer. */
const soa = (ttl: number, minimum: number) => ({
  name: 'example',
  type: T.SOA,
  class: IN,
  ttl,
  primary: 'ns.example',
  admin: 'hostmaster.example',
  serial: 1,
  refresh: 3600,
  retry: 600,
  expiration: 86400,
  minimum,
});

let asked: Map<string, number>;

/** The answer to one query; `n` is how many times this name and type have been asked. */
function answer(req: any): any {
  const res: any = Packet.createResponseFromRequest(req);
  const q = req.questions[0];
  const name = String(q.name).toLowerCase();
  const key = `${q.type} ${name}`;
  const n = (asked.get(key) ?? 0) + 1;
  asked.set(key, n);
  const a = (owner: string, ttl: number, last = n) => ({ name: owner, type: T.A, class: IN, ttl, address: `192.0.2.${last}` });
  switch (name) {
    case 'a.example': // two records: the shorter TTL counts
      res.answers.push(a(q.name, 30), { ...a(q.name, 10), address: `198.51.100.${n}` });
      break;
    case 'alias.example': // the CNAME lives shorter than its target's record
      res.answers.push({ name: q.name, type: T.CNAME, class: IN, ttl: 5, domain: 'target.example' }, a('target.example', 300));
      break;
    case 'long.example':
      res.answers.push(a(q.name, 86400));
      break;
    case 'zero.example':
      res.answers.push(a(q.name, 0));
      break;
    case 'nx.example':
      res.header.rcode = 3;
      res.authorities.push(soa(300, 60));
      break;
    case 'nosoa.example':
      res.header.rcode = 3;
      break;
    case 'nodata.example':
      res.authorities.push(soa(20, 900));
      break;
    case 'fail.example':
      res.header.rcode = 2;
      break;
    default:
      res.answers.push(a(q.name, 60));
  }
  return res;
}

let srv: RawDnsServer;
let clock: ManualClock;
let client: DnsClient;

beforeEach(async () => {
  asked = new Map();
  srv = await rawDnsServer((q) => [{ msg: answer(Packet.parse(q)).toBuffer() as Buffer }]);
  clock = new ManualClock();
  client = new DnsClient({ servers: [{ host: '127.0.0.1', port: srv.port }], timeoutMs: 2000, tries: 1, clock });
});

afterEach(async () => {
  client.close();
  await srv.close();
});

/** Seconds later on the injected clock (no query is under way, so no timer fires). */
const later = (seconds: number) => clock.advance(seconds * 1000);

describe('answers', () => {
  it('are kept for the shortest TTL among their records, then asked again', async () => {
    const first = { ok: true, records: ['192.0.2.1', '198.51.100.1'] };
    expect(await client.query('a.example', 'A')).toEqual(first);
    await later(9.999);
    expect(await client.query('a.example', 'A')).toEqual(first);
    expect(srv.seen).toHaveLength(1);
    await later(0.001);
    expect(await client.query('a.example', 'A')).toEqual({ ok: true, records: ['192.0.2.2', '198.51.100.2'] });
    expect(srv.seen).toHaveLength(2);
  });

  it('through a CNAME, for the CNAME’s TTL when it is the shorter', async () => {
    await client.query('alias.example', 'A');
    await later(4);
    expect(await client.query('alias.example', 'A')).toEqual({ ok: true, records: ['192.0.2.1'] });
    await later(1);
    expect(await client.query('alias.example', 'A')).toEqual({ ok: true, records: ['192.0.2.2'] });
  });

  it('for no longer than an hour, whatever the TTL says; a TTL of 0 not at all', async () => {
    await client.query('long.example', 'A');
    await later(3599);
    expect(await client.query('long.example', 'A')).toEqual({ ok: true, records: ['192.0.2.1'] });
    await later(1);
    expect(await client.query('long.example', 'A')).toEqual({ ok: true, records: ['192.0.2.2'] });
    await client.query('zero.example', 'A');
    expect(await client.query('zero.example', 'A')).toEqual({ ok: true, records: ['192.0.2.2'] });
  });

  it('under one key for the name in any case and with a final dot, apart for each type', async () => {
    await client.query('Host.Example.', 'A');
    expect(await client.query('host.example', 'A')).toEqual({ ok: true, records: ['192.0.2.1'] });
    await client.query('host.example', 'AAAA');
    expect(srv.seen).toHaveLength(2);
  });

  it('are handed out as copies: a caller that changes its records changes nobody else’s', async () => {
    const mine = await client.query('mail.example', 'A');
    if (mine.ok) mine.records.push('203.0.113.1');
    expect(await client.query('mail.example', 'A')).toEqual({ ok: true, records: ['192.0.2.1'] });
  });

  it('the same question asked by many at once goes to the server once', async () => {
    const all = await Promise.all(Array.from({ length: 20 }, () => client.query('busy.example', 'A')));
    expect(new Set(all.map((r) => JSON.stringify(r)))).toEqual(new Set([JSON.stringify({ ok: true, records: ['192.0.2.1'] })]));
    expect(srv.seen).toHaveLength(1);
  });

  it('no more than maxEntries: the oldest goes first', async () => {
    const small = new DnsClient({
      servers: [{ host: '127.0.0.1', port: srv.port }],
      tries: 1,
      clock,
      cache: { maxEntries: 2, maxTtlSeconds: 3600 },
    });
    for (const n of ['one', 'two', 'three']) await small.query(`${n}.example`, 'A');
    expect(small.cacheSize).toBe(2);
    await small.query('three.example', 'A');
    await small.query('two.example', 'A');
    expect(srv.seen).toHaveLength(3);
    expect(await small.query('one.example', 'A')).toEqual({ ok: true, records: ['192.0.2.2'] });
    small.close();
  });
});

describe('negative answers', () => {
  /** After the first query (one on the wire): still from the cache a second before `seconds`, asked again at `seconds`. */
  async function expectKeptFor(name: string, seconds: number): Promise<void> {
    await later(seconds - 1);
    await client.query(name, 'TXT');
    expect(srv.seen).toHaveLength(1);
    await later(1);
    await client.query(name, 'TXT');
    expect(srv.seen).toHaveLength(2);
  }

  it('NXDOMAIN for the smaller of the SOA’s TTL and MINIMUM (RFC 2308)', async () => {
    expect(await client.query('nx.example', 'TXT')).toEqual({ ok: false, kind: 'nxdomain' });
    await expectKeptFor('nx.example', 60);
  });

  it('NODATA the same way: here the SOA’s own TTL is the smaller', async () => {
    expect(await client.query('nodata.example', 'TXT')).toEqual({ ok: false, kind: 'nodata' });
    await expectKeptFor('nodata.example', 20);
  });

  it('without an SOA, and a server failure, are never kept', async () => {
    await client.query('nosoa.example', 'TXT');
    expect(await client.query('nosoa.example', 'TXT')).toEqual({ ok: false, kind: 'nxdomain' });
    await client.query('fail.example', 'TXT');
    expect(await client.query('fail.example', 'TXT')).toEqual({ ok: false, kind: 'servfail' });
    expect(srv.seen).toHaveLength(4);
  });

  it('a timeout is never kept', async () => {
    const silent = await rawDnsServer(() => []);
    const c = new DnsClient({ servers: [{ host: '127.0.0.1', port: silent.port }], timeoutMs: 1000, tries: 1, clock });
    const first = c.query('a.example', 'A');
    while (silent.seen.length < 1) await new Promise((r) => setImmediate(r));
    await later(1);
    expect(await first).toEqual({ ok: false, kind: 'timeout' });
    void c.query('a.example', 'A');
    while (silent.seen.length < 2) await new Promise((r) => setImmediate(r));
    expect(silent.seen).toHaveLength(2);
    c.close();
    await silent.close();
  });
});

describe('decodeWithTtl', () => {
  const decode = (res: any) => decodeWithTtl(res.toBuffer() as Buffer, 'x.example', T.A, 'A');
  const response = () => {
    const res: any = new Packet();
    res.header.qr = 1;
    res.questions.push({ name: 'x.example', type: T.A, class: IN });
    return res;
  };

  it('a TTL with the top bit set counts as zero (RFC 2181 §8)', () => {
    const res = response();
    res.answers.push({ name: 'x.example', type: T.A, class: IN, ttl: 1, address: '192.0.2.1' });
    const buf = res.toBuffer() as Buffer;
    buf.writeUInt32BE(0x80000001, buf.length - 10); // the record's TTL field
    expect(decodeWithTtl(buf, 'x.example', T.A, 'A')).toEqual({ outcome: { ok: true, records: ['192.0.2.1'] }, ttl: 0 });
  });

  it('an authority section cut short leaves a positive answer as it is', () => {
    const res = response();
    res.answers.push({ name: 'x.example', type: T.A, class: IN, ttl: 30, address: '192.0.2.1' });
    res.authorities.push(soa(300, 60));
    const buf = (res.toBuffer() as Buffer).subarray(0, -8);
    expect(decodeWithTtl(buf, 'x.example', T.A, 'A')).toEqual({ outcome: { ok: true, records: ['192.0.2.1'] }, ttl: 30 });
  });

  it('an SOA cut short leaves a negative answer uncached, and still an answer', () => {
    const res = response();
    res.header.rcode = 3;
    res.authorities.push(soa(300, 60));
    const buf = (res.toBuffer() as Buffer).subarray(0, -8); // the SOA's last two fields missing
    expect(decodeWithTtl(buf, 'x.example', T.A, 'A')).toEqual({ outcome: { ok: false, kind: 'nxdomain' }, ttl: 0 });
    expect(decode(res)).toEqual({ outcome: { ok: false, kind: 'nxdomain' }, ttl: 60 });
  });
});
