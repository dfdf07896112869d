// What the receiving side needs from its collaborators, typed structurally so this branch does
// not carry copies of their files:
//   - the content scan: src/scan/types.ts (MessageScanner, ScanInput, ScanResult) — scan;
//   - recipient verification: src/relay/verify.ts (RecipientVerifier, VerifyResult) — relay-delivery.
// Their implementations satisfy these as they are. verify.ts is on main and re-exported; the scan
// types are mirrored until src/scan/types.ts is on main.
import type { Config } from '../../config/schema.js';

export type { RecipientVerifier, VerifyResult } from '../verify.js';

export interface ScanInput {
  config: Config;
  client: { address: string; helo?: string; hostname?: string };
  sender: string;
  recipients: string[];
  data: Buffer;
  queueId: string;
}

export interface ScanResult {
  reject?: { code: number; enhanced: string; text: string };
  recipients: Array<{ address: string; action: 'deliver' | 'delete' | 'reject'; rule: string; reason?: string }>;
  data: Buffer;
  logLine?: string;
}

export interface MessageScanner {
  scan(input: ScanInput): Promise<ScanResult>;
}
