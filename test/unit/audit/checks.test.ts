import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { runAudit, CHECKS, type Finding } from '../../../src/audit/index.js';

/** A clean behind-edge-no-verify config, adjusted per test. */
function cfg(over: (c: any) => void = () => {}, integration: Config['integration'] = 'behind-edge-no-verify'): Config {
  const input: any = {
    version: 1,
    integration,
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/24'],
      destination: integration === 'edge' ? { mode: 'dns' } : { mode: 'edge-gateway', host: 'edge.corp.example' },
      domains: [{ name: 'corp.example', local: true, route: { host: '10.0.0.25' } }],
      advanced: {
        queueRunDelay: 300,
        recipientVerification:
          integration === 'edge' ? 'reject-unverified' : integration === 'behind-edge-verify' ? 'reject-unverified' : 'none',
      },
    },
    protection: integration === 'edge' ? {} : { spf: false, dmarc: false },
    rules: [
      {
        name: 'Default',
        antiPhishing: { phishing: 'delete-message' },
        contentFiltering: { sizeExceeded: 'delete-message' },
        mailAuthentication: { spf: 'delete-message', dkim: 'delete-message' },
      },
    ],
  };
  over(input);
  return configSchema.parse(input);
}

const ids = (fs: Finding[]) => fs.map((f) => f.id);
const only = (fs: Finding[], id: string) => fs.filter((f) => f.id === id);

describe('baseline', () => {
  it.each(['edge', 'behind-edge-verify', 'behind-edge-no-verify'] as const)('a clean %s config has no findings', (integration) => {
    expect(runAudit(cfg(() => {}, integration))).toEqual([]);
  });

  it('every check has a unique dotted id and a title', () => {
    const all = CHECKS.map((c) => c.id);
    expect(new Set(all).size).toBe(all.length);
    for (const c of CHECKS) {
      expect(c.id).toMatch(/^[a-z-]+\.[a-z0-9-]+$/);
      expect(c.title.length).toBeGreaterThan(5);
    }
  });

  it('every finding carries message, path, fix and web-UI path', () => {
    const broken = cfg((c) => {
      c.mta.domains = [];
      c.mta.trustedNetworks = ['0.0.0.0/0'];
      c.protection = {};
      c.rules = [{ name: 'Default', mode: 'reject' }];
    });
    const fs = runAudit(broken);
    expect(fs.length).toBeGreaterThan(3);
    for (const f of fs) {
      expect(f.message.length).toBeGreaterThan(20);
      expect(f.fix.length).toBeGreaterThan(10);
      expect(f.uiPath).toMatch(/^(Settings|Rules) > /);
      expect(f.path).not.toBe('');
    }
  });
});

describe('domains', () => {
  it('no domain at all → error', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.domains = [];
        }),
      ),
      'domains.no-local',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', path: 'mta.domains', uiPath: 'Settings > Built-in MTA > Domains' });
    expect(fs[0]!.message).toMatch(/No local domain is listed, so KSMG accepts no mail for the internal mail servers/);
  });
  it('domains listed but none local → error', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.domains[0].local = false;
        }),
      ),
      'domains.no-local',
    );
    expect(fs[0]!.message).toMatch(/None of the 1 listed domain is marked local/);
  });
  it('a domain listed twice → error, case-insensitively', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.domains.push({ name: 'CORP.example' });
        }),
      ),
      'domains.duplicate',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatchObject({ severity: 'error', path: 'mta.domains[1].name' });
  });
  it('a subdomain of a listed domain → info; a lookalike is not a subdomain', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.domains.push({ name: 'sales.corp.example', local: false }, { name: 'notcorp.example', local: false });
      }),
    );
    expect(only(fs, 'domains.subdomain')).toEqual([expect.objectContaining({ severity: 'info', path: 'mta.domains[1].name' })]);
  });
});

