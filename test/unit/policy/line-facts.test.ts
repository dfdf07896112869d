// The SIMD line pass (policy/line-scan.wat via line-facts.ts) against the byte-by-byte rules it
// stands in for (deliveryFactsByLines, contentRecordBytesByLines, plainBodyByLines), and the
// committed module against its source.
import { readFile } from 'node:fs/promises';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { assemble, render } from '../../../scripts/build-wasm.mjs';
import { deliveryFactsByLines, plainBodyByLines } from '../../../src/policy/content.js';
import { LINE_FACTS_FROM, lineFacts } from '../../../src/policy/line-facts.js';
import { contentRecordBytesByLines } from '../../../src/policy/queue-size.js';

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
    expect(lineFacts(b(''), true)).toEqual({ dotLine: false, lines: 0, longest: 0, contentRecordBytes: 0, queueFileSize: 0 });
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
