// Every audit check has a configuration that fires it, and the clean configs fire none (checks.test.ts).
import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { applyPatches, CHECKS, runAudit } from '../../../src/audit/index.js';

function clean(integration: Config['integration']): any {
  return {
    version: 1,
    integration,
    mta: {
      hostname: 'ksmg.corp.example',
      trustedNetworks: ['10.0.0.0/24'],
      destination: integration === 'edge' ? { mode: 'dns' } : { mode: 'edge-gateway', host: 'edge.corp.example' },
      domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }],
      advanced: { queueRunDelay: 300, recipientVerification: integration === 'behind-edge-no-verify' ? 'none' : 'reject-unverified' },
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
}

type Case = { integration: Config['integration']; change: (c: any) => void; after?: (c: Config) => void };

const FIRES: Record<string, Case> = {
  'domains.no-local': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains[0].local = false;
    },
  },
  'domains.duplicate': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains.push({ name: 'corp.example', local: false });
    },
  },
  'domains.subdomain': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains.push({ name: 'a.corp.example', route: { host: '10.0.0.26' } });
    },
  },
  'domains.no-route': {
    integration: 'behind-edge-no-verify',
    change: (c) => {
      delete c.mta.domains[0].route;
    },
  },
  'networks.edge-trusted': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.mta.destination.host = '10.0.0.1';
    },
  },
  'destination.not-edge-gateway': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.mta.destination = { mode: 'dns' };
    },
  },
  'destination.no-host': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.mta.destination = {};
    },
  },
  'destination.mx-lookup-ip': {
    integration: 'edge',
    change: () => {},
    after: (c) => {
      c.mta.domains[0]!.route!.mxLookup = true;
    },
  },
  'loop.relayhost-self': {
    integration: 'behind-edge-no-verify',
    change: (c) => {
      c.mta.destination.host = 'localhost';
    },
  },
  'loop.route-self': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains[0].route.host = 'ksmg.corp.example';
    },
  },
  'networks.none': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks = [];
    },
  },
  'networks.open-relay': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks.push('::/0');
    },
  },
  'networks.route-host-untrusted': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains.push({ name: 'branch.example', route: { host: '10.0.1.26' } });
    },
  },
  'networks.wide-public': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks.push('8.0.0.0/16');
    },
  },
  'sender-auth.spf-behind-edge': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.protection.spf = true;
    },
  },
  'sender-auth.dmarc-behind-edge': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.protection.dmarc = true;
    },
  },
  'sender-auth.spf-off-edge': {
    integration: 'edge',
    change: (c) => {
      c.protection.spf = false;
    },
  },
  'sender-auth.dmarc-off-edge': {
    integration: 'edge',
    change: (c) => {
      c.protection.dmarc = false;
    },
  },
  'rules.reject-behind-edge': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.rules[0].antiSpam = { probableSpam: 'reject' };
    },
  },
  'rules.inactive-reject-behind-edge': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.rules[0].antiSpam = { enabled: false, spam: 'reject' };
    },
  },
  'rules.duplicate-name': {
    integration: 'edge',
    change: (c) => {
      c.rules.push({ name: 'Default' });
    },
  },
  // The loader refuses such a file; the check covers configs built in code.
  'rules.regex-refused': {
    integration: 'edge',
    change: () => {},
    after: (c) => {
      c.rules[0]!.senders = ['/(a)\\1/'];
    },
  },
  'recipients.verification-behind-edge-no-verify': {
    integration: 'behind-edge-no-verify',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'reject-unlisted';
      c.mta.advanced.validRecipients = ['postmaster@corp.example', 'alice@corp.example'];
    },
  },
  'recipients.no-verification-edge': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'none';
    },
  },
  'recipients.edge-probe-unanswered': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'none';
    },
  },
  'recipients.unlisted-empty': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'reject-unlisted';
    },
  },
  'recipients.unlisted-no-postmaster': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'reject-unlisted';
      c.mta.advanced.validRecipients = ['bob@corp.example'];
    },
  },
  'bcc.invalid': {
    integration: 'edge',
    change: () => {},
    after: (c) => {
      c.mta.advanced.alwaysBcc = 'not an address';
    },
  },
  'advanced.greeting-hostname': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.greeting = 'ESMTP ready';
    },
  },
  'queue.run-delay-above-minimal-backoff': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.queueRunDelay = '301s';
    },
  },
  'tls.plaintext-to-untrusted-network': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks.push('198.51.100.25');
      c.mta.domains[0].route.host = '198.51.100.25';
      c.mta.domains[0].tls = 'none';
    },
  },
  'tls.domain-mode-via-relayhost': {
    integration: 'behind-edge-no-verify',
    change: (c) => {
      c.mta.domains.push({ name: 'partner.example', local: false, tls: 'encrypt' });
    },
  },
  'tls.verify-without-ca': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains[0].route.host = 'mail.corp.example';
      c.mta.domains[0].tls = 'verify';
    },
  },
  'tls.verify-ip-next-hop': {
    integration: 'edge',
    change: (c) => {
      c.mta.tls = { caFile: '/etc/ksmg/tls/ca.pem' };
      c.mta.domains[0].tls = 'verify';
    },
  },
  'queue.backoff-order': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.minimalBackoff = 4001;
    },
  },
  'queue.bounce-lifetime': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.bounceQueueLifetime = '4d';
    },
  },
  'networks.ipv4-mapped': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks.push('::ffff:10.0.1.0/120');
    },
  },
  'hosts.ipv4-mapped': {
    integration: 'edge',
    change: (c) => {
      c.mta.domains[0].route.host = '::ffff:10.0.0.25';
      c.mta.trustedNetworks.push('::ffff:10.0.0.25');
    },
    after: (c) => {
      c.mta.trustedNetworks.pop();
    },
  },
  'networks.redundant': {
    integration: 'edge',
    change: (c) => {
      c.mta.trustedNetworks.push('10.0.0.25');
    },
  },
  'recipients.valid-outside-local': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.validRecipients = ['bob@elsewhere.example'];
    },
  },
  'recipients.unlisted-whole-domain': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.recipientVerification = 'reject-unlisted';
      c.mta.advanced.validRecipients = ['@corp.example'];
    },
  },
  'limits.size-tiny': {
    integration: 'edge',
    change: (c) => {
      c.mta.messageSizeLimit = 100;
    },
  },
  'tls.no-starttls': {
    integration: 'behind-edge-verify',
    change: (c) => {
      c.mta.tls = { securityLevel: 'none' };
    },
  },
  'tls.encrypt-on-edge': {
    integration: 'edge',
    change: (c) => {
      c.mta.tls = { securityLevel: 'encrypt' };
    },
  },
  'advanced.zero-duration': {
    integration: 'edge',
    change: (c) => {
      c.mta.advanced.sessionTimeout = '0s';
    },
  },
};

