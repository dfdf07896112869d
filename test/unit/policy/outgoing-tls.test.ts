import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { levelSemantics, lookupTlsPolicy, outgoingTlsPlan, tlsPolicyKey } from '../../../src/policy/outgoing-tls.js';
import { nextHopFor } from '../../../src/policy/routing.js';

const config = (integration: string, mta: object) => configSchema.parse({ version: 1, integration, mta });
const levelFor = (c: ReturnType<typeof config>, address: string) => lookupTlsPolicy(outgoingTlsPlan(c), nextHopFor(c, address)!);

describe('outgoing TLS: the config', () => {
  it('defaults to may (KSMG "Attempt TLS") with no per-domain entries', () => {
    const c = config('edge', { domains: [{ name: 'corp.example' }] });
    expect(c.mta.tls.outgoing).toBe('may');
    expect(c.mta.domains[0]!.tls).toBeUndefined();
  });

  it('refuses an unknown level with the allowed ones named', () => {
    const r = configSchema.safeParse({ version: 1, integration: 'edge', mta: { tls: { outgoing: 'required' } } });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['mta', 'tls', 'outgoing']);
    expect(r.error!.issues[0]!.message).toMatch(/none, may, encrypt or verify/);
    const d = configSchema.safeParse({ version: 1, integration: 'edge', mta: { domains: [{ name: 'corp.example', tls: 'yes' }] } });
    expect(d.error!.issues[0]!.path).toEqual(['mta', 'domains', 0, 'tls']);
  });

  it('refuses two domains on one next hop with different levels, naming both', () => {
    const route = { host: '10.0.0.25' };
    const r = configSchema.safeParse({
      version: 1,
      integration: 'edge',
      mta: {
        domains: [
          { name: 'corp.example', route, tls: 'encrypt' },
          { name: 'sub.corp.example', route: { host: '10.0.0.25', port: 25 }, tls: 'none' },
        ],
      },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual(['mta', 'domains', 1, 'tls']);
    expect(r.error!.issues[0]!.message).toMatch(/sub\.corp\.example and corp\.example both route to \[10\.0\.0\.25\]:25/);
  });

  it('accepts the same level twice on one next hop (one table entry)', () => {
    const route = { host: '10.0.0.25' };
    const c = config('edge', {
      domains: [
        { name: 'corp.example', route, tls: 'encrypt' },
        { name: 'b.example', route, tls: 'encrypt' },
      ],
    });
    expect(outgoingTlsPlan(c).table).toEqual([{ key: '[10.0.0.25]:25', level: 'encrypt', domains: ['corp.example', 'b.example'] }]);
  });
});

describe('outgoing TLS: the policy table and the next hop lookup (smtp_tls_policy.c)', () => {
  it('keys a routed domain by its next hop as the transport map writes it', () => {
    const c = config('edge', {
      domains: [
        { name: 'corp.example', route: { host: '10.0.0.25', port: 2525 }, tls: 'encrypt' },
        { name: 'mx.example', route: { host: 'Mail.MX.example', mxLookup: true }, tls: 'verify' },
        { name: 'v6.example', route: { host: '2001:db8::25' }, tls: 'none' },
      ],
    });
    expect(outgoingTlsPlan(c).table.map((e) => [e.key, e.level])).toEqual([
      ['[10.0.0.25]:2525', 'encrypt'],
      ['mail.mx.example:25', 'verify'],
      ['[2001:db8::25]:25', 'none'],
    ]);
    expect(levelFor(c, 'bob@corp.example')).toMatchObject({ level: 'encrypt', key: '[10.0.0.25]:2525' });
    expect(levelFor(c, 'bob@mx.example').level).toBe('verify');
    expect(levelFor(c, 'bob@v6.example').level).toBe('none');
  });

  it('keys a domain without a route by its name under MX delivery', () => {
    const c = config('edge', { tls: { outgoing: 'none' }, domains: [{ name: 'partner.example', local: false, tls: 'encrypt' }] });
    expect(levelFor(c, 'x@partner.example')).toMatchObject({ level: 'encrypt', key: 'partner.example' });
    expect(levelFor(c, 'x@PARTNER.example').level).toBe('encrypt');
    // Parent matching needs a leading-dot key; a plain domain key does not cover subdomains.
    expect(levelFor(c, 'x@sub.partner.example')).toMatchObject({ level: 'none', entry: null });
    expect(levelFor(c, 'x@elsewhere.example').level).toBe('none');
  });

  it('matches ".parent" keys for MX destinations only, as tls_policy_lookup() walks parent domains', () => {
    const plan = {
      defaultLevel: 'may' as const,
      table: [{ key: '.corp.example', level: 'encrypt' as const, domains: [] }],
      viaRelayhost: [],
    };
    expect(lookupTlsPolicy(plan, { kind: 'mx', domain: 'a.b.corp.example', port: 25 }).level).toBe('encrypt');
    expect(lookupTlsPolicy(plan, { kind: 'mx', domain: 'corp.example', port: 25 }).level).toBe('may');
    expect(lookupTlsPolicy(plan, { kind: 'relayhost', host: 'a.corp.example', port: 25, mxLookup: true }).level).toBe('may');
  });

  it('never applies a domain entry to mail that goes through the relayhost: Postfix looks up the relayhost', () => {
    const c = config('behind-edge-no-verify', {
      destination: { host: 'edge.corp.example' },
      tls: { outgoing: 'may' },
      domains: [{ name: 'partner.example', local: false, tls: 'encrypt' }],
    });
    const plan = outgoingTlsPlan(c);
    expect(plan.table).toEqual([]);
    expect(plan.viaRelayhost).toEqual(['partner.example']);
    expect(levelFor(c, 'x@partner.example')).toMatchObject({ level: 'may', key: '[edge.corp.example]:25', entry: null });
  });

  it('applies a route entry to relayhost mail when both name the same next hop (one policy key)', () => {
    const c = config('behind-edge-no-verify', {
      destination: { host: '192.0.2.10' },
      domains: [{ name: 'corp.example', route: { host: '192.0.2.10' }, tls: 'encrypt' }],
    });
    expect(levelFor(c, 'someone@outside.example')).toMatchObject({ level: 'encrypt', key: '[192.0.2.10]:25' });
  });

  it('uses mta.tls.outgoing for the relayhost and for MX delivery without an entry', () => {
    const c = config('behind-edge-no-verify', { destination: { host: 'edge.corp.example', mxLookup: true }, tls: { outgoing: 'encrypt' } });
    expect(levelFor(c, 'x@outside.example')).toMatchObject({ level: 'encrypt', key: 'edge.corp.example:25' });
    expect(tlsPolicyKey({ kind: 'mx', domain: 'outside.example', port: 25 })).toBe('outside.example');
  });

  it('spells out what each level does', () => {
    expect(levelSemantics('none')).toEqual({ starttls: false, required: false, verify: false });
    expect(levelSemantics('may')).toEqual({ starttls: true, required: false, verify: false });
    expect(levelSemantics('encrypt')).toEqual({ starttls: true, required: true, verify: false });
    expect(levelSemantics('verify')).toEqual({ starttls: true, required: true, verify: true });
  });
});
