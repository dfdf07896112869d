// The line loops over whole messages (policy/content.ts, policy/queue-size.ts) find line ends
// with memchr; these properties hold them to the straightforward forms they replaced (kept here
// as the oracles) on messages made of CR, LF, dots and long lines in every combination.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanupContent, cleanupLines, deliveryFacts, nextCrlf, queueFileSize, smtpWire } from '../../../src/policy/content.js';
import { headroom, joinWithHeadroom } from '../../../src/policy/headroom.js';
import { contentRecordBytes } from '../../../src/policy/queue-size.js';
import { mayDeclare } from '../../../src/policy/mime-downgrade.js';

const CRLF = Buffer.from('\r\n', 'latin1');

/** Bytes that matter to the line rules, and lines long enough to cross 998 and 2048. */
const piece = fc.oneof(
  fc.constantFrom('\r\n', '\r\n', '\r\n', '\n', '\r', '.', '..', ' ', 'x', 'Subject: s', '\r\n\r\n', '\r\n.\r\n'),
  fc.integer({ min: 1, max: 2100 }).map((n) => 'y'.repeat(n)),
);
const message = fc.array(piece, { maxLength: 40 }).map((p) => Buffer.from(p.join(''), 'latin1'));
// ---- the forms before (indexOf of a 2-byte needle, a JS loop over every byte) ----
function oldContentRecordBytes(body: Buffer): number {
  let total = 0;
  let start = 0;
  const addLine = (len: number) => {
    do {
      const piece = Math.min(len, 2048);
      total += piece + (piece < 128 ? 2 : 3);
      len -= piece;
    } while (len > 0);
  };
  for (let i = 0; i < body.length; i++) {
    if (body[i] === 0x0a) {
      const end = i > start && body[i - 1] === 0x0d ? i - 1 : i;
      addLine(end - start);
      start = i + 1;
    }
  }
  if (start < body.length) addLine(body.length - start);
  return total;
}
function recordBytes(len: number): number {
  let lenBytes = 1;
  for (let n = len >> 7; n > 0; n >>= 7) lenBytes++;
  return 1 + lenBytes + len;
}
function oldQueueFileSize(data: Buffer): number {
  let total = 0;
  let pos = 0;
  let inHeaders = true;
  while (pos < data.length) {
    let eol = data.indexOf(CRLF, pos);
    const next = eol === -1 ? data.length : eol + 2;
    if (eol === -1) eol = data.length;
    let len = eol - pos;
    if (inHeaders && len === 0) inHeaders = false;
    const full = inHeaders ? Math.max(0, Math.ceil(len / 2048) - 1) : Math.floor(len / 2048);
    total += full * recordBytes(2048);
    len -= full * 2048;
    total += recordBytes(len);
    pos = next;
  }
  return total;
}

function oldHasLongLine(data: Buffer, limit: number): boolean {
  let pos = 0;
  while (pos < data.length) {
    let eol = data.indexOf(CRLF, pos);
    if (eol === -1) eol = data.length;
    if (eol - pos > limit) return true;
    pos = eol + 2;
  }
  return false;
}

