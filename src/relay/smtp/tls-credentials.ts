// The gateway's TLS key and certificate (smtpd_tls_cert_file / smtpd_tls_key_file): the files
// mta.tls names, or — neither given — a self-signed pair for mta.hostname, as a KSMG appliance
// ships one. The key is made by node's crypto (native, fast); node-forge only builds and signs
// the X.509 certificate, which node 20 cannot create by itself.
import { generateKeyPairSync, randomBytes, sign, X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import forge from 'node-forge';
import type { Config } from '../../config/schema.js';
import { ConfigError } from '../../config/errors.js';
import type { ConfigSource } from '../../config/load.js';

export interface TlsCredentials {
  key: string;
  cert: string;
  /** Generated here (no certFile/keyFile in the config). */
  selfSigned: boolean;
}

/** A problem with mta.tls.certFile / keyFile, naming the key and what is wrong. */
export class TlsFileError extends Error {
  constructor(
    readonly key: 'mta.tls.certFile' | 'mta.tls.keyFile' | 'mta.tls',
    readonly detail: string,
  ) {
    super(`${key}: ${detail}`);
    this.name = 'TlsFileError';
  }

  /** As a config problem at the key's line in ksmg.yaml (`ksmg.yaml:14:15: mta.tls.certFile: …`). */
  toConfigError(source: ConfigSource): ConfigError {
    const at = source.locate(this.key) ?? { line: 0, column: 0 };
    return new ConfigError([{ file: source.file, line: at.line, column: at.column, path: this.key, message: this.detail }]);
  }
}

/** One self-signed pair per host name and process: key generation is the slow part. */
const generated = new Map<string, TlsCredentials>();

/** The credentials the relay (and the lab's gateway) serve STARTTLS with. */
export async function tlsCredentials(config: Config): Promise<TlsCredentials> {
  const { certFile, keyFile } = config.mta.tls;
  if (certFile && keyFile) return readPemPair(certFile, keyFile);
  return selfSignedFor(config.mta.hostname);
}

/** Reads and checks a PEM certificate and key, and that they belong together. */
export async function readPemPair(certFile: string, keyFile: string): Promise<TlsCredentials> {
  const cert = await readPem(certFile, 'mta.tls.certFile', 'certificate');
  const key = await readPem(keyFile, 'mta.tls.keyFile', 'private key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch (e) {
    throw new TlsFileError('mta.tls.certFile', `${certFile} is not a PEM certificate (${(e as Error).message})`);
  }
  try {
    if (!x509.checkPrivateKey(createPrivateKey(key))) {
      throw new TlsFileError('mta.tls', `the key in ${keyFile} does not belong to the certificate in ${certFile}`);
    }
  } catch (e) {
    if (e instanceof TlsFileError) throw e;
    throw new TlsFileError('mta.tls.keyFile', `${keyFile} is not an unencrypted PEM private key (${(e as Error).message})`);
  }
  return { cert, key, selfSigned: false };
}

async function readPem(file: string, key: 'mta.tls.certFile' | 'mta.tls.keyFile', what: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'does not exist' : code === 'EACCES' ? 'is not readable (permission denied)' : `cannot be read (${code})`;
    throw new TlsFileError(key, `${file} ${why}; expected a readable PEM ${what} file`);
  }
  if (!/-----BEGIN [A-Z0-9 ]+-----/.test(text))
    throw new TlsFileError(key, `${file} is not PEM (no "-----BEGIN" line); expected a PEM ${what}`);
  return text;
}

/** A self-signed certificate for `hostname` (CN and DNS SAN), valid from yesterday for ten years. */
export function selfSignedFor(hostname: string): TlsCredentials {
  const cached = generated.get(hostname);
  if (cached) return cached;
  const out = { ...makeSelfSigned([hostname], hostname), selfSigned: true };
  generated.set(hostname, out);
  return out;
}

/**
 * A new RSA key and a self-signed server certificate for `names` (subjectAltNames: host names as
 * DNS names, addresses as IP names), CN `commonName` (and O `organization` when given), valid from
 * yesterday for ten years. The gateway's pair and the lab's next hops' pairs are both made here.
 */
export function makeSelfSigned(names: readonly string[], commonName: string, organization?: string): { key: string; cert: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  // A positive serial (high bit clear), 16 random bytes.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString('hex');
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 86_400_000);
  cert.validity.notAfter = new Date(now + 10 * 365 * 86_400_000);
  const subject = [{ name: 'commonName', value: commonName }, ...(organization ? [{ name: 'organizationName', value: organization }] : [])];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
  ]);
  // forge's cert.sign() does the RSA signature in JavaScript (≈ 0.25 s of blocked event loop);
  // node's crypto signs the same TBSCertificate bytes natively, as PKCS#1 v1.5 with SHA-256.
  cert.signatureOid = cert.siginfo.algorithmOid = forge.pki.oids.sha256WithRSAEncryption!;
  cert.tbsCertificate = (forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }).getTBSCertificate(cert);
  const tbs = Buffer.from(forge.asn1.toDer(cert.tbsCertificate).getBytes(), 'binary');
  cert.signature = sign('sha256', tbs, privateKey).toString('binary');
  return { key: keyPem, cert: forge.pki.certificateToPem(cert) };
}
