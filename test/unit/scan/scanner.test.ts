// The scanner end to end, without DNS (protection.dns off): each detector on positive and
// negative samples, each action's effect on the result, and the combination rules.
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src/config/schema.js';
import { createScanner } from '../../../src/scan/index.js';
import { parseMessage, leafParts, decodeBody } from '../../../src/scan/mime.js';
import { EICAR, GTUBE, PHISHING_TEST_URL, SPAM_RATING_HEADER } from '../../../src/scan/samples.js';
import { buildZip } from '../../../src/scan/zip.js';
import { buildMessage, client, config, withoutXHeaders } from './fixtures.js';

const noDns = { resolveMx: async () => [], resolve4: async () => [], resolve6: async () => [], resolveTxt: async () => [] };
const scanner = createScanner({ resolver: noDns });

async function scan(data: Buffer, input: Partial<ConfigInput> = {}, recipients = ['bob@corp.example'], sender = 'alice@sender.example') {
  const cfg = config({ ...input, protection: { dns: false, ...(input.protection ?? {}) } });
  return scanner.scan({ config: cfg, client: client(), sender, recipients, data, queueId: '4ABC123' });
}

function header(data: Buffer, name: string): string | undefined {
  const h = parseMessage(data).headers.find((f) => f.name.toLowerCase() === name.toLowerCase());
  return h?.value;
}

const rule = (r: Record<string, unknown>) => ({ rules: [{ name: 'Default', ...r }] }) as Partial<ConfigInput>;
const clean = buildMessage({ subject: 'Quarterly report', body: 'See https://intranet.corp.example/q3 please.\r\n' });

describe('clean mail', () => {
  it('is delivered with X-headers added at the end of the header block and every original byte kept', async () => {
    const r = await scan(clean);
    expect(r.reject).toBeUndefined();
    expect(r.recipients).toEqual([{ address: 'bob@corp.example', action: 'deliver', rule: 'Default' }]);
    expect(withoutXHeaders(r.data).equals(clean)).toBe(true);
    expect(r.data.toString()).toMatch(
      /^From: [^]*MIME-Version: 1\.0\r\nContent-Type: text\/plain; charset=utf-8\r\nX-KSMG-Rule-ID: 1\r\nX-KSMG-Message-Action: clean\r\n/,
    );
    expect(header(r.data, 'X-KSMG-Rule-ID')).toBe('1');
    expect(header(r.data, 'X-KSMG-Message-Action')).toBe('clean');
    expect(header(r.data, 'X-KSMG-AntiVirus-Status')).toBe('Clean, skipped');
    expect(header(r.data, 'X-KSMG-AntiSpam-Status')).toBe('not_detected');
    expect(header(r.data, 'X-KSMG-AntiSpam-Rate')).toBe('0');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('not checked, disabled by settings');
    expect(header(r.data, 'X-KSMG-AntiPhishing')).toBe('Clean');
    expect(r.logLine).toBe(
      'clean: message-id=<test-1@sender.example>: relay-ip=203.0.113.7: action="Skipped": rules=1: size=' +
        clean.length +
        ': mail-from=<alice@sender.example>: rcpt-to=<bob@corp.example>: kt-status="NotScanned", av-status="Clean", ap-status="Clean", as-status="Clean", ma-status="NotScanned", cf-status="Clean"',
    );
  });

  it('is returned byte for byte when X-headers are off', async () => {
    const r = await scan(clean, { messageProcessing: { addXHeaders: false } });
    expect(r.data.equals(clean)).toBe(true);
  });

  it('shows disabled modules as not scanned', async () => {
    const r = await scan(clean, rule({ antiSpam: { enabled: false }, antiPhishing: { enabled: false } }));
    expect(header(r.data, 'X-KSMG-AntiSpam-Status')).toBe('not scanned, disabled by settings');
    expect(header(r.data, 'X-KSMG-AntiSpam-Rate')).toBeUndefined();
    expect(header(r.data, 'X-KSMG-AntiPhishing')).toBe('not scanned, disabled by settings');
  });
});