describe('line loops by memchr', () => {
  it('nextCrlf(data, from) is data.indexOf(CRLF, from)', () => {
    fc.assert(
      fc.property(message, fc.nat(), (m, f) => {
        const from = m.length ? f % (m.length + 2) : 0;
        expect(nextCrlf(m, from)).toBe(m.indexOf(CRLF, from));
      }),
      { numRuns: 500 },
    );
  });

  it('contentRecordBytes, queueFileSize and the long-line test are what the byte loop and the CRLF search gave', () => {
    fc.assert(
      fc.property(message, (m) => {
        expect(contentRecordBytes(m)).toBe(oldContentRecordBytes(m));
        expect(queueFileSize(m)).toBe(oldQueueFileSize(m));
        // The long-line test smtpWire() makes, from the same pass.
        const { longest } = deliveryFacts(m);
        for (const limit of [1, 80, 998, 2048]) expect(longest > limit).toBe(oldHasLongLine(m, limit));
        expect(smtpWire(m, 998, longest).equals(smtpWire(m))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("cleanupContent's fast path gives the line-by-line result (with and without unstuffing)", () => {
    fc.assert(
      fc.property(message, message, fc.boolean(), (head, body, unstuff) => {
        const raw = Buffer.concat([Buffer.from('From: a@b\r\nTo: c@d\r\n', 'latin1'), head, Buffer.from('\r\n\r\n'), body]);
        const opts = { unstuff, received: 'Received: from x\r\n\tby y\r\n' };
        expect(cleanupContent(raw, opts).toString('latin1')).toBe(cleanupLines(raw, opts).toString('latin1'));
      }),
      { numRuns: 500 },
    );
  });
});

describe('the 8bit prefilter (a Content-Transfer-Encoding anywhere, any case)', () => {
  const RE = /content-transfer-encoding/i;
  const bit = fc.oneof(
    fc.constantFrom(
      'content-transfer-encoding',
      'CONTENT-TRANSFER-ENCODING',
      'Content-Transfer-Encoding',
      '-',
      '--',
      'content-',
      '\xc3',
      '\r\n',
    ),
    fc.stringMatching(/^[cContTrRaAnNsSfFeEdDiIgG-]{1,12}$/),
  );
  const text = fc.array(bit, { maxLength: 30 }).map((p) => Buffer.from(p.join(''), 'latin1'));

  it('answers as the regex over the whole text does', () => {
    fc.assert(
      fc.property(text, (m) => {
        expect(mayDeclare(m)).toBe(RE.test(m.toString('latin1')));
      }),
      { numRuns: 2000 },
    );
  });

  it('after thousands of dashes too (where the windowed regex takes over), and across its 64 KB windows', () => {
    for (const dashes of [0, 4095, 4096, 4097, 70_000]) {
      for (const tail of ['Content-Transfer-Encoding: 8bit', 'Content-Transfer-Encodin', 'x-transfer-encoding']) {
        const m = Buffer.from(`${'-'.repeat(dashes)}${tail}\r\n`, 'latin1');
        expect(mayDeclare(m), `${dashes} dashes, ${tail}`).toBe(RE.test(m.toString('latin1')));
      }
    }
    const straddle = Buffer.concat([Buffer.alloc(65536 - 10, 0x2d), Buffer.from('cOnTeNt-TrAnSfEr-EnCoDiNg')]);
    expect(mayDeclare(straddle)).toBe(true);
  });
});

describe('a large message cleaned where it was received (joinWithHeadroom)', () => {
  const body = Buffer.from(`${'X'.repeat(78)}\r\n`.repeat(1000), 'latin1');
  const heads = [
    'From: a@b\r\nSubject: s\r\n\r\n',
    'Bcc: hidden@x\r\nReturn-Path: <r@x>\r\nContent-Length: 5\r\nSubject: s\r\n\r\n', // cleanup drops these: the block shrinks
    `Subject: ${'long '.repeat(600)}\r\n\r\n`, // longer than the room
    'Subject: s\r\n\r\n',
  ];
  const options = [
    { unstuff: true, received: 'Received: from x\r\n\tby y\r\n' },
    { unstuff: true, received: `Received: from ${'z'.repeat(3000)}\r\n` },
    { unstuff: false, received: `Received: from ${'w'.repeat(5000)}\r\n` }, // more than the room
    { unstuff: true, addMissing: { queueId: 'ABCDEF12345', hostname: 'h.example', arrival: Date.UTC(2026, 0, 1), sender: 's@x' } },
  ];

  it('gives the bytes a copy gives, in the received memory when the new header block fits', () => {
    let inPlace = 0;
    let copied = 0;
    for (const head of heads) {
      for (const opts of options) {
        const raw = Buffer.concat([Buffer.from(head, 'latin1'), body]);
        const want = cleanupContent(Buffer.from(raw), opts);
        // As received: in 64 KB chunks.
        const chunks: Buffer[] = [];
        for (let at = 0; at < raw.length; at += 65536) chunks.push(raw.subarray(at, at + 65536));
        const received = joinWithHeadroom(chunks);
        expect(received.equals(raw)).toBe(true);
        const got = cleanupContent(received, opts);
        expect(got.toString('latin1'), `${head.slice(0, 20)} / ${Object.keys(opts).join()}`).toBe(want.toString('latin1'));
        const fits = want.length - body.length - head.length <= 4096;
        expect(got.buffer === received.buffer, head.slice(0, 20)).toBe(fits);
        if (fits) inPlace++;
        else copied++;
      }
    }
    expect(inPlace).toBeGreaterThan(0);
    expect(copied).toBeGreaterThan(0);
  });

  it('small messages are joined as before (no room)', () => {
    const m = joinWithHeadroom([Buffer.from('Subject: s\r\n'), Buffer.from('\r\nbody\r\n')]);
    expect(m.toString()).toBe('Subject: s\r\n\r\nbody\r\n');
    expect(headroom(m)).toBe(0);
  });
});
