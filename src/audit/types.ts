// What an audit check reports. The JSON output (`ksmg-setup audit --format json`) is this shape;
// see README "audit JSON" — extend only by adding fields.
import type { Config } from '../config/schema.js';
import type { Translate } from '../i18n/index.js';

export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

export interface Finding {
  /** Stable identifier, e.g. `sender-auth.spf-behind-edge`; scripts may match on it. */
  id: string;
  severity: Severity;
  /** What is wrong and why it matters, in a mail admin's words. */
  message: string;
  /** Key path in ksmg.yaml, e.g. `rules[0].antiPhishing.phishing`. */
  path: string;
  /** Line in the file, when the audited config came from a file and the key (or its section) is written there. */
  line?: number;
  /** What to change, in words. */
  fix: string;
  /** Where the setting is in the KSMG 2.x web UI. */
  uiPath: string;
  /**
   * The mechanical fix, when there is one: edits of ksmg.yaml that make this finding go away
   * without a judgement call (the wizard's "Fix these" applies exactly these; see ./patch.ts).
   */
  patch?: PatchOp[];
}

/**
 * One edit of the configuration, by ksmg.yaml key path (`mta.trustedNetworks[2]`):
 * set a value, remove an array element or key, or append to an array.
 */
export type PatchOp =
  { op: 'set'; path: string; value: unknown } | { op: 'remove'; path: string } | { op: 'add'; path: string; value: unknown };

export type Draft = Omit<Finding, 'id' | 'severity' | 'line'> & { severity?: Severity };

export interface AuditCheck {
  id: string;
  severity: Severity;
  /** One line describing what the check looks at (for docs and `--list`). */
  title: string;
  /** `t` gives the message and fix in the audit's language (the catalogue, src/i18n); English when not given. */
  run(config: Config, t?: Translate): Draft[];
}
