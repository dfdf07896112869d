// SPF, DKIM and DMARC evaluated by mailauth against records served by a real dns2 server on
// 127.0.0.1 (explicit port), through the relay's Resolver — as the lab does it.
import { generateKeyPairSync } from 'node:crypto';
import dgram from 'node:dgram';
import dns2 from 'dns2';
import { dkimSign } from 'mailauth/lib/dkim/sign.js';
import { authenticate, dkimVerify } from 'mailauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src/config/schema.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { createDnsResolver, type Resolver } from '../../../src/relay/resolver.js';
import { createScanner } from '../../../src/scan/index.js';
import { checkMailAuth, dmarcDomain, enabledChecks, mailauthResolver } from '../../../src/scan/mail-auth.js';
import { parseMessage } from '../../../src/scan/mime.js';
import { buildMessage, client, config, withoutXHeaders } from '../../unit/scan/fixtures.js';

const { Packet } = dns2;
const EDGE = '198.51.100.10'; // the sender domain's real outbound server
const FORGED = '203.0.113.66';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
const pubB64 = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

const ZONE: Record<string, string[]> = {
  'sender.example': [`v=spf1 ip4:${EDGE} -all`],
  '_dmarc.sender.example': ['v=DMARC1; p=reject'],
  'lab._domainkey.sender.example': [`v=DKIM1; k=rsa; p=${pubB64}`],
  'nodmarc.example': [`v=spf1 ip4:${EDGE} -all`],
};

const queries: string[] = [];
let server: ReturnType<typeof dns2.createServer>;
let resolver: Resolver;

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

beforeAll(async () => {
  server = dns2.createServer({
    udp: true,
    handle(req: any, send: any) {
      const res = Packet.createResponseFromRequest(req);
      const [q] = req.questions;
      const name = String(q.name).toLowerCase();
      queries.push(`${name}/${q.type}`);
      const txt = ZONE[name];
      if (!txt) res.header.rcode = 3;
      else if (q.type === Packet.TYPE.TXT) {
        for (const t of txt) {
          const chunks = t.match(/.{1,255}/g)!;
          res.answers.push({ name: q.name, type: Packet.TYPE.TXT, class: Packet.CLASS.IN, ttl: 60, data: chunks } as any);
        }
      }
      send(res);
    },
  } as any);
  const port = await freeUdpPort();
  await server.listen({ udp: { port, address: '127.0.0.1' } } as any);
  resolver = createDnsResolver({ servers: [`127.0.0.1:${port}`], timeoutMs: 2000, tries: 1 });
});

afterAll(async () => {
  await server?.close();
});

async function sign(msg: Buffer): Promise<Buffer> {
  const r = await dkimSign(msg, {
    canonicalization: 'relaxed/relaxed',
    signatureData: [{ signingDomain: 'sender.example', selector: 'lab', privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }) }],
    // The bundled typings require top-level signing fields; the README's form is signatureData.
  } as unknown as Parameters<typeof dkimSign>[1]);
  expect(r.errors).toEqual([]);
  return Buffer.concat([Buffer.from(r.signatures), msg]);
}

const scanner = () => createScanner({ resolver, clock: new ManualClock() });
const header = (data: Buffer, name: string) => parseMessage(data).headers.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

async function scan(data: Buffer, ip: string, input: Partial<ConfigInput> = {}, sender = 'alice@sender.example') {
  return scanner().scan({ config: config(input), client: client(ip), sender, recipients: ['bob@corp.example'], data, queueId: 'Q1' });
}

const enforcing: Partial<ConfigInput> = { rules: [{ name: 'Default', mailAuthentication: { enabled: true } }] };

describe('protection switches', () => {
  it('DMARC is off when SPF or DKIM is off; DNS off turns everything off', () => {
    const p = config().protection;
    expect(enabledChecks(p)).toEqual({ spf: true, dkim: true, dmarc: true });
    expect(enabledChecks({ ...p, spf: false })).toEqual({ spf: false, dkim: true, dmarc: false });
    expect(enabledChecks({ ...p, dkim: false })).toEqual({ spf: true, dkim: false, dmarc: false });
    expect(enabledChecks({ ...p, dns: false })).toEqual({ spf: false, dkim: false, dmarc: false });
  });
});

