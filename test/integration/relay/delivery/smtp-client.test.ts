import { queueFileSize } from '../../../../src/policy/content.js';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SmtpSession } from '../../../../src/relay/delivery/smtp-client.js';
import { smtpWire } from '../../../../src/policy/content.js';
import { startSink, type Sink } from './sink.js';

const sinks: Sink[] = [];
afterEach(async () => {
  await Promise.all(sinks.splice(0).map((s) => s.close()));
});

const MESSAGE = Buffer.from(
  'From: a@x.example\r\nTo: b@corp.example\r\nSubject: dots\r\n\r\n.leading dot\r\n..two\r\nnon-ascii: \xe9\xff\r\nlast line no dot\r\n',
  'latin1',
);

describe('SMTP client', () => {
  it('delivers byte-for-byte (dot-stuffing undone by the server), EHLO with the hostname, STARTTLS, SIZE and DSN params', async () => {
    const sink = await startSink({ rcpt: (a) => (a.startsWith('nobody@') ? { code: 550, text: 'No such user' } : null) });
    sinks.push(sink);
    const s = await SmtpSession.open({ host: '127.0.0.1', port: sink.port, heloName: 'ksmg.corp.example' });
    expect(s.secure).toBe(true);
    expect(s.features.has('PIPELINING')).toBe(true);
    const r = await s.send(
      {
        sender: 'a@x.example',
        recipients: [{ address: 'b@corp.example' }, { address: 'nobody@corp.example' }, { address: 'bcc@corp.example', notify: ['never'] }],
      },
      MESSAGE,
    );
    await s.quit();
    expect(r.rcpt.map((x) => x.code)).toEqual([250, 550, 250]);
    expect(r.rcpt[1]!.text).toBe('550 5.1.1 No such user');
    expect(r.data?.code).toBe(250);
    const tx = sink.received[0]!;
    expect(tx.data.equals(MESSAGE)).toBe(true);
    expect(tx.helo).toBe('ksmg.corp.example');
    expect(tx.secure).toBe(true);
    // SIZE= as Postfix computes it (queue file records); BODY= only when the client declared it.
    expect(tx.mailArgs).toMatchObject({ SIZE: String(queueFileSize(MESSAGE)) });
    expect(tx.mailArgs).not.toHaveProperty('BODY');
    expect(tx.rcptArgs[0]).toMatchObject({ ORCPT: 'rfc822;b@corp.example' });
    expect(tx.to).toEqual(['b@corp.example', 'bcc@corp.example']);
    expect(tx.rcptArgs[1]).toMatchObject({ NOTIFY: 'NEVER' });
  });

  it('works without PIPELINING, STARTTLS and SIZE, and reuses the connection for a second transaction', async () => {
    const sink = await startSink({ extensions: { pipelining: false, size: 0 }, tls: { starttls: false } });
    sinks.push(sink);
    const s = await SmtpSession.open({ host: '127.0.0.1', port: sink.port, heloName: 'h.example' });
    expect(s.features.has('PIPELINING')).toBe(false);
    expect(s.secure).toBe(false);
    await s.send({ sender: '', recipients: [{ address: 'b@corp.example' }] }, MESSAGE);
    await s.send({ sender: 'a@x.example', recipients: [{ address: 'c@corp.example' }] }, Buffer.from('Subject: 2\r\n\r\nhi\r\n'));
    await s.quit();
    expect(sink.received.map((t) => [t.from, t.to])).toEqual([
      ['', ['b@corp.example']],
      ['a@x.example', ['c@corp.example']],
    ]);
    expect(sink.received[0]!.mailArgs.SIZE).toBeUndefined();
    expect(sink.connections).toBe(1);
  });

  it('falls back to HELO when EHLO is refused', async () => {
    const lines: string[] = [];
    const server = net.createServer((sock) => {
      sock.write('220 old.example SMTP\r\n');
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        let i;
        while ((i = buf.indexOf('\r\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 2);
          lines.push(line);
          if (line.startsWith('EHLO')) sock.write('502 5.5.2 Error: command not recognized\r\n');
          else if (line.startsWith('HELO')) sock.write('250 old.example\r\n');
          else if (line === 'QUIT') sock.end('221 Bye\r\n');
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    const s = await SmtpSession.open({ host: '127.0.0.1', port, heloName: 'ksmg.corp.example' });
    expect(s.esmtp).toBe(false);
    await s.quit();
    server.close();
    expect(lines.slice(0, 2)).toEqual(['EHLO ksmg.corp.example', 'HELO ksmg.corp.example']);
  });

  it('connect failure and timeouts are SmtpErrors, not crashes', async () => {
    const server = net.createServer(() => undefined); // accepts, never greets
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    await expect(SmtpSession.open({ host: '127.0.0.1', port, heloName: 'h', commandTimeoutMs: 200 })).rejects.toMatchObject({
      stage: 'greeting',
      message: expect.stringContaining('timed out'),
    });
    server.close();
    await expect(SmtpSession.open({ host: '127.0.0.1', port, heloName: 'h', label: '10.0.0.25[10.0.0.25]:25' })).rejects.toMatchObject({
      stage: 'connect',
      message: 'connect to 10.0.0.25[10.0.0.25]:25: Connection refused',
    });
  });

  it('smtpWire dot-stuffs and leaves a normal message alone (the spool holds CRLF lines only)', () => {
    expect(smtpWire(Buffer.from('a\r\nb\r\n')).toString()).toBe('a\r\nb\r\n');
    expect(smtpWire(Buffer.from('.a\r\n.\r\nb')).toString()).toBe('..a\r\n..\r\nb\r\n');
  });

  it('a cached connection the server timed out (421) is replaced by a fresh one, not reported as a deferral', async () => {
    const { Deliverer } = await import('../../../../src/relay/delivery/deliver.js');
    const { parseRouteMap } = await import('../../../../src/relay/delivery/route-map.js');
    const { zoneResolver } = await import('./sink.js');
    const sink = await startSink({ idleTimeoutMs: 200 });
    sinks.push(sink);
    const d = new Deliverer({
      resolver: zoneResolver({}),
      routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${sink.port}`]),
      heloName: 'h.example',
      idleTimeoutMs: 5000,
    });
    const hop = { kind: 'route' as const, domain: 'corp.example', host: '10.0.0.25', port: 25, mxLookup: false };
    const req = { hop, sender: 'a@x.example', recipients: [{ address: 'b@corp.example' }], data: MESSAGE };
    expect((await d.deliver(req)).outcomes[0]!.status).toBe('sent');
    expect((await d.deliver(req)).outcomes[0]!.status).toBe('sent');
    expect(sink.connections).toBe(1); // reused while fresh
    expect(await sink.until((x) => x.closed >= 1, 10_000)).toBe(true); // the sink's idle timeout: 421 and close
    expect((await d.deliver(req)).outcomes[0]).toMatchObject({ status: 'sent' });
    expect(sink.connections).toBe(2);
    await d.close();
  });
});
