// smtp(8)'s MIME downgrade (mime_state.c with MIME_OPT_DOWNGRADE) and cleanup's 8bit detection.
// The differential suite compares the whole path with Postfix 3.7 (delivery-probes.ts, variants
// no-8bitmime / plain-next-hop); these pin the state machine's corners one by one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  declaresEightBit,
  downgradeMime,
  headerNameLength,
  headerToken,
  MIME_LIMITS,
  MIME_NESTING_ERROR,
} from '../../../src/policy/mime-downgrade.js';

const b = (s: string) => Buffer.from(s, 'latin1');
const utf8 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');
const crlf = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const down = (s: string) => downgradeMime(b(s)).data.toString('latin1');
const text8 = (body: string, extra = '') =>
  crlf('MIME-Version: 1.0', 'Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit', ...(extra ? [extra] : []), '') +
  body;

describe('is_header_buf', () => {
  it.each([
    ['Subject: x', 7],
    ['Subject : x', 7],
    ['Subject\t:x', 7],
    ['X-A:', 3],
    [': x', 0],
    [' Subject: x', 0],
    ['Sub ject: x', 0],
    ['Sübject: x', 0],
    ['no colon', 0],
    ['', 0],
    ['--boundary', 0],
  ])('%j → %d', (line, n) => expect(headerNameLength(line)).toBe(n));
});

describe('header_token', () => {
  const tspecials = '()<>@,;:\\"/[]?=';
  const tok = (s: string, max = 3, term = ';') => headerToken(s, 0, max, tspecials, term);
  it('splits type/subtype at the terminator', () => {
    const t = tok(' text/plain; charset=utf-8');
    expect(t.count).toBe(3);
    expect(t.tokens.map((x) => [x.type, x.value])).toEqual([
      ['token', 'text'],
      ['/', '/'],
      ['token', 'plain'],
    ]);
    expect(' text/plain; charset=utf-8'.slice(t.pos)).toBe(' charset=utf-8');
  });
  it('skips nested comments and unquotes strings (unfolding)', () => {
    const t = tok('(a (nested) comment) multipart/mixed; boundary="x\\"y\n z"');
    expect(t.tokens.map((x) => x.value)).toEqual(['multipart', '/', 'mixed']);
    const p = headerToken('(a (nested) comment) multipart/mixed; boundary="x\\"y\n z"', t.pos, 3, tspecials, ';');
    expect(p.tokens.map((x) => [x.type, x.value])).toEqual([
      ['token', 'boundary'],
      ['=', '='],
      ['qstring', 'x"y z'],
    ]);
  });
  it('goes on to the terminator past the token limit; -1 when nothing is left', () => {
    const s = 'a b c d e; f';
    const t = tok(s);
    expect(t.count).toBe(3);
    expect(s.slice(t.pos)).toBe(' f');
    expect(tok('   ').count).toBe(-1);
    expect(tok('').count).toBe(-1);
    expect(tok(';x').count).toBe(0); // an empty item is not the end
  });
  it('without a terminator stops at the token limit', () => {
    expect(headerToken(' 8bit (raw)', 0, 1, '()<>@,;:\\".[]', '').tokens).toEqual([{ type: 'token', value: '8bit' }]);
  });
});

