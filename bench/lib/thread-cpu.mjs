// Preloaded into the verify runs the bench times (node --import): when the process exits, writes the CPU
// time of its main thread and of its other threads still alive (libuv's pool, V8's helpers), in
// ms from /proc, to the file KSMG_BENCH_THREAD_CPU names. The main thread runs the lab (relay,
// hosts, harness), so its CPU is verify's critical path, and unlike wall time it barely moves
// when other work shares the machine. Linux only; elsewhere it writes nothing.
import fs from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const file = process.env.KSMG_BENCH_THREAD_CPU;
if (file && isMainThread) {
  process.on('exit', () => {
    try {
      let main = 0;
      let others = 0;
      for (const tid of fs.readdirSync('/proc/self/task')) {
        const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        // utime and stime are fields 14 and 15; the command name (field 2) may contain spaces.
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
        if (Number(tid) === process.pid) main += ms;
        else others += ms;
      }
      fs.writeFileSync(file, JSON.stringify({ mainMs: main, otherLiveThreadsMs: others }));
    } catch {
      /* no /proc: no figure */
    }
  });
}
