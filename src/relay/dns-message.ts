// DNS messages as the relay's stub (dns-client.ts) writes and reads them: the question it sends,
// and the answer's records, rcode and TTLs (RFC 1035 §4, RFC 2308 for negative answers).

export type QueryType = 'A' | 'AAAA' | 'MX' | 'TXT';
export const TYPE: Record<QueryType | 'CNAME' | 'SOA', number> = { A: 1, AAAA: 28, MX: 15, TXT: 16, CNAME: 5, SOA: 6 };

export type RecordOf<T extends QueryType> = T extends 'MX' ? { exchange: string; priority: number } : T extends 'TXT' ? string[] : string;

/** nxdomain / nodata / servfail (any other failure of the server or of the name) / timeout. */
export type QueryOutcome<T extends QueryType> =
  { ok: true; records: RecordOf<T>[] } | { ok: false; kind: 'nxdomain' | 'nodata' | 'servfail' | 'timeout' };

/** Header of a query: id, RD, one question. */
export function header(id: number): Buffer {
  const h = Buffer.alloc(12);
  h.writeUInt16BE(id, 0);
  h.writeUInt16BE(0x0100, 2);
  h.writeUInt16BE(1, 4);
  return h;
}

/** QNAME QTYPE QCLASS(IN), or null for a name that is not a valid ASCII domain name. */
export function encodeQuestion(name: string, type: number): Buffer | null {
  const labels = name === '' ? [] : name.split('.');
  if (name.length > 253 || labels.some((l) => l.length === 0 || l.length > 63) || /[^\x21-\x7e]/.test(name)) return null;
  const out = Buffer.alloc(name.length + (labels.length ? 2 : 1) + 4);
  let at = 0;
  for (const l of labels) {
    out[at++] = l.length;
    at += out.write(l, at, 'latin1');
  }
  out[at++] = 0;
  out.writeUInt16BE(type, at);
  out.writeUInt16BE(1, at + 2);
  return out;
}

/** The answer repeats the question (name compared without regard to case, RFC 4343). */
export function sameQuestion(msg: Buffer, question: Buffer): boolean {
  if (msg.readUInt16BE(4) !== 1 || msg.length < 12 + question.length) return false;
  for (let i = 0; i < question.length; i++) {
    let a = msg[12 + i]!;
    let b = question[i]!;
    if (a >= 0x41 && a <= 0x5a) a += 0x20;
    if (b >= 0x41 && b <= 0x5a) b += 0x20;
    if (a !== b) return false;
  }
  return true;
}

/** A (possibly compressed) name at `at`: the name and where the field ends. Null when malformed. */
function readName(msg: Buffer, at: number): { name: string; end: number } | null {
  const labels: string[] = [];
  let end = -1;
  for (let jumps = 0; jumps < 64;) {
    if (at >= msg.length) return null;
    const len = msg[at]!;
    if (len === 0) {
      return { name: labels.join('.'), end: end < 0 ? at + 1 : end };
    }
    if ((len & 0xc0) === 0xc0) {
      if (at + 1 >= msg.length) return null;
      if (end < 0) end = at + 2;
      at = ((len & 0x3f) << 8) | msg[at + 1]!;
      jumps++;
      continue;
    }
    if (len > 63 || at + 1 + len > msg.length) return null;
    labels.push(msg.toString('latin1', at + 1, at + 1 + len));
    at += 1 + len;
  }
  return null;
}

/** rcode and the records of `type` owned by `qname` or by the CNAME chain from it. */
export function decodeAnswer<T extends QueryType>(msg: Buffer, qname: string, type: number, typeName: T): QueryOutcome<T> {
  return decodeWithTtl(msg, qname, type, typeName).outcome;
}

/**
 * The resource record at `at`: owner, type, TTL (one with the top bit set counts as zero, RFC
 * 2181 §8) and where its data lies; null when it runs past the message.
 */
function readRecord(msg: Buffer, at: number): { owner: string; type: number; ttl: number; dataAt: number; end: number } | null {
  const n = readName(msg, at);
  if (!n || n.end + 10 > msg.length) return null;
  const dataAt = n.end + 10;
  const end = dataAt + msg.readUInt16BE(n.end + 8);
  if (end > msg.length) return null;
  const ttl = msg.readUInt32BE(n.end + 4);
  return { owner: n.name, type: msg.readUInt16BE(n.end), ttl: ttl > 0x7fffffff ? 0 : ttl, dataAt, end };
}

/**
 * The outcome and how long it may be cached, in seconds (0: not at all). An answer lives as long
 * as the shortest TTL among its records and the CNAMEs that lead to them; NXDOMAIN and NODATA as
 * long as the authority section's SOA says, the smaller of its TTL and its MINIMUM field
 * (RFC 2308 §5), and not at all without an SOA; a server failure never.
 */
