// Where the lab's certificates come from. The gateway's self-signed pair (mta.tls names no files)
// and the lab's next-hop certificates are the same ones makeSelfSigned (relay/smtp/tls-credentials.ts)
// makes; made in the thread that runs the lab they cost 0.1–0.4 s of its CPU each (RSA key
// generation: random primes, so the time varies), which was a fifth of a default verify's start.
// `verify` starts a thread that makes them while the main thread imports the lab and reads the
// packs (startLabCertificates, right after the config is read); the lab awaits them when it needs
// them. Each is made once per process, as before, and a lab in a worker thread (parallel.ts) gets
// the parent's (fixedCertificates), so a second lab does not make a second gateway key.
import type { Worker } from 'node:worker_threads';
import type { Config } from '../config/schema.js';
import { startLabThread } from './thread.js';

export type LabCertificateKind = 'trusted' | 'untrusted';

export interface PemPair {
  key: string;
  cert: string;
}

type Request = { kind: 'gateway'; hostname: string } | { kind: LabCertificateKind; names: string[] };
export type CertificateRequest = Request & { id: number };

export type CertificateReply = { id: number; key: string; cert: string } | { id: number; error: string };

/** What a lab asks for its certificates. */
export interface CertificateSource {
  /** The gateway's self-signed pair, or null when the relay needs none (TLS off, or mta.tls names files). */
  gateway(): Promise<PemPair | null>;
  /** The lab's certificate of this kind for `names` (every host name and address of the lab). */
  lab(kind: LabCertificateKind, names: readonly string[]): Promise<PemPair>;
}

/** What a lab in another thread is given: every certificate the parent made. */
export interface CertificateMaterial {
  gateway: PemPair | null;
  lab: Array<{ kind: LabCertificateKind; names: string[]; pair: PemPair }>;
}

/** Whether the relay makes its own self-signed pair for this config (relay.ts, tlsCredentials). */
export function needsGatewayPair(config: Config): boolean {
  const tls = config.mta.tls;
  return tls.securityLevel !== 'none' && !(tls.certFile && tls.keyFile);
}

const labKey = (kind: LabCertificateKind, names: readonly string[]) =>
  `${kind}|${[...new Set(names.map((n) => n.toLowerCase()))].sort().join(',')}`;

/** One maker thread at a time, started by a request and ended when every request is answered. */
class MakerThread {
  private worker: Worker | null = null;
  private seq = 0;
  private readonly waiting = new Map<number, { resolve: (p: PemPair) => void; reject: (e: Error) => void }>();

  make(request: Request): Promise<PemPair> {
    const worker = this.started();
    const id = ++this.seq;
    return new Promise<PemPair>((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ ...request, id });
    });
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    const worker = startLabThread('cert-worker', null);
    worker.on('message', (r: CertificateReply) => {
      const w = this.waiting.get(r.id);
      this.waiting.delete(r.id);
      if ('error' in r) w?.reject(new Error(`the lab could not make a certificate: ${r.error}`));
      else w?.resolve({ key: r.key, cert: r.cert });
      // Nothing more to make: the thread ends (its ~40 MB with it); a later request starts another.
      if (!this.waiting.size) {
        this.worker = null;
        void worker.terminate();
      }
    });
    const fail = (e: Error) => {
      if (this.worker !== worker) return;
      this.worker = null;
      for (const w of this.waiting.values()) w.reject(e);
      this.waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`the lab's certificate thread stopped (exit code ${code})`)));
    this.worker = worker;
    return worker;
  }
}

type Maker = (request: Request) => Promise<PemPair>;

const thread = new MakerThread();
const inThread: Maker = async (request) => {
  if (request.kind === 'gateway') return (await import('../relay/smtp/tls-credentials.js')).selfSignedFor(request.hostname);
  return (await import('./tls-cert.js')).labCertificate(request.names, request.kind);
};
/** Made (or being made) in this process: gateway pairs by host name, lab certificates by kind and names. */
const gateways = new Map<string, Promise<PemPair>>();
const labs = new Map<string, Promise<PemPair>>();

/** A pair being made, kept unless the attempt fails (the next lab then tries again and reports its own error). */
function keep(map: Map<string, Promise<PemPair>>, key: string, make: () => Promise<PemPair>): Promise<PemPair> {
  const known = map.get(key);
  if (known) return known;
  const pair = make();
  map.set(key, pair);
  pair.catch(() => map.get(key) === pair && map.delete(key));
  return pair;
}

export type MadeCertificates = CertificateSource & { material(): Promise<CertificateMaterial> };

/**
 * The lab's certificates for this config, the gateway's asked for at once: made in the maker
 * thread when built; from the TypeScript sources (the tests) in this thread, where a thread would
 * first have to load tsx and compile its modules again, which costs more than the key it saves.
 */
export function labCertificates(config: Config): MadeCertificates {
  return import.meta.url.endsWith('.ts') ? certificatesMadeBy(inThread, config) : threadedCertificates(config);
}

/** Certificates made in the maker thread for this config; the gateway's is started at once. */
export function threadedCertificates(config: Config): MadeCertificates {
  return certificatesMadeBy((r) => thread.make(r), config);
}

function certificatesMadeBy(make: Maker, config: Config): MadeCertificates {
  const hostname = config.mta.hostname;
  const asked = new Map<string, { kind: LabCertificateKind; names: string[] }>();
  const gateway = async (): Promise<PemPair | null> =>
    needsGatewayPair(config) ? keep(gateways, hostname, () => make({ kind: 'gateway', hostname })) : null;
  const lab = (kind: LabCertificateKind, names: readonly string[]): Promise<PemPair> => {
    const key = labKey(kind, names);
    asked.set(key, { kind, names: [...names] });
    return keep(labs, key, () => make({ kind, names: [...names] }));
  };
  void gateway().catch(() => undefined);
  return {
    gateway,
    lab,
    async material() {
      const made = await Promise.all([...asked.values()].map(async (l) => ({ ...l, pair: await lab(l.kind, l.names) })));
      return { gateway: await gateway(), lab: made };
    },
  };
}

/** The certificates a parent made (a lab in a worker thread); anything else is made here, as a lab without a source would. */
export function fixedCertificates(material: CertificateMaterial, fallback: CertificateSource): CertificateSource {
  const byKey = new Map(material.lab.map((l) => [labKey(l.kind, l.names), l.pair]));
  return {
    gateway: async () => material.gateway ?? fallback.gateway(),
    lab: async (kind, names) => byKey.get(labKey(kind, names)) ?? fallback.lab(kind, names),
  };
}
