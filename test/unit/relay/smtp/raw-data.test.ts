// rawDataMode(): the DATA bytes up to <CR><LF>.<CR><LF>, however TCP cuts them into chunks.
import { describe, expect, it } from 'vitest';
import { SMTPStream } from 'smtp-server/lib/smtp-stream.js';
import { rawDataMode } from '../../../../src/relay/smtp/raw-data.js';

interface Fed {
  data: Buffer;
  /** Bytes the parser was left with after the end of data (the pipelined commands). */
  commands: string[];
}

/** Feeds `wire` to a parser in data mode, cut at `cuts`; resolves with what the data stream got. */
function feed(wire: Buffer, cuts: number[]): Promise<Fed> {
  const parser = new SMTPStream();
  const commands: string[] = [];
  parser.oncommand = (cmd: Buffer, cb: () => void) => {
    commands.push(cmd.toString('latin1'));
    cb();
  };
  const stream = parser.startDataMode(0);
  rawDataMode(parser);
  const parts: Buffer[] = [];
  stream.on('data', (c: Buffer) => parts.push(Buffer.from(c)));
  const done = new Promise<Fed>((resolve) =>
    stream.on('end', () => {
      // What followed the dot is parsed once the handler lets the parser go on.
      parser.continue();
      setImmediate(() => resolve({ data: Buffer.concat(parts), commands }));
    }),
  );
  let at = 0;
  for (const c of [...cuts, wire.length]) {
    if (c > at) parser.write(wire.subarray(at, c));
    at = Math.max(at, c);
  }
  return done;
}

/** A small deterministic PRNG: the same cuts on every run. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

describe('rawDataMode', () => {
  // Still dot-stuffed: ". " and ".." lines are content here (policy/content.ts unstuffs them).
  const body = Buffer.from('Subject: x\r\n\r\n.line\r\n..two\r\nend \r\n. \r\nlast\r\n', 'latin1');
  const wire = Buffer.concat([body, Buffer.from('.\r\nQUIT\r\n', 'latin1')]);

  it('passes the bytes before the terminator through unchanged, at every single cut', async () => {
    for (let cut = 0; cut <= wire.length; cut++) {
      const got = await feed(wire, [cut]);
      expect(got.data.toString('latin1'), `cut at ${cut}`).toBe(body.toString('latin1'));
      expect(got.commands, `cut at ${cut}`).toEqual(['QUIT']);
    }
  });

  it('is the same for random chunkings of a large message (terminator across chunk edges)', async () => {
    const line = Buffer.from(`${'X'.repeat(70)}\r\n`, 'latin1');
    const big = Buffer.concat([Buffer.from('Subject: big\r\n\r\n'), ...Array.from({ length: 3000 }, () => line)]);
    const all = Buffer.concat([big, Buffer.from('.\r\nNOOP\r\n')]);
    const next = rng(17);
    for (let run = 0; run < 40; run++) {
      const cuts: number[] = [];
      // Chunks from 1 byte to 64 KB, and cuts right around the terminator.
      for (let at = 0; at < all.length;) {
        at += 1 + Math.floor(next() * (next() < 0.2 ? 8 : 65536));
        cuts.push(at);
      }
      cuts.push(big.length - 2 + Math.floor(next() * 6));
      cuts.sort((a, b) => a - b);
      const got = await feed(all, cuts);
      expect(got.data.equals(big), `run ${run}`).toBe(true);
      expect(got.commands).toEqual(['NOOP']);
    }
  });

  it('ends at once on an empty message (".\\r\\n" first), even when it arrives byte by byte', async () => {
    const empty = Buffer.from('.\r\nRSET\r\n', 'latin1');
    const got = await feed(empty, [1, 2, 3, 4]);
    expect(got.data.length).toBe(0);
    expect(got.commands).toEqual(['RSET']);
  });
});
