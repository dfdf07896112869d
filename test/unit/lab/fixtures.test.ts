// The lab's message bytes: padded messages are filled into bytes directly and dot-stuffing avoids
// copies; both must give exactly the bytes the plain string construction gives.
import { describe, expect, it } from 'vitest';
import { buildMessage, dotStuff, type MessageSpec } from '../../../src/lab/fixtures.js';

const tag = { name: 'X-Lab-Scenario', value: 'lab-test-1' };

/** The padding as the string construction makes it: 76 × "x" + CRLF lines, the last one cut. */
function referencePadding(missing: number): string {
  const line = 'x'.repeat(76) + '\r\n';
  const full = Math.floor(missing / line.length);
  const rest = missing - full * line.length;
  return line.repeat(full) + (rest >= 3 ? 'x'.repeat(rest - 2) + '\r\n' : '');
}

/** The regular-expression dot-stuffing the lab used before (RFC 5321 §4.5.2). */
function referenceStuff(data: Buffer): Buffer {
  const s = data.toString('latin1');
  return Buffer.from((s.startsWith('.') ? '.' : '') + s.replace(/\r\n\./g, '\r\n..'), 'latin1');
}

describe('buildMessage with padTo', () => {
  const specs: Array<Omit<MessageSpec, 'padTo' | 'tag'>> = [
    { from: 'a@x.example', to: ['b@y.example'] },
    { from: 'a@x.example', to: ['b@y.example'], body: 'héllo wörld ☃' },
    {
      from: 'a@x.example',
      to: ['b@y.example', 'c@y.example'],
      body: 'see attached',
      attachments: [
        { name: 'a.txt', content: 'x' },
        { name: 'eicar.com', fixture: 'eicar' },
      ],
    },
  ];

  it('pads to the size in characters, the padding where the body ends, the rest byte for byte as unpadded', () => {
    for (const spec of specs) {
      const unpadded = buildMessage({ ...spec, tag }).toString('utf8');
      // The padding follows the text part's body: the end of the message, or the second boundary line.
      const bodyEnd = spec.attachments ? unpadded.indexOf('see attached\r\n') + 'see attached\r\n'.length : unpadded.length;
      for (const padTo of [
        unpadded.length + 1,
        unpadded.length + 2,
        unpadded.length + 3,
        unpadded.length + 79,
        100_000,
        1_048_576 + 1024,
      ]) {
        const padded = buildMessage({ ...spec, padTo, tag }).toString('utf8');
        const missing = padTo - unpadded.length;
        expect(padded).toBe(unpadded.slice(0, bodyEnd) + referencePadding(missing) + unpadded.slice(bodyEnd));
        // A remainder of 1–2 characters cannot make a line of its own (as before).
        if (missing % 78 === 0 || missing % 78 >= 3) expect(padded.length).toBe(padTo);
      }
    }
  });

  it('leaves a message already at or over the size as it is', () => {
    const unpadded = buildMessage({ ...specs[0]!, tag });
    expect(buildMessage({ ...specs[0]!, padTo: unpadded.length, tag }).equals(unpadded)).toBe(true);
    expect(buildMessage({ ...specs[0]!, padTo: 10, tag }).equals(unpadded)).toBe(true);
  });

  it('a body that contains the internal padding marker is padded the same way', () => {
    const spec = { from: 'a@x.example', to: ['b@y.example'], body: 'before \u0000lab-padding\u0000 after' };
    const unpadded = buildMessage({ ...spec, tag }).toString('utf8');
    const padded = buildMessage({ ...spec, padTo: 5000, tag }).toString('utf8');
    expect(padded).toBe(unpadded + referencePadding(5000 - unpadded.length));
  });
});

describe('dotStuff', () => {
  it('doubles a leading dot on every line, as the regular expression did', () => {
    for (const s of ['.', '..', '.\r\n.', 'a\r\n.b\r\n.\r\n..c', '\r\n.', '\r\n.\r\n.\r\n.', 'x\n.y\r.z', '', 'plain\r\n']) {
      const data = Buffer.from(s, 'latin1');
      expect(dotStuff(data).toString('latin1')).toBe(referenceStuff(data).toString('latin1'));
    }
  });

  it('returns a message without such lines itself (no copy of megabytes)', () => {
    const data = Buffer.from(`Subject: x\r\n\r\n${'x'.repeat(76)}\r\n`);
    expect(dotStuff(data)).toBe(data);
  });
});
