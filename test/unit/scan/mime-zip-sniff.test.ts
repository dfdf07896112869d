import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeBody, headerText, isAttachment, leafParts, parseMessage, parseStructured, splitMultipart } from '../../../src/scan/mime.js';
import { categorize, sniffContent } from '../../../src/scan/sniff.js';
import { buildZip, readZip } from '../../../src/scan/zip.js';
import { buildMessage } from './fixtures.js';

describe('MIME walker', () => {
  it('finds leaf parts of a nested multipart with byte ranges and decodes them', () => {
    const inner = 'inner_b';
    const msg = Buffer.from(
      [
        'From: a@b.example',
        'Content-Type: multipart/mixed; boundary="outer"',
        '',
        '--outer',
        `Content-Type: multipart/alternative; boundary=${inner}`,
        '',
        `--${inner}`,
        'Content-Type: text/plain',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        'caf=C3=A9 =',
        'soft',
        `--${inner}`,
        'Content-Type: text/html',
        '',
        '<p>hi</p>',
        `--${inner}--`,
        '--outer',
        'Content-Type: application/pdf;',
        " name*=utf-8''r%C3%A9sum%C3%A9.pdf",
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('%PDF-1.4 test').toString('base64'),
        '--outer--',
        '',
      ].join('\r\n'),
    );
    const root = parseMessage(msg);
    const leaves = leafParts(root);
    expect(leaves.map((p) => [p.path, p.contentType])).toEqual([
      ['1.1', 'text/plain'],
      ['1.2', 'text/html'],
      ['2', 'application/pdf'],
    ]);
    expect(decodeBody(msg, leaves[0]!).toString('utf8')).toBe('café soft');
    expect(leaves[2]!.filename).toBe('résumé.pdf');
    expect(decodeBody(msg, leaves[2]!).toString()).toBe('%PDF-1.4 test');
    expect(msg.toString('latin1', leaves[1]!.start, leaves[1]!.end)).toBe('Content-Type: text/html\r\n\r\n<p>hi</p>');
    expect(isAttachment(leaves[0]!)).toBe(false);
    expect(isAttachment(leaves[2]!)).toBe(true);
  });

  it('parses parameters and encoded words', () => {
    expect(parseStructured('Attachment; filename="a;b.txt"; size=3')).toEqual({
      value: 'attachment',
      params: { filename: 'a;b.txt', size: '3' },
    });
    expect(headerText('=?UTF-8?B?w6lj?= x =?iso-8859-1?Q?caf=E9?=')).toBe('éc x café');
  });

  it('splits on delimiter lines only, not on a longer boundary or mid-line', () => {
    const body = Buffer.from('--b\r\nA\r\n--bb not a delimiter\r\nx --b\r\n--b\r\nB\r\n--b--\r\n');
    const r = splitMultipart(body, 0, body.length, 'b').map((x) => body.toString('latin1', x.start, x.end));
    expect(r).toEqual(['A\r\n--bb not a delimiter\r\nx --b', 'B']);
  });

  it('handles a message without a body and bare LF line ends', () => {
    expect(leafParts(parseMessage(Buffer.from('Subject: x\r\n'))).length).toBe(1);
    const lf = buildMessage({ attachments: [{ name: 'a.txt', data: 'x' }] })
      .toString()
      .replace(/\r\n/g, '\n');
    expect(leafParts(parseMessage(Buffer.from(lf))).map((p) => p.filename)).toEqual(['', 'a.txt']);
  });
});

describe('zip reader', () => {
  it('reads stored and deflated entries, with names', () => {
    const z = buildZip([
      { name: 'a.txt', data: 'stored text' },
      { name: 'dir/b.txt', data: 'deflated text '.repeat(20), deflate: true },
    ]);
    const entries = readZip(z);
    expect(entries.map((e) => e.name)).toEqual(['a.txt', 'dir/b.txt']);
    expect(entries[0]!.data!.toString()).toBe('stored text');
    expect(entries[1]!.data!.toString()).toBe('deflated text '.repeat(20));
  });

  it('falls back to local headers when the central directory is missing', () => {
    const z = buildZip([{ name: 'x.bin', data: 'payload', deflate: true }]);
    const cut = z.subarray(0, z.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
    expect(readZip(cut).map((e) => [e.name, e.data?.toString()])).toEqual([['x.bin', 'payload']]);
  });

  it('reads a streamed entry (sizes in a data descriptor)', () => {
    const data = Buffer.from('streamed content');
    const body = deflateRawSync(data);
    const name = Buffer.from('s.txt');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(0x08, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt16LE(name.length, 26);
    const desc = Buffer.alloc(16);
    desc.writeUInt32LE(0x08074b50, 0);
    desc.writeUInt32LE(body.length, 8);
    desc.writeUInt32LE(data.length, 12);
    const z = Buffer.concat([local, name, body, desc]);
    expect(readZip(z)[0]!.data!.toString()).toBe('streamed content');
  });

  it('returns nothing for garbage', () => {
    expect(readZip(Buffer.from('not a zip'))).toEqual([]);
    // A truncated local header: no crash, nothing readable.
    expect(readZip(Buffer.from('PK\x03\x04garbage')).every((e) => e.data === null || e.data.length === 0)).toBe(true);
  });
});

describe('file type sniffing', () => {
  const cases: Array<[string, Buffer | string, string]> = [
    ['setup.exe', Buffer.from('MZ\x90\x00'), 'executables'],
    ['report.txt', Buffer.from('MZ\x90\x00renamed'), 'executables'], // content beats the name
    ['tool', Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2]), 'executables'],
    ['app', Buffer.from([0xcf, 0xfa, 0xed, 0xfe]), 'executables'],
    ['run.sh', '#!/bin/sh\necho hi', 'executables'],
    ['clean.ps1', 'Write-Host hi', 'executables'],
    ['eicar.com', 'X5O!P%', 'executables'],
    ['a.zip', buildZip([{ name: 'x.txt', data: 'x' }]), 'archives'],
    ['a.docx', buildZip([{ name: '[Content_Types].xml', data: '<x/>' }]), 'documents'],
    ['a.rar', Buffer.from('Rar!\x1a\x07\x01\x00'), 'archives'],
    ['a.7z', Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), 'archives'],
    ['a.gz', Buffer.from([0x1f, 0x8b, 8]), 'archives'],
    ['a.pdf', '%PDF-1.7', 'documents'],
    ['a.doc', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'documents'],
    ['setup.msi', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), 'executables'],
    ['a.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), 'graphics'],
    ['a.jpg', Buffer.from([0xff, 0xd8, 0xff, 0xe0]), 'graphics'],
    ['a.gif', 'GIF89a', 'graphics'],
    ['a.mp3', 'ID3\x03', 'multimedia'],
    ['a.mp4', Buffer.from('\0\0\0\x18ftypmp42'), 'multimedia'],
    ['a.db', 'SQLite format 3\0', 'databases'],
    ['notes.csv', 'a,b\n1,2', 'documents'],
    ['blob.xyz', 'random', 'other'],
  ];
  it.each(cases)('%s → %s', (name, data, cat) => {
    expect(categorize(name, Buffer.isBuffer(data) ? data : Buffer.from(data, 'latin1'))).toBe(cat);
  });
  it('says nothing for plain text', () => {
    expect(sniffContent(Buffer.from('hello'))).toBeNull();
  });
});
