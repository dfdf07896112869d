// The bench's relay, load generator and sink (bench/*.js) as child processes that talk over IPC,
// for the crash tests: start one, wait for a message type, ask for something. Every process
// started is killed by killBenchProcesses() (call it in afterEach).
import { fork, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const bench = path.resolve(import.meta.dirname, '../../bench');
const kids: ChildProcess[] = [];

export type BenchMsg = { type: string; [k: string]: unknown };

export function startBenchProcess(script: string, arg: object, onMessage?: (m: BenchMsg) => void) {
  const c = fork(path.join(bench, script), [JSON.stringify(arg)], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, KSMG_BASE: 'src' },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  kids.push(c);
  const waiters: Array<{ type: string; resolve: (m: BenchMsg) => void }> = [];
  c.on('message', (m: BenchMsg) => {
    onMessage?.(m);
    const i = waiters.findIndex((w) => w.type === m.type);
    if (i >= 0) waiters.splice(i, 1)[0]!.resolve(m);
  });
  const wait = (type: string) => new Promise<BenchMsg>((resolve) => waiters.push({ type, resolve }));
  return {
    c,
    wait,
    ask: (cmd: string, type: string) => {
      const p = wait(type);
      c.send({ cmd });
      return p;
    },
  };
}

export function killBenchProcesses(): void {
  for (const k of kids.splice(0)) k.kill('SIGKILL');
}
