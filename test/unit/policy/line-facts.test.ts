// The SIMD line pass (policy/line-scan.wat via line-facts.ts) against the byte-by-byte rules it
// stands in for (deliveryFactsByLines, contentRecordBytesByLines, plainBodyByLines), and the
// committed module against its source.
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { assemble, render } from '../../../scripts/build-wasm.mjs';
import { cleanupContent, deliveryFacts, deliveryFactsByLines, plainBodyByLines } from '../../../src/policy/content.js';
import { joinWithHeadroom } from '../../../src/policy/headroom.js';
import { knownBody, LINE_FACTS_FROM, lineFacts, rememberBodyFacts } from '../../../src/policy/line-facts.js';
import { contentRecordBytes, contentRecordBytesByLines } from '../../../src/policy/queue-size.js';
import { appendHeaders } from '../../../src/scan/rewrite.js';

const b = (s: string) => Buffer.from(s, 'latin1');

/** Lines that end in CRLF only: dots, empty lines, lengths around 127/128, 2047/2048/2049 and the 32-byte steps. */
const line = fc.oneof(
  fc.constantFrom('', '.', '..', '. x', 'Subject: s', ' folded', 'é'),
  fc.integer({ min: 1, max: 4200 }).map((n) => 'y'.repeat(n)),
  fc.constantFrom(127, 128, 2047, 2048, 2049, 4096, 31, 32, 33, 63, 64).map((n) => 'z'.repeat(n)),
);
const crlfMessage = fc
  .tuple(fc.array(line, { maxLength: 30 }), fc.boolean(), fc.string({ maxLength: 40 }))
  .map(([lines, terminated, pad]) => {
    const text = lines.join('\r\n') + (terminated && lines.length ? '\r\n' : '');
    // A prefix of varying length moves every line end across the 32-byte steps of the scan.
    return b(pad.replace(/[\r\n]/g, '') + text);
  });

function expectSameAsByLines(m: Buffer): void {
  const f = lineFacts(m, true);
  expect(f).not.toBeNull();
  const byLines = deliveryFactsByLines(m);
  expect(f!.queueFileSize).toBe(byLines.size);
  expect(f!.longest).toBe(byLines.longest);
  expect(f!.contentRecordBytes).toBe(contentRecordBytesByLines(m));
  expect(f!.dotLine).toBe(m[0] === 0x2e || m.includes('\r\n.'));
  const lengths = m.length
    ? m
        .toString('latin1')
        .replace(/\r\n$/, '')
        .split('\r\n')
        .map((l) => l.length)
    : [];
  expect(f!.exactLines).toBe(lengths.filter((n) => n > 0 && n % 2048 === 0).length);
  if (m.length === 0 || m[m.length - 1] === 0x0a) {
    expect(!f!.dotLine).toBe(plainBodyByLines(m, true));
    expect(plainBodyByLines(m, false)).toBe(true);
  }
}

describe('lineFacts (SIMD) agrees with the byte-by-byte rules', () => {
  it('on messages with CRLF line ends only', () => {
    fc.assert(
      fc.property(crlfMessage, (m) => expectSameAsByLines(m)),
      { numRuns: 800 },
    );
  });

  it('answers null when a CR or LF is not part of a CRLF, wherever it is', () => {
    const base = 'a'.repeat(70) + '\r\n' + 'b'.repeat(40) + '\r\n';
    for (let at = 0; at <= base.length; at++) {
      for (const stray of ['\r', '\n', '\n\r']) {
        const m = b(base.slice(0, at) + stray + base.slice(at));
        const f = lineFacts(m, true);
        // Inserting a CR right before an LF, or an LF right after a CR, can make a valid CRLF pair.
        const stillCrlf = !/\r(?!\n)|(?<!\r)\n/.test(m.toString('latin1'));
        expect(f === null).toBe(!stillCrlf);
        expect(plainBodyByLines(m, false)).toBe(stillCrlf);
      }
    }
  });

  it('empty, one byte, a lone CRLF, a CR as the last byte', () => {
    expect(lineFacts(b(''), true)).toEqual({
      dotLine: false,
      lines: 0,
      longest: 0,
      contentRecordBytes: 0,
      queueFileSize: 0,
      exactLines: 0,
    });
    expect(lineFacts(b('.'), true)).toMatchObject({ dotLine: true, lines: 1, longest: 1 });
    expect(lineFacts(b('\r\n'), true)).toMatchObject({ lines: 1, longest: 0, queueFileSize: 2 });
    expect(lineFacts(b('abc\r'), true)).toBeNull();
    expect(lineFacts(b('\nabc'), true)).toBeNull();
  });

  it('messages larger than the memory it keeps, one after another, and a small one after them', () => {
    const big = b(('x'.repeat(76) + '\r\n').repeat(80_000) + '.dot\r\n'); // ≈ 6.2 MB
    expectSameAsByLines(big);
    expectSameAsByLines(b('y'.repeat(5000) + '\r\n\r\n' + 'z'.repeat(2048) + '\r\n'));
    expectSameAsByLines(big.subarray(0, 4_000_002));
  });

  it('leaves messages under LINE_FACTS_FROM to the byte rules unless asked', () => {
    const m = b('Subject: s\r\n\r\nbody\r\n');
    expect(lineFacts(m)).toBeNull();
    expect(lineFacts(m, true)).not.toBeNull();
    expect(lineFacts(b('x\r\n'.repeat(LINE_FACTS_FROM)))).not.toBeNull();
  });

  it('a shared-memory buffer reads the same as an ordinary one', () => {
    const m = b('Subject: s\r\n\r\n' + 'w'.repeat(3000) + '\r\n.\r\n');
    const shared = Buffer.from(new SharedArrayBuffer(m.length));
    m.copy(shared);
    expect(lineFacts(shared, true)).toEqual(lineFacts(m, true));
  });
});

