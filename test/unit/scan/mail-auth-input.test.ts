// What the sender-authentication step hands mailauth: the header block alone for unsigned mail
// (the DKIM result is "none" whatever the body), the whole message when a header is a DKIM-Signature.
import { describe, expect, it } from 'vitest';
import { authInput } from '../../../src/scan/mail-auth.js';

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

  it('keeps a message without a header/body separator whole', () => {
    expect(s(authInput(Buffer.from('From: a@b.example\r\n')))).toBe('From: a@b.example\r\n');
  });
});
