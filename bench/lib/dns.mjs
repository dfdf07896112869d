// A loopback DNS for the bench: every name is NXDOMAIN at once, so the relay's SPF/DKIM/DMARC
// lookups cost what a warm local resolver costs, and nothing queries a resolver off the machine.
// Like any resolver's NXDOMAIN, the answer carries the zone's SOA (here `example.`, negative TTL
// 60 s), which is how long the relay's DNS cache may keep it (RFC 2308).
// It runs in its own process: in the bench's own process the memory sampler's /proc walks would
// hold up the answers and show up as relay latency. The answer is made from the query's bytes
// (QR and RA set, RCODE 3, the question echoed, the SOA) instead of by a DNS library: the
// machine has two cores, and a resolver that spends 0.1 ms of CPU per query (dns2's parser and
// encoder) takes them from the systems measured — a warm unbound answers in microseconds.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--serve') {
  const { default: dgram } = await import('node:dgram');
  const server = dgram.createSocket('udp4');
  const name = (...labels) =>
    Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
  const soaData = Buffer.concat([name('ns', 'example'), name('hostmaster', 'example'), Buffer.alloc(20)]);
  [1, 3600, 600, 86400, 60].forEach((v, i) => soaData.writeUInt32BE(v, soaData.length - 20 + 4 * i)); // serial … minimum
  const soaFixed = Buffer.alloc(10);
  soaFixed.writeUInt16BE(6, 0); // SOA
  soaFixed.writeUInt16BE(1, 2); // IN
  soaFixed.writeUInt32BE(60, 4); // TTL
  soaFixed.writeUInt16BE(soaData.length, 8);
  const authority = Buffer.concat([name('example'), soaFixed, soaData]);
  server.on('message', (q, from) => {
    // A standard query with one question: header (12 bytes) and the question up to its end.
    if (q.length < 17 || (q[2] & 0xf8) !== 0 || q.readUInt16BE(4) !== 1) return;
    let at = 12;
    while (at < q.length && q[at] !== 0) at += 1 + q[at];
    const end = at + 5;
    if (end > q.length) return;
    const a = Buffer.concat([q.subarray(0, end), authority]);
    a[2] = 0x80 | (q[2] & 0x01); // QR, RD copied
    a[3] = 0x80 | 3; // RA, NXDOMAIN
    a.writeUInt16BE(0, 6); // no answer,
    a.writeUInt16BE(1, 8); // the SOA in the authority section,
    a.writeUInt16BE(0, 10); // no additional records
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