describe('a body scanned once (rememberBodyFacts, knownBody)', () => {
  const headerLine = fc.oneof(
    fc.constantFrom('Subject: s', ' folded', 'Received: from x', 'X: ' + 'h'.repeat(2045), 'X: ' + 'h'.repeat(4093)),
    fc.integer({ min: 1, max: 3000 }).map((n) => 'H: ' + 'v'.repeat(n)),
  );
  /** A header block (its empty line included) and a CRLF-terminated body, in one buffer. */
  const message = fc
    .tuple(fc.array(headerLine, { minLength: 1, maxLength: 8 }), fc.array(line, { minLength: 1, maxLength: 30 }))
    .map(([headers, lines]) => ({ head: b(headers.join('\r\n') + '\r\n\r\n'), body: b(lines.join('\r\n') + '\r\n') }));

  it('the facts of a header block in front of it plus the body’s are those of the whole message', () => {
    fc.assert(
      fc.property(message, ({ head, body }) => {
        const whole = Buffer.concat([head, body]);
        rememberBodyFacts(whole.subarray(head.length), lineFacts(body, true)!);
        expect(knownBody(whole)).not.toBeNull();
        expect(deliveryFacts(whole)).toEqual(deliveryFactsByLines(whole));
        expect(contentRecordBytes(whole)).toBe(contentRecordBytesByLines(whole));
        // message_size_limit counts the content after the Received: line: a later start.
        const content = whole.subarray(whole.indexOf('\r\n') + 2);
        if (content.indexOf('\r\n\r\n') + 4 === head.length - (whole.length - content.length)) {
          expect(contentRecordBytes(content)).toBe(contentRecordBytesByLines(content));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is not used for a buffer that ends elsewhere or whose first empty line is not where the body starts', () => {
    const whole = b('Subject: s\r\n\r\nX: in the body\r\n\r\n' + 'y'.repeat(20_000) + '\r\n');
    const at = whole.lastIndexOf('\r\n\r\n') + 4;
    rememberBodyFacts(whole.subarray(at), lineFacts(whole.subarray(at), true)!);
    expect(knownBody(whole)).toBeNull(); // the first empty line comes earlier
    expect(knownBody(whole.subarray(0, whole.length - 2))).toBeNull();
    expect(knownBody(whole.subarray(at - 4))).not.toBeNull();
    expect(deliveryFacts(whole)).toEqual(deliveryFactsByLines(whole));
  });

  it('through cleanup and the scan’s headers, edited in place in front of the body, the facts stay those of the whole message', () => {
    const raw = joinWithHeadroom([b('Subject: big\r\n\r\n'), b(('x'.repeat(76) + '\r\n').repeat(2000) + 'z'.repeat(4096) + '\r\n')]);
    const cleaned = cleanupContent(raw, { unstuff: true, received: 'Received: from a\r\n', addMissing: null });
    expect(knownBody(cleaned)).not.toBeNull();
    expect(deliveryFacts(cleaned)).toEqual(deliveryFactsByLines(cleaned));
    const scanned = appendHeaders(cleaned, ['X-KSMG-AntiVirus-Status: Clean, skipped']);
    expect(scanned.buffer).toBe(cleaned.buffer); // in place: the body did not move
    expect(knownBody(scanned)).not.toBeNull();
    expect(deliveryFacts(scanned)).toEqual(deliveryFactsByLines(scanned));
    expect(contentRecordBytes(scanned)).toBe(contentRecordBytesByLines(scanned));
    const copy = Buffer.from(scanned); // other memory (read back from the spool): scanned again
    expect(knownBody(copy)).toBeNull();
    expect(deliveryFacts(copy)).toEqual(deliveryFactsByLines(copy));
  });
});

describe('without memory for the module', () => {
  it('when the instance cannot be made (ulimit -v: no room for its address-space reservation) the byte rules answer', async () => {
    // Measured: under `ulimit -v 3000000` WebAssembly.Instance throws RangeError "Out of memory".
    vi.resetModules();
    const made = vi.spyOn(WebAssembly, 'Instance').mockImplementation(() => {
      throw new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory for new instance');
    });
    try {
      const fresh = await import('../../../src/policy/line-facts.js');
      expect(fresh.lineFacts(b('a\r\n'), true)).toBeNull();
      expect(fresh.lineFacts(b('a\r\n'.repeat(10_000)))).toBeNull();
      expect(made).toHaveBeenCalledTimes(1); // tried once, not per message
    } finally {
      made.mockRestore();
      vi.resetModules();
    }
  });
});

describe('line-scan-wasm.ts', () => {
  it('is what line-scan.wat assembles to (npm run build:wasm)', async () => {
    const source = await readFile(new URL('../../../src/policy/line-scan.wat', import.meta.url), 'utf8');
    const committed = await readFile(new URL('../../../src/policy/line-scan-wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(render(await assemble(source)));
  });
});