describe('routes of local domains', () => {
  it('behind an edge gateway, a local domain without a route loops through the edge → error', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.domains.push({ name: 'b.example' }, { name: 'c.example', local: false });
        }),
      ),
      'domains.no-route',
    );
    expect(fs).toEqual([expect.objectContaining({ severity: 'error', path: 'mta.domains[1]' })]);
    expect(fs[0]!.message).toMatch(/passes its mail to the edge gateway .* a mail loop/);
  });
  it('at the edge with a smarthost, it goes to the smarthost and comes back → error', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          delete c.mta.domains[0].route;
          c.mta.destination = { mode: 'edge-gateway', host: 'smtp.isp.example' };
        }, 'edge'),
      ),
      'domains.no-route',
    );
    expect(fs).toEqual([expect.objectContaining({ severity: 'error' })]);
    expect(fs[0]!.message).toMatch(/smarthost \(the relayhost\) smtp\.isp\.example .* a mail loop/);
  });
  it('at the edge, it is delivered by DNS to its own MX → warning that names internal DNS', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          delete c.mta.domains[0].route;
        }, 'edge'),
      ),
      'domains.no-route',
    );
    expect(fs[0]!.message).toMatch(/by DNS.*unless internal DNS/);
  });
});

describe('destination', () => {
  it('behind an edge gateway with DNS delivery → error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.destination = { mode: 'dns' };
      }),
    );
    expect(ids(fs)).toContain('destination.not-edge-gateway');
    expect(ids(fs)).not.toContain('destination.no-host');
  });
  it('edge-gateway mode without a host → error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.destination = { mode: 'edge-gateway' };
      }),
    );
    expect(only(fs, 'destination.no-host')).toHaveLength(1);
  });
  it('edge scheme with DNS delivery → no destination finding', () => {
    expect(ids(runAudit(cfg(() => {}, 'edge')))).not.toContain('destination.not-edge-gateway');
  });
  it('MX lookup on an IP literal (a Config built in code, bypassing the schema) → error', () => {
    const c = cfg();
    c.mta.destination = { mode: 'edge-gateway', host: '192.0.2.1', port: 25, mxLookup: true };
    c.mta.domains[0]!.route = { host: '10.0.0.25', port: 25, mxLookup: true };
    const fs = only(runAudit(c), 'destination.mx-lookup-ip');
    expect(fs.map((f) => f.path)).toEqual(['mta.destination.mxLookup', 'mta.domains[0].route.mxLookup']);
  });
  it('MX lookup on a name → fine', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.destination.mxLookup = true;
      }),
    );
    expect(ids(fs)).not.toContain('destination.mx-lookup-ip');
  });
  it('relayhost = KSMG itself → mail loop error', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.destination.host = 'KSMG.corp.example.';
        }),
      ),
      'loop.relayhost-self',
    );
    expect(fs).toHaveLength(1);
    expect(fs[0]!.message).toMatch(/mail loop/);
  });
  it('a route to KSMG itself or loopback → mail loop error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.domains.push(
          { name: 'b.example', route: { host: 'ksmg.corp.example' } },
          { name: 'c.example', route: { host: '127.0.0.1' } },
        );
      }),
    );
    expect(only(fs, 'loop.route-self').map((f) => f.path)).toEqual(['mta.domains[1].route.host', 'mta.domains[2].route.host']);
  });
});