describe('downgradeMime', () => {
  it('leaves messages without an 8bit part alone (same buffer)', () => {
    for (const m of [
      crlf('Subject: plain', '', 'Gr\xfc\xdfe'),
      crlf('Content-Transfer-Encoding: quoted-printable', '', '=C3=BC'),
      crlf('Content-Transfer-Encoding: base64', '', 'R3I='),
      crlf('Content-Transfer-Encoding: 7bit', '', 'x'),
      crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', '', '\xe4', '--b--'),
      '',
    ]) {
      const data = b(m);
      const r = downgradeMime(data);
      expect(r.changed).toBe(false);
      expect(r.data).toBe(data);
    }
  });

  it('moves the Content-Transfer-Encoding to the end of the header block as quoted-printable', () => {
    expect(down(text8(crlf(utf8('Grüße')), 'Subject: s'))).toBe(
      crlf(
        'MIME-Version: 1.0',
        'Content-Type: text/plain; charset=utf-8',
        'Subject: s',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'Gr=C3=BC=C3=9Fe',
      ),
    );
  });

  it('encodes "=", controls and 8-bit bytes, keeps tabs, encodes a trailing blank', () => {
    expect(down(text8(crlf('a=b', 'c\x01d\x7fe', 'tab\there', 'end ', 'tab\t', ' ', '')))).toBe(
      text8('')
        .replace('Content-Transfer-Encoding: 8bit\r\n', '')
        .replace('\r\n\r\n', '\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n') +
        crlf('a=3Db', 'c=01d=7Fe', 'tab\there', 'end=20', 'tab=09', '=20', ''),
    );
  });

  it('soft-breaks once a line holds more than 72 characters (lines up to 76 with an escape)', () => {
    const body = (l: string) => down(text8(crlf(l))).split('\r\n\r\n')[1]!;
    expect(body('a'.repeat(73))).toBe(crlf('a'.repeat(73)));
    expect(body('a'.repeat(74))).toBe(crlf('a'.repeat(73) + '=', 'a'));
    expect(body('a'.repeat(72) + '\xe9\xe9')).toBe(crlf('a'.repeat(72) + '=E9=', '=E9'));
    expect(body('a'.repeat(72) + '\xe9 ')).toBe(crlf('a'.repeat(72) + '=E9=', '=20'));
    const long = body('x'.repeat(3000));
    expect(long.split('\r\n').every((l) => l.length <= 74)).toBe(true);
    expect(long.replace(/=\r\n/g, '')).toBe(crlf('x'.repeat(3000)));
  });

  it('labels multipart and message/rfc822 containers 7bit and converts their 8bit leaves', () => {
    const m = crlf(
      'Content-Type: multipart/mixed; boundary="b"',
      'Content-Transfer-Encoding: 8bit',
      '',
      'prolog \xe4',
      '--b',
      'Content-Type: message/rfc822',
      'Content-Transfer-Encoding: binary',
      '',
      'Subject: inner',
      'Content-Transfer-Encoding: 8bit',
      '',
      'inner \xf6',
      '--b',
      'Content-Transfer-Encoding: 8bit',
      '',
      'leaf \xfc',
      '--b--',
      'epilog \xdf',
    );
    expect(down(m)).toBe(
      crlf(
        'Content-Type: multipart/mixed; boundary="b"',
        'Content-Transfer-Encoding: 7bit',
        '',
        'prolog \xe4',
        '--b',
        'Content-Type: message/rfc822',
        'Content-Transfer-Encoding: 7bit',
        '',
        'Subject: inner',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'inner =F6',
        '--b',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'leaf =FC',
        '--b--',
        'epilog \xdf',
      ),
    );
  });

  it('message/global is converted as a whole; message/partial is labelled 7bit but its body converted (as Postfix)', () => {
    expect(down(crlf('Content-Type: message/global', 'Content-Transfer-Encoding: 8bit', '', 'Subject: \xe4', '', '\xf6'))).toBe(
      crlf('Content-Type: message/global', 'Content-Transfer-Encoding: quoted-printable', '', 'Subject: =E4', '', '=F6'),
    );
    expect(down(crlf('Content-Type: message/partial; id=1', 'Content-Transfer-Encoding: 8bit', '', '\xf6'))).toBe(
      crlf('Content-Type: message/partial; id=1', 'Content-Transfer-Encoding: 7bit', '', '=F6'),
    );
  });

  it('multipart/digest parts default to message/rfc822', () => {
    const m = crlf(
      'Content-Type: multipart/digest; boundary=d',
      '',
      '--d',
      'Content-Transfer-Encoding: 8bit',
      '',
      'Content-Transfer-Encoding: 8bit',
      '',
      '\xe4',
      '--d--',
    );
    expect(down(m)).toBe(
      crlf(
        'Content-Type: multipart/digest; boundary=d',
        '',
        '--d',
        'Content-Transfer-Encoding: 7bit',
        '',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        '=E4',
        '--d--',
      ),
    );
  });

  it('an outer boundary closes the inner parts; a part without headers keeps the 7bit default', () => {
    const m = crlf(
      'Content-Type: multipart/mixed; boundary=outer',
      '',
      '--outer',
      'Content-Type: multipart/alternative; boundary=inner',
      '',
      '--inner',
      'Content-Transfer-Encoding: 8bit',
      '',
      '\xe4',
      '--outer',
      '\xf6 no headers',
      '--outer--',
    );
    expect(down(m)).toBe(
      m.replace('Content-Transfer-Encoding: 8bit\r\n\r\n\xe4', 'Content-Transfer-Encoding: quoted-printable\r\n\r\n=E4'),
    );
  });

  it('other/whatever keeps the current type; an empty Content-Type is "other" (a leaf)', () => {
    expect(down(crlf('Content-Type: application/pdf', 'Content-Transfer-Encoding: 8bit', '', '\xe4'))).toContain(
      'quoted-printable\r\n\r\n=E4',
    );
    expect(down(crlf('Content-Type:', 'Content-Transfer-Encoding: 8bit', '', '\xe4'))).toContain('quoted-printable\r\n\r\n=E4');
  });

  it('the last Content-Transfer-Encoding decides; a 7bit one after 8bit is kept and nothing is converted', () => {
    const m = crlf('Content-Transfer-Encoding: 8bit', 'Content-Transfer-Encoding: 7bit', '', '\xe4');
    expect(down(m)).toBe(crlf('Content-Transfer-Encoding: 7bit', '', '\xe4'));
    expect(down(crlf('Content-Transfer-Encoding: 7bit', 'Content-Transfer-Encoding: 8BIT (raw)', '', '\xe4'))).toBe(
      crlf('Content-Transfer-Encoding: 7bit', 'Content-Transfer-Encoding: quoted-printable', '', '=E4'),
    );
  });

  it('folded headers stay folded; "Name :" becomes "Name:"', () => {
    const m = crlf('Content-Type : text/plain;', '\tcharset=utf-8', 'Content-Transfer-Encoding:', ' 8bit', 'X-Folded: a', ' b', '', '\xe4');
    expect(down(m)).toBe(
      crlf('Content-Type: text/plain;', '\tcharset=utf-8', 'X-Folded: a', ' b', 'Content-Transfer-Encoding: quoted-printable', '', '=E4'),
    );
  });

  it('headers only: the new header still comes last; a missing final CRLF is supplied', () => {
    expect(down('Content-Transfer-Encoding: 8bit\r\nSubject: h')).toBe(crlf('Subject: h', 'Content-Transfer-Encoding: quoted-printable'));
    expect(down(text8('\xe4'))).toMatch(/\r\n\r\n=E4\r\n$/);
  });

  it('a non-header line in a part header starts the body without a blank line', () => {
    const m = crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Transfer-Encoding: 8bit', 'not a header \xe4', '--b--');
    expect(down(m)).toBe(
      crlf(
        'Content-Type: multipart/mixed; boundary=b',
        '',
        '--b',
        'Content-Transfer-Encoding: quoted-printable',
        'not a header =E4',
        '--b--',
      ),
    );
  });

  it('looks for a boundary in the first 2048 bytes of a line only; truncates boundaries to the limit', () => {
    const limits = { ...MIME_LIMITS, boundaryLength: 4 };
    const m = crlf('Content-Type: multipart/mixed; boundary=abcdefgh', '', '--abcdXYZ', 'Content-Transfer-Encoding: 8bit', '', '\xe4');
    expect(downgradeMime(b(m), limits).data.toString('latin1')).toContain('quoted-printable\r\n\r\n=E4'); // "--abcd…" opened a part
    const long = crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', '', `--${'x'.repeat(2048)}b`);
    expect(downgradeMime(b(long)).changed).toBe(false);
  });

  it('bounces mail nested deeper than mime_nesting_limit', () => {
    const limits = { ...MIME_LIMITS, nesting: 2 };
    const nest = (n: number) =>
      Array.from({ length: n }, (_, i) => crlf(`Content-Type: multipart/mixed; boundary=b${i}`, '', `--b${i}`)).join('');
    expect(downgradeMime(b(nest(4)), limits).error).toBeUndefined();
    expect(downgradeMime(b(nest(5)), limits).error).toBe(MIME_NESTING_ERROR);
    expect(downgradeMime(b(nest(103))).error).toBe(MIME_NESTING_ERROR);
    expect(downgradeMime(b(nest(102))).error).toBeUndefined();
  });

  it('keeps a header up to header_size_limit and drops the continuation lines after it', () => {
    const limits = { ...MIME_LIMITS, headerSize: 20 };
    const m = crlf('X-Long: 0123456789', ' more1', ' more2', ' more3', 'Content-Transfer-Encoding: 8bit', '', '\xe4');
    expect(downgradeMime(b(m), limits).data.toString('latin1')).toBe(
      crlf('X-Long: 0123456789', ' more1', 'Content-Transfer-Encoding: quoted-printable', '', '=E4'),
    );
  });

  it('quoted-printable round trip, lines of at most 76 characters (seeded)', () => {
    const seed = Number(process.env.PROPERTY_SEED) || 20261202;
    const decode = (qp: string) =>
      qp.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    fc.assert(
      fc.property(
        fc.array(
          fc.string({
            unit: fc.integer({ min: 0, max: 255 }).map((c) => String.fromCharCode(c === 13 || c === 10 ? 32 : c)),
            maxLength: 300,
          }),
          { maxLength: 8 },
        ),
        (lines) => {
          const body = lines.map((l) => `${l}\r\n`).join('');
          const out = downgradeMime(b(text8(body))).data.toString('latin1');
          const qp = out.slice(out.indexOf('\r\n\r\n') + 4);
          expect(qp.split('\r\n').every((l) => l.length <= 76 && !/[^\t\x20-\x7e]/.test(l))).toBe(true);
          expect(decode(qp)).toBe(body);
        },
      ),
      { seed, numRuns: 200 },
    );
  });
});

describe('declaresEightBit (cleanup_header_callback)', () => {
  it.each([
    [crlf('Content-Transfer-Encoding: 8bit', '', 'x'), true],
    [crlf('Content-Transfer-Encoding: BINARY', '', 'x'), true],
    [crlf('Content-Transfer-Encoding:', '\t8bit', '', 'x'), true],
    [crlf('Content-Transfer-Encoding: 8bit (raw)', '', 'x'), false],
    [crlf('Content-Transfer-Encoding: 8bit ', '', 'x'), false],
    [crlf('Content-Transfer-Encoding: quoted-printable', '', '\xe9'), false],
    [crlf('Subject: x', '', 'Content-Transfer-Encoding: 8bit'), false],
    [crlf('Content-Type: multipart/mixed; boundary=b', '', '--b', 'Content-Transfer-Encoding: 8bit', '', 'x', '--b--'), true],
    [crlf('Content-Type: message/rfc822', '', 'Content-Transfer-Encoding: binary', '', 'x'), true],
    ['', false],
  ])('%j → %s', (m, expected) => expect(declaresEightBit(b(m))).toBe(expected));
});
