// What a client sent a recording sink, exactly as on the wire: per transaction the MAIL, RCPT and
// DATA command lines with their parameters and the message bytes still dot-stuffed, and what ended
// it (the end of the data, RSET, QUIT or the connection closing). Built from the client's byte
// stream and the sink's reply codes in order (one reply per command, the greeting first), so a
// DATA's bytes are told from commands by the sink's own 354, whatever the pipelining.
export interface WireTransaction {
  /** "MAIL FROM:<…> SIZE=…", then the "RCPT TO:<…> …" lines, then "DATA" if it was sent. */
  commands: string[];
  /** The bytes after a DATA the sink answered 354, up to the final ".", latin1; null without. */
  data: string | null;
  /** The reply code to DATA, when DATA was sent and answered. */
  dataReply?: number;
  /** What ended it: the final "." of the message, RSET, QUIT, the connection closing, or a new MAIL. */
  end: 'data' | 'RSET' | 'QUIT' | '<closed>' | 'MAIL';
}

export class WireRecorder {
  private chunks: Buffer[] = [];
  private readonly codes: number[] = [];
  private closed = false;
  private cache: WireTransaction[] | null = null;

  clientBytes(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.cache = null;
  }

  reply(code: number): void {
    this.codes.push(code);
    this.cache = null;
  }

  close(): void {
    this.closed = true;
    this.cache = null;
  }

  /** The finished transactions so far (one still open is left out until it ends). */
  transactions(): WireTransaction[] {
    this.cache ??= parseWire(Buffer.concat(this.chunks).toString('latin1'), this.codes, this.closed);
    return this.cache;
  }
}

export function parseWire(wire: string, codes: readonly number[], closed: boolean): WireTransaction[] {
  const out: WireTransaction[] = [];
  let tx: WireTransaction | null = null;
  const finish = (end: WireTransaction['end']) => {
    if (tx) out.push({ ...tx, end });
    tx = null;
  };
  let pos = 0;
  let reply = 1; // codes[0] answers the connection (the greeting)
  for (;;) {
    const nl = wire.indexOf('\n', pos);
    if (nl === -1) break;
    const line = wire.slice(pos, wire[nl - 1] === '\r' ? nl - 1 : nl);
    const verb = line.split(' ')[0]!.toUpperCase();
    if (verb === 'DATA') {
      // Its bytes (if any) are only known once the sink has answered it.
      const code = codes[reply];
      if (code === undefined) break;
      tx?.commands.push(line);
      if (tx) tx.dataReply = code;
      if (code !== 354) {
        pos = nl + 1;
        reply++;
        continue;
      }
      const start = nl + 1;
      const end = wire.startsWith('.\r\n', start) ? start - 2 : wire.indexOf('\r\n.\r\n', start);
      if (end === -1) break;
      if (tx) tx.data = wire.slice(start, Math.max(start, end + 2));
      pos = end + 5;
      reply += 2; // the 354 and the reply to the message
      finish('data');
      continue;
    }
    pos = nl + 1;
    reply++;
    if (verb === 'MAIL') {
      finish('MAIL');
      tx = { commands: [line], data: null, end: '<closed>' };
    } else if (verb === 'RCPT') tx?.commands.push(line);
    else if (verb === 'RSET') finish('RSET');
    else if (verb === 'QUIT') finish('QUIT');
  }
  if (closed) finish('<closed>');
  return out;
}
