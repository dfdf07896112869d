// What the receiving side needs from its collaborators, re-exported here
// (one import place for the relay):
//   - the content scan: src/scan/types.ts (MessageScanner, ScanInput, ScanResult) — scan;
//   - recipient verification: src/relay/verify.ts (RecipientVerifier, VerifyResult) — delivery.

export type { RecipientVerifier, VerifyResult } from '../verify.js';

export type { MessageScanner, ScanInput, ScanResult } from '../../scan/types.js';