describe('every audit check', () => {
  it('has a firing case here', () => {
    expect(Object.keys(FIRES).sort()).toEqual(CHECKS.map((c) => c.id).sort());
  });

  it.each(Object.entries(FIRES))('%s fires on its case, and only its own id is new', (id, k) => {
    const input = clean(k.integration);
    expect(runAudit(configSchema.parse(input))).toEqual([]);
    k.change(input);
    const config = configSchema.parse(input);
    k.after?.(config);
    const ids = [...new Set(runAudit(config).map((f) => f.id))];
    expect(ids).toEqual([id]);
  });
});

describe('the mechanical fixes', () => {
  const patched = Object.entries(FIRES).filter(([, k]) => {
    const input = clean(k.integration);
    k.change(input);
    const config = configSchema.parse(input);
    k.after?.(config);
    return runAudit(config).some((f) => f.patch);
  });

  it('exist for most checks', () => {
    expect(patched.length).toBeGreaterThanOrEqual(15);
  });

  it.each(patched)('%s: applying its patch removes the finding and leaves the config clean', (id, k) => {
    const input = clean(k.integration);
    k.change(input);
    const config = configSchema.parse(input);
    k.after?.(config);
    const findings = runAudit(config);
    const fixed = applyPatches(
      config,
      findings.flatMap((f) => f.patch ?? []),
    );
    expect(runAudit(fixed).map((f) => f.id)).toEqual([]);
    expect(findings.map((f) => f.id)).toContain(id);
  });
});
