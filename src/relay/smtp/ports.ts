// What the receiving side needs from its collaborators, typed structurally so this branch does
// not carry copies of their files:
//   - the content scan: src/scan/types.ts (MessageScanner, ScanInput, ScanResult) — scan;
//   - recipient verification: src/relay/verify.ts (RecipientVerifier, VerifyResult) — relay-delivery.
// Their implementations satisfy these as they are. Once both files are on main, these aliases can
// simply re-export theirs.
import type { Config } from '../../config/schema.js';

export interface VerifyResult {
  status: 'deliverable' | 'undeliverable' | 'deferred' | 'pending';
  code?: number;
  reply?: string;
}

export interface RecipientVerifier {
  verify(address: string): Promise<VerifyResult>;
}

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
