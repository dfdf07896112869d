// A loopback next hop for the delivery comparisons: it records every transaction exactly as it
// arrives on the wire (the MAIL/RCPT lines with their parameters, the DATA bytes still
// dot-stuffed), offers the EHLO keywords it is given, and refuses recipients whose local part
// says so ("reject…" → 550, "defer…" → 450), so bounces and delays can be provoked. One sink per
// side (relay / Postfix), so what each sent can be told apart.
import net from 'node:net';

export interface SinkTransaction {
  /** "MAIL FROM:<…> SIZE=…", "RCPT TO:<…> ORCPT=…", "DATA", then the data, or the verb that ended it (RSET/QUIT). */
  lines: string[];
}

export interface RawSink {
  port: number;
  transactions: SinkTransaction[];
  /** Resolves when `pred` holds for the recorded transactions, or after `ms`. */
  until(pred: (t: SinkTransaction[]) => boolean, ms: number): Promise<void>;
  close(): Promise<void>;
}

export const SINK_KEYWORDS = ['PIPELINING', 'SIZE 50000000', '8BITMIME', 'DSN', 'SMTPUTF8', 'ENHANCEDSTATUSCODES'];

function rcptReply(line: string): string {
  const addr = line.match(/<([^>]*)>/)?.[1] ?? '';
  const local = addr.slice(0, addr.lastIndexOf('@')).replace(/^p\d+-/, '');
  if (/^reject/i.test(local)) return `550 5.1.1 <${addr}>: Recipient address rejected: User unknown`;
  if (/^defer/i.test(local)) return `450 4.2.0 <${addr}>: Recipient address rejected: try later`;
  return '250 2.1.5 Ok';
}

export async function startRawSink(keywords: string[] = SINK_KEYWORDS): Promise<RawSink> {
  const transactions: SinkTransaction[] = [];
  const watchers = new Set<() => void>();
  const sockets = new Set<net.Socket>();
  const changed = () => {
    for (const w of watchers) w();
  };
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let inData = false;
    let tx: string[] | null = null;
    const finish = (end?: string) => {
      if (tx) {
        if (end) tx.push(end);
        transactions.push({ lines: tx });
        tx = null;
        changed();
      }
    };
    socket.write('220 sink.test ESMTP\r\n');
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      for (;;) {
        if (inData) {
          const atStart = buf.subarray(0, 3).toString('latin1') === '.\r\n';
          const i = atStart ? -2 : buf.indexOf('\r\n.\r\n');
          if (i === -1 && !atStart) return;
          const end = atStart ? 0 : i + 2;
          tx?.push(buf.subarray(0, end).toString('latin1'));
          buf = buf.subarray(end + 3);
          inData = false;
          finish();
          socket.write('250 2.0.0 Ok: queued as SINKQUEUEID\r\n');
          continue;
        }
        const nl = buf.indexOf('\r\n');
        if (nl === -1) return;
        const line = buf.subarray(0, nl).toString('latin1');
        buf = buf.subarray(nl + 2);
        const verb = line.split(' ')[0]!.toUpperCase();
        if (verb === 'EHLO') {
          const all = ['sink.test', ...keywords];
          socket.write(all.map((k, j) => `250${j === all.length - 1 ? ' ' : '-'}${k}\r\n`).join(''));
        } else if (verb === 'HELO') socket.write('250 sink.test\r\n');
        else if (verb === 'MAIL') {
          finish();
          tx = [line];
          socket.write('250 2.1.0 Ok\r\n');
        } else if (verb === 'RCPT') {
          tx?.push(line);
          socket.write(`${rcptReply(line)}\r\n`);
        } else if (verb === 'DATA') {
          tx?.push(line);
          inData = true;
          socket.write('354 End data with <CR><LF>.<CR><LF>\r\n');
        } else if (verb === 'RSET') {
          finish('RSET');
          socket.write('250 2.0.0 Ok\r\n');
        } else if (verb === 'QUIT') {
          finish('QUIT');
          socket.end('221 2.0.0 Bye\r\n');
        } else socket.write('250 2.0.0 Ok\r\n');
      }
    });
    socket.on('close', () => finish('<closed>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    transactions,
    until(pred, ms) {
      return new Promise((resolve) => {
        const check = () => {
          if (!pred(transactions)) return;
          watchers.delete(check);
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          watchers.delete(check);
          resolve();
        }, ms);
        watchers.add(check);
        check();
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
