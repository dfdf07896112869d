// The hostile-content corpus, generated (nothing binary is committed): zip bombs, overlapping and
// nested archives, deep MIME, a huge folded header, malformed encodings. Each item says what the
// gateway must conclude. Shared by test/robustness/hostile-content.test.ts (outcomes) and
// bench/robustness-bench.js (time and peak RSS per message); `scale` makes the bench's bombs as big
// as the ones in the original report while the test stays fast.
import { EICAR } from '../../src/scan/samples.js';
import { buildZip, deflatedZeros } from '../../src/scan/zip.js';

export interface HostileItem {
  name: string;
  message: Buffer;
  /** What the spooled message must show: X-KSMG-AntiVirus-Status (for delivered mail) and the recipient's fate. */
  expect: { avStatus?: RegExp; fate: 'pending' | 'dropped'; logStatus: RegExp };
}

const CRLF = '\r\n';

function mime(
  subject: string,
  parts: Array<{ name: string; type: string; data: Buffer; encoding?: 'base64' | '7bit' }>,
  extraHeaders: string[] = [],
): Buffer {
  const b = 'hostile_b0undary';
  const head = [
    'From: mallory@sender.example',
    'To: bob@corp.example',
    `Subject: ${subject}`,
    'Message-ID: <hostile@sender.example>',
    'MIME-Version: 1.0',
    ...extraHeaders,
    `Content-Type: multipart/mixed; boundary="${b}"`,
    '',
  ].join(CRLF);
  const body = [['Content-Type: text/plain', '', 'See the attachment.'].join(CRLF)];
  for (const p of parts) {
    const enc = p.encoding ?? 'base64';
    const content = enc === 'base64' ? p.data.toString('base64').replace(/.{76}/g, `$&${CRLF}`) : p.data.toString('latin1');
    body.push(
      [
        `Content-Type: ${p.type}; name="${p.name}"`,
        `Content-Disposition: attachment; filename="${p.name}"`,
        `Content-Transfer-Encoding: ${enc}`,
        '',
        content,
      ].join(CRLF),
    );
  }
  return Buffer.from(`${head}${CRLF}${body.map((x) => `--${b}${CRLF}${x}`).join(CRLF)}${CRLF}--${b}--${CRLF}`, 'latin1');
}

const zipPart = (name: string, data: Buffer) => ({ name, type: 'application/zip', data });

const MB = 1024 * 1024;

/** One deflated entry of `bytes` zeros (deflate: ~1000:1). */
export function zipBomb(bytes: number): Buffer {
  return buildZip([{ name: 'zeros.bin', data: '', predeflated: deflatedZeros(Math.ceil(bytes / MB)) }]);
}

/** `count` entries of `each` zeros, EICAR in the last one (after any budget is spent). */
export function manyEntryBomb(count: number, each: number): Buffer {
  const zeros = deflatedZeros(Math.ceil(each / MB));
  const files: Parameters<typeof buildZip>[0] = Array.from({ length: count }, (_, i) => ({
    name: `part${i}.bin`,
    data: '',
    predeflated: zeros,
  }));
  files.push({ name: 'last.com', data: Buffer.concat([Buffer.alloc(MB), Buffer.from(EICAR)]), deflate: true });
  return buildZip(files);
}

/** One local entry, `count` central-directory entries all pointing at it (the "better zip bomb"). */
export function overlappingZip(count: number, bytes: number): Buffer {
  const one = buildZip([{ name: 'shared.bin', data: '', predeflated: deflatedZeros(Math.ceil(bytes / MB)) }]);
  const cdStart = one.readUInt32LE(one.length - 22 + 16);
  const local = one.subarray(0, cdStart);
  const central = one.subarray(cdStart, one.length - 22);
  const entries: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const name = Buffer.from(`f${String(i).padStart(5, '0')}.bin`);
    const c = Buffer.from(central.subarray(0, 46));
    c.writeUInt16LE(name.length, 28);
    entries.push(c, name);
  }
  const cd = Buffer.concat(entries);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(count, 8);
  eocd.writeUInt16LE(count, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(local.length, 16);
  return Buffer.concat([local, cd, eocd]);
}

/** EICAR inside `depth` zips, one in the other. */
export function nestedZip(depth: number): Buffer {
  let z = buildZip([{ name: 'eicar.com', data: EICAR, deflate: true }]);
  for (let d = 1; d < depth; d++) z = buildZip([{ name: `level${d}.zip`, data: z, deflate: d % 2 === 0 }]);
  return z;
}

/** `fan` zips per zip over `levels` levels, EICAR in one leaf (thousands of archives). */
export function fanOutZip(levels: number, fan: number): Buffer {
  let clean = buildZip([{ name: 'clean.txt', data: 'nothing here' }]);
  let bad = buildZip([{ name: 'eicar.com', data: EICAR }]);
  for (let l = 0; l < levels; l++) {
    const name = (i: number) => `z${l}_${i}.zip`;
    bad = buildZip(Array.from({ length: fan }, (_, i) => ({ name: name(i), data: i === fan - 1 ? bad : clean })));
    clean = buildZip(Array.from({ length: fan }, (_, i) => ({ name: name(i), data: clean })));
  }
  return bad;
}

/** multipart inside multipart `depth` times, EICAR (base64) at the bottom. */
export function deepMime(depth: number): Buffer {
  let inner = [
    'Content-Type: application/octet-stream; name="eicar.com"',
    'Content-Transfer-Encoding: base64',
    '',
    Buffer.from(EICAR).toString('base64'),
  ].join(CRLF);
  for (let d = depth; d > 0; d--) {
    const b = `lvl${d}`;
    inner = [`Content-Type: multipart/mixed; boundary="${b}"`, '', `--${b}`, inner, `--${b}--`].join(CRLF);
  }
  return Buffer.from(
    ['From: mallory@sender.example', 'To: bob@corp.example', 'Subject: deep', 'MIME-Version: 1.0', inner].join(CRLF) + CRLF,
    'latin1',
  );
}