describe('Anti-Virus', () => {
  const inBody = buildMessage({ subject: 'x', body: `${EICAR}\r\n` });
  const inAttachment = buildMessage({ subject: 'x', attachments: [{ name: 'eicar.com', data: EICAR }] });
  const inZip = buildMessage({
    subject: 'x',
    attachments: [
      {
        name: 'docs.zip',
        data: buildZip([
          { name: 'readme.txt', data: 'hi' },
          { name: 'eicar.com', data: EICAR, deflate: true },
        ]),
      },
    ],
  });
  const inNestedZip = buildMessage({
    subject: 'x',
    attachments: [{ name: 'outer.zip', data: buildZip([{ name: 'inner.zip', data: buildZip([{ name: 'e.txt', data: EICAR }]) }]) }],
  });

  it.each([
    ['the body', inBody],
    ['an attachment', inAttachment],
    ['a zip (deflated)', inZip],
    ['a zip inside a zip', inNestedZip],
  ])('finds EICAR in %s: Disinfect fails, so the default "delete message" applies', async (_w, msg) => {
    const r = await scan(msg);
    expect(r.recipients[0]!.action).toBe('delete');
    expect(r.recipients[0]!.reason).toMatch(/EICAR-Test-File/);
    expect(r.logLine).toMatch(/not clean: .*action="Deleted".*av-status="Infected"/);
  });

  it('ignores a truncated EICAR string and a clean zip', async () => {
    const partial = buildMessage({
      body: EICAR.slice(0, 40),
      attachments: [{ name: 'ok.zip', data: buildZip([{ name: 'a.txt', data: 'fine' }]) }],
    });
    expect((await scan(partial)).recipients[0]!.action).toBe('deliver');
  });

  it('Delete attachment replaces only the infected part with a note', async () => {
    const r = await scan(inAttachment, rule({ antiVirus: { ifDisinfectionFails: 'delete-attachment' } }));
    expect(r.recipients[0]!.action).toBe('deliver');
    const leaves = leafParts(parseMessage(r.data));
    expect(leaves.map((p) => p.contentType)).toEqual(['text/plain', 'text/plain']);
    expect(decodeBody(r.data, leaves[0]!).toString()).toContain('Hello Bob');
    expect(decodeBody(r.data, leaves[1]!).toString()).toMatch(/The attachment "eicar.com" was removed .*EICAR-Test-File/);
    expect(r.data.includes(Buffer.from(Buffer.from(EICAR).toString('base64').slice(0, 40)))).toBe(false);
    expect(header(r.data, 'X-KSMG-AntiVirus-Status')).toBe('Infected, disinfection failed, attachment deleted');
    expect(header(r.data, 'X-KSMG-Message-Action')).toBe('attachment deleted (AntiVirus)');
  });

  it('Delete attachment on a single-part message keeps its headers and replaces the body', async () => {
    const r = await scan(inBody, rule({ antiVirus: { infected: 'delete-attachment' } }));
    expect(header(r.data, 'Subject')).toBe('x');
    expect(r.data.includes(Buffer.from(EICAR))).toBe(false);
    expect(r.data.toString()).toMatch(/A message part \(text\/plain\) was removed/);
  });

  it('Reject answers 550 5.7.1 in the session; Skip delivers with the tag', async () => {
    const rej = await scan(inAttachment, rule({ antiVirus: { infected: 'reject' } }));
    expect(rej.reject).toEqual({
      code: 550,
      enhanced: '5.7.1',
      text: 'Message rejected by Kaspersky Secure Mail Gateway: virus EICAR-Test-File detected',
    });
    const skip = await scan(inAttachment, rule({ antiVirus: { infected: 'skip', subjectTag: '[Infected]' } }));
    expect(skip.recipients[0]!.action).toBe('deliver');
    expect(header(skip.data, 'Subject')).toBe('[Infected] x');
    expect(header(skip.data, 'X-KSMG-AntiVirus-Status')).toBe('Infected, skipped');
  });

  it('does nothing when disabled', async () => {
    const r = await scan(inAttachment, rule({ antiVirus: { enabled: false } }));
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiVirus-Status')).toBe('not scanned, disabled by settings');
  });
});

