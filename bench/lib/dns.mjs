// A loopback DNS for the bench: every name is NXDOMAIN at once, so the relay's SPF/DKIM/DMARC
// lookups cost what a warm local resolver costs, and nothing queries a resolver off the machine.
import dns2 from 'dns2';

export async function startNxDns() {
  const { Packet } = dns2;
  const server = dns2.createUDPServer((req, send) => {
    const res = Packet.createResponseFromRequest(req);
    res.header.rcode = 3; // NXDOMAIN
    send(res);
  });
  await server.listen(0, '127.0.0.1');
  return { server: `127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}
