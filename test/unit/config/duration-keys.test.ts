// ADVANCED_DURATION_KEYS is the one list of duration settings (save, runbook and wizard read it):
// it must name exactly the advanced keys that accept `5m`.
import { describe, expect, it } from 'vitest';
import { ADVANCED_DURATION_KEYS, advancedSchema, DURATION_KEYS, protectionSchema } from '../../../src/config/schema.js';

describe('duration keys', () => {
  it('are exactly the advanced settings that read "5m" as 300 seconds', () => {
    const accepting = Object.keys(advancedSchema.shape).filter((key) => {
      const r = advancedSchema.safeParse({ [key]: '5m' });
      return r.success && (r.data as Record<string, unknown>)[key] === 300;
    });
    expect(accepting.sort()).toEqual([...ADVANCED_DURATION_KEYS].sort());
  });

  it('include protection.dnsTimeout', () => {
    expect(protectionSchema.parse({ dnsTimeout: '1m' }).dnsTimeout).toBe(60);
    expect(DURATION_KEYS.has('dnsTimeout')).toBe(true);
  });
});
