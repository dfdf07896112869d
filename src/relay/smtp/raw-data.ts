// DATA bytes as they came over the wire, still dot-stuffed. smtp-server's parser removes the
// escape dot only from ".." lines, but Postfix's smtpd removes the first dot of EVERY line that
// starts with one (so ". " becomes " "); and bare-LF "." lines are smtpd's business too. So the
// relay takes the raw bytes up to <CR><LF>.<CR><LF> (the only end of DATA) and leaves the
// line work to policy/content.ts. This replaces SMTPStream's data-mode feeder for one stream.
import type { SMTPStream } from 'smtp-server/lib/smtp-stream.js';

const END = Buffer.from('\r\n.\r\n', 'latin1');
const START_END = Buffer.from('.\r\n', 'latin1');
/** Bytes held back between chunks: enough to see a terminator that straddles them. */
const HOLD = END.length - 1;
const EMPTY = Buffer.alloc(0);

type Feed = (chunk: Buffer, done: (err?: Error | null) => void) => void;

/** Makes `parser` pass DATA through unstuffed-free (raw) until the end-of-data line. */
export function rawDataMode(parser: SMTPStream): void {
  let held: Buffer = EMPTY;
  let emitted = 0;
  const feed: Feed = function (this: SMTPStream, chunk, done) {
    const stream = this._dataStream!;
    let buf = chunk;
    if (held.length) {
      if (emitted === 0 || chunk.length < HOLD) {
        // The message's first bytes (the ".\r\n" test needs them joined) or a tiny chunk: a small copy.
        buf = Buffer.concat([held, chunk]);
      } else {
        // The chunk itself is searched where it lies, never copied (it is up to 64 KB, every
        // chunk of a large message). Here `held` is HOLD bytes (the rest was emitted), so a
        // terminator that starts in them ends within the chunk's first HOLD bytes.
        const joint = Buffer.concat([held, chunk.subarray(0, HOLD)]);
        const j = joint.indexOf(END);
        held = EMPTY;
        if (j !== -1) {
          restore(this);
          this._endDataMode(joint.subarray(0, j + 2), chunk.subarray(j + END.length - HOLD), done);
          return;
        }
        stream.write(joint.subarray(0, HOLD)); // the held bytes are content: they go first
        emitted += HOLD;
      }
    }
    held = EMPTY;
    if (emitted === 0 && buf.length >= START_END.length && buf.subarray(0, START_END.length).equals(START_END)) {
      restore(this);
      this._endDataMode(false, buf.subarray(START_END.length), done);
      return;
    }
    const at = buf.indexOf(END);
    if (at >= 0) {
      restore(this);
      this._endDataMode(buf.subarray(0, at + 2), buf.subarray(at + END.length), done);
      return;
    }
    const keep = Math.min(HOLD, buf.length);
    // Nothing emitted yet and fewer bytes than ".\r\n": keep them all to test the start again.
    const cut = emitted === 0 && buf.length < START_END.length ? 0 : buf.length - keep;
    held = Buffer.from(buf.subarray(cut));
    if (cut > 0) {
      emitted += cut;
      if (!stream.write(buf.subarray(0, cut)) && !stream.destroyed) {
        stream.once('drain', () => done());
        return;
      }
    }
    done();
  };
  const own = parser as unknown as { _feedDataStream: Feed };
  own._feedDataStream = feed;
}

function restore(parser: SMTPStream): void {
  delete (parser as unknown as { _feedDataStream?: Feed })._feedDataStream; // back to the prototype's
}
