// The contract between the relay (its DATA handler calls it before spooling) and the content
// scan (src/scan implements it).
import type { Config } from '../config/schema.js';

/** What the relay knows about the SMTP client when the message is complete. */
export interface ClientInfo {
  /** Client IP as the policy saw it (after XCLIENT, the impersonated address). */
  address: string;
  /** HELO/EHLO name, when given. */
  helo?: string;
  /** Reverse DNS name, when known. */
  hostname?: string;
}

export interface ScanInput {
  config: Config;
  client: ClientInfo;
  /** MAIL FROM address; '' for the null sender. */
  sender: string;
  /** Accepted RCPT TO addresses. */
  recipients: string[];
  /** The message exactly as received (headers + body, CRLF line ends). */
  data: Buffer;
  queueId: string;
}

export type RecipientAction = 'deliver' | 'delete' | 'reject';

export interface RecipientVerdict {
  address: string;
  /** deliver: spool for delivery; delete: drop silently; reject: delayed reject (KSMG NDR when enabled). */
  action: RecipientAction;
  /** Name of the rule that decided for this recipient. */
  rule: string;
  /** For 'reject' and 'delete': why (module and detection), e.g. for the delayed-reject NDR text. */
  reason?: string;
}

export interface ScanResult {
  /** In-session reject for all recipients (the relay answers it instead of "250 queued"). */
  reject?: { code: number; enhanced: string; text: string };
  recipients: RecipientVerdict[];
  /** Possibly modified message (X-headers added, attachment removed, subject tag). */
  data: Buffer;
  /** KSMG-like per-message verdict line (ksmg-product.md §5.5), without date, host or queue ID (the relay's logger adds those). */
  logLine?: string;
}

export interface MessageScanner {
  scan(input: ScanInput): Promise<ScanResult>;
  /** Ends the scanner's worker threads (the relay calls it when it stops). */
  close?(): Promise<void>;
  /** Resolves when the scanner can take a message (its worker threads have started). */
  ready?(): Promise<void>;
}
