// The shipped examples: the three schemes pass the audit, broken.yaml trips most checks.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/load.js';
import { runAudit, summarize } from '../../../src/audit/index.js';

describe('examples/', () => {
  it.each(['edge', 'behind-edge-verify', 'behind-edge-no-verify'])('%s.yaml passes the audit with no errors or warnings', async (name) => {
    const { config, source } = await loadConfig(`examples/${name}.yaml`);
    expect(config.integration).toBe(name);
    const s = summarize(runAudit(config, source));
    expect(s).toMatchObject({ errors: 0, warnings: 0 });
  });

  it('broken.yaml reports each mistake with its line', async () => {
    const { config, source } = await loadConfig('examples/broken.yaml');
    const found = runAudit(config, source).map((f) => `${f.severity} ${f.id} ${f.path} ${f.line ?? '-'}`);
    expect(found).toEqual([
      'error domains.no-local mta.domains 11',
      'error domains.duplicate mta.domains[2].name 17',
      'error loop.relayhost-self mta.destination.host 10',
      'error loop.route-self mta.domains[1].route.host 16',
      'error networks.open-relay mta.trustedNetworks[1] 7',
      'error sender-auth.spf-behind-edge protection.spf -',
      'error sender-auth.dmarc-behind-edge protection.dmarc -',
      'error rules.reject-behind-edge rules[0].mode 30',
      'error rules.reject-behind-edge rules[1].antiSpam.spam 32',
      'error rules.reject-behind-edge rules[1].antiPhishing.phishing 31',
      'error rules.reject-behind-edge rules[1].contentFiltering.sizeExceeded 31',
      'error recipients.verification-behind-edge-no-verify mta.advanced.recipientVerification 24',
      'error recipients.unlisted-empty mta.advanced.validRecipients 25',
      'warning queue.backoff-order mta.advanced.minimalBackoff 20',
      'warning queue.bounce-lifetime mta.advanced.bounceQueueLifetime 23',
      'info domains.subdomain mta.domains[1].name 14',
      'info rules.inactive-reject-behind-edge rules[1].mailAuthentication.spf 31',
    ]);
  });
});
