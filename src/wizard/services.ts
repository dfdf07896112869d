// Everything the wizard needs from the other parts (load/save, audit, runbook, lab verification),
// behind one interface: this is the only wizard file that imports them, and tests inject fakes.
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import type { ChalkInstance } from 'chalk';
import type { Config } from '../config/schema.js';
import { loadConfig, type LoadedConfig } from '../config/load.js';
import { saveConfig } from '../config/save.js';
import { runAudit, type Finding } from '../audit/index.js';
import { auditText } from '../audit/format.js';
import { buildRunbook, renderRunbook, renderRunbookChanges } from '../runbook/index.js';
import { runVerify } from '../lab/verify.js';
import { tEn, type Lang } from '../i18n/index.js';
import type { Output } from './context.js';

export type { Finding };

export interface Loaded {
  config: Config;
  /** Opaque to the wizard: handed back to the audit for line numbers. */
  source?: LoadedConfig['source'];
}

export interface VerifyOutcome {
  /** 0 all scenarios passed, 1 some failed, 2 unusable input. */
  exitCode: number;
}

export interface WizardServices {
  exists(path: string): Promise<boolean>;
  /** Throws the loader's ConfigError (with .format()) when the file cannot be used. */
  load(path: string): Promise<Loaded>;
  /** Atomic; keeps comments and order of an existing file and a .bak copy. */
  save(path: string, config: Config): Promise<void>;
  audit(loaded: Loaded, lang?: Lang): Finding[];
  /** The audit's findings as the `audit` command prints them. */
  auditText(path: string, config: Config, findings: readonly Finding[], style: ChalkInstance, lang?: Lang): string;
  /** The runbook as text. */
  runbook(config: Config, lang?: Lang): string;
  /** A rerun: only the web-UI changes from `before` to `after` (absent in fakes: the whole runbook). */
  runbookChanges?(before: Config, after: Config, lang?: Lang): string;
  /** Lab verification (null: skipped, e.g. in tests that do not want the lab). */
  verify: ((opts: { configPath: string; config: Config; stdout: Output; stderr: Output; lang?: Lang }) => Promise<VerifyOutcome>) | null;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

export const realServices: WizardServices = {
  exists,
  load: (path) => loadConfig(path),
  save: async (path, config) => {
    await saveConfig(path, config, { header: tEn('wizard.fileHeader') });
  },
  audit: ({ config, source }, lang = 'en') => runAudit(config, source, lang),
  auditText,
  runbook: (config, lang = 'en') => renderRunbook(buildRunbook(config, { lang }), 'text', { lang }),
  runbookChanges: (before, after, lang = 'en') => renderRunbookChanges(before, after, { lang }),
  // The lab's pretty reporter shows live progress on a terminal and ends with the summary and
  // where to look at failures.
  verify: async ({ configPath, config, stdout, stderr, lang }) => {
    const { exitCode } = await runVerify({
      config,
      configPath,
      lang,
      stdout: stdout as NodeJS.WritableStream,
      stderr: stderr as NodeJS.WritableStream,
    });
    return { exitCode };
  },
};
