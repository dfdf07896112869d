import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../../../src/config/schema.js';
import { isDue, isExpired, lifetimeFor, nextBackoff, wantsFailureNotice } from '../../../../src/relay/queue/schedule.js';
import { deliveryLine } from '../../../../src/relay/queue/log.js';
import { rfc5322Date } from '../../../../src/relay/queue/bounce.js';

const adv = defaultConfig('edge').mta.advanced;

describe('queue schedule (pure)', () => {
  it('backoff: minimal, doubling, capped at maximal (KSMG 300 → 600 → 1200 → 2400 → 4000)', () => {
    const seq: number[] = [];
    let b: number | undefined;
    for (let i = 0; i < 6; i++) seq.push((b = nextBackoff(b, adv)));
    expect(seq).toEqual([300, 600, 1200, 2400, 4000, 4000]);
  });

  it('lifetimes: 3 d for mail, bounce_queue_lifetime for null-sender mail, capped at the maximal lifetime', () => {
    expect(lifetimeFor({ sender: 'a@x' }, adv)).toBe(3 * 86400);
    expect(lifetimeFor({ sender: '' }, { maximalQueueLifetime: 100, bounceQueueLifetime: 500 })).toBe(100);
    expect(lifetimeFor({ sender: 'a@x', isBounce: true }, { maximalQueueLifetime: 500, bounceQueueLifetime: 50 })).toBe(50);
    expect(isExpired({ sender: 'a@x', arrivalTime: 0 }, 3 * 86400 * 1000 - 1, adv)).toBe(false);
    expect(isExpired({ sender: 'a@x', arrivalTime: 0 }, 3 * 86400 * 1000, adv)).toBe(true);
  });

  it('due recipients and NOTIFY', () => {
    expect(isDue({ address: 'a', status: 'pending', attempts: 0 }, 0)).toBe(true);
    expect(isDue({ address: 'a', status: 'deferred', attempts: 1, nextAttemptAt: 10 }, 9)).toBe(false);
    expect(isDue({ address: 'a', status: 'deferred', attempts: 1, nextAttemptAt: 10 }, 10)).toBe(true);
    expect(isDue({ address: 'a', status: 'sent', attempts: 1 }, 10)).toBe(false);
    expect(wantsFailureNotice({})).toBe(true);
    expect(wantsFailureNotice({ notify: ['NEVER'] })).toBe(false);
    expect(wantsFailureNotice({ notify: ['SUCCESS', 'FAILURE'] })).toBe(true);
  });

  it('formats Postfix delivery lines and RFC 5322 dates', () => {
    expect(
      deliveryLine({
        id: '04000DACE83',
        to: 'b@corp.example',
        relay: '10.0.0.25[10.0.0.25]:25',
        delays: [0.12, 0, 0.03, 0.5],
        dsn: '2.0.0',
        status: 'sent',
        reason: '250 2.0.0 Ok',
      }),
    ).toBe(
      '04000DACE83: to=<b@corp.example>, relay=10.0.0.25[10.0.0.25]:25, delay=0.65, delays=0.12/0/0.03/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok)',
    );
    // log_adhoc(): orig_to= when rewriting changed the address other than in case.
    const sent = {
      id: 'A',
      relay: 'r',
      delays: [0, 0, 0, 0] as [number, number, number, number],
      dsn: '2.0.0',
      status: 'sent' as const,
      reason: 'x',
    };
    expect(deliveryLine({ ...sent, to: 'b@corp.example', origTo: 'b@corp.example.' })).toContain(
      'to=<b@corp.example>, orig_to=<b@corp.example.>, relay=r',
    );
    expect(deliveryLine({ ...sent, to: 'b@corp.example', origTo: 'B@Corp.Example' })).toContain('to=<b@corp.example>, relay=r');
    expect(rfc5322Date(Date.UTC(2026, 10, 23, 9, 8, 7))).toBe('Mon, 23 Nov 2026 09:08:07 +0000 (UTC)'); // bounce(8) uses mail_date()
  });
});