describe('Anti-Spam', () => {
  it('GTUBE is spam (rate 100): default Skip tags the subject', async () => {
    const r = await scan(buildMessage({ subject: 'Offer', body: `Buy now\r\n${GTUBE}\r\n` }));
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'Subject')).toBe('[Spam] Offer');
    expect(header(r.data, 'X-KSMG-AntiSpam-Status')).toBe('spam');
    expect(header(r.data, 'X-KSMG-AntiSpam-Rate')).toBe('100');
    expect(header(r.data, 'X-KSMG-Message-Action')).toBe('skipped (AntiSpam)');
  });

  it('the rating header gives probable spam between 50 and 89, nothing below', async () => {
    const probable = await scan(buildMessage({ subject: 'Maybe', extraHeaders: [`${SPAM_RATING_HEADER}: 60`] }));
    expect(header(probable.data, 'Subject')).toBe('[Probable Spam] Maybe');
    expect(header(probable.data, 'X-KSMG-AntiSpam-Status')).toBe('probable_spam');
    const low = await scan(buildMessage({ subject: 'Fine', extraHeaders: [`${SPAM_RATING_HEADER}: 49`] }));
    expect(header(low.data, 'Subject')).toBe('Fine');
    expect(header(low.data, 'X-KSMG-AntiSpam-Rate')).toBe('49');
  });

  it('spam with Delete message: accepted, nothing delivered', async () => {
    const r = await scan(buildMessage({ body: GTUBE }), rule({ antiSpam: { spam: 'delete-message' } }));
    expect(r.reject).toBeUndefined();
    expect(r.recipients[0]).toMatchObject({ action: 'delete', reason: 'spam' });
  });
});

describe('Anti-Phishing', () => {
  it('the built-in test URL is phishing; the default action is Reject', async () => {
    const r = await scan(buildMessage({ body: `Log in at ${PHISHING_TEST_URL} now.` }));
    expect(r.reject?.code).toBe(550);
    expect(r.reject?.text).toMatch(/phishing/);
    expect(r.recipients[0]!.action).toBe('reject');
  });

  it('configured domains match hosts and subdomains, also in HTML links', async () => {
    const html = '<a href="https://login.bank-phish.example/x?a=1&amp;b=2">Bank</a>';
    const cfg = { messageProcessing: { phishingUrls: ['bank-phish.example'] }, ...rule({ antiPhishing: { phishing: 'skip' } }) };
    const r = await scan(buildMessage({ subject: 'Bank', html }), cfg);
    expect(header(r.data, 'Subject')).toBe('[Phishing] Bank');
    expect(header(r.data, 'X-KSMG-AntiPhishing')).toBe('Phishing');
    const other = await scan(buildMessage({ subject: 'Bank', html: '<a href="https://bank.example/">ok</a>' }), cfg);
    expect(header(other.data, 'X-KSMG-AntiPhishing')).toBe('Clean');
  });

  it('URL entries match by prefix', async () => {
    const cfg = { messageProcessing: { phishingUrls: ['http://evil.example/login'] } };
    expect((await scan(buildMessage({ body: 'http://evil.example/login.php' }), cfg)).reject).toBeDefined();
    expect((await scan(buildMessage({ body: 'http://evil.example/about' }), cfg)).reject).toBeUndefined();
  });
});