describe('trusted networks', () => {
  it('none → warning', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.trustedNetworks = [];
        }),
      ),
      'networks.none',
    );
    expect(fs).toEqual([expect.objectContaining({ severity: 'warning', path: 'mta.trustedNetworks' })]);
  });
  it.each(['0.0.0.0/0', '::/0', '0.0.0.0/1', '64.0.0.0/4', '2000::/3', '2a00::/16'])('%s → open relay error', (net) => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.trustedNetworks = ['10.0.0.0/24', net];
        }),
      ),
      'networks.open-relay',
    );
    expect(fs).toEqual([expect.objectContaining({ severity: 'error', path: 'mta.trustedNetworks[1]' })]);
  });
  it.each(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7', '2001:db8::/32', '8.8.8.0/24', '11.0.0.0/8'])(
    '%s → no open-relay error',
    (net) => {
      expect(
        ids(
          runAudit(
            cfg((c) => {
              c.mta.trustedNetworks = [net];
            }),
          ),
        ),
      ).not.toContain('networks.open-relay');
    },
  );
  it.each(['::ffff:0.0.0.0/96', '::ffff:0:0/97'])('IPv4-mapped %s is judged as IPv4 → open relay', (net) => {
    expect(
      ids(
        runAudit(
          cfg((c) => {
            c.mta.trustedNetworks = [net];
          }),
        ),
      ),
    ).toContain('networks.open-relay');
  });
  it('IPv4-mapped private range → not an open relay, but it does not trust the IPv4 internal server', () => {
    // The relay compares IPv4 clients with IPv4 networks (as Postfix does), so the audit agrees with it.
    const fs = runAudit(
      cfg((c) => {
        c.mta.trustedNetworks = ['::ffff:10.0.0.0/104'];
      }),
    );
    expect(ids(fs).sort()).toEqual(['networks.ipv4-mapped', 'networks.route-host-untrusted']);
    // … and says how to write it so it does.
    expect(fs.find((f) => f.id === 'networks.ipv4-mapped')!.patch).toEqual([
      { op: 'set', path: 'mta.trustedNetworks[0]', value: '10.0.0.0/8' },
    ]);
  });
  it('the edge gateway inside a trusted network → warning; error when the edge verifies recipients', () => {
    const set = (c: any) => {
      c.mta.destination.host = '10.0.0.7';
    };
    expect(only(runAudit(cfg(set)), 'networks.edge-trusted')).toEqual([
      expect.objectContaining({ severity: 'warning', path: 'mta.trustedNetworks[0]' }),
    ]);
    const v = only(runAudit(cfg(set, 'behind-edge-verify')), 'networks.edge-trusted');
    expect(v[0]).toMatchObject({ severity: 'error' });
    expect(v[0]!.message).toMatch(/recipient check always succeed/);
    expect(
      ids(
        runAudit(
          cfg((c) => {
            c.mta.destination.host = '192.0.2.1';
          }),
        ),
      ),
    ).not.toContain('networks.edge-trusted');
  });
  it('a wide public range → info', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.mta.trustedNetworks = ['11.0.0.0/8', '8.8.8.0/24'];
        }),
      ),
      'networks.wide-public',
    );
    expect(fs.map((f) => f.path)).toEqual(['mta.trustedNetworks[0]']);
    expect(fs[0]!.message).toMatch(/16777216 addresses/);
  });
});

describe('sender authentication', () => {
  it('behind an edge gateway: SPF and DMARC on → two errors with the reason', () => {
    const fs = runAudit(
      cfg((c) => {
        c.protection = {};
      }),
    );
    expect(only(fs, 'sender-auth.spf-behind-edge')[0]!.message).toMatch(/edge gateway's address/);
    expect(only(fs, 'sender-auth.dmarc-behind-edge')).toHaveLength(1);
  });
  it('behind an edge gateway: DNS off means SPF/DMARC cannot run → no error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.protection = { dns: false };
      }),
    );
    expect(ids(fs).filter((i) => i.startsWith('sender-auth'))).toEqual([]);
  });
  it('edge: SPF off → warning (and no separate DMARC warning)', () => {
    const fs = runAudit(
      cfg((c) => {
        c.protection = { spf: false };
      }, 'edge'),
    );
    expect(ids(fs)).toEqual(['sender-auth.spf-off-edge']);
    expect(fs[0]!.severity).toBe('warning');
  });
  it('edge: DMARC off → warning; DKIM off also turns DMARC off', () => {
    expect(
      ids(
        runAudit(
          cfg((c) => {
            c.protection = { dmarc: false };
          }, 'edge'),
        ),
      ),
    ).toEqual(['sender-auth.dmarc-off-edge']);
    const fs = runAudit(
      cfg((c) => {
        c.protection = { dkim: false };
      }, 'edge'),
    );
    expect(fs[0]).toMatchObject({ id: 'sender-auth.dmarc-off-edge', path: 'protection.dkim' });
  });
  it('edge: DNS off → SPF warning on protection.dns', () => {
    const fs = runAudit(
      cfg((c) => {
        c.protection = { dns: false };
      }, 'edge'),
    );
    expect(fs[0]).toMatchObject({ id: 'sender-auth.spf-off-edge', path: 'protection.dns' });
  });
});

