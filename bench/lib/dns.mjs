// A loopback DNS for the bench: every name is NXDOMAIN at once, so the relay's SPF/DKIM/DMARC
// lookups cost what a warm local resolver costs, and nothing queries a resolver off the machine.
// It runs in its own process: in the bench's own process the memory sampler's /proc walks would
// hold up the answers and show up as relay latency.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (process.argv[2] === '--serve') {
  const { default: dns2 } = await import('dns2');
  const { Packet } = dns2;
  const server = dns2.createUDPServer((req, send) => {
    const res = Packet.createResponseFromRequest(req);
    res.header.rcode = 3; // NXDOMAIN
    send(res);
  });
  await server.listen(0, '127.0.0.1');
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
