// Text parts: GTUBE is looked for in the bytes and a part is decoded to text only when it can
// hold a link — the facts must be those of decoding every text part.
import { describe, expect, it } from 'vitest';
import { analyzeMessage } from '../../../src/scan/detect.js';
import { GTUBE } from '../../../src/scan/samples.js';

const msg = (type: string, body: Buffer) =>
  Buffer.concat([Buffer.from(`Subject: t\r\nContent-Type: ${type}\r\n\r\n`, 'latin1'), body, Buffer.from('\r\n')]);

describe('analyzeMessage on text parts', () => {
  it('finds GTUBE right after a broken UTF-8 sequence (the decoder does not swallow ASCII)', () => {
    for (const bad of [[0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98], [0xff]]) {
      const facts = analyzeMessage(msg('text/plain; charset=utf-8', Buffer.concat([Buffer.from(bad), Buffer.from(GTUBE)])));
      expect(facts.gtube, `after ${bad.join(',')}`).toBe(true);
    }
  });

  it('no GTUBE: a near miss is not one', () => {
    expect(analyzeMessage(msg('text/plain', Buffer.from(GTUBE.slice(0, -1)))).gtube).toBe(false);
  });

  it('links in plain text (after broken UTF-8, with non-ASCII in the path) and in HTML entities', () => {
    const plain = Buffer.concat([Buffer.from([0xc3]), Buffer.from('see https://example.test/caf\u00e9 now', 'utf8')]);
    expect(analyzeMessage(msg('text/plain', plain)).urls).toEqual(['https://example.test/caf\u00e9']);
    // "://" written with entities is a link only in HTML.
    const html = Buffer.from('<a href="https&colon;&#x2f;&#x2f;phish.test/x">x</a>', 'latin1');
    expect(analyzeMessage(msg('text/html', html)).urls).toEqual(['https://phish.test/x']);
    expect(analyzeMessage(msg('text/plain', html)).urls).toEqual([]);
  });

  it('a large text part without "://" has no links', () => {
    const big = Buffer.from(`${'X'.repeat(78)}\r\n`.repeat(13000), 'latin1');
    const facts = analyzeMessage(msg('text/plain', big));
    expect(facts.urls).toEqual([]);
    expect(facts.objects).toHaveLength(1);
    expect(facts.objects[0]!.viruses).toEqual([]);
  });
});