describe('reject actions behind an edge gateway', () => {
  it('names each rule and each module action that rejects', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.rules = [
            { name: 'Block', mode: 'reject' },
            {
              name: 'VIP',
              antiSpam: { spam: 'reject', probableSpam: 'reject' },
              antiPhishing: { phishing: 'delete-message' },
              contentFiltering: { sizeExceeded: 'skip' },
            },
            {
              name: 'Default',
              antiVirus: { infected: 'reject', ifDisinfectionFails: 'reject' },
              antiPhishing: { phishing: 'delete-message' },
              contentFiltering: { sizeExceeded: 'delete-message', banned: 'reject' },
            },
          ];
        }),
      ),
      'rules.reject-behind-edge',
    );
    expect(fs.map((f) => f.path)).toEqual([
      'rules[0].mode',
      'rules[1].antiSpam.spam',
      'rules[1].antiSpam.probableSpam',
      'rules[2].antiVirus.infected',
      'rules[2].antiVirus.ifDisinfectionFails',
      'rules[2].contentFiltering.banned',
    ]);
    expect(fs[0]!.message).toMatch(/Rule "Block" is set to "Reject without scanning"/);
    expect(fs[0]!.uiPath).toBe('Rules > Block > General');
    expect(fs[1]!.message).toMatch(/Rule "VIP": the Anti-Spam action for spam is Reject/);
    expect(fs[1]!.uiPath).toBe('Rules > VIP > Anti-Spam');
    expect(fs[1]!.fix).toBe('Set it to Delete message (antiSpam.spam: delete-message).');
  });
  it('KSMG defaults (Anti-Phishing and size limit reject) fire', () => {
    const fs = only(
      runAudit(
        cfg((c) => {
          c.rules = [];
        }),
      ),
      'rules.reject-behind-edge',
    );
    expect(fs.map((f) => f.path)).toEqual(['rules[0].antiPhishing.phishing', 'rules[0].contentFiltering.sizeExceeded']);
  });
  it("ignores disabled rules, non-scanning rules' module actions and off modules (info only)", () => {
    const fs = runAudit(
      cfg((c) => {
        c.rules = [
          { name: 'Off', enabled: false, mode: 'reject' },
          { name: 'Skip', mode: 'skip' },
          {
            name: 'Default',
            antiPhishing: { enabled: false },
            contentFiltering: { sizeExceeded: 'delete-message' },
            mailAuthentication: { spf: 'delete-message', dkim: 'delete-message' },
          },
        ];
      }),
    );
    expect(only(fs, 'rules.reject-behind-edge')).toEqual([]);
    const info = only(fs, 'rules.inactive-reject-behind-edge');
    expect(info).toEqual([expect.objectContaining({ severity: 'info', path: 'rules[2].antiPhishing.phishing' })]);
    expect(info[0]!.message).toMatch(/Anti-Phishing is off, but its action for "phishing" is Reject/);
  });
  it('edge scheme: Reject is fine', () => {
    const fs = runAudit(
      cfg((c) => {
        c.rules = [{ name: 'Block', mode: 'reject' }];
      }, 'edge'),
    );
    expect(ids(fs).filter((i) => i.startsWith('rules.'))).toEqual([]);
  });
});

describe('rule names', () => {
  it('two rules with the same name → warning', () => {
    const fs = runAudit(
      cfg((c) => {
        c.rules.unshift({ name: 'VIP', mode: 'skip' }, { name: 'VIP', mode: 'skip' });
      }),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'rules.duplicate-name', severity: 'warning', path: 'rules[1].name' })]);
  });
});

describe('advanced settings', () => {
  it('a greeting without $myhostname first → warning', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.greeting = 'Welcome to Corp mail';
      }),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'advanced.greeting-hostname', severity: 'warning' })]);
  });
  it.each(['$myhostname ESMTP', 'ksmg.corp.example ESMTP ready', '$myhostname'])('"%s" is fine', (greeting) => {
    expect(
      runAudit(
        cfg((c) => {
          c.mta.advanced.greeting = greeting;
        }),
      ),
    ).toEqual([]);
  });
});

