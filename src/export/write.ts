// Writes a PostfixExport into a directory (the writer half of `export postfix`).
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PostfixExport } from './postfix.js';
import { selfSignedFor } from '../relay/smtp/tls-credentials.js';

/**
 * The self-signed pair main.cf's smtpd_tls_cert_file/key_file name (when ksmg.yaml names none);
 * an existing pair is kept, so a re-export does not change the gateway's certificate.
 */
export async function writeSelfSignedTls(exp: PostfixExport, dir: string): Promise<string[]> {
  const t = exp.selfSignedTls;
  if (!t) return [];
  const cert = path.join(dir, t.certFile);
  const key = path.join(dir, t.keyFile);
  if (existsSync(cert) && existsSync(key)) return [];
  const pair = selfSignedFor(t.hostname);
  await writeFile(key, pair.key, { mode: 0o600 });
  await writeFile(cert, pair.cert);
  return [cert, key];
}

/** Writes main.cf, master.cf and the map sources into `dir`; returns the paths written. */
export async function writePostfixExport(exp: PostfixExport, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const files: Array<[string, string]> = [['main.cf', exp.mainCf], ['master.cf', exp.masterCf], ...Object.entries(exp.maps)];
  const written: string[] = [];
  for (const [name, text] of files) {
    const p = path.join(dir, name);
    await writeFile(p, text);
    written.push(p);
  }
  written.push(...(await writeSelfSignedTls(exp, dir)));
  return written;
}
