// The relay's log: one line per event in Postfix maillog style on stderr, e.g.
//   2026-11-23T09:39:06.123Z ksmg-relay/smtpd[4242]: connect from unknown[203.0.113.7]
// or, with --log-format json, one JSON object per line: {"time","service","pid","msg",...fields}.
// Everyone in the relay (receive, queue, delivery) logs through a RelayLogger.
import type { Clock } from './clock.js';

export interface RelayLogger {
  /** `line` is the Postfix-style message; `fields` adds structured data for the JSON format. */
  info(line: string, fields?: object): void;
}

export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  format?: LogFormat;
  /** Where lines go (default: process.stderr). */
  write?: (text: string) => void;
  clock?: Pick<Clock, 'now'>;
  /** The program/service part, Postfix-like (default "ksmg-relay/smtpd"). */
  service?: string;
}

/**
 * stderr as the log sink, written at most every FLUSH_EVERY_MS: stderr is written synchronously
 * (files, pipes), and a busy relay logs about eight lines per message. One write per event-loop
 * turn still cost ≈ 50 µs of the loop per message at one session (measured); every 10 ms it is
 * one write for several messages. Postfix's daemons hand their lines to postlogd, which writes
 * them later too. One buffer for the process (every logger shares stderr); a large backlog is
 * written at once, and what is pending at exit is written then (a SIGKILL loses ≤ 10 ms of lines,
 * never a message: the spool does not depend on the log).
 */
const FLUSH_EVERY_MS = 10;
const FLUSH_AT_CHARS = 64 * 1024;
let stderrPending: string[] | null = null;
let pendingChars = 0;
let flushTimer: NodeJS.Timeout | null = null;
function writeStderrBatched(text: string): void {
  if (!stderrPending) {
    stderrPending = [];
    process.once('exit', flushStderr);
  }
  stderrPending.push(text);
  pendingChars += text.length;
  if (pendingChars >= FLUSH_AT_CHARS) flushStderr();
  else if (!flushTimer) {
    flushTimer = setTimeout(flushStderr, FLUSH_EVERY_MS);
    // The exit handler writes what is left; the timer alone does not keep the process running.
    flushTimer.unref();
  }
}
function flushStderr(): void {
  if (flushTimer) clearTimeout(flushTimer);
  flushTimer = null;
  if (!stderrPending?.length) return;
  const text = stderrPending.join('');
  stderrPending.length = 0;
  pendingChars = 0;
  process.stderr.write(text);
}

/**
 * `new Date(ms).toISOString()` for a clock read many times a millisecond: a busy relay logs
 * several lines per message, and each Date and its formatting cost ≈ 2.5 µs. The text of the
 * current second is kept and only its milliseconds are written anew.
 */
export function isoTimestamps(read: () => number): () => string {
  let second = NaN;
  let prefix = '';
  let lastMs = NaN;
  let last = '';
  return () => {
    const ms = Math.floor(read());
    if (ms === lastMs) return last;
    // Outside the years 1970–9999 (never from a real clock) the plain formatting says what it says.
    if (!(ms >= 0 && ms < 253402300800000)) return new Date(ms).toISOString();
    const into = ms % 1000;
    if (ms - into !== second) {
      second = ms - into;
      prefix = new Date(second).toISOString().slice(0, 20); // 2026-12-03T13:47:47.
    }
    lastMs = ms;
    last = `${prefix}${into < 10 ? '00' : into < 100 ? '0' : ''}${into}Z`;
    return last;
  };
}

export function createLogger(opts: LoggerOptions = {}): RelayLogger {
  const write = opts.write ?? writeStderrBatched;
  const clock = opts.clock;
  const now = isoTimestamps(clock ? () => clock.now() : Date.now);
  const service = opts.service ?? 'ksmg-relay/smtpd';
  if (opts.format === 'json') {
    return {
      info(line, fields) {
        write(JSON.stringify({ time: now(), service, pid: process.pid, msg: line, ...(fields ?? {}) }) + '\n');
      },
    };
  }
  return {
    info(line) {
      write(`${now()} ${service}[${process.pid}]: ${line}\n`);
    },
  };
}

/** Drops everything (tests, embedded use). */
export const silentLogger: RelayLogger = { info: () => undefined };

/** Keeps the lines in memory (tests assert on them). */
export class MemoryLogger implements RelayLogger {
  readonly lines: string[] = [];
  readonly entries: Array<{ line: string; fields?: object }> = [];
  private waiters: Array<{ re: RegExp; resolve: (line: string) => void }> = [];
  info(line: string, fields?: object): void {
    this.lines.push(line);
    this.entries.push({ line, fields });
    for (const w of this.waiters.filter((x) => x.re.test(line))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(line);
    }
  }
  find(re: RegExp): string | undefined {
    return this.lines.find((l) => re.test(l));
  }
  /**
   * The first line matching re, among those logged from index `since` on (default: all) or when
   * it is logged: tests wait for the event instead of sleeping.
   */
  waitFor(re: RegExp, { since = 0, timeoutMs = 10_000 }: { since?: number; timeoutMs?: number } = {}): Promise<string> {
    const seen = this.lines.slice(since).find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const w = { re, resolve: (line: string) => (clearTimeout(t), resolve(line)) };
      const t = setTimeout(() => {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        reject(new Error(`no log line matching ${re} within ${timeoutMs} ms; logged:\n${this.lines.join('\n')}`));
      }, timeoutMs);
      this.waiters.push(w);
    });
  }
}
