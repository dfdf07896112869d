// The lab's certificate maker thread (certificates.ts): makes the gateway's self-signed pair and
// the lab's next-hop certificates with the relay's own makers, off the thread that starts the lab.
// An RSA key is 0.1–0.4 s of CPU (its primes are random), and that was on verify's critical path.
import { parentPort } from 'node:worker_threads';
import { selfSignedFor } from '../relay/smtp/tls-credentials.js';
import { labCertificate } from './tls-cert.js';
import type { CertificateReply, CertificateRequest } from './certificates.js';

parentPort!.on('message', (m: CertificateRequest) => {
  let reply: CertificateReply;
  try {
    const made = m.kind === 'gateway' ? selfSignedFor(m.hostname) : labCertificate(m.names, m.kind);
    reply = { id: m.id, key: made.key, cert: made.cert };
  } catch (e) {
    reply = { id: m.id, error: (e as Error).message };
  }
  parentPort!.postMessage(reply);
});
