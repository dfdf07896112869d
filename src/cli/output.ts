// Shared helpers for command output: colour by the one rule (src/terminal.ts), JSON to stdout,
// config errors in one form, loading the config, and the -c/--config option every command takes.
import { Chalk, type ChalkInstance } from 'chalk';
import { Option } from 'commander';
import { existsSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, formatProblem } from '../config/errors.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { t, type Lang } from '../i18n/index.js';
import { colorEnabled } from '../terminal.js';

export interface OutStream {
  write(s: string): unknown;
  isTTY?: boolean;
}

/** Where a command writes; tests pass string collectors. */
export interface CliIo {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, env: process.env });

export { colorEnabled };

export function styleFor(stream: OutStream, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colorEnabled(stream, env) ? 1 : 0 });
}

export function writeJson(stream: OutStream, value: unknown): void {
  stream.write(`${JSON.stringify(value, null, 2)}\n`);
}

export const DEFAULT_CONFIG_FILE = 'ksmg.yaml';

/** `-c, --config <file>` with the default ./ksmg.yaml. */
export function configOption(lang: Lang = 'en'): Option {
  return new Option('-c, --config <file>', t(lang, 'cli.option.config')).default(DEFAULT_CONFIG_FILE);
}

/** A ConfigError as text lines for stderr. */
export function formatConfigError(e: ConfigError, style: ChalkInstance, lang: Lang = 'en'): string {
  return `${style.red.bold(e.heading(lang))}\n${e.problems.map((p) => `  ${formatProblem(p, lang)}`).join('\n')}\n`;
}

/** The example configurations shipped in the package (from dist/cli or src/cli). */
export const SHIPPED_EXAMPLES = fileURLToPath(new URL('../../examples/', import.meta.url));

/**
 * The file a command reads for --config: the one given or, when it does not exist and names
 * `examples/<file>`, the example shipped with ksmg-setup, so the help's examples
 * (`verify --config examples/edge.yaml`) work in any folder after `npx ksmg-setup`.
 */
export function resolveConfigFile(file: string): string {
  if (existsSync(file) || isAbsolute(file)) return file;
  const rel = normalize(file);
  const prefix = `examples${sep}`;
  if (!rel.startsWith(prefix)) return file;
  const shipped = join(SHIPPED_EXAMPLES, rel.slice(prefix.length));
  return shipped.startsWith(SHIPPED_EXAMPLES) && existsSync(shipped) ? shipped : file;
}

/**
 * Loads the config for a command (the one way every command does it). On unusable input prints
 * the problems to stderr, lets the command add its own output (audit's JSON) and returns
 * undefined: the caller exits 2. Any other error is rethrown.
 */
export async function loadForCommand(
  file: string,
  io: CliIo,
  onUnusable?: (e: ConfigError) => void,
  lang: Lang = 'en',
): Promise<LoadedConfig | undefined> {
  const path = resolveConfigFile(file);
  if (path !== file) io.stderr.write(`ksmg-setup: ${t(lang, 'cli.usingShippedExample', { file, path })}\n`);
  try {
    return await loadConfig(path);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    io.stderr.write(formatConfigError(e, styleFor(io.stderr, io.env), lang));
    onUnusable?.(e);
    return undefined;
  }
}

/**
 * The PEM files mta.tls names, read and checked before a lab or relay starts: a bad file is a
 * config problem at its key's line (exit 2), not a lab that "could not run". No files named: the
 * self-signed pair is made when the gateway starts, nothing to check.
 */
export async function checkTlsFiles(loaded: LoadedConfig, io: CliIo, lang: Lang = 'en'): Promise<boolean> {
  const { certFile, keyFile } = loaded.config.mta.tls;
  if (!certFile || !keyFile) return true;
  const { readPemPair, TlsFileError } = await import('../relay/smtp/tls-credentials.js');
  try {
    await readPemPair(certFile, keyFile);
    return true;
  } catch (e) {
    if (!(e instanceof TlsFileError)) throw e;
    io.stderr.write(formatConfigError(e.toConfigError(loaded.source), styleFor(io.stderr, io.env), lang));
    return false;
  }
}
