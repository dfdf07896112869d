// The catalogues: the same ids in English and Czech with the same placeholders, plural forms for
// each language's categories, and the language chosen from --lang or the locale.
import { describe, expect, it } from 'vitest';
import { en } from '../../../src/i18n/en.js';
import { cs } from '../../../src/i18n/cs.js';
import {
  chooseLang,
  formatDateTime,
  formatDecimal,
  formatNumber,
  langFromEnv,
  placeholdersOf,
  t,
  type Message,
} from '../../../src/i18n/index.js';
import { translateKnown } from '../../../src/i18n/known.js';

const ids = (c: Record<string, Message>) => Object.keys(c).sort();

describe('message catalogues', () => {
  it('have exactly the same ids', () => {
    expect(ids(cs)).toEqual(ids(en));
    expect(ids(en).length).toBeGreaterThan(100);
  });

  it.each(Object.keys(en))('%s has the same placeholders in both languages', (id) => {
    const k = id as keyof typeof en;
    expect(placeholdersOf(cs[k])).toEqual(placeholdersOf(en[k]));
  });

  it('plural messages have the forms of their language (en: one/other, cs: one/few/other)', () => {
    for (const [id, msg] of Object.entries(en)) {
      if (typeof msg === 'string') continue;
      expect(Object.keys(msg).sort(), id).toEqual(['one', 'other']);
      const c = cs[id as keyof typeof cs];
      expect(typeof c, id).toBe('object');
      // A Czech form may be the same word for every count (varování), then one/other suffice.
      if (typeof c === 'object' && c.one !== c.other) expect(c.few, id).toBeDefined();
    }
  });

  it('no Czech message is left in English', () => {
    const same = Object.keys(en).filter((id) => {
      const e = en[id as keyof typeof en];
      return typeof e === 'string' && e === cs[id as keyof typeof cs] && /[a-z]{3,} [a-z]{3,}/i.test(e);
    });
    expect(same).toEqual([]);
  });
});

describe('t', () => {
  it('picks the plural form by Intl.PluralRules: Czech one/few/other', () => {
    expect([1, 2, 4, 5, 0].map((count) => t('cs', 'audit.count.errors', { count }))).toEqual([
      '1 chyba',
      '2 chyby',
      '4 chyby',
      '5 chyb',
      '0 chyb',
    ]);
    expect([1, 2, 0].map((count) => t('en', 'audit.count.errors', { count }))).toEqual(['1 error', '2 errors', '0 errors']);
    expect(t('cs', 'runbook.unit.d', { count: 3 })).toBe('3 dny');
    expect(t('cs', 'runbook.unit.d', { count: 7 })).toBe('7 dní');
  });

  it('fills placeholders and formats numbers for the locale', () => {
    expect(t('en', 'runbook.changes.deleteDomain', { name: 'corp.example' })).toBe('Delete the domain corp.example.');
    expect(formatNumber('en', 20971520)).toBe('20,971,520');
    expect(formatNumber('cs', 20971520)).toBe('20\u00a0971\u00a0520');
  });

  it('a missing parameter is an error, not a "{name}" in the output', () => {
    expect(() => t('en', 'runbook.changes.deleteDomain')).toThrow(/needs the parameter "name"/);
  });
});

describe('language choice', () => {
  it.each([
    [{ LANG: 'cs_CZ.UTF-8' }, 'cs'],
    [{ LANG: 'cs' }, 'cs'],
    [{ LANG: 'en_US.UTF-8' }, 'en'],
    [{ LANG: 'C' }, 'en'],
    [{}, 'en'],
    [{ LANG: 'cs_CZ.UTF-8', LC_MESSAGES: 'en_GB.UTF-8' }, 'en'],
    [{ LANG: 'en_US.UTF-8', LC_MESSAGES: 'cs_CZ.UTF-8' }, 'cs'],
    [{ LC_ALL: 'cs_CZ.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_US.UTF-8' }, 'cs'],
    [{ LC_ALL: '', LANG: 'cs_CZ.UTF-8' }, 'cs'],
    [{ LANG: 'csb_PL.UTF-8' }, 'en'],
  ])('%j → %s', (env, lang) => {
    expect(langFromEnv(env)).toBe(lang);
  });

  it('--lang wins over the locale', () => {
    expect(chooseLang('en', { LANG: 'cs_CZ.UTF-8' })).toBe('en');
    expect(chooseLang(undefined, { LANG: 'cs_CZ.UTF-8' })).toBe('cs');
  });
});

