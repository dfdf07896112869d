import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger, isoTimestamps, MemoryLogger } from '../../../src/relay/log.js';
import { ManualClock } from '../../../src/relay/clock.js';
import { parseListen } from '../../../src/cli/relay.js';
import { lookupRecipientDomain } from '../../../src/relay/smtp/domain-lookup.js';
import { DEFAULT_DNS, fakeResolver } from '../../helpers/relay-fixture.js';

describe('RelayLogger', () => {
  it('text: maillog-like line with time and service', () => {
    const out: string[] = [];
    const log = createLogger({ write: (s) => out.push(s), clock: new ManualClock(Date.UTC(2026, 10, 23, 9, 39, 6)) });
    log.info('connect from unknown[203.0.113.7]');
    expect(out[0]).toBe(`2026-11-23T09:39:06.000Z ksmg-relay/smtpd[${process.pid}]: connect from unknown[203.0.113.7]\n`);
  });
  it('json: one object per line with the fields', () => {
    const out: string[] = [];
    const log = createLogger({ format: 'json', write: (s) => out.push(s), clock: new ManualClock(0) });
    log.info('disconnect from unknown[::1]', { event: 'disconnect', client: '::1' });
    expect(JSON.parse(out[0]!)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      service: 'ksmg-relay/smtpd',
      pid: process.pid,
      msg: 'disconnect from unknown[::1]',
      event: 'disconnect',
      client: '::1',
    });
    expect(out[0]!.endsWith('\n')).toBe(true);
  });
  it('timestamps: the same text as toISOString for any sequence of clock readings', () => {
    // Readings that stay in one millisecond, one second, cross a second or jump anywhere (years 1970–9999 and beyond).
    const step = fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.999, noNaN: true }), fc.integer({ min: -1500, max: 1500 }));
    const start = fc.oneof(fc.integer({ min: 0, max: 253402300799999 }), fc.constantFrom(0, 999, 1000, 253402300799999, 253402300800000));
    fc.assert(
      fc.property(start, fc.array(step, { maxLength: 30 }), (t0, steps) => {
        let t = t0;
        const format = isoTimestamps(() => t);
        for (const d of [0, ...steps]) {
          t = Math.max(0, t + d);
          expect(format()).toBe(new Date(Math.floor(t)).toISOString());
        }
      }),
      { numRuns: 500 },
    );
  });
  it('memory logger finds lines', () => {
    const m = new MemoryLogger();
    m.info('a');
    expect(m.find(/^a$/)).toBe('a');
  });
});

describe('parseListen', () => {
  it.each([
    ['127.0.0.1:2525', { host: '127.0.0.1', port: 2525 }],
    ['[::1]:25', { host: '::1', port: 25 }],
    ['localhost:0', { host: 'localhost', port: 0 }],
    ['127.0.0.1', null],
    ['127.0.0.1:70000', null],
    [':25', null],
  ])('%s', (text, expected) => expect(parseListen(text)).toEqual(expected));
});

describe('lookupRecipientDomain', () => {
  const r = fakeResolver(DEFAULT_DNS);
  it.each([
    ['elsewhere.example', 'found'],
    ['a-only.example', 'found'],
    ['aaaa-only.example', 'found'],
    ['nullmx.example', 'null-mx'],
    ['nowhere.example', 'not-found'],
    ['broken-dns.example', 'tempfail'],
  ])('%s → %s', async (d, expected) => expect(await lookupRecipientDomain(r, d)).toBe(expected));
  it('an MX list with an empty exchange among others is malformed', async () => {
    const bad = fakeResolver({
      mx: {
        'bad.example': [
          { exchange: 'mx.bad.example', priority: 10 },
          { exchange: '', priority: 0 },
        ],
      },
    });
    expect(await lookupRecipientDomain(bad, 'bad.example')).toBe('malformed');
  });
});
