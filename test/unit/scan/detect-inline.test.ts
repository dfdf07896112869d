// Which messages the relay's main thread analyses itself (analyzeInline): small single-part text
// only, never anything with attachments or an archive, and then with exactly analyzeMessage's facts.
import { describe, expect, it } from 'vitest';
import { EICAR } from '../../../src/lab/fixtures.js';
import { analyzeInline, analyzeMessage, INLINE_ANALYSIS_LIMIT } from '../../../src/scan/detect.js';
import { buildZip } from '../../../src/scan/zip.js';
import { buildMessage } from './fixtures.js';

describe('analyzeInline', () => {
  const texts = [
    buildMessage({ subject: 'Hello' }),
    buildMessage({ body: `see https://phish.example/login and ${EICAR}\r\n` }),
    buildMessage({ body: 'XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X\r\n' }),
    Buffer.from('From: a@b.example\r\nContent-Type: text/html\r\n\r\n<a href="https&#x3a;//x.example">x</a>\r\n'),
    Buffer.from('From: a@b.example\r\nSubject: no content type\r\n\r\nbody\r\n'),
  ];

  it.each(texts.map((t, i) => [i, t] as const))('single-part text %i: the same facts as analyzeMessage', (_, data) => {
    expect(analyzeInline(data)).toEqual(analyzeMessage(data));
  });

  it('leaves to the worker: anything over the limit, any MIME structure, non-text, an archive in a text part', () => {
    const big = buildMessage({ body: `${'x'.repeat(70)}\r\n`.repeat(Math.ceil(INLINE_ANALYSIS_LIMIT / 72) + 1) });
    expect(big.length).toBeGreaterThan(INLINE_ANALYSIS_LIMIT);
    expect(analyzeInline(big)).toBeNull();
    expect(
      analyzeInline(buildMessage({ attachments: [{ filename: 'a.txt', contentType: 'text/plain', data: 'hi' }] } as never)),
    ).toBeNull();
    expect(analyzeInline(buildMessage({ html: '<p>hi</p>' }))).toBeNull();
    expect(analyzeInline(Buffer.from('From: a@b.example\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\r\n'))).toBeNull();
    const zip = buildZip([{ name: 'eicar.com', data: EICAR }]).toString('base64');
    const zipInText = Buffer.from(`From: a@b.example\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${zip}\r\n`);
    expect(analyzeInline(zipInText)).toBeNull();
    expect(analyzeMessage(zipInText).objects[0]!.viruses).toEqual(['EICAR-Test-File']); // the worker finds it
  });
});
