// Outgoing TLS over real sockets: each level (none, may, encrypt, verify) against a sink that
// offers STARTTLS with a CA-signed certificate, one with a self-signed certificate, one without
// STARTTLS, and a scripted server that refuses STARTTLS or breaks the handshake. The texts are
// Postfix 3.7's (the differential suite checks them against a real Postfix).
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingTlsLevel } from '../../../../src/config/schema.js';
import { Deliverer, type DeliveryRequest } from '../../../../src/relay/delivery/deliver.js';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { startSink, zoneResolver, type Sink } from './sink.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../../fixtures/tls');
const pem = (f: string) => readFileSync(path.join(FIXTURES, f), 'utf8');
const MESSAGE = Buffer.from('Subject: t\r\n\r\nhello\r\n');

/** A next hop that offers STARTTLS and then refuses it, or accepts it and breaks the handshake. */
function scriptedServer(onStarttls: 'refuse' | 'break'): Promise<{ port: number; connections: number; delivered: number; close(): void }> {
  const state = { port: 0, connections: 0, delivered: 0, close: () => server.close() };
  const server = net.createServer((socket) => {
    state.connections++;
    let inData = false;
    let buf = '';
    socket.write('220 scripted.test ESMTP\r\n');
    socket.on('error', () => undefined);
    socket.on('data', (chunk) => {
      buf += chunk.toString('latin1');
      let nl: number;
      while ((nl = buf.indexOf('\r\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            state.delivered++;
            socket.write('250 2.0.0 Ok: queued as SCRIPTED\r\n');
          }
          continue;
        }
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') socket.write('250-scripted.test\r\n250-PIPELINING\r\n250 STARTTLS\r\n');
        else if (verb === 'STARTTLS' && onStarttls === 'refuse') socket.write('454 4.7.0 TLS not available due to local problem\r\n');
        else if (verb === 'STARTTLS') {
          socket.write('220 2.0.0 Ready to start TLS\r\n');
          socket.end('this is not a TLS ServerHello\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'QUIT') socket.end('221 2.0.0 Bye\r\n');
        else socket.write('250 2.0.0 Ok\r\n');
      }
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      state.port = (server.address() as net.AddressInfo).port;
      resolve(state);
    }),
  );
}

let trusted: Sink; // STARTTLS, certificate for mail.corp.example signed by the test CA
let selfSigned: Sink; // STARTTLS, self-signed certificate for the same name
let plain: Sink; // no STARTTLS
let refuses: Awaited<ReturnType<typeof scriptedServer>>;
let breaks: Awaited<ReturnType<typeof scriptedServer>>;

beforeAll(async () => {
  trusted = await startSink({ tls: { starttls: true, key: pem('mail.key'), cert: pem('mail.pem') } });
  selfSigned = await startSink({ tls: { starttls: true, key: pem('untrusted.key'), cert: pem('untrusted.pem') } });
  plain = await startSink({ tls: { starttls: false } });
  refuses = await scriptedServer('refuse');
  breaks = await scriptedServer('break');
});
afterAll(async () => {
  await Promise.all([trusted, selfSigned, plain].map((s) => s.close()));
  refuses.close();
  breaks.close();
});

type Server = 'trusted' | 'selfSigned' | 'plain' | 'refuses' | 'breaks';
const ADDRESSES: Record<Server, string> = {
  trusted: '10.0.0.25',
  selfSigned: '10.0.0.26',
  plain: '10.0.0.27',
  refuses: '10.0.0.28',
  breaks: '10.0.0.29',
};

/** One delivery to `server`, known as mail.corp.example (or `name`), at `level`. */
async function deliver(server: Server, level: OutgoingTlsLevel, extra: { caFile?: string; name?: string; aged?: boolean } = {}) {
  const ports: Record<Server, number> = {
    trusted: trusted.port,
    selfSigned: selfSigned.port,
    plain: plain.port,
    refuses: refuses.port,
    breaks: breaks.port,
  };
  const name = extra.name ?? 'mail.corp.example';
  const d = new Deliverer({
    resolver: zoneResolver({ [name]: { A: [ADDRESSES[server]] } }),
    routeMap: parseRouteMap([`${ADDRESSES[server]}:25=127.0.0.1:${ports[server]}`]),
    heloName: 'ksmg.corp.example',
    idleTimeoutMs: 0,
    tls: { plan: { defaultLevel: level, table: [], viaRelayhost: [] }, caFile: extra.caFile },
    minimalBackoffSeconds: 300,
  });
  const req: DeliveryRequest = {
    hop: { kind: 'route', domain: 'corp.example', host: name, port: 25, mxLookup: false },
    sender: 'alice@sender.example',
    recipients: [{ address: 'bob@corp.example' }],
    data: MESSAGE,
    preactiveDelaySeconds: extra.aged ? 400 : 0,
  };
  try {
    return await d.deliver(req);
  } finally {
    await d.close();
  }
}

const label = (server: Server, name = 'mail.corp.example') => `${name}[${ADDRESSES[server]}]:25`;

describe('outgoing TLS levels against real next hops', () => {
  it('none: never STARTTLS, even when the server offers it', async () => {
    const before = trusted.received.length;
    const r = await deliver('trusted', 'none');
    expect(r.outcomes[0]).toMatchObject({ status: 'sent', relay: label('trusted') });
    expect(trusted.received.slice(before).map((t) => t.secure)).toEqual([false]);
  });

  it('may: STARTTLS when offered, any certificate; plaintext when not offered', async () => {
    const before = selfSigned.received.length;
    expect((await deliver('selfSigned', 'may')).outcomes[0]!.status).toBe('sent');
    expect(selfSigned.received.slice(before).map((t) => t.secure)).toEqual([true]);
    const plainBefore = plain.received.length;
    expect((await deliver('plain', 'may')).outcomes[0]!.status).toBe('sent');
    expect(plain.received.slice(plainBefore).map((t) => t.secure)).toEqual([false]);
  });

  it('may: a server refusing STARTTLS gets the mail in plaintext', async () => {
    const before = refuses.delivered;
    expect((await deliver('refuses', 'may')).outcomes[0]!.status).toBe('sent');
    expect(refuses.delivered).toBe(before + 1);
  });

  it('may: a failed handshake skips the server on the first attempt ("Cannot start TLS: handshake failure")', async () => {
    const r = await deliver('breaks', 'may');
    expect(r.outcomes[0]).toEqual({
      address: 'bob@corp.example',
      status: 'deferred',
      reason: 'Cannot start TLS: handshake failure',
      enhanced: '4.7.5',
      relay: label('breaks'),
      remoteMta: undefined,
      diagnostic: undefined,
    });
    expect(r.destinationDown).toBeUndefined();
  });

  it('may: after minimal_backoff_time in the queue, the same server again in plaintext', async () => {
    const [connections, delivered] = [breaks.connections, breaks.delivered];
    expect((await deliver('breaks', 'may', { aged: true })).outcomes[0]!.status).toBe('sent');
    expect(breaks.connections - connections).toBe(2);
    expect(breaks.delivered - delivered).toBe(1);
  });

  it("encrypt: a server without STARTTLS defers with Postfix's text and 4.7.4, the mail is not sent", async () => {
    const before = plain.received.length;
    const r = await deliver('plain', 'encrypt');
    expect(r.outcomes[0]).toMatchObject({
      status: 'deferred',
      reason: 'TLS is required, but was not offered by host mail.corp.example[10.0.0.27]',
      enhanced: '4.7.4',
      relay: label('plain'),
    });
    expect(r.outcomes[0]!.remoteMta).toBeUndefined();
    expect(r.destinationDown).toBeUndefined();
    expect(plain.received.length).toBe(before);
  });

  it("encrypt: STARTTLS refused defers with the server's reply and status", async () => {
    const r = await deliver('refuses', 'encrypt');
    expect(r.outcomes[0]).toMatchObject({
      status: 'deferred',
      reason:
        'TLS is required, but host mail.corp.example[10.0.0.28] refused to start TLS: 454 4.7.0 TLS not available due to local problem',
      enhanced: '4.7.0',
      relay: label('refuses'),
    });
  });

  it('encrypt: no certificate check, and a failed handshake is never retried in plaintext', async () => {
    expect((await deliver('selfSigned', 'encrypt')).outcomes[0]!.status).toBe('sent');
    const delivered = breaks.delivered;
    const r = await deliver('breaks', 'encrypt', { aged: true });
    expect(r.outcomes[0]).toMatchObject({ status: 'deferred', reason: 'Cannot start TLS: handshake failure', enhanced: '4.7.5' });
    expect(breaks.delivered).toBe(delivered);
  });

  it('verify: a certificate from the trusted CA naming the server delivers', async () => {
    const before = trusted.received.length;
    const r = await deliver('trusted', 'verify', { caFile: path.join(FIXTURES, 'ca.pem') });
    expect(r.outcomes[0]!.status).toBe('sent');
    expect(trusted.received.slice(before).map((t) => t.secure)).toEqual([true]);
  });

  it('verify: an untrusted chain, a wrong name or no CA to check against defers ("Server certificate not verified")', async () => {
    const ca = path.join(FIXTURES, 'ca.pem');
    const notVerified = { status: 'deferred', reason: 'Server certificate not verified', enhanced: '4.7.5' };
    expect((await deliver('selfSigned', 'verify', { caFile: ca })).outcomes[0]).toMatchObject({
      ...notVerified,
      relay: label('selfSigned'),
    });
    expect((await deliver('trusted', 'verify', { caFile: ca, name: 'other.corp.example' })).outcomes[0]).toMatchObject(notVerified);
    // Without a CA file, the bundled (public) CAs: a private CA's certificate does not verify.
    expect((await deliver('trusted', 'verify')).outcomes[0]).toMatchObject(notVerified);
    expect((await deliver('plain', 'verify', { caFile: ca })).outcomes[0]).toMatchObject({ enhanced: '4.7.4' });
  });

  it('verify: an unreadable CA file leaves the TLS engine unavailable (Postfix: no smtp_tls_ctx)', async () => {
    const r = await deliver('trusted', 'verify', { caFile: path.join(FIXTURES, 'missing-ca.pem') });
    expect(r.outcomes[0]).toMatchObject({
      status: 'deferred',
      reason: 'TLS is required, but our TLS engine is unavailable',
      enhanced: '4.7.5',
    });
  });
});
