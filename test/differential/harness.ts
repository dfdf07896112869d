// Runs one probe (a scripted SMTP session) against a server and returns its transcript: every
// reply in order, then the answer to a final QUIT ("<closed>" when the server had closed the
// connection). The same probe runs against the relay and a real Postfix; their transcripts must
// be equal after normalise().
import net from 'node:net';
import tls from 'node:tls';

/** Who the probe pretends to be (via XCLIENT ADDR=, which both servers allow from 127.0.0.1). */
export type ClientKind = 'untrusted' | 'trusted' | 'untrusted6' | 'trusted6' | 'peer';

/**
 * A step: a command line (sent as UTF-8 + CRLF, one reply read), or
 * `{ raw, replies }`: bytes sent as given, then `replies` replies read (default 1), or
 * `{ halfClose: true, replies }`: the client shuts down its sending side, then replies are read.
 */
export type Step =
  | string
  | { raw: string | Buffer; replies?: number; readMs?: number }
  | { halfClose: true; replies?: number }
  /** The TLS handshake (after a 220 to STARTTLS): adds "<tls>" or "<tls failed>" to the transcript. */
  | { tls: true };

export interface Probe {
  name: string;
  /** Default 'untrusted'. */
  as?: ClientKind;
  steps: Step[];
  /** Variant names this probe runs in (default: all). */
  variants?: string[];
  /** Per-reply read timeout (default 15 s: Postfix's verify probes and the tarpit take seconds, and a loaded CI machine more). */
  readMs?: number;
  /**
   * Several sessions from the same client address instead of one (the connection limits): each
   * connects and sends XCLIENT; `together` keeps them all open until the last one has been
   * greeted, else each QUITs before the next one starts. `steps` are not used.
   */
  sessions?: { count: number; together: boolean };
}

export const CLOSED = '<closed>';
const GREETING_MS = 30_000;
export const TIMEOUT = '<timeout>';

/** One address per probe so the per-client limits of one probe never touch another's. */
export function clientAddress(kind: ClientKind, index: number): string | null {
  const i = index + 1;
  switch (kind) {
    case 'peer':
      return null;
    case 'untrusted':
      return `198.51.${100 + (i >> 8)}.${i & 255}`;
    case 'trusted':
      return `10.1.${i >> 8}.${i & 255}`;
    case 'untrusted6':
      return `2001:db8:ffff::${i.toString(16)}`;
    case 'trusted6':
      return `2001:db8:10::${i.toString(16)}`;
  }
}

interface Conn {
  /** The handshake on this connection; false when it failed. */
  startTls(): Promise<boolean>;
  write(b: Buffer): void;
  read(ms: number): Promise<string>;
  halfClose(): void;
  destroy(): void;
}

/** A reply is complete at a "ddd " line (or a bare "ddd") after any "ddd-" lines. */
const REPLY = /^((?:\d{3}-[^\n]*\n)*\d{3}(?: [^\n]*)?\r?\n)/;

function connect(port: number): Promise<Conn> {
  let socket: net.Socket = net.connect({ host: '127.0.0.1', port });
  let buf = '';
  let ended = false;
  const queue: string[] = [];
  const waiters: Array<(r: string) => void> = [];
  const flush = () => {
    while (waiters.length && queue.length) waiters.shift()!(queue.shift()!);
    if (ended) while (waiters.length) waiters.shift()!(CLOSED);
  };
  const onEnd = () => {
    ended = true;
    flush();
  };
  const attach = (s: net.Socket) => {
    s.setEncoding('latin1');
    s.on('data', (d: string) => {
      buf += d;
      let m: RegExpMatchArray | null;
      while ((m = buf.match(REPLY))) {
        buf = buf.slice(m[1]!.length);
        queue.push(m[1]!.replace(/\r?\n$/, '').replace(/\r\n/g, '\n'));
      }
      flush();
    });
    s.on('end', onEnd);
    s.on('close', onEnd);
    s.on('error', onEnd);
  };
  attach(socket);
  const startTls = () => {
    const plain = socket;
    for (const e of ['data', 'end', 'close', 'error']) plain.removeAllListeners(e);
    buf = '';
    return new Promise<boolean>((resolve) => {
      const t = tls.connect({ socket: plain, rejectUnauthorized: false, servername: 'ksmg.corp.example' }, () => {
        socket = t;
        attach(t);
        resolve(true);
      });
      t.once('error', () => {
        onEnd();
        resolve(false);
      });
    });
  };
  const conn: Conn = {
    startTls,
    write: (b) => {
      if (!socket.destroyed && socket.writable) socket.write(b);
    },
    read: (ms) => {
      if (queue.length) return Promise.resolve(queue.shift()!);
      if (ended) return Promise.resolve(CLOSED);
      return new Promise((resolve) => {
        const w = (r: string) => {
          clearTimeout(t);
          resolve(r);
        };
        const t = setTimeout(() => {
          const i = waiters.indexOf(w);
          if (i !== -1) waiters.splice(i, 1);
          resolve(TIMEOUT);
        }, ms);
        waiters.push(w);
      });
    },
    halfClose: () => socket.end(),
    destroy: () => socket.destroy(),
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(conn));
    socket.once('error', reject);
  });
}