describe('Content Filtering', () => {
  const exe = buildMessage({
    subject: 'tool',
    attachments: [
      { name: 'tool.exe', data: Buffer.from('MZ\x90\0binary') },
      { name: 'notes.txt', data: 'notes', type: 'text/plain' },
    ],
  });

  it('size limit: over maxSizeKb → the size action (Reject by default)', async () => {
    const big = buildMessage({ body: 'x'.repeat(3000) });
    const r = await scan(big, rule({ contentFiltering: { maxSizeKb: 2 } }));
    expect(r.reject?.text).toMatch(/exceeds 2 KB/);
    expect((await scan(big, rule({ contentFiltering: { maxSizeKb: 4 } }))).reject).toBeUndefined();
  });

  it('banned names (masks) delete the attachment by default', async () => {
    const r = await scan(exe, rule({ contentFiltering: { bannedNames: ['*.EXE'] } }));
    expect(r.recipients[0]!.action).toBe('deliver');
    const names = leafParts(parseMessage(r.data)).map((p) => p.filename);
    expect(names).toEqual(['', '', 'notes.txt']);
    expect(r.data.toString()).toMatch(/The attachment "tool.exe" was removed .*banned attachment/);
    expect(r.logLine).toMatch(/cf-status="Banned Attachment Name"/);
  });

  it('banned names also match entries inside a zip', async () => {
    const z = buildMessage({ attachments: [{ name: 'a.zip', data: buildZip([{ name: 'bin/run.scr', data: 'x' }]) }] });
    const r = await scan(z, rule({ contentFiltering: { bannedNames: ['*.scr'], banned: 'reject' } }));
    expect(r.reject).toBeDefined();
  });

  it('banned types by sniffed content: an executable renamed to .txt is still an executable', async () => {
    const renamed = buildMessage({ attachments: [{ name: 'invoice.txt', data: Buffer.from('MZ\x90\0'), type: 'text/plain' }] });
    const r = await scan(renamed, rule({ contentFiltering: { bannedTypes: ['executables'], banned: 'delete-message' } }));
    expect(r.recipients[0]!.action).toBe('delete');
    const ok = buildMessage({ attachments: [{ name: 'photo.png', data: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) }] });
    expect(
      (await scan(ok, rule({ contentFiltering: { bannedTypes: ['executables'], banned: 'delete-message' } }))).recipients[0]!.action,
    ).toBe('deliver');
  });

  it('"not from list" bans every type not listed; message text is never an attachment', async () => {
    const cfg = rule({ contentFiltering: { bannedTypes: ['documents', 'graphics'], listMode: 'not-from-list', banned: 'delete-message' } });
    const pdf = buildMessage({ attachments: [{ name: 'a.pdf', data: '%PDF-1.5' }] });
    expect((await scan(pdf, cfg)).recipients[0]!.action).toBe('deliver');
    const zip = buildMessage({ attachments: [{ name: 'a.zip', data: buildZip([{ name: 'x', data: 'y' }]) }] });
    expect((await scan(zip, cfg)).recipients[0]!.action).toBe('delete');
    expect((await scan(clean, cfg)).recipients[0]!.action).toBe('deliver');
  });
});

