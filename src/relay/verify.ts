// Recipient verification callouts (Postfix reject_unverified_recipient + verify(8)).
// The interface is shared with relay-receive, which maps a result to Postfix's reply texts.

export interface VerifyResult {
  status: 'deliverable' | 'undeliverable' | 'deferred' | 'pending';
  /** The next hop's reply code to the probe RCPT (or to the step that failed). */
  code?: number;
  /** The downstream reply text, e.g. "host 10.0.0.25[10.0.0.25] said: 550 5.1.1 <a>: User unknown". */
  reply?: string;
}

export interface RecipientVerifier {
  verify(address: string): Promise<VerifyResult>;
}
