// The Deliverer against next hops without 8BITMIME, over real sockets: what the wire carries
// (MAIL FROM parameters, the converted data, the aborted transaction of smtp_mime_fail()).
// No STARTTLS: the transcript is read off the plain socket. Postfix's side of the same cases is
// in test/differential/delivery-probes.ts (variant no-8bitmime).
import { afterEach, describe, expect, it } from 'vitest';
import type { SinkExtensions } from '../../../../src/lab/sink.js';
import { Deliverer } from '../../../../src/relay/delivery/deliver.js';
import { parseRouteMap } from '../../../../src/relay/delivery/route-map.js';
import { startSink, zoneResolver, type Sink } from './sink.js';

const open: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  for (const x of open.splice(0).reverse()) await x.close();
});

const b = (s: string) => Buffer.from(s, 'latin1');
const EIGHT_BIT = b('MIME-Version: 1.0\r\nContent-Transfer-Encoding: 8bit\r\nSubject: s\r\n\r\nGr\xfc\xdfe = 1\r\n');
const hop = { kind: 'route' as const, domain: 'corp.example', host: '10.0.0.25', port: 25, mxLookup: false };

async function deliverTo(extensions: Partial<SinkExtensions>, data: Buffer, body?: '7BIT' | '8BITMIME') {
  const sink: Sink = await startSink({
    recordWire: true,
    tls: { starttls: false },
    extensions: { eightBitMime: false, smtpUtf8: false, ...extensions },
  });
  open.push(sink);
  const d = new Deliverer({
    resolver: zoneResolver({}),
    routeMap: parseRouteMap([`10.0.0.25:25=127.0.0.1:${sink.port}`]),
    heloName: 'h.example',
  });
  open.push(d);
  const report = await d.deliver({ hop, sender: 'a@x.example', recipients: [{ address: 'b@corp.example' }], data, body });
  await d.close(); // QUIT: the sink's transcript is complete
  await sink.until((s) => s.wire().length > 0, 5000);
  return { report, wire: sink.wire()[0]! };
}

describe('delivery to a next hop without 8BITMIME', () => {
  it('sends 8bit parts as quoted-printable, without SIZE= or BODY=', async () => {
    const { report, wire } = await deliverTo({}, EIGHT_BIT, '8BITMIME');
    expect(report.outcomes[0]!.status).toBe('sent');
    expect(wire.commands[0]).toBe('MAIL FROM:<a@x.example>');
    expect(wire.data).toBe('MIME-Version: 1.0\r\nSubject: s\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\nGr=FC=DFe =3D 1\r\n');
  });

  it('keeps SIZE= for a message declared BODY=7BIT, and sends it as it is', async () => {
    const plain = b('Subject: s\r\n\r\nhello\r\n');
    const { wire } = await deliverTo({}, plain, '7BIT');
    expect(wire.commands[0]).toMatch(/^MAIL FROM:<a@x\.example> SIZE=\d+$/);
    expect(wire.data).toBe('Subject: s\r\n\r\nhello\r\n');
  });

  it('a next hop offering SMTPUTF8 is taken to offer 8BITMIME: BODY=8BITMIME, nothing converted', async () => {
    const { wire } = await deliverTo({ smtpUtf8: true }, EIGHT_BIT);
    expect(wire.commands[0]).toMatch(/^MAIL FROM:<a@x\.example> SIZE=\d+ BODY=8BITMIME$/);
    expect(wire.data).toBe(EIGHT_BIT.toString('latin1'));
  });

  it('MIME nested too deep: the connection is dropped after 354 and the recipient bounces (5.6.0)', async () => {
    const deep = b(
      Array.from({ length: 103 }, (_, i) => `Content-Type: multipart/mixed; boundary=n${i}\r\n\r\n--n${i}\r\n`).join('') + '\r\nx\r\n',
    );
    const { report, wire } = await deliverTo({}, deep);
    expect(report.outcomes[0]).toMatchObject({ status: 'bounced', enhanced: '5.6.0', reason: 'MIME nesting exceeds safety limit' });
    expect(report.outcomes[0]!.remoteMta).toBeUndefined();
    expect(wire.commands.at(-1)).toBe('DATA');
    expect(wire.end).toBe('<closed>');
  });
});
