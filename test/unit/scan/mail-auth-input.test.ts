// What the sender-authentication step hands mailauth: the header block alone for unsigned mail
// (the DKIM result is "none" whatever the body), the whole message when a header is a DKIM-Signature.
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { authInput, hasDkimSignature, loadMailauth, verifyDkim } from '../../../src/scan/mail-auth.js';

const s = (b: Buffer) => b.toString('latin1');

describe('authInput', () => {
  it('drops the body of an unsigned message, keeping the blank line', () => {
    expect(s(authInput(Buffer.from('From: a@b.example\r\nSubject: x\r\n\r\nbody\r\nDKIM-Signature: in the body\r\n')))).toBe(
      'From: a@b.example\r\nSubject: x\r\n\r\n',
    );
    expect(s(authInput(Buffer.from('From: a@b.example\n\nbody\n')))).toBe('From: a@b.example\n\n');
  });

  it('keeps a signed message whole, whatever the header case or position', () => {
    for (const m of [
      'DKIM-Signature: v=1; d=b.example\r\nFrom: a@b.example\r\n\r\nbody\r\n',
      'From: a@b.example\r\ndkim-signature : v=1\r\n\r\nbody\r\n',
    ]) {
      expect(s(authInput(Buffer.from(m)))).toBe(m);
    }
  });

  it('ends the header block at the first blank line, CRLF or bare LF, whichever comes first', () => {
    const first = (m: string) => {
      const crlf = m.indexOf('\r\n\r\n');
      const lf = m.indexOf('\n\n');
      const end = crlf >= 0 && (lf < 0 || crlf < lf) ? crlf + 4 : lf >= 0 ? lf + 2 : -1;
      return end < 0 ? m : m.slice(0, end);
    };
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('From: a@b.example', 'x', '', '\r', ' y'), { maxLength: 8 }),
        fc.constantFrom('\r\n', '\n'),
        (lines, eol) => {
          const m = lines.join(eol) + (lines.length % 2 ? '\n' : '\r\n');
          expect(s(authInput(Buffer.from(m, 'latin1')))).toBe(first(m));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('takes for a signature exactly what mailauth keys as dkim-signature', async () => {
    const { parseHeaders } = await loadMailauth();
    const piece = fc.constantFrom(
      'DKIM-Signature',
      'dkim-signature',
      'DKIM-Signatures',
      'X-DKIM-Signature',
      ':',
      ' ',
      '\t',
      '\xa0',
      '\v',
      '\r',
      '\r\n',
      '\n',
      'v=1',
      'From',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (pieces) => {
        const head = Buffer.from(`${pieces.join('')}\r\n\r\n`, 'latin1');
        const { parsed } = parseHeaders(head) as { parsed: Array<{ key?: string | null }> };
        const mailauth = parsed.some((h) => h.key === 'dkim-signature');
        expect(hasDkimSignature(head)).toBe(mailauth);
      }),
      { numRuns: 5000 },
    );
    for (const m of [
      'DKIM-Signature\xa0: v=1\r\n',
      'DKIM-Signature\r\n : v=1\r\n',
      'From: a\r\nDKIM-Signature\r\n',
      ' DKIM-Signature: v=1\r\n',
    ]) {
      expect(hasDkimSignature(Buffer.from(`${m}\r\n`, 'latin1')), JSON.stringify(m)).toBe(true);
    }
  });

  it('keeps a message without a header/body separator whole', () => {
    expect(s(authInput(Buffer.from('From: a@b.example\r\n')))).toBe('From: a@b.example\r\n');
  });
});

describe('verifyDkim: an unsigned header block without the stream', () => {
  const header = fc.constantFrom(
    'From: a@b.example',
    'From: "A, B" <a@b.example>',
    'From: a@b.example, c@d.example',
    'From: =?utf-8?q?J=C3=B6rg?= <j@x.example>',
    'From: friends: a@b.example, c@d.example;',
    'From:',
    'FROM : z@w.example',
    'From: A\r\n <a@b.example>',
    'Return-Path: <bounce@r.example>',
    'Subject: hello',
    'X-Note: dkim-signature is only mentioned here',
    'Received: from x by y;\r\n\tThu, 3 Dec 2026 10:00:00 +0000',
    'ARC-Seal: i=1; a=rsa-sha256; cv=none; d=arc.example; s=s; b=AAAA',
    'ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=arc.example; s=s; h=from; bh=AAAA; b=AAAA',
    'ARC-Authentication-Results: i=1; mx.arc.example; spf=pass',
  );
  const noRecords = async (name: string) => {
    throw Object.assign(new Error(`no ${name}`), { code: 'ENOTFOUND' });
  };

  it('gives what mailauth’s dkimVerify gives, for every header block', async () => {
    const v = await loadMailauth();
    await fc.assert(
      fc.asyncProperty(
        fc.array(header, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(undefined, 'env@e.example'),
        async (lines, sender) => {
          const block = Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'utf8');
          const opts = { resolver: noRecords, sender };
          const ours = await verifyDkim(v, block, opts);
          const theirs = await v.dkimVerify(block, opts);
          expect(JSON.stringify([ours.headerFrom, ours.envelopeFrom, ours.results])).toBe(
            JSON.stringify([theirs.headerFrom, theirs.envelopeFrom, theirs.results]),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it('leaves a signed message, a body or a bare LF to dkimVerify itself', async () => {
    const v = await loadMailauth();
    const spy = vi.spyOn(v, 'dkimVerify');
    try {
      for (const m of [
        'DKIM-Signature: v=1\r\nFrom: a@b.example\r\n\r\n',
        'From: a@b.example\r\n\r\nbody\r\n',
        'From: a@b.example\n\n',
        '\r\nFrom: a@b.example\r\n\r\n',
      ]) {
        await verifyDkim(v, Buffer.from(m), { resolver: noRecords });
      }
      expect(spy).toHaveBeenCalledTimes(4);
      await verifyDkim(v, Buffer.from('From: a@b.example\r\n\r\n'), { resolver: noRecords });
      expect(spy).toHaveBeenCalledTimes(4);
    } finally {
      spy.mockRestore();
    }
  });
});
