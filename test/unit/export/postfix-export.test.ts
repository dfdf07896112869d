// export postfix: the mapping of ksmg.yaml onto main.cf parameters (the differential suite checks
// the behaviour against a real Postfix; these check the text a user reads).
import { describe, expect, it } from 'vitest';
import { exportPostfix, postfixNetwork, postfixNextHop } from '../../../src/export/postfix.js';
import { makeConfig } from '../../helpers/relay-fixture.js';

function params(mainCf: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of mainCf.split('\n')) {
    const r = line.match(/^([a-z0-9_]+) = ?(.*)$/);
    if (r) {
      expect(m.has(r[1]!), `${r[1]} given twice`).toBe(false);
      m.set(r[1]!, r[2]!);
    }
  }
  return m;
}

describe('export postfix', () => {
  it('maps the basic settings, each parameter after a comment', () => {
    const exp = exportPostfix(
      makeConfig((c) => {
        c.mta.messageSizeLimit = 1000;
        c.mta.advanced = { disableVrfy: false };
      }),
    );
    const p = params(exp.mainCf);
    expect(p.get('myhostname')).toBe('ksmg.corp.example');
    expect(p.get('message_size_limit')).toBe('1000');
    expect(p.get('disable_vrfy_command')).toBe('no');
    expect(p.get('strict_rfc821_envelopes')).toBe('yes');
    expect(p.get('smtpd_discard_ehlo_keywords')).toBe('silent-discard, dsn, etrn');
    expect(p.get('mynetworks')).toBe('10.0.0.0/8, 192.168.10.25, [2001:db8:10::]/48');
    expect(p.get('relayhost')).toBe('[edge.corp.example]:25');
    expect(p.get('smtpd_relay_restrictions')).toBe('permit_mynetworks, reject_unauth_destination');
    const lines = exp.mainCf.split('\n');
    lines.forEach((line, i) => {
      if (/^[a-z]/.test(line) && !/^(alias_database|smtpd_restriction_classes) =/.test(line)) {
        expect(lines[i - 1], `comment before ${line}`).toMatch(/^# /);
      }
    });
    expect(exp.mainCf).toMatch(/content scan.*Postfix has no parameter/s);
    expect(exp.mainCf).toMatch(/X-KSMG/);
  });

  it('writes the maps the parameters reference', () => {
    const exp = exportPostfix(
      makeConfig((c) => {
        c.mta.domains = [
          { name: 'corp.example', route: { host: '10.0.0.25', port: 2525 } },
          { name: 'other.example', local: false },
        ];
        c.mta.advanced = { ...c.mta.advanced };
        c.mta.advanced.recipientVerification = 'reject-unlisted';
        c.mta.advanced.validRecipients = ['bob@corp.example', '@sales.corp.example'];
      }),
    );
    expect(exp.maps.relay_domains).toMatch(/^corp\.example\s+OK$/m);
    expect(exp.maps.relay_domains).not.toMatch(/other\.example/);
    expect(exp.maps.transport).toMatch(/^corp\.example\s+smtp:\[10\.0\.0\.25\]:2525$/m);
    expect(exp.maps.relay_recipients).toMatch(/^@sales\.corp\.example\s+OK$/m);
    expect(params(exp.mainCf).get('relay_recipient_maps')).toBe('hash:$config_directory/relay_recipients');
    expect(exp.maps.aliases).toMatch(/^postmaster: root$/m);
  });

  it('sends postmaster mail where mta.postmaster says', () => {
    const exp = exportPostfix(
      makeConfig((c) => {
        c.mta.postmaster = 'admin@corp.example';
      }),
    );
    expect(exp.maps.aliases).toMatch(/^postmaster: admin@corp\.example$/m);
  });

  it('writes next hops and networks in Postfix notation', () => {
    expect(postfixNextHop({ host: 'edge.example', port: 25, mxLookup: true })).toBe('edge.example:25');
    expect(postfixNextHop({ host: '2001:db8::1', port: 25, mxLookup: false })).toBe('[2001:db8::1]:25');
    expect(postfixNetwork('2001:db8::5')).toBe('[2001:db8::5]');
    expect(postfixNetwork('10.0.0.0/8')).toBe('10.0.0.0/8');
  });

  it('gives master.cf an smtpd line, chrooted unless told otherwise', () => {
    expect(exportPostfix(makeConfig()).masterCf).toMatch(/^smtp\s+inet\s+n\s+-\s+y\s+-\s+-\s+smtpd$/m);
    expect(exportPostfix(makeConfig(), { smtpdService: '127.0.0.1:2525', chroot: false }).masterCf).toMatch(
      /^127\.0\.0\.1:2525\s+inet\s+n\s+-\s+n\s+-\s+-\s+smtpd$/m,
    );
  });
});

describe('export postfix: TLS, receiving side', () => {
  it('may with no files: STARTTLS with a self-signed pair in the config directory, the received header as Postfix defaults', () => {
    const exp = exportPostfix(makeConfig());
    const p = params(exp.mainCf);
    expect(p.get('smtpd_tls_security_level')).toBe('may');
    expect(p.get('smtpd_tls_cert_file')).toBe('$config_directory/ksmg-gateway-cert.pem');
    expect(p.get('smtpd_tls_key_file')).toBe('$config_directory/ksmg-gateway-key.pem');
    expect(p.get('smtpd_tls_received_header')).toBe('no');
    expect(exp.selfSignedTls).toEqual({
      certFile: 'ksmg-gateway-cert.pem',
      keyFile: 'ksmg-gateway-key.pem',
      hostname: 'ksmg.corp.example',
    });
    expect(exp.mainCf).toMatch(/# Settings > Built-in MTA > TLS Encryption > Server TLS security level: Attempt TLS\n/);
  });

  it('encrypt with the files ksmg.yaml names; none without any certificate', () => {
    const enc = exportPostfix(
      makeConfig((c) => (c.mta.tls = { securityLevel: 'encrypt', certFile: '/etc/ksmg/gw.pem', keyFile: '/etc/ksmg/gw.key' })),
    );
    const p = params(enc.mainCf);
    expect([p.get('smtpd_tls_security_level'), p.get('smtpd_tls_cert_file'), p.get('smtpd_tls_key_file')]).toEqual([
      'encrypt',
      '/etc/ksmg/gw.pem',
      '/etc/ksmg/gw.key',
    ]);
    expect(enc.selfSignedTls).toBeUndefined();
    const none = exportPostfix(makeConfig((c) => (c.mta.tls = { securityLevel: 'none' })));
    const q = params(none.mainCf);
    expect(q.get('smtpd_tls_security_level')).toBe('none');
    expect(q.has('smtpd_tls_cert_file')).toBe(false);
    expect(none.selfSignedTls).toBeUndefined();
  });
});
