// The TLS Encryption findings (receiving side), in both languages, with the web-UI path and the fix.
import { describe, expect, it } from 'vitest';
import { applyPatches, runAudit } from '../../../src/audit/index.js';
import { makeConfig } from '../../helpers/relay-fixture.js';

const tlsFindings = (f: ReturnType<typeof runAudit>) => f.filter((x) => x.id.startsWith('tls.'));

describe('audit: TLS Encryption', () => {
  it('warns when the receiving side offers no STARTTLS, in words for the scheme, with a fix to Attempt TLS', () => {
    const edge = makeConfig((c) => {
      c.integration = 'edge';
      c.mta.destination = { mode: 'dns' };
      c.mta.tls = { securityLevel: 'none' };
    });
    const [f] = tlsFindings(runAudit(edge));
    expect(f).toMatchObject({
      id: 'tls.no-starttls',
      severity: 'warning',
      path: 'mta.tls.securityLevel',
      uiPath: 'Settings > Built-in MTA > TLS Encryption',
      patch: [{ op: 'set', path: 'mta.tls.securityLevel', value: 'may' }],
    });
    expect(f!.message).toMatch(/Internet senders cannot use STARTTLS/);
    const behind = makeConfig((c) => (c.mta.tls = { securityLevel: 'none' }));
    expect(tlsFindings(runAudit(behind))[0]!.message).toMatch(/the edge gateway cannot use STARTTLS/);
    expect(tlsFindings(runAudit(behind, undefined, 'cs'))[0]!.message).toMatch(/hraniční brána nemůže vůči KSMG použít STARTTLS/);
    expect(tlsFindings(runAudit(applyPatches(edge, f!.patch!)))).toEqual([]);
  });

  it('warns about Require TLS only where KSMG receives from the Internet', () => {
    const edge = makeConfig((c) => {
      c.integration = 'edge';
      c.mta.destination = { mode: 'dns' };
      c.mta.tls = { securityLevel: 'encrypt' };
    });
    expect(tlsFindings(runAudit(edge)).map((f) => f.id)).toEqual(['tls.encrypt-on-edge']);
    expect(tlsFindings(runAudit(edge))[0]!.message).toMatch(/530 5\.7\.0 Must issue a STARTTLS command first/);
    const behind = makeConfig((c) => (c.mta.tls = { securityLevel: 'encrypt' }));
    expect(tlsFindings(runAudit(behind))).toEqual([]);
    expect(tlsFindings(runAudit(makeConfig()))).toEqual([]);
  });
});
