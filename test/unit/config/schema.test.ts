import { describe, expect, it } from 'vitest';
import { configSchema, defaultConfig, formatDuration, parseDuration } from '../../../src/config/schema.js';
import { type ConfigError, parseConfigText } from '../../../src/config/load.js';

const base = (mta: Record<string, unknown> = {}, rest: Record<string, unknown> = {}) => ({
  version: 1,
  integration: 'behind-edge-no-verify',
  mta: { domains: [{ name: 'corp.example' }], ...mta },
  ...rest,
});

/** The message for one key path, as the loader reports it. */
function messageFor(input: object, path: string): string {
  const text = JSON.stringify(input);
  try {
    parseConfigText(text);
  } catch (e) {
    const p = (e as ConfigError).problems.find((x) => x.path === path);
    if (p) return p.message;
    throw new Error(`no problem at ${path}: ${(e as ConfigError).format()}`);
  }
  throw new Error('expected a problem');
}

describe('KSMG defaults', () => {
  it('fills every default from seed 004 and the product reference', () => {
    const c = defaultConfig('behind-edge-no-verify', [{ name: 'corp.example' }]);
    expect(c.mta.messageSizeLimit).toBe(20971520);
    expect(c.mta.trustedNetworks).toEqual([]);
    expect(c.mta.destination).toEqual({ mode: 'edge-gateway', port: 25, mxLookup: false });
    expect(c.mta.advanced).toEqual({
      greeting: '$myhostname ESMTP MTA',
      connectionRateLimit: 0,
      connectionCountLimit: 50,
      messageRateLimit: 0,
      sessionTimeout: 30,
      transportRetryTime: 60,
      minimalBackoff: 300,
      maximalBackoff: 4000,
      queueRunDelay: 1000,
      maximalQueueLifetime: 259200,
      bounceQueueLifetime: 259200,
      alwaysBcc: null,
      strictRfc821Envelopes: true,
      disableVrfy: true,
      discardEhloKeywords: ['silent-discard', 'dsn', 'etrn'],
      rejectUnknownRecipientDomains: true,
      recipientVerification: 'none',
      unverifiedRecipientRejectCode: 450,
      validRecipients: [],
    });
    expect(c.protection).toEqual({ dns: true, spf: true, dkim: true, dmarc: true, dnsTimeout: 10 });
    const rule = c.rules[0]!;
    expect(rule.name).toBe('Default');
    expect(rule.mode).toBe('scan');
    expect(rule.antiVirus).toMatchObject({ enabled: true, infected: 'disinfect', ifDisinfectionFails: 'delete-message' });
    expect(rule.antiSpam).toMatchObject({ enabled: true, spam: 'skip', probableSpam: 'skip', subjectTag: '[Spam]' });
    expect(rule.antiPhishing).toMatchObject({ enabled: true, phishing: 'reject', subjectTag: '[Phishing]' });
    expect(rule.contentFiltering).toMatchObject({ enabled: true, maxSizeKb: 0, sizeExceeded: 'reject', banned: 'delete-attachment' });
    expect(rule.mailAuthentication).toEqual({ enabled: false, spf: 'reject', dkim: 'reject', dmarc: 'apply-policy' });
    expect(c.messageProcessing.sendNdrForDelayedReject).toBe(true);
  });

  it('derives host name, domain and destination mode', () => {
    expect(defaultConfig('edge', [{ name: 'corp.example' }]).mta.destination.mode).toBe('dns');
    expect(defaultConfig('behind-edge-verify').mta.destination.mode).toBe('edge-gateway');
    const c = configSchema.parse(base({ hostname: 'gw.mail.corp.example' }));
    expect(c.mta.domain).toBe('mail.corp.example');
    expect(Object.keys(c.mta).slice(0, 2)).toEqual(['hostname', 'domain']);
  });

  it('keeps an explicit Default rule and appends one when missing', () => {
    const c = configSchema.parse(base({}, { rules: [{ name: 'VIP', recipients: ['ceo@corp.example'] }] }));
    expect(c.rules.map((r) => r.name)).toEqual(['VIP', 'Default']);
    const d = configSchema.parse(base({}, { rules: [{ name: 'Default', mode: 'skip' }] }));
    expect(d.rules).toHaveLength(1);
  });
});

describe('durations', () => {
  it.each([
    ['30s', 30],
    ['5m', 300],
    ['4h', 14400],
    ['3d', 259200],
    [90, 90],
    ['90', 90],
    [' 10 s', 10],
  ] as const)('%s → %i seconds', (input, seconds) => {
    expect(parseDuration(input)).toBe(seconds);
  });
  it.each(['1.5h', '-5', '5w', '', 'abc', true, 1.5, -1])('rejects %s', (input) => {
    expect(parseDuration(input)).toBeNull();
  });
  it('formats with the largest exact unit', () => {
    expect([0, 30, 300, 4000, 3600, 259200].map(formatDuration)).toEqual(['0s', '30s', '5m', '4000s', '1h', '3d']);
  });
  it('rejects a non-duration with the allowed forms', () => {
    expect(messageFor(base({ advanced: { sessionTimeout: true } }), 'mta.advanced.sessionTimeout')).toMatch(
      /expected a duration: whole seconds or a number with s, m, h or d .*\(found true\)/,
    );
    expect(messageFor(base({}, { protection: { dnsTimeout: '10 minutes' } }), 'protection.dnsTimeout')).toMatch(/found "10 minutes"/);
  });
});

