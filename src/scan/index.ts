// The message scanner the relay calls after DATA: picks the rule per recipient, runs the rule's
// modules over the message once, combines the actions and produces the message to deliver.
import { REPLIES } from '../policy/replies.js';
import { groupRecipientsByRule } from '../policy/rules.js';
import { systemClock, type Clock } from '../relay/clock.js';
import { createDnsResolver, type Resolver } from '../relay/resolver.js';
import { combineRule, decideMessage, fateOf, type RuleOutcome } from './actions.js';
import { analyzeMessage, type MessageFacts } from './detect.js';
import { checkMailAuth, type AuthOutcome } from './mail-auth.js';
import type { MimePart } from './mime.js';
import { antiPhishing, antiSpam, antiVirus, contentFiltering, mailAuthentication, spamRating, type ModuleVerdict } from './modules.js';
import { verdictLine, xHeaders } from './report.js';
import { deletedPartNote, appendHeaders, replaceParts, tagSubject } from './rewrite.js';
import type { MessageScanner, RecipientVerdict, ScanInput, ScanResult } from './types.js';

export type { MessageScanner, ScanInput, ScanResult, RecipientVerdict, ClientInfo } from './types.js';

export interface ScannerOptions {
  /** DNS for SPF/DKIM/DMARC (the relay's resolver; the lab DNS in the lab). */
  resolver?: Resolver;
  /** Times the DNS timeout (protection.dnsTimeout). */
  clock?: Clock;
}

export function createScanner(opts: ScannerOptions = {}): MessageScanner {
  let resolver = opts.resolver;
  const clock = opts.clock ?? systemClock;
  return {
    async scan(input) {
      resolver ??= createDnsResolver({ timeoutMs: input.config.protection.dnsTimeout * 1000 });
      try {
        return await scanMessage(input, resolver, clock);
      } catch (e) {
        // A scan error must not lose mail: like KSMG on a scan error, deliver and say so.
        const msg = e instanceof Error ? e.message : String(e);
        return {
          recipients: input.recipients.map((address) => ({ address, action: 'deliver' as const, rule: 'Default' })),
          data: input.data,
          logLine: `scan error: ${msg}: action="Skipped": size=${input.data.length}: mail-from=<${input.sender}>`,
        };
      }
    },
  };
}

function moduleVerdicts(outcomeRule: RuleOutcome['rule'], facts: MessageFacts, auth: AuthOutcome | undefined, phishingUrls: string[]): ModuleVerdict[] {
  return [
    antiVirus(outcomeRule, facts),
    antiSpam(outcomeRule, facts, auth),
    antiPhishing(outcomeRule, facts, phishingUrls),
    contentFiltering(outcomeRule, facts),
    mailAuthentication(outcomeRule, auth),
  ];
}

export async function scanMessage(input: ScanInput, resolver: Resolver, clock: Clock): Promise<ScanResult> {
  const { config, client, sender, data } = input;
  const groups = groupRecipientsByRule(config.rules, sender, client.address, input.recipients);
  const scanning = groups.filter((g) => g.rule.mode === 'scan');
  const facts = scanning.length ? analyzeMessage(data) : undefined;
  let auth: AuthOutcome | undefined;
  if (facts && scanning.some((g) => g.rule.antiSpam.enabled || g.rule.mailAuthentication.enabled)) {
    auth = await checkMailAuth(
      { data, sender, ip: client.address, helo: client.helo, mta: config.mta.hostname ?? 'localhost' },
      config.protection,
      resolver,
      clock,
    );
  }
  const outcomes = groups.map((g) =>
    combineRule(g, g.recipients, g.rule.mode === 'scan' && facts ? moduleVerdicts(g.rule, facts, auth, config.messageProcessing.phishingUrls) : []),
  );
  const decision = decideMessage(outcomes);
  const logLine = verdictLine({
    messageId: facts?.messageId ?? '',
    clientIp: client.address,
    size: data.length,
    sender,
    outcomes,
    inSessionReject: decision.rejectInSession,
  });

  const byAddress = new Map<string, RecipientVerdict>();
  for (const o of outcomes) {
    for (const address of o.recipients) {
      const action = fateOf(o.action);
      byAddress.set(address, { address, action, rule: o.rule.name, ...(action === 'deliver' ? {} : { reason: o.reason }) });
    }
  }
  const recipients = input.recipients.map((a) => byAddress.get(a)!);

  if (decision.rejectInSession) {
    const reasons = [...new Set(outcomes.map((o) => o.reason).filter(Boolean))];
    return { reject: REPLIES.scanRejected(reasons.join('; ') || 'rejected by policy'), recipients, data, logLine };
  }
  if (decision.delivered.length === 0) return { recipients, data, logLine };

  // One message for every delivered recipient: edits of all delivering rules are applied.
  let out = data;
  const notes = new Map<MimePart, string>();
  for (const o of decision.delivered) {
    for (const v of o.verdicts) {
      if (v.detected && v.action === 'delete-attachment') for (const p of v.parts) if (!notes.has(p)) notes.set(p, deletedPartNote(p, v.reason));
    }
  }
  if (notes.size) out = replaceParts(out, [...notes].map(([part, note]) => ({ part, note })));
  out = tagSubject(out, decision.delivered.flatMap((o) => o.subjectTags));
  if (config.messageProcessing.addXHeaders) {
    out = appendHeaders(out, xHeaders(decision.delivered, facts ? spamRating(facts, auth) : undefined, auth, sender));
  }
  return { recipients, data: out, logLine };
}
