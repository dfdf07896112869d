// mta.tls (Settings > Built-in MTA > TLS Encryption, receiving side): levels, defaults, and the
// both-files-or-neither rule, each problem at its line with what is allowed.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfigText } from '../../../src/config/load.js';

const BASE = `version: 1
integration: edge
mta:
  domains:
    - name: corp.example
`;

function problems(tls: string) {
  try {
    parseConfigText(`${BASE}  tls:\n${tls}`, 'ksmg.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map((p) => `${p.line}: ${p.path}: ${p.message}`);
    throw e;
  }
  return [];
}

describe('mta.tls', () => {
  it('defaults to may (KSMG: Attempt TLS) with no files (a self-signed pair is used)', () => {
    const { config } = parseConfigText(BASE);
    expect(config.mta.tls).toEqual({ securityLevel: 'may', outgoing: 'may' });
  });

  it('accepts none, may, encrypt and a certificate with its key', () => {
    for (const level of ['none', 'may', 'encrypt']) expect(problems(`    securityLevel: ${level}\n`)).toEqual([]);
    expect(problems('    certFile: /etc/ksmg/tls/gateway.pem\n    keyFile: /etc/ksmg/tls/gateway.key\n')).toEqual([]);
  });

  it('names what is allowed for a wrong level', () => {
    expect(problems('    securityLevel: require\n')).toEqual([
      '7: mta.tls.securityLevel: expected none, may or encrypt (KSMG: No TLS, Attempt TLS, Require TLS) (found "require")',
    ]);
  });

  it('wants both files or neither', () => {
    expect(problems('    certFile: /etc/ksmg/tls/gateway.pem\n')).toEqual([
      '6: mta.tls.keyFile: give certFile and keyFile together, or neither (then a self-signed pair for mta.hostname is used); keyFile is missing',
    ]);
    expect(problems('    keyFile: /k\n')[0]).toMatch(/mta\.tls\.certFile: give certFile and keyFile together.*certFile is missing/);
  });

  it('rejects unknown keys with the allowed ones', () => {
    expect(problems('    level: may\n')[0]).toMatch(
      /mta\.tls\.level: unknown key "level"; allowed keys here: securityLevel, certFile, keyFile/,
    );
  });
});
