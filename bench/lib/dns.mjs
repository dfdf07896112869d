// A loopback DNS for the bench: every name is NXDOMAIN at once, so the relay's SPF/DKIM/DMARC
// lookups cost what a warm local resolver costs, and nothing queries a resolver off the machine.
// It runs in its own process: in the bench's own process the memory sampler's /proc walks would
// hold up the answers and show up as relay latency. The answer is made from the query's bytes
// (QR and RA set, RCODE 3, the question echoed, no records) instead of by a DNS library: the
// machine has two cores, and a resolver that spends 0.1 ms of CPU per query (dns2's parser and
// encoder) takes them from the systems measured — a warm unbound answers in microseconds.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--serve') {
  const { default: dgram } = await import('node:dgram');
  const server = dgram.createSocket('udp4');
  server.on('message', (q, from) => {
    // A standard query with one question: header (12 bytes) and the question up to its end.
    if (q.length < 17 || (q[2] & 0xf8) !== 0 || q.readUInt16BE(4) !== 1) return;
    let at = 12;
    while (at < q.length && q[at] !== 0) at += 1 + q[at];
    const end = at + 5;
    if (end > q.length) return;
    const a = Buffer.from(q.subarray(0, end));
    a[2] = 0x80 | (q[2] & 0x01); // QR, RD copied
    a[3] = 0x80 | 3; // RA, NXDOMAIN
    a.writeUInt32BE(0, 6); // no answer, authority
    a.writeUInt16BE(0, 10); // or additional records
    server.send(a, from.port, from.address);
  });
  await new Promise((r) => server.bind(0, '127.0.0.1', r));
  process.send({ port: server.address().port });
  process.on('disconnect', () => process.exit(0));
}

export function startNxDns() {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--serve'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('error', reject);
    child.once('message', ({ port }) =>
      resolve({
        server: `127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            child.once('exit', r);
            child.kill('SIGTERM');
          }),
      }),
    );
  });
}
