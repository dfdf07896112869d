// Everything the wizard needs from the other parts (load/save, audit, runbook, lab verification),
// behind one interface: this is the only wizard file that imports them, and tests inject fakes.
import { constants } from 'node:fs';
import { access, open, rename } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';
import YAML from 'yaml';
import { configSchema, type Config } from '../config/schema.js';
import type { ChalkInstance } from 'chalk';
import type { Output } from './context.js';

/** As in TEAM.md (foundation's src/audit): one finding of the audit. */
export interface Finding {
  id: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  path: string;
  line?: number;
  fix: string;
  uiPath: string;
}

export interface Loaded {
  config: Config;
  /** Opaque to the wizard: handed back to the audit for line numbers. */
  source?: unknown;
}

/** The file exists but cannot be used: `message` is ready to print (file:line problems). */
export class UnusableConfig extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnusableConfig';
  }

  format(): string {
    return this.message;
  }
}

export interface VerifyOutcome {
  /** 0 all scenarios passed, 1 some failed, 2 unusable input. */
  exitCode: number;
}

export interface WizardServices {
  exists(path: string): Promise<boolean>;
  load(path: string): Promise<Loaded>;
  /** Atomic; keeps comments and order of an existing file and a .bak copy. */
  save(path: string, config: Config): Promise<void>;
  audit(loaded: Loaded): Finding[];
  /** The audit's findings as the `audit` command prints them. */
  auditText(path: string, config: Config, findings: readonly Finding[], style: ChalkInstance): string;
  /** The runbook as text, or null while it is not available. */
  runbook(config: Config): string | null;
  /** Lab verification, or null while the lab is not available in this build. */
  verify: ((opts: { configPath: string; config: Config; stdout: Output; stderr: Output }) => Promise<VerifyOutcome>) | null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

// ---- Interim implementations until the foundation's modules are on main (see the report). ----

async function interimLoad(path: string): Promise<Loaded> {
  const { readFile } = await import('node:fs/promises');
  const text = await readFile(path, 'utf8');
  let doc: unknown;
  try {
    doc = YAML.parse(text);
  } catch (e) {
    throw new UnusableConfig(`${path}: not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const r = configSchema.safeParse(doc);
  if (!r.success) {
    throw new UnusableConfig(r.error.issues.map((i) => `${path}: ${i.path.join('.') || '(top)'}: ${i.message}`).join('\n'));
  }
  return { config: r.data };
}

async function interimSave(path: string, config: Config): Promise<void> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(YAML.stringify(config));
    await fh.sync();
  } finally {
    await fh.close();
  }
  if (await exists(path)) {
    const { copyFile } = await import('node:fs/promises');
    await copyFile(path, `${path}.bak`);
  }
  await rename(tmp, path);
}

function interimAuditText(path: string, _config: Config, findings: readonly Finding[], s: ChalkInstance): string {
  if (findings.length === 0) return `${s.green('✔')} ${path}: the audit found nothing to fix.\n`;
  const lines = [`${s.bold(`Audit of ${path}`)}: ${findings.length} finding${findings.length === 1 ? '' : 's'}`];
  for (const f of findings) {
    lines.push(`${f.severity} ${f.message}${f.line ? ` (${path}:${f.line})` : ''}`);
    if (f.fix) lines.push(`  fix: ${f.fix}`);
  }
  return lines.join('\n') + '\n';
}

export const realServices: WizardServices = {
  exists,
  load: interimLoad,
  save: interimSave,
  audit: () => [],
  auditText: interimAuditText,
  runbook: () => null,
  verify: null,
};