/** Runs `probe` against 127.0.0.1:port as client number `index`; returns the transcript. */
export async function runProbe(port: number, probe: Probe, index: number): Promise<string[]> {
  if (probe.sessions) return runSessions(port, probe, index);
  const ms = probe.readMs ?? 15_000;
  const c = await connect(port);
  const out: string[] = [];
  const read = async (n: number, readMs = ms): Promise<boolean> => {
    for (let i = 0; i < n; i++) {
      const r = await c.read(readMs);
      out.push(r);
      if (r === CLOSED || r === TIMEOUT) return false;
    }
    return true;
  };
  try {
    // The greeting may take long while every server of the run starts at once on a busy machine.
    if (!(await read(1, GREETING_MS))) return out;
    const addr = clientAddress(probe.as ?? 'untrusted', index);
    if (addr) {
      c.write(Buffer.from(`XCLIENT ADDR=${addr.includes(':') ? `IPV6:${addr}` : addr}\r\n`));
      if (!(await read(1))) return out;
    }
    for (const step of probe.steps) {
      if (typeof step === 'string') {
        c.write(Buffer.from(`${step}\r\n`, 'utf8'));
        if (!(await read(1))) return out;
      } else if ('tls' in step) {
        const ok = await c.startTls();
        out.push(ok ? '<tls>' : '<tls failed>');
        if (!ok) return out;
      } else if ('halfClose' in step) {
        c.halfClose();
        await read(step.replies ?? 1);
        return out;
      } else {
        c.write(typeof step.raw === 'string' ? Buffer.from(step.raw, 'utf8') : step.raw);
        if (!(await read(step.replies ?? 1, step.readMs ?? ms))) return out;
      }
    }
    c.write(Buffer.from('QUIT\r\n'));
    await read(1, 3000);
    return out;
  } finally {
    c.destroy();
  }
}

async function runSessions(port: number, probe: Probe, index: number): Promise<string[]> {
  const { count, together } = probe.sessions!;
  const addr = clientAddress(probe.as ?? 'untrusted', index)!;
  const out: string[] = [];
  const open: Conn[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const c = await connect(port);
      open.push(c);
      out.push(await c.read(GREETING_MS));
      c.write(Buffer.from(`XCLIENT ADDR=${addr.includes(':') ? `IPV6:${addr}` : addr}\r\n`));
      out.push(await c.read(15_000));
      if (!together) {
        c.write(Buffer.from('QUIT\r\n'));
        out.push(await c.read(3000));
      }
    }
    if (together) {
      for (const c of open) {
        c.write(Buffer.from('QUIT\r\n'));
        out.push(await c.read(3000));
      }
    }
    return out;
  } finally {
    for (const c of open) c.destroy();
  }
}

/**
 * What may differ without meaning anything: queue ids, and the address of the next hop a
 * verification probe talked to (the relay names the configured host, Postfix the loopback sink
 * the test points it at).
 */
export function normalise(line: string): string {
  return line.replace(/queued as [0-9A-Za-z]+/g, 'queued as <queue-id>').replace(/host \S+\[[^\]\s]+\] said:/g, 'host <next-hop> said:');
}