describe('combining actions', () => {
  const eicarAndPhish = buildMessage({ subject: 'both', body: `${PHISHING_TEST_URL}\r\n`, attachments: [{ name: 'e.com', data: EICAR }] });

  it('the strictest wins: Reject beats Delete attachment; Delete message beats Reject', async () => {
    const a = await scan(eicarAndPhish, rule({ antiVirus: { infected: 'delete-attachment' } }));
    expect(a.reject).toBeDefined();
    const b = await scan(eicarAndPhish, rule({ antiVirus: { infected: 'delete-message' } }));
    expect(b.reject).toBeUndefined();
    expect(b.recipients[0]!.action).toBe('delete');
  });

  it('Delete attachment plus Skip elsewhere: part removed and the tag of the skipping module added', async () => {
    const m = buildMessage({ subject: 'mix', body: GTUBE, attachments: [{ name: 'e.com', data: EICAR }] });
    const r = await scan(m, rule({ antiVirus: { infected: 'delete-attachment' } }));
    expect(header(r.data, 'Subject')).toBe('[Spam] mix');
    expect(r.data.includes(Buffer.from(Buffer.from(EICAR).toString('base64').slice(0, 40)))).toBe(false);
    expect(header(r.data, 'X-KSMG-Message-Action')).toBe('attachment deleted (AntiVirus, AntiSpam)');
  });

  it('rule modes act without scanning', async () => {
    const infected = buildMessage({ attachments: [{ name: 'e.com', data: EICAR }] });
    const skip = await scan(infected, rule({ mode: 'skip' }));
    expect(skip.recipients[0]!.action).toBe('deliver');
    expect(header(skip.data, 'X-KSMG-Message-Action')).toBe('skipped');
    expect(header(skip.data, 'X-KSMG-AntiVirus-Status')).toBe('not scanned, skipped by rule');
    const del = await scan(clean, rule({ mode: 'delete' }));
    expect(del.recipients[0]).toMatchObject({ action: 'delete' });
    const rej = await scan(clean, rule({ mode: 'reject' }));
    expect(rej.reject?.text).toBe('Message rejected by Kaspersky Secure Mail Gateway: rejected by rule "Default"');
  });

  it('in-session reject only when it applies to every recipient; otherwise per recipient (delayed)', async () => {
    const phish = buildMessage({ body: PHISHING_TEST_URL });
    const cfg: Partial<ConfigInput> = { rules: [{ name: 'Board', recipients: ['ceo@corp.example'], antiPhishing: { phishing: 'skip' } }] };
    const mixed = await scan(phish, cfg, ['bob@corp.example', 'ceo@corp.example']);
    expect(mixed.reject).toBeUndefined();
    expect(mixed.recipients).toEqual([
      { address: 'bob@corp.example', action: 'reject', rule: 'Default', reason: 'phishing link detected' },
      { address: 'ceo@corp.example', action: 'deliver', rule: 'Board' },
    ]);
    expect(header(mixed.data, 'X-KSMG-Rule-ID')).toBe('1'); // the delivered copy's rule
    expect(mixed.logLine).toMatch(/action="Rejected after session\|Skipped": rules=2,1/);
    const all = await scan(phish, {}, ['bob@corp.example', 'ann@corp.example']);
    expect(all.reject?.code).toBe(550);
    expect(all.recipients.map((r) => r.action)).toEqual(['reject', 'reject']);
  });

  it('a rule matched by client network skips scanning for internal mail only', async () => {
    const cfg: Partial<ConfigInput> = { rules: [{ name: 'Internal', senders: ['10.0.0.0/8'], mode: 'skip' }] };
    const cfgFull = config({ ...cfg, protection: { dns: false } });
    const phish = buildMessage({ body: PHISHING_TEST_URL });
    const internal = await scanner.scan({
      config: cfgFull,
      client: client('10.1.2.3'),
      sender: 'a@corp.example',
      recipients: ['b@corp.example'],
      data: phish,
      queueId: 'Q',
    });
    expect(internal.recipients[0]).toMatchObject({ action: 'deliver', rule: 'Internal' });
    const external = await scanner.scan({
      config: cfgFull,
      client: client('203.0.113.9'),
      sender: 'a@corp.example',
      recipients: ['b@corp.example'],
      data: phish,
      queueId: 'Q',
    });
    expect(external.reject).toBeDefined();
  });
});

describe('sample fixtures for the lab', () => {
  it.each([
    ['eicar', 'delete'],
    ['eicar-zip', 'delete'],
    ['phishing-link', 'reject'],
    ['gtube', 'deliver'],
    ['exe', 'deliver'],
  ])('%s attached is detected as documented (default rule → %s)', async (name, action) => {
    const { SAMPLE_FIXTURES } = await import('../../../src/scan/samples.js');
    const f = SAMPLE_FIXTURES[name]!;
    const r = await scan(buildMessage({ subject: 'f', attachments: [{ name: f.name, data: f.content, type: f.type }] }));
    expect(r.recipients[0]!.action).toBe(action);
    if (name === 'gtube') expect(header(r.data, 'Subject')).toBe('[Spam] f');
  });
});

describe('malformed input', () => {
  it.each([
    ['empty', Buffer.alloc(0)],
    ['no header block', Buffer.from('just text, no headers at all')],
    ['multipart without parts', Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\nno delimiters here\r\n')],
    [
      'unterminated multipart',
      Buffer.from('Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Type: text/plain\r\n\r\nhello'),
    ],
    [
      'bad base64 and a broken zip',
      buildMessage({ attachments: [{ name: 'a.zip', data: Buffer.from('PK\x03\x04\xff\xff\xff\xff', 'latin1') }] }),
    ],
    [
      'deep nesting',
      Buffer.from(Array.from({ length: 40 }, (_, i) => `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n`).join('')),
    ],
  ])('%s: delivered without a crash', async (_n, data) => {
    const r = await scan(data);
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(r.logLine).toMatch(/^(clean|not clean): /);
  });
});