describe('messages written in English elsewhere, read back into the catalogue (known.ts)', () => {
  it('translates a schema message, its wrapper and the found value', () => {
    expect(translateKnown('cs', 'is required: expected a port number 1–65535')).toBe('je povinné: očekáváno číslo portu 1–65535');
    expect(translateKnown('cs', 'expected one of edge, behind-edge-verify, found "edgy"')).toBe(
      'očekávána jedna z hodnot edge, behind-edge-verify, nalezeno "edgy"',
    );
    expect(translateKnown('cs', 'unknown key "domian" (did you mean "domains"?); allowed keys here: hostname, domains')).toBe(
      'neznámý klíč „domian“ (měli jste na mysli „domains“?); povolené klíče zde: hostname, domains',
    );
    expect(translateKnown('cs', 'expected a mapping of keys, found a list')).toBe('očekáváno: mapování klíčů, nalezeno seznam');
  });

  it("translates check's RCPT explanations, nested ones included", () => {
    expect(
      translateKnown(
        'cs',
        'reject_unauth_destination: elsewhere.example is not a local domain (mta.domains); 203.0.113.7 is not in mta.trustedNetworks (10.0.0.25)',
      ),
    ).toBe(
      'reject_unauth_destination: elsewhere.example není místní doména (mta.domains); 203.0.113.7 není v mta.trustedNetworks (10.0.0.25)',
    );
    expect(
      translateKnown(
        'cs',
        "permit_auth_destination: corp.example is a local domain (mta.domains); reject_unverified_recipient (mta.advanced.recipientVerification): the lab's internal server does not know nobody@corp.example",
      ),
    ).toBe(
      'permit_auth_destination: corp.example je místní doména (mta.domains); reject_unverified_recipient (mta.advanced.recipientVerification): interní server laboratoře nezná nobody@corp.example',
    );
    expect(
      translateKnown(
        'cs',
        'permit_mynetworks: 10.0.0.25 is in mta.trustedNetworks; reject_unlisted_recipient (mta.advanced.validRecipients): listed',
      ),
    ).toBe('permit_mynetworks: 10.0.0.25 je v mta.trustedNetworks; reject_unlisted_recipient (mta.advanced.validRecipients): na seznamu');
  });

  it('translates the mta.tls file problems, the reason and the kind of file included', () => {
    expect(translateKnown('cs', '/etc/ksmg/gw.pem does not exist; expected a readable PEM certificate file')).toBe(
      '/etc/ksmg/gw.pem neexistuje; očekáván čitelný soubor PEM (certifikát)',
    );
    expect(translateKnown('cs', '/k.pem is not PEM (no "-----BEGIN" line); expected a PEM private key')).toBe(
      '/k.pem není ve formátu PEM (chybí řádek „-----BEGIN“); očekáváno PEM (soukromý klíč)',
    );
    expect(translateKnown('cs', 'the key in /k.pem does not belong to the certificate in /c.pem')).toBe(
      'klíč v /k.pem nepatří k certifikátu v /c.pem',
    );
  });

  it('keeps a repeated placeholder the same, and leaves English and unknown texts alone', () => {
    expect(translateKnown('cs', '"::ffff:10.0.0.1" is the IPv4 address 10.0.0.1 written as IPv6; enter 10.0.0.1')).toBe(
      '„::ffff:10.0.0.1“ je adresa IPv4 10.0.0.1 zapsaná jako IPv6; zadejte 10.0.0.1',
    );
    expect(translateKnown('cs', '"::ffff:10.0.0.1" is the IPv4 address 10.0.0.1 written as IPv6; enter 10.0.0.2')).toMatch(/^"::ffff/);
    expect(translateKnown('en', 'expected a port number 1–65535')).toBe('expected a port number 1–65535');
    expect(translateKnown('cs', 'Map keys must be unique')).toBe('Map keys must be unique');
  });
});

describe('numbers and dates per locale', () => {
  it('writes decimals and date-times as each locale does', () => {
    expect(formatDecimal('en', 12.345, 1)).toBe('12.3');
    expect(formatDecimal('cs', 12.345, 1)).toBe('12,3');
    const when = Date.UTC(2026, 11, 1, 23, 42, 5);
    expect(formatDateTime('en', when)).toBe('Dec 1, 2026, 23:42:05 UTC');
    expect(formatDateTime('cs', when)).toBe('1. 12. 2026 23:42:05 UTC');
  });
});
