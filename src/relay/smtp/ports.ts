// What the receiving side needs from its collaborators, typed structurally so this branch does
// not carry copies of their files:
//   - the content scan: src/scan/types.ts (MessageScanner, ScanInput, ScanResult) — scan;
//   - recipient verification: src/relay/verify.ts (RecipientVerifier, VerifyResult) — relay-delivery.
// Their implementations satisfy these as they are. Once both files are on main, these aliases can
// simply re-export theirs.

export interface VerifyResult {
  status: 'deliverable' | 'undeliverable' | 'deferred' | 'pending';
  code?: number;
  reply?: string;
}

export interface RecipientVerifier {
  verify(address: string): Promise<VerifyResult>;
}

// The content scan's contract lives in src/scan/types.ts (now on main).
export type { MessageScanner, ScanInput, ScanResult } from '../../scan/types.js';
