// Load generator (child process, IPC): N concurrent SMTP sessions over raw sockets, like Postfix
// smtp-source -d (several messages per conversation, no pipelining). Each message carries
// "X-Seq: n" so the sink can match what it got against what the relay acknowledged with 250.
//   fork('bench/loadgen.mjs', [JSON.stringify({ port, sessions, count, size, to, steady })])
// Messages to the parent: {type:'ack', seq} when steady, {type:'done', accepted, latencies, start, end}.
import net from 'node:net';

const opts = JSON.parse(process.argv[2]);
const { port, sessions = 20, count = 2000, size = 4096, to = 'user@corp.example', steady = false, host = '127.0.0.1' } = opts;
let next = 0;
let stopping = false;
const latencies = [];
let accepted = 0;
let failed = 0;
process.on('message', (m) => {
  if (m?.cmd === 'stop') stopping = true;
});

const filler = 'x'.repeat(76);
function body(seq) {
  const head = `From: bench@load.example\r\nTo: ${to}\r\nSubject: bench ${seq}\r\nMessage-ID: <${seq}.${process.pid}@load.example>\r\nX-Seq: ${seq}\r\n\r\n`;
  let text = head;
  while (text.length + 80 < size) text += filler + '\r\n';
  return text + '.\r\n';
}

function session() {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    let buf = '';
    const waiters = [];
    const replies = [];
    const push = (r) => {
      const w = waiters.shift();
      if (w) w(r);
      else replies.push(r);
    };
    sock.setEncoding('latin1');
    sock.on('data', (d) => {
      buf += d;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i).replace(/\r$/, '');
        buf = buf.slice(i + 1);
        if (!/^\d{3}-/.test(line)) push(line);
      }
    });
    let dead = false;
    const die = () => {
      if (!dead) {
        dead = true;
        for (const w of waiters.splice(0)) w('000 lost');
      }
    };
    sock.on('error', die);
    sock.on('close', die);
    const read = () =>
      replies.length ? Promise.resolve(replies.shift()) : dead ? Promise.resolve('000 lost') : new Promise((r) => waiters.push(r));
    const cmd = (s) => {
      sock.write(s + '\r\n');
      return read();
    };
    (async () => {
      if (!(await read()).startsWith('220')) return;
      if (!(await cmd('EHLO load.example')).startsWith('250')) return;
      while (!stopping && (steady || next < count)) {
        const seq = next++;
        const t0 = performance.now();
        if (!(await cmd('MAIL FROM:<bench@load.example>')).startsWith('250')) {
          failed++;
          return;
        }
        if (!(await cmd(`RCPT TO:<${to}>`)).startsWith('250')) {
          failed++;
          return;
        }
        if (!(await cmd('DATA')).startsWith('354')) {
          failed++;
          return;
        }
        sock.write(body(seq));
        const r = await read();
        if (r.startsWith('250')) {
          accepted++;
          latencies.push(performance.now() - t0);
          if (steady) process.send({ type: 'ack', seq, id: r.match(/queued as (\S+)/)?.[1] });
        } else {
          failed++;
          return;
        }
      }
      await cmd('QUIT');
    })().finally(() => {
      sock.destroy();
      resolve();
    });
  });
}

const start = Date.now();
const loops = Array.from({ length: sessions }, async () => {
  while (!stopping && (steady || next < count)) {
    await session();
    if (steady && !stopping) await new Promise((r) => setTimeout(r, 20)); // relay down: retry shortly
  }
});
await Promise.all(loops);
const end = Date.now();
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
process.send({ type: 'done', accepted, failed, p50: pct(0.5), p99: pct(0.99), start, end, seconds: (end - start) / 1000 }, () =>
  process.exit(0),
);
