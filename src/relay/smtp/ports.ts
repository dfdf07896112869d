// What the receiving side needs from its collaborators, re-exported here
// (one import place for the relay):
//   - the content scan: src/scan/types.ts (MessageScanner, ScanInput, ScanResult) — scan;
//   - recipient verification: src/relay/verify.ts (RecipientVerifier, VerifyResult) — relay-delivery.
// Both are on main now; this file only re-exports them so the relay imports its ports from one place.

export type { RecipientVerifier, VerifyResult } from '../verify.js';

export type { MessageScanner, ScanInput, ScanResult } from '../../scan/types.js';
