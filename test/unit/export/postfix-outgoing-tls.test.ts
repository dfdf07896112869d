// export postfix, sending-side TLS: smtp_tls_security_level, the smtp_tls_policy_maps file keyed by
// next hop (policy/outgoing-tls.ts) and the CA parameter. The differential suite checks the
// behaviour and the keys (postmap -q) against a real Postfix.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { exportPostfix, hashMaps, MAP_FILES } from '../../../src/export/postfix.js';

const config = (integration: string, mta: object) => configSchema.parse({ version: 1, integration, mta });
const param = (mainCf: string, name: string) => mainCf.match(new RegExp(`^${name} = (.*)$`, 'm'))?.[1];

describe('export postfix: outgoing TLS', () => {
  it('writes the default level, an empty policy map and the system CAs by default', () => {
    const exp = exportPostfix(config('edge', { domains: [{ name: 'corp.example' }] }));
    expect(param(exp.mainCf, 'smtp_tls_security_level')).toBe('may');
    expect(param(exp.mainCf, 'smtp_tls_policy_maps')).toBe('hash:$config_directory/tls_policy');
    expect(param(exp.mainCf, 'smtp_tls_CApath')).toBe('/etc/ssl/certs');
    expect(param(exp.mainCf, 'smtp_tls_CAfile')).toBeUndefined();
    expect(exp.maps[MAP_FILES.tlsPolicy]!.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([]);
    expect(hashMaps(exp)).toContain('tls_policy');
  });

  it('keys each domain mode by the next hop smtp(8) looks up, and says why a relayhost domain has none', () => {
    const exp = exportPostfix(
      config('behind-edge-no-verify', {
        destination: { host: 'edge.corp.example' },
        tls: { outgoing: 'encrypt', caFile: '/etc/ksmg/tls/ca.pem' },
        domains: [
          { name: 'corp.example', route: { host: '10.0.0.25' }, tls: 'none' },
          { name: 'branch.example', route: { host: 'mx.branch.example', port: 2525, mxLookup: true }, tls: 'verify' },
          { name: 'partner.example', local: false, tls: 'verify' },
        ],
      }),
    );
    expect(param(exp.mainCf, 'smtp_tls_security_level')).toBe('encrypt');
    expect(param(exp.mainCf, 'smtp_tls_CAfile')).toBe('/etc/ksmg/tls/ca.pem');
    expect(param(exp.mainCf, 'smtp_tls_CApath')).toBeUndefined();
    const rows = exp.maps[MAP_FILES.tlsPolicy]!.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows.map((r) => r.split(/\s+/))).toEqual([
      ['[10.0.0.25]:25', 'none'],
      ['mx.branch.example:2525', 'verify'],
    ]);
    expect(exp.maps[MAP_FILES.tlsPolicy]).toMatch(/# partner\.example: its TLS mode cannot apply — its mail goes via the relayhost/);
    // The transport entries the keys must equal, verbatim.
    expect(exp.maps[MAP_FILES.transport]).toMatch(/corp\.example\s+smtp:\[10\.0\.0\.25\]:25/);
    expect(exp.maps[MAP_FILES.transport]).toMatch(/branch\.example\s+smtp:mx\.branch\.example:2525/);
  });

  it('keys a domain without a route by its name (both IDN forms) under MX delivery', () => {
    const exp = exportPostfix(config('edge', { domains: [{ name: 'münchen.example', tls: 'encrypt' }] }));
    const rows = exp.maps[MAP_FILES.tlsPolicy]!.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(rows.map((r) => r.split(/\s+/))).toEqual([
      ['xn--mnchen-3ya.example', 'encrypt'],
      ['münchen.example', 'encrypt'],
    ]);
  });
});