describe('validation messages', () => {
  it.each([
    [
      { trustedNetworks: ['10.0.0.1/8'] },
      'mta.trustedNetworks[0]',
      /host bits are set in "10.0.0.1\/8": the network of \/8 is 10.0.0.0\/8/,
    ],
    [{ trustedNetworks: ['2001:db8::1/32'] }, 'mta.trustedNetworks[0]', /the network of \/32 is 2001:db8::\/32/],
    [{ trustedNetworks: ['10.0.0.0/33'] }, 'mta.trustedNetworks[0]', /prefix length "\/33" must be 0–32 for IPv4/],
    [{ trustedNetworks: ['10.0.0.300'] }, 'mta.trustedNetworks[0]', /"10.0.0.300" is not an IPv4 or IPv6 address/],
    [{ destination: { host: 'edge_gw!' } }, 'mta.destination.host', /expected an IPv4 address, an IPv6 address, a domain name or an FQDN/],
    [
      { destination: { host: '10.0.0.1', mxLookup: true } },
      'mta.destination.mxLookup',
      /MX lookup is only possible for a domain name, and "10.0.0.1" is an IP address/,
    ],
    [{ destination: { host: '2001:db8::1', mxLookup: true } }, 'mta.destination.mxLookup', /is an IP address/],
    [{ destination: { host: 'edge.corp.example', port: 0 } }, 'mta.destination.port', /expected a port number 1–65535 \(found 0\)/],
    [{ destination: { host: 'edge.corp.example', port: '25' } }, 'mta.destination.port', /1–65535 \(found "25"\)/],
    [{ destination: { mode: 'mx' } }, 'mta.destination.mode', /expected one of edge-gateway, dns, found "mx"/],
    [{ domains: [{ name: '-bad.example' }] }, 'mta.domains[0].name', /expected a domain or subdomain name/],
    [
      { domains: [{ name: 'corp.example', route: { host: '10.0.0.25', mxLookup: true } }] },
      'mta.domains[0].route.mxLookup',
      /only possible for a domain name/,
    ],
    [{ hostname: 'ksmg' }, 'mta.hostname', /fully qualified host name with a domain/],
    [{ messageSizeLimit: 1.5 }, 'mta.messageSizeLimit', /whole number/],
    [
      { advanced: { alwaysBcc: 'not-an-address' } },
      'mta.advanced.alwaysBcc',
      /expected an e-mail address such as user@corp.example \(found "not-an-address"\)/,
    ],
    [
      { advanced: { unverifiedRecipientRejectCode: 500 } },
      'mta.advanced.unverifiedRecipientRejectCode',
      /expected 450 or 550 \(found 500\)/,
    ],
    [{ advanced: { validRecipients: ['bob'] } }, 'mta.advanced.validRecipients[0]', /expected user@domain or @domain/],
    [
      { advanced: { discardEhloKeywords: ['dsn', 'dns'] } },
      'mta.advanced.discardEhloKeywords[1]',
      /expected one of silent-discard, 8bitmime, .* \(found "dns"\)/,
    ],
    [{ advanced: { greeting: '' } }, 'mta.advanced.greeting', /^must not be empty$/],
    [{ advanced: { connectionCountLimit: -5 } }, 'mta.advanced.connectionCountLimit', /expected 0 \(unlimited\) or more \(found -5\)/],
    [
      { advanced: { recipientVerification: 'ldap' } },
      'mta.advanced.recipientVerification',
      /expected one of none, reject-unverified, reject-unlisted, found "ldap"/,
    ],
  ])('%j → %s', (mta, path, message) => {
    expect(messageFor(base(mta), path)).toMatch(message);
  });

  it('accepts IDN domains, IPv6 hosts, @domain recipients and an empty BCC', () => {
    const c = configSchema.parse(
      base({
        domains: [{ name: 'příklad.cz', route: { host: '2001:db8::25', port: 2525 } }],
        trustedNetworks: ['10.0.0.0/8', '192.168.10.25', '2001:db8:10::/48'],
        advanced: { alwaysBcc: '', validRecipients: ['@corp.example', 'postmaster@corp.example'] },
      }),
    );
    expect(c.mta.domains[0]!.name).toBe('xn--pklad-zsa96e.cz');
    expect(c.mta.advanced.alwaysBcc).toBeNull();
  });

  it('EHLO keywords are case-insensitive and stored in lower case', () => {
    const c = configSchema.parse(base({ advanced: { discardEhloKeywords: ['DSN', ' Pipelining '] } }));
    expect(c.mta.advanced.discardEhloKeywords).toEqual(['dsn', 'pipelining']);
  });

  it('rejects unknown keys at every level', () => {
    expect(messageFor({ ...base(), extra: 1 }, 'extra')).toMatch(
      /unknown key "extra"; allowed keys here: version, integration, mta, protection, rules/,
    );
    expect(messageFor(base({}, { rules: [{ name: 'x', antiVirus: { infectd: 'skip' } }] }), 'rules[0].antiVirus.infectd')).toMatch(
      /did you mean "infected"/,
    );
  });

  it.each([
    [
      'rules[0].antiPhishing.phishing',
      { rules: [{ name: 'x', antiPhishing: { phishing: 'disinfect' } }] },
      /expected one of skip, delete-message, reject, found "disinfect"/,
    ],
    [
      'rules[0].contentFiltering.bannedTypes[0]',
      { rules: [{ name: 'x', contentFiltering: { bannedTypes: ['exe'] } }] },
      /expected one of archives, databases, executables/,
    ],
    [
      'rules[0].mailAuthentication.dmarc',
      { rules: [{ name: 'x', mailAuthentication: { dmarc: 'quarantine' } }] },
      /expected one of apply-policy, skip, delete-message, reject/,
    ],
  ])('enum error lists the values: %s', (path, rest, message) => {
    expect(messageFor(base({}, rest), path)).toMatch(message);
  });
});