export function decodeWithTtl<T extends QueryType>(
  msg: Buffer,
  qname: string,
  type: number,
  typeName: T,
): { outcome: QueryOutcome<T>; ttl: number } {
  const fail = (kind: 'nxdomain' | 'nodata' | 'servfail', ttl = 0) => ({ outcome: { ok: false as const, kind }, ttl });
  const rcode = msg[3]! & 0x0f;
  if (rcode !== 0 && rcode !== 3) return fail('servfail');
  const ancount = msg.readUInt16BE(6);
  const nscount = msg.readUInt16BE(8);
  const q = readName(msg, 12);
  if (!q) return fail('servfail');
  let at = q.end + 4;
  const rrs: Array<{ owner: string; type: number; ttl: number; data: Buffer; dataAt: number }> = [];
  for (let i = 0; i < ancount; i++) {
    const rr = readRecord(msg, at);
    if (!rr) return fail('servfail');
    rrs.push({ owner: rr.owner.toLowerCase(), type: rr.type, ttl: rr.ttl, data: msg.subarray(rr.dataAt, rr.end), dataAt: rr.dataAt });
    at = rr.end;
  }
  // The authority section only says how long a negative answer may be kept: one cut short or
  // malformed leaves the answer as it is, uncached.
  let negativeTtl = -1;
  for (let i = 0; i < nscount && negativeTtl < 0; i++) {
    const rr = readRecord(msg, at);
    if (!rr) break;
    if (rr.type === TYPE.SOA) negativeTtl = soaNegativeTtl(msg, rr.ttl, rr.dataAt, rr.end);
    at = rr.end;
  }
  const owners = new Set([qname.toLowerCase()]);
  let chainTtl = Infinity;
  for (let grew = true; grew;) {
    grew = false;
    for (const rr of rrs) {
      if (rr.type !== TYPE.CNAME || !owners.has(rr.owner)) continue;
      const target = readName(msg, rr.dataAt)?.name.toLowerCase();
      if (target && !owners.has(target)) {
        owners.add(target);
        chainTtl = Math.min(chainTtl, rr.ttl);
        grew = true;
      }
    }
  }
  const negative = Math.min(chainTtl, Math.max(0, negativeTtl));
  if (rcode === 3) return fail('nxdomain', negative);
  const records: RecordOf<T>[] = [];
  let ttl = chainTtl;
  for (const rr of rrs) {
    if (rr.type !== type || !owners.has(rr.owner)) continue;
    const record = decodeRecord(msg, rr, typeName);
    if (record === null) return fail('servfail');
    records.push(record as RecordOf<T>);
    ttl = Math.min(ttl, rr.ttl);
  }
  return records.length ? { outcome: { ok: true, records }, ttl } : fail('nodata', negative);
}

/** min(SOA TTL, MINIMUM): the SOA's RDATA is two names and five 32-bit fields, MINIMUM last. */
function soaNegativeTtl(msg: Buffer, ttl: number, dataAt: number, end: number): number {
  const mname = readName(msg, dataAt);
  const rname = mname && readName(msg, mname.end);
  if (!rname || rname.end + 20 > end) return -1;
  const minimum = msg.readUInt32BE(rname.end + 16);
  return Math.min(ttl, minimum > 0x7fffffff ? 0 : minimum);
}

function decodeRecord(msg: Buffer, rr: { data: Buffer; dataAt: number }, type: QueryType): RecordOf<QueryType> | null {
  const d = rr.data;
  switch (type) {
    case 'A':
      return d.length === 4 ? `${d[0]}.${d[1]}.${d[2]}.${d[3]}` : null;
    case 'AAAA':
      return d.length === 16 ? formatIpv6(d) : null;
    case 'MX': {
      if (d.length < 3) return null;
      const n = readName(msg, rr.dataAt + 2);
      return n ? { priority: d.readUInt16BE(0), exchange: n.name } : null;
    }
    case 'TXT': {
      const strings: string[] = [];
      for (let i = 0; i < d.length;) {
        const len = d[i]!;
        if (i + 1 + len > d.length) return null;
        strings.push(d.toString('latin1', i + 1, i + 1 + len));
        i += 1 + len;
      }
      return strings;
    }
  }
}

/** As inet_ntop() writes it (what c-ares gives node): the longest run of zero groups as "::". */
export function formatIpv6(b: Buffer): string {
  const words = Array.from({ length: 8 }, (_, i) => b.readUInt16BE(i * 2));
  let best = { base: -1, len: 0 };
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > best.len) best = { base: i, len: j - i };
    i = j;
  }
  if (best.len < 2) best = { base: -1, len: 0 };
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (best.base >= 0 && i >= best.base && i < best.base + best.len) {
      if (i === best.base) out += ':';
      continue;
    }
    if (i !== 0) out += ':';
    // An IPv4-compatible or IPv4-mapped address ends in dotted decimal.
    if (i === 6 && best.base === 0 && (best.len === 6 || (best.len === 5 && words[5] === 0xffff))) {
      out += `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
      break;
    }
    out += words[i]!.toString(16);
  }
  if (best.base >= 0 && best.base + best.len === 8) out += ':';
  return out;
}