/** A header of ~`bytes` folded over 70-byte lines (the quadratic DKIM parser case). */
export function foldedHeader(bytes: number): Buffer {
  const lines = Math.ceil(bytes / 72);
  const folded = `X-Folded: start${CRLF}${` ${'y'.repeat(69)}${CRLF}`.repeat(lines)}`;
  return Buffer.from(
    `From: mallory@sender.example${CRLF}To: bob@corp.example${CRLF}Subject: folded${CRLF}${folded}${CRLF}Hello.${CRLF}`,
    'latin1',
  );
}

export function malformedEncodings(): Buffer {
  return Buffer.from(
    [
      'From: =?utf-8?B?!!!notbase64?= <mallory@sender.example>',
      'To: bob@corp.example',
      'Subject: =?x-unknown?Q?=ZZ=?=',
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="unterminated"',
      '',
      '--unterminated',
      'Content-Type: text/plain; charset="no-such-charset"',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      '=ZZ=4=\r\n=' + '='.repeat(5000),
      '--unterminated',
      "Content-Type: application/octet-stream; name*0*=utf-8''%ZZ%; name*1=\"x",
      'Content-Transfer-Encoding: base64',
      '',
      '@@@@####' + 'A'.repeat(1001) + '====!!',
      '--unterminated',
      'Content-Type: application/zip; name="broken.zip"',
      'Content-Transfer-Encoding: base64',
      '',
      Buffer.from('PK\x03\x04' + '\xff'.repeat(40), 'latin1').toString('base64'),
    ].join(CRLF) + CRLF,
    'latin1',
  );
}

/** A zip whose deflate data is invalid (reserved block type). */
export function corruptedZip(): Buffer {
  const z = buildZip([{ name: 'doc.txt', data: 'x'.repeat(2000), deflate: true }]);
  const start = 30 + 'doc.txt'.length;
  const size = z.readUInt32LE(18);
  Buffer.alloc(size, 0xff).copy(z, start);
  return z;
}

export interface CorpusScale {
  /** Single-entry bomb (bytes of zeros). */
  bomb: number;
  /** Many-entry bomb: count × each. */
  manyCount: number;
  manyEach: number;
  /** Overlapping entries: count × bytes. */
  overlapCount: number;
  overlapBytes: number;
  headerBytes: number;
}

/** Small enough for the test suite (with a small inflate budget on the test relay). */
export const TEST_SCALE: CorpusScale = {
  bomb: 40 * MB,
  manyCount: 80,
  manyEach: MB,
  overlapCount: 300,
  overlapBytes: MB,
  headerBytes: 5 * MB,
};
/** The reported sizes: a 1.3 GB bomb, 80 × 32 MB entries, 300 overlapping entries (16 MB each). */
export const BENCH_SCALE: CorpusScale = {
  bomb: 1300 * MB,
  manyCount: 80,
  manyEach: 32 * MB,
  overlapCount: 300,
  overlapBytes: 16 * MB,
  headerBytes: 5 * MB,
};

const ERROR_DELETED = /^Error, attachment deleted$/;

export function hostileCorpus(scale: CorpusScale = TEST_SCALE): HostileItem[] {
  return [
    {
      name: 'zip bomb (one entry)',
      message: mime('bomb', [zipPart('bomb.zip', zipBomb(scale.bomb))]),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error"/ },
    },
    {
      name: 'zip bomb (many entries, EICAR past the budget)',
      message: mime('many', [zipPart('many.zip', manyEntryBomb(scale.manyCount, scale.manyEach))]),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error"/ },
    },
    {
      name: 'overlapping entries',
      message: mime('overlap', [zipPart('overlap.zip', overlappingZip(scale.overlapCount, scale.overlapBytes))]),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error".*overlapping entries/ },
    },
    {
      name: 'EICAR nested 12 zips deep',
      message: mime('nested12', [zipPart('deep.zip', nestedZip(12))]),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error".*nested deeper than/ },
    },
    {
      name: 'EICAR nested 5 zips deep (found)',
      message: mime('nested5', [zipPart('five.zip', nestedZip(5))]),
      expect: { fate: 'dropped', logStatus: /av-status="Infected"/ },
    },
    {
      name: 'fan-out zip (thousands of archives, EICAR in one)',
      message: mime('fanout', [zipPart('fan.zip', fanOutZip(4, 8))]),
      expect: { fate: 'dropped', logStatus: /av-status="Infected"/ },
    },
    {
      name: 'MIME nested 30 levels, EICAR at the bottom',
      message: deepMime(30),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error".*MIME structure nested deeper than 20/ },
    },
    {
      name: 'header folded over 72,000 lines',
      message: foldedHeader(scale.headerBytes),
      expect: { avStatus: /^Clean, skipped$/, fate: 'pending', logStatus: /av-status="Clean"/ },
    },
    {
      name: 'malformed encodings',
      message: malformedEncodings(),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error".*broken\.zip/ },
    },
    {
      name: 'corrupted deflate data',
      message: mime('corrupt', [zipPart('corrupt.zip', corruptedZip())]),
      expect: { avStatus: ERROR_DELETED, fate: 'pending', logStatus: /av-status="Error".*corrupted/ },
    },
    {
      name: 'password-protected entry',
      message: mime('locked', [zipPart('locked.zip', buildZip([{ name: 'secret.doc', data: 'x', encrypted: true }]))]),
      expect: { avStatus: /^Encrypted, attachment deleted$/, fate: 'pending', logStatus: /av-status="Encrypted".*password-protected/ },
    },
  ];
}
