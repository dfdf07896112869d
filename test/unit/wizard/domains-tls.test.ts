import { describe, expect, it } from 'vitest';
import { describeDomain } from '../../../src/wizard/steps/domains.js';

describe('wizard domains step: outgoing TLS mode', () => {
  it("shows a domain's TLS mode next to its route", () => {
    expect(describeDomain({ name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'encrypt' })).toBe(
      'corp.example → 10.0.0.25:25, TLS encrypt',
    );
    expect(describeDomain({ name: 'corp.example', route: { host: '10.0.0.25' } })).toBe('corp.example → 10.0.0.25:25');
  });
});
