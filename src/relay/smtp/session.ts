// Per-connection state (Postfix's SMTPD_STATE, reduced to what the policy needs) and the
// interface handlers use to talk on the wire.
import type { Reply } from '../../policy/replies.js';
import { ErrorCounter } from '../../policy/limits.js';
import { classifyClient, inNetworks, type ClientClass } from '../../policy/client.js';
import type { MailParams, RcptParams } from '../../policy/params.js';
import type { RelayContext } from './context.js';

export interface AcceptedRecipient extends RcptParams {
  address: string;
  /** Mail to the gateway's own postmaster that stays on the gateway (mta.postmaster not set). */
  localMailbox?: boolean;
}

export interface Transaction {
  sender: string;
  params: MailParams;
  recipients: AcceptedRecipient[];
  /** Assigned at the first accepted recipient, like Postfix's cleanup. */
  queueId: string | null;
  /** ms since epoch of MAIL FROM. */
  started: number;
  /** SMTPUTF8 was given on MAIL (and is offered). */
  smtputf8?: boolean;
  /** RCPTs refused for smtpd_recipient_limit so far (smtpd_recipient_overshoot_limit). */
  overshoot?: number;
  /** BDAT in progress: the chunks so far, Postfix's byte count, or 'error' (skip until LAST/RSET). */
  bdat?: { lines: Buffer[]; partial: Buffer; size: number; failed: boolean };
}

/** What a handler may do with the connection. Implemented by PostfixConnection. */
export interface Wire {
  /** One reply line; counts errors; strips the enhanced code when ENHANCEDSTATUSCODES is discarded. */
  reply(r: Reply, opts?: { countsAsError?: boolean }): void;
  /** A multi-line 250 reply (EHLO). */
  replyLines(code: number, lines: string[]): void;
  /** Ends the session after the pending replies are written. */
  close(): void;
  /**
   * Switches the parser to DATA mode; resolves with the message bytes as sent, still
   * dot-stuffed (only CRLF.CRLF ends it; policy/content.ts applies smtpd's line rules), or null
   * when the client went away.
   */
  receiveData(): Promise<Buffer | null>;
  /** The next `size` bytes as sent (a BDAT chunk), or null when the client went away. */
  receiveChunk(size: number): Promise<Buffer | null>;
  /** Lets the parser read the commands that follow the message. */
  resumeAfterData(): void;
  /**
   * After the 220 to STARTTLS: the TLS handshake on this connection. Plaintext the client
   * pipelined behind STARTTLS is discarded (CVE-2011-0411), as smtpd's vstream_fpurge does; a
   * failed handshake ends the session. The session's `tls` is set once the handshake is done.
   */
  startTls(): Promise<void>;
}

/** The TLS session a client established with STARTTLS. */
export interface TlsState {
  /** `TLSv1.3`, … */
  protocol: string;
  cipher: string;
}

export class SmtpSession {
  /** The TCP peer: XCLIENT authorisation and connection limits are judged on it. */
  readonly peerAddress: string;
  readonly peerPort: number;
  /** The client the policy sees: the peer, or what XCLIENT said. */
  address: string;
  port: string;
  /** Reverse name; "unknown" (the relay does no PTR lookups) unless XCLIENT NAME gave one. */
  name = 'unknown';
  helo: string | null = null;
  protocol: 'SMTP' | 'ESMTP' = 'SMTP';
  /** XCLIENT LOGIN= (the SASL user smtpd records); every XCLIENT without LOGIN clears it. */
  login: string | null = null;
  /** smtpd_authorized_xclient_hosts matched the current client (re-evaluated after XCLIENT, as Postfix). */
  xclientAllowed: boolean;
  /** The address whose connection counter this session holds (null when exempt). */
  countedAddress: string | null = null;
  tx: Transaction | null = null;
  readonly errors = new ErrorCounter();
  /** Verb of the last command (for "timeout after X" log lines). */
  lastCommand: string | null = null;
  /** Code of the last reply written (the outcome of the command being handled). */
  lastReplyCode = 0;
  /** The server ended the session (QUIT, 421, timeout): no "lost connection" line. */
  endedByServer = false;
  /** Per-command counts for the disconnect line: verb → [accepted, total]. */
  readonly commandStats = new Map<string, [number, number]>();
  /** Messages accepted in this session (for the disconnect log line). */
  accepted = 0;
  /** Set once a STARTTLS handshake completed (Received: "with ESMTPS"). */
  tls: TlsState | null = null;
  /** BDAT state (smtpd bdat_state): 'ok' while chunks arrive, 'error' = skip chunks until LAST/RSET. */
  bdat: 'none' | 'ok' | 'error' = 'none';

  /** The gateway's own addresses (inet_interfaces): `user@[addr]` is local mail. */
  readonly ownAddresses: readonly string[];

  constructor(
    readonly ctx: RelayContext,
    readonly wire: Wire,
    peer: { address: string; port: number },
    ownAddresses: readonly string[] = [],
  ) {
    this.ownAddresses = ownAddresses;
    this.peerAddress = peer.address;
    this.peerPort = peer.port;
    this.address = peer.address;
    this.port = String(peer.port);
    this.xclientAllowed = inNetworks(ctx.xclientFrom, peer.address);
  }

  get clientClass(): ClientClass {
    return classifyClient(this.ctx.trusted, this.address);
  }

  /** `name[addr]` as Postfix logs the client. */
  get namaddr(): string {
    return `${this.name}[${this.address}]`;
  }

  /** Anvil exemption: trusted networks, and an XCLIENT-authorised host speaking for itself. */
  get limitsExempt(): boolean {
    return this.clientClass === 'trusted' || this.xclientAllowed;
  }

  countCommand(verb: string, ok: boolean): void {
    const v = this.commandStats.get(verb) ?? [0, 0];
    v[1] += 1;
    if (ok) v[0] += 1;
    this.commandStats.set(verb, v);
  }

  resetTransaction(): void {
    this.tx = null;
    this.bdat = 'none';
  }
}
