// Everything a session needs from the relay, built once by startRelay(). The SMTP handlers
// only read this and call the pure policy in src/policy/.
import type { EventEmitter } from 'node:events';
import type { Config } from '../../config/schema.js';
import type { Cidr } from '../../config/net.js';
import type { Clock } from '../clock.js';
import type { Resolver } from '../resolver.js';
import type { Spool } from '../spool.js';
import type { RelayLogger } from '../log.js';
import type { MessageScanner, RecipientVerifier } from './ports.js';
import type { ClientLimits } from '../../policy/limits.js';

/** What the SMTP side needs from the queue manager (src/relay/queue/manager.ts). */
export interface QueueNotifier {
  notify(id: string): void;
}

export interface RelayContext {
  config: Config;
  clock: Clock;
  spool: Spool;
  logger: RelayLogger;
  events: EventEmitter;
  trusted: Cidr[];
  /** --xclient-from: peers allowed to use XCLIENT. */
  xclientFrom: Cidr[];
  limits: ClientLimits;
  resolver?: Resolver;
  verifier?: RecipientVerifier;
  scanner?: MessageScanner;
  queue?: QueueNotifier;
  /** smtpd_recipient_limit (1000); smaller in tests. */
  recipientLimit: number;
  /** The gateway's key and certificate for STARTTLS; absent when mta.tls.securityLevel is none. */
  tls?: { key: string; cert: string };
  /** true once close() began: new sessions are refused. */
  stopping: boolean;
}
