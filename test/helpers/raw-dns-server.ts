// A raw UDP DNS server on 127.0.0.1 for the relay's DNS stub tests: `reply(query)` returns the
// datagrams to send back, and from which socket (a second one, for answers from the wrong port).
import dgram from 'node:dgram';

export interface RawDnsServer {
  port: number;
  /** Another bound socket, for answers that come from a port the client did not ask. */
  other: dgram.Socket;
  /** Where every query came from, in order. */
  seen: dgram.RemoteInfo[];
  close(): Promise<unknown>;
}

export async function rawDnsServer(
  reply: (q: Buffer, from: dgram.RemoteInfo) => Array<{ msg: Buffer; via?: dgram.Socket }>,
): Promise<RawDnsServer> {
  const sock = dgram.createSocket('udp4');
  const other = dgram.createSocket('udp4');
  await new Promise<void>((r) => sock.bind(0, '127.0.0.1', () => r()));
  await new Promise<void>((r) => other.bind(0, '127.0.0.1', () => r()));
  const seen: dgram.RemoteInfo[] = [];
  sock.on('message', (q, from) => {
    seen.push(from);
    for (const { msg, via } of reply(q, from)) (via ?? sock).send(msg, from.port, from.address);
  });
  return {
    port: sock.address().port,
    other,
    seen,
    close: () => Promise.all([new Promise<void>((r) => sock.close(() => r())), new Promise<void>((r) => other.close(() => r()))]),
  };
}
