// The ONE list of places where the lab's relay deliberately answers differently from a Postfix
// configured by `export postfix` of the same ksmg.yaml, each with its reason. The differential
// suite (receive.test.ts) expects exactly these differences: a listed probe must differ, and in
// exactly the way `relay` describes (it turns Postfix's transcript into the relay's).
//
// Keep this list short: every entry is a place where a green lab run does not prove what a real
// KSMG would answer.

export interface DeliberateDifference {
  /** Probe name (probes.ts). */
  probe: string;
  /** Variants it applies to (default: every variant the probe runs in). */
  variants?: string[];
  /** Why KSMG (or the lab) differs from plain Postfix here. */
  reason: string;
  /** Postfix's normalised transcript → the relay's. */
  relay: (postfix: string[]) => string[];
}

const QUEUED = '250 2.0.0 Ok: queued as <queue-id>';

export const DELIBERATE_DIFFERENCES: DeliberateDifference[] = [
  {
    probe: 'a virus under a Reject rule',
    reason:
      'KSMG scans the message (Rules > Anti-Virus, action Reject) and refuses it after the final dot; ' +
      'Postfix has no content scan, so it queues the message. KSMG documents no exact reply text ' +
      "(reference/ksmg-product.md §5.2): the text is the lab's own.",
    relay: (p) =>
      p.map((l) => (l === QUEUED ? '550 5.7.1 Message rejected by Kaspersky Secure Mail Gateway: virus EICAR-Test-File detected' : l)),
  },
];

export function deliberateFor(probe: string, variant: string): DeliberateDifference | undefined {
  return DELIBERATE_DIFFERENCES.find((d) => d.probe === probe && (!d.variants || d.variants.includes(variant)));
}

// ── Delivery side (delivery-probes.test.ts) ─────────────────────────────────────────────────
// What reaches the next hops: each entry turns Postfix's normalised transactions (one string
// array per transaction: MAIL, RCPT…, DATA, the data) into the relay's.

export interface DeliveryDeliberateDifference {
  /** Probe name (delivery-probes.ts). */
  probe: string;
  variants?: string[];
  reason: string;
  relay: (postfix: string[][]) => string[][];
}

export const DELIVERY_DELIBERATE_DIFFERENCES: DeliveryDeliberateDifference[] = [];

export function deliveryDeliberateFor(probe: string, variant: string): DeliveryDeliberateDifference | undefined {
  return DELIVERY_DELIBERATE_DIFFERENCES.find((d) => d.probe === probe && (!d.variants || d.variants.includes(variant)));
}
