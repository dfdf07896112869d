// A raw-socket SMTP client for tests and the lab: sends exactly the bytes it is given (no CRLF
// normalisation, no dot-stuffing — nodemailer does both, so it cannot send smuggling probes or
// XCLIENT) and reads whole replies, multi-line ones joined with "\n".
//
//   const c = await connectRaw({ port });
//   expect(await c.read()).toBe('220 ksmg.corp.example ESMTP MTA');
//   expect(await c.cmd('EHLO client.example')).toMatch(/^250-/);
//   c.write('DATA\r\n'); …; await c.quit();
import net from 'node:net';
import { SmtpReplyParser } from '../../src/policy/smtp-reply.js';

export const TIMEOUT = '<timeout>';
export const CLOSED = '<closed>';

export interface RawSmtp {
  readonly socket: net.Socket;
  /** The next complete reply (CRLF stripped, lines joined by "\n"), or TIMEOUT / CLOSED. */
  read(ms?: number): Promise<string>;
  /** Writes bytes as given (latin1 for strings). */
  write(data: string | Buffer): void;
  /** Writes `line\r\n` and reads the reply. */
  cmd(line: string, ms?: number): Promise<string>;
  /** Reads replies until the server closes or ms passes with nothing new; returns them. */
  drain(ms?: number): Promise<string[]>;
  /** QUIT, read the 221, wait for the close. */
  quit(): Promise<string>;
  /** Every reply received so far, in order. */
  readonly replies: string[];
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>;
  isClosed(): boolean;
  destroy(): void;
}

export interface RawSmtpOptions {
  host?: string;
  port: number;
  /** Bind the client to this local address (any 127.x.y.z works on Linux loopback). */
  localAddress?: string;
  /** Default per-read timeout in ms. */
  timeoutMs?: number;
}

export function connectRaw(opts: RawSmtpOptions): Promise<RawSmtp> {
  const socket = net.connect({ host: opts.host ?? '127.0.0.1', port: opts.port, localAddress: opts.localAddress });
  socket.setEncoding('latin1');
  const defaultMs = opts.timeoutMs ?? 5000;
  const parser = new SmtpReplyParser();
  let ended = false;
  const queue: string[] = [];
  const replies: string[] = [];
  const waiters: Array<(r: string) => void> = [];
  let closedResolve!: () => void;
  const closed = new Promise<void>((r) => (closedResolve = r));

  const flush = () => {
    while (waiters.length && queue.length) waiters.shift()!(queue.shift()!);
    if (ended) while (waiters.length) waiters.shift()!(CLOSED);
  };
  socket.on('data', (d: string) => {
    for (const reply of parser.feed(d)) {
      queue.push(reply.raw);
      replies.push(reply.raw);
    }
    flush();
  });
  const onEnd = () => {
    ended = true;
    flush();
    closedResolve();
  };
  socket.on('end', onEnd);
  socket.on('close', onEnd);
  socket.on('error', onEnd);

  const read = (ms = defaultMs): Promise<string> => {
    if (queue.length) return Promise.resolve(queue.shift()!);
    if (ended) return Promise.resolve(CLOSED);
    return new Promise((resolve) => {
      const t = setTimeout(() => {
        const i = waiters.indexOf(w);
        if (i !== -1) waiters.splice(i, 1);
        resolve(TIMEOUT);
      }, ms);
      const w = (r: string) => {
        clearTimeout(t);
        resolve(r);
      };
      waiters.push(w);
    });
  };
  const write = (data: string | Buffer) => {
    if (!socket.destroyed) socket.write(typeof data === 'string' ? Buffer.from(data, 'latin1') : data);
  };
  const client: RawSmtp = {
    socket,
    read,
    write,
    cmd: (line, ms) => {
      write(`${line}\r\n`);
      return read(ms);
    },
    async drain(ms = 300) {
      const out: string[] = [];
      for (;;) {
        const r = await read(ms);
        if (r === TIMEOUT || r === CLOSED) return out;
        out.push(r);
      }
    },
    async quit() {
      write('QUIT\r\n');
      const r = await read();
      await Promise.race([closed, new Promise((res) => setTimeout(res, 2000))]);
      socket.destroy();
      return r;
    },
    replies,
    closed,
    isClosed: () => ended,
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(client));
    socket.once('error', (e) => reject(e));
  });
}

/** Sends a message body after a 354 with the terminator, exactly as given. */
export function dataBlock(body: string): string {
  return `${body}\r\n.\r\n`;
}
