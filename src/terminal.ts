// The one colour rule, for every command and for the lab's reporters (which must not import the
// CLI): colour when writing to a terminal, unless NO_COLOR is set (https://no-color.org: any
// non-empty value) or TERM=dumb. FORCE_COLOR (any value but "", "0" or "false") turns it on for
// a pipe, e.g. `| less -R`; NO_COLOR wins over it.

export interface TerminalLike {
  isTTY?: boolean;
  write?(s: string): unknown;
}

export function colorEnabled(stream: TerminalLike, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false') return true;
  return stream.isTTY === true && env.TERM !== 'dumb';
}