describe('SPF and DMARC', () => {
  const msg = buildMessage({ from: 'Alice <alice@sender.example>', subject: 'Contract' });

  it('an authorised client passes SPF and DMARC', async () => {
    const r = await scan(msg, EDGE, enforcing);
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=none; spf=pass; dmarc=pass');
    expect(header(r.data, 'X-KSMG-AntiSpam-Rate')).toBe('0');
    expect(r.logLine).toMatch(/ma-status="Pass"/);
  });

  it('a forged client fails SPF and DMARC (p=reject): the rule Rejects in the session', async () => {
    const r = await scan(msg, FORGED, enforcing);
    expect(r.reject).toMatchObject({ code: 550, enhanced: '5.7.1' });
    expect(r.reject!.text).toMatch(/SPF check failed|DMARC/);
  });

  it('with rule-level authentication off (the default) the failures only raise the spam rating', async () => {
    const r = await scan(msg, FORGED);
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=none; spf=fail; dmarc=fail');
    expect(header(r.data, 'X-KSMG-AntiSpam-Rate')).toBe('80');
    expect(header(r.data, 'Subject')).toBe('[Probable Spam] Contract');
  });

  it('behind an edge with SPF on, legitimate mail fails; with SPF off it is delivered untouched', async () => {
    // The client KSMG sees is the edge gateway, not the sender's server.
    const onSpf = await scan(msg, '10.0.0.1', enforcing);
    expect(onSpf.reject).toBeDefined();
    const before = queries.length;
    const offSpf = await scan(msg, '10.0.0.1', { ...enforcing, protection: { spf: false, dmarc: false } });
    expect(offSpf.recipients[0]!.action).toBe('deliver');
    expect(header(offSpf.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=none');
    expect(header(offSpf.data, 'Subject')).toBe('Contract');
    expect(queries.slice(before).some((q) => q.startsWith('sender.example/'))).toBe(false); // no SPF lookup
  });

  it('DMARC "apply policy" follows p=; without a record nothing is enforced', async () => {
    const m = buildMessage({ from: 'x@nodmarc.example' });
    const r = await scan(
      m,
      FORGED,
      { rules: [{ name: 'Default', mailAuthentication: { enabled: true, spf: 'skip' } }] },
      'x@nodmarc.example',
    );
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=none; spf=fail; dmarc=none');
  });

  it('the SPF action applies when set to Delete message', async () => {
    const r = await scan(msg, FORGED, {
      rules: [{ name: 'Default', mailAuthentication: { enabled: true, spf: 'delete-message', dmarc: 'skip' } }],
    });
    expect(r.reject).toBeUndefined();
    expect(r.recipients[0]).toMatchObject({ action: 'delete', reason: 'SPF check failed' });
  });

  it('DNS off: no query at all, nothing checked', async () => {
    const before = queries.length;
    const r = await scan(msg, FORGED, { ...enforcing, protection: { dns: false } });
    expect(queries.length).toBe(before);
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('not checked, disabled by settings');
  });
});

describe('DKIM', () => {
  const base = buildMessage({ from: 'Alice <alice@sender.example>', subject: 'Signed', body: 'Signed body.\r\n' });

  it('a signed message passes and is delivered with its signature intact', async () => {
    const signed = await sign(base);
    const r = await scan(signed, FORGED, { protection: { spf: false, dmarc: false } });
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=pass');
    expect(withoutXHeaders(r.data).equals(signed)).toBe(true);
    const verified = await dkimVerify(r.data, { resolver: mailauthResolver(resolver) } as any);
    expect((verified as any).results[0].status.result).toBe('pass');
  });

  it('a subject tag breaks the signature (the product docs warn about it)', async () => {
    // The lab rating header (signed with the rest) makes it spam; Skip adds the [Spam] tag.
    const signed = await sign(
      buildMessage({ from: 'alice@sender.example', subject: 'Signed', extraHeaders: ['X-KSMG-Lab-Spam-Rating: 95'] }),
    );
    const r = await scan(signed, FORGED, { protection: { spf: false, dmarc: false } });
    expect(header(r.data, 'Subject')).toBe('[Spam] Signed');
    const verified = await dkimVerify(r.data, { resolver: mailauthResolver(resolver) } as any);
    expect((verified as any).results[0].status.result).toBe('fail');
  });

  it('a tampered body fails DKIM and the rule DKIM action applies; DMARC fails too', async () => {
    const signed = await sign(base);
    const tampered = Buffer.from(signed.toString().replace('Signed body.', 'Changed body.'));
    const r = await scan(tampered, FORGED, {
      rules: [{ name: 'Default', mailAuthentication: { enabled: true, dkim: 'delete-message', spf: 'skip', dmarc: 'skip' } }],
    });
    expect(r.recipients[0]).toMatchObject({ action: 'delete', reason: 'DKIM signature verification failed' });
  });

  it('aligned DKIM alone passes DMARC even when SPF fails', async () => {
    const signed = await sign(base);
    const r = await scan(signed, FORGED, { rules: [{ name: 'Default', mailAuthentication: { enabled: true, spf: 'skip' } }] });
    expect(r.recipients[0]!.action).toBe('deliver');
    expect(header(r.data, 'X-KSMG-AntiSpam-Auth')).toBe('dkim=pass; spf=fail; dmarc=pass');
  });
});

describe('DNS timeout', () => {
  it('after protection.dnsTimeout the message is processed without sender authentication', async () => {
    const hanging: Resolver = {
      resolveMx: () => new Promise(() => {}),
      resolve4: () => new Promise(() => {}),
      resolve6: () => new Promise(() => {}),
      resolveTxt: () => new Promise(() => {}),
    };
    const clock = new ManualClock();
    const pending = checkMailAuth(
      { data: buildMessage({}), sender: 'a@sender.example', ip: FORGED, mta: 'ksmg.corp.example' },
      config().protection,
      hanging,
      clock,
    );
    await clock.advance(10_000);
    const r = await pending;
    expect(r.timedOut).toBe(true);
    expect(clock.pending()).toBe(0);
  });
});

describe("our order of the checks gives mailauth authenticate()'s results", () => {
  const raw = (head: string) => Buffer.from(`${head}\r\nSubject: s\r\n\r\nbody\r\n`);
  const messages: Record<string, () => Promise<Buffer>> = {
    unsigned: async () => buildMessage({ from: 'Alice <alice@sender.example>' }),
    signed: async () => sign(buildMessage({ from: 'alice@sender.example', body: 'Signed body.\r\n' })),
    tampered: async () =>
      Buffer.from(
        (await sign(buildMessage({ from: 'alice@sender.example', body: 'Signed body.\r\n' }))).toString().replace('Signed', 'Changed'),
      ),
    'other From domain': async () => buildMessage({ from: 'x@nodmarc.example' }),
    'upper-case From': async () => buildMessage({ from: 'ALICE@SENDER.EXAMPLE' }),
    'no From': async () => raw('To: bob@corp.example'),
    'two From addresses': async () => raw('From: a@sender.example, b@nodmarc.example'),
  };
  const cases = Object.keys(messages).flatMap((m) =>
    [EDGE, FORGED].flatMap((ip) =>
      [
        { helo: 'mail.sender.example', sender: 'alice@sender.example' },
        { helo: undefined, sender: '' },
      ].map((c) => ({ m, ip, ...c })),
    ),
  );

  it.each(cases)('$m from $ip, helo $helo, sender <$sender>', async ({ m, ip, helo, sender }) => {
    const data = await messages[m]!();
    const ours = await checkMailAuth(
      { data, sender, ip, helo, mta: 'ksmg.corp.example' },
      config().protection,
      resolver,
      new ManualClock(),
    );
    const theirs: any = await authenticate(data, {
      ip,
      helo,
      sender: sender || `postmaster@${helo ?? ip}`,
      mta: 'ksmg.corp.example',
      resolver: mailauthResolver(resolver),
      disableArc: true,
      disableBimi: true,
    } as any);
    expect(ours.spf).toEqual({ result: theirs.spf.status.result, domain: String(theirs.spf.domain ?? ''), info: theirs.spf.info });
    const rows: any[] = theirs.dkim.results ?? [];
    expect(ours.dkim!.info).toEqual(rows.map((r) => r.info));
    expect(ours.dmarc!.result).toBe(theirs.dmarc ? theirs.dmarc.status.result : 'none');
    expect(ours.dmarc!.info).toBe(theirs.dmarc ? theirs.dmarc.info : '');
    expect(ours.dmarc!.policy).toBe(theirs.dmarc?.policy || undefined);
  });

  it("asks for DMARC's record while SPF's lookup is still unanswered (one round trip, not two)", async () => {
    // SPF's TXT answer is held until the _dmarc query arrives: in sequence the check would time out.
    let releaseSpf!: () => void;
    const dmarcAsked = new Promise<void>((r) => (releaseSpf = r));
    const held: Resolver = {
      ...resolver,
      resolveTxt: async (name) => {
        if (name.startsWith('_dmarc.')) releaseSpf();
        else await dmarcAsked;
        return resolver.resolveTxt(name);
      },
    };
    const clock = new ManualClock();
    const r = await checkMailAuth(
      { data: buildMessage({ from: 'alice@sender.example' }), sender: 'alice@sender.example', ip: EDGE, mta: 'ksmg.corp.example' },
      config().protection,
      held,
      clock,
    );
    expect(r).toMatchObject({ timedOut: false, spf: { result: 'pass' }, dmarc: { result: 'pass', policy: 'reject' } });
  });

  it("dmarcDomain: the single From address's domain, lower case, in ASCII; none for zero or several", () => {
    expect(dmarcDomain(['Alice@Sender.Example'])).toBe('sender.example');
    expect(dmarcDomain(['a@b@c.example'])).toBe('b@c.example');
    expect(dmarcDomain(['x@bücher.example'])).toBe('xn--bcher-kva.example');
    expect(dmarcDomain([])).toBeNull();
    expect(dmarcDomain(['a@b.example', 'c@d.example'])).toBeNull();
    expect(dmarcDomain(undefined)).toBeNull();
  });
});
