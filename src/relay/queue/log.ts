// Postfix maillog lines for the queue: one per recipient and attempt, as smtp(8) writes them:
//   ID: to=<bob@corp.example>, relay=10.0.0.25[10.0.0.25]:25, delay=0.12, delays=0.01/0/0.03/0.08, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as X)

/** The relay's logger (src/relay/log.ts); only info() is needed here. */
export interface QueueLogger {
  info(line: string, fields?: object): void;
}

export const silentLogger: QueueLogger = { info: () => undefined };

export interface DeliveryLogFields {
  id: string;
  to: string;
  /** The recipient as the client gave it, when rewriting changed it (log_adhoc's orig_to=). */
  origTo?: string;
  relay: string;
  /** Seconds: in the queue before this attempt, waiting, connection setup, transmission. */
  delays: [number, number, number, number];
  dsn: string;
  status: 'sent' | 'deferred' | 'bounced' | 'expired';
  reason: string;
}

function secs(n: number): string {
  if (n < 0.01) return n === 0 ? '0' : '0.01';
  return n < 10 ? n.toFixed(2).replace(/\.?0+$/, '') || '0' : n.toFixed(n < 100 ? 1 : 0);
}

export function deliveryLine(f: DeliveryLogFields): string {
  const total = f.delays.reduce((a, b) => a + b, 0);
  const orig = f.origTo && f.origTo.toLowerCase() !== f.to.toLowerCase() ? `, orig_to=<${f.origTo}>` : '';
  return `${f.id}: to=<${f.to}>${orig}, relay=${f.relay}, delay=${secs(total)}, delays=${f.delays.map(secs).join('/')}, dsn=${f.dsn}, status=${f.status} (${f.reason})`;
}