describe('recipient verification', () => {
  it('behind-edge-no-verify with verification → error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.recipientVerification = 'reject-unverified';
      }),
    );
    expect(only(fs, 'recipients.verification-behind-edge-no-verify')[0]!.message).toMatch(
      /"Reject for unverified recipients".*Do not reject/,
    );
  });
  it('edge with none → warning about backscatter', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.recipientVerification = 'none';
      }, 'edge'),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'recipients.no-verification-edge', severity: 'warning' })]);
    expect(fs[0]!.message).toMatch(/backscatter/);
  });
  it('behind-edge-verify with none → info', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.recipientVerification = 'none';
      }, 'behind-edge-verify'),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'recipients.edge-probe-unanswered', severity: 'warning' })]);
  });
  it('reject-unlisted with an empty list → error', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.recipientVerification = 'reject-unlisted';
      }, 'edge'),
    );
    expect(ids(fs)).toEqual(['recipients.unlisted-empty']);
  });
  it('reject-unlisted without postmaster@ of each local domain → one error per domain', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.domains.push({ name: 'b.example' }, { name: 'c.example' }, { name: 'remote.example', local: false });
        c.mta.advanced.recipientVerification = 'reject-unlisted';
        c.mta.advanced.validRecipients = ['alice@corp.example', '@c.example'];
      }, 'edge'),
    );
    expect(only(fs, 'recipients.unlisted-no-postmaster').map((f) => f.fix)).toEqual([
      'Add postmaster@corp.example (or @corp.example for the whole domain) to validRecipients.',
      'Add postmaster@b.example (or @b.example for the whole domain) to validRecipients.',
    ]);
  });
  it('an invalid always-BCC address (built in code) → error; a valid one → nothing', () => {
    const c = cfg();
    c.mta.advanced.alwaysBcc = 'archive';
    expect(ids(runAudit(c))).toEqual(['bcc.invalid']);
    c.mta.advanced.alwaysBcc = 'archive@corp.example';
    expect(runAudit(c)).toEqual([]);
  });
});

describe('queue timing', () => {
  it('KSMG defaults (queueRunDelay 1000 s > minimalBackoff 300 s) → info, mentioning the defaults', () => {
    const fs = runAudit(
      cfg((c) => {
        delete c.mta.advanced.queueRunDelay;
      }),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'queue.run-delay-above-minimal-backoff', severity: 'info' })]);
    expect(fs[0]!.message).toMatch(/KSMG 1.1 defaults/);
  });
  it('a changed queueRunDelay above minimalBackoff → warning', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.advanced.queueRunDelay = '10m';
      }),
    );
    expect(fs).toEqual([expect.objectContaining({ id: 'queue.run-delay-above-minimal-backoff', severity: 'warning' })]);
  });
  it('minimalBackoff > maximalBackoff → warning', () => {
    expect(
      ids(
        runAudit(
          cfg((c) => {
            c.mta.advanced.minimalBackoff = '2h';
            c.mta.advanced.maximalBackoff = '1h';
          }),
        ),
      ),
    ).toEqual(['queue.backoff-order']);
  });
  it('bounceQueueLifetime > maximalQueueLifetime → warning; equal is fine', () => {
    expect(
      ids(
        runAudit(
          cfg((c) => {
            c.mta.advanced.bounceQueueLifetime = '5d';
          }),
        ),
      ),
    ).toEqual(['queue.bounce-lifetime']);
    expect(
      runAudit(
        cfg((c) => {
          c.mta.advanced.bounceQueueLifetime = '3d';
        }),
      ),
    ).toEqual([]);
  });
});

describe('ordering', () => {
  it('errors first, then warnings, then info', () => {
    const fs = runAudit(
      cfg((c) => {
        c.mta.trustedNetworks = [];
        c.mta.domains.push({ name: 'x.corp.example', route: { host: '10.0.0.26' } });
        c.protection = {};
      }),
    );
    const sev = fs.map((f) => f.severity);
    expect(sev).toEqual([...sev].sort((a, b) => ['error', 'warning', 'info'].indexOf(a) - ['error', 'warning', 'info'].indexOf(b)));
    expect(sev).toEqual(['error', 'error', 'warning', 'info']);
  });
});
