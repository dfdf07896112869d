// The message scanner the relay calls after DATA: picks the rule per recipient, runs the rule's
// modules over the message once, combines the actions and produces the message to deliver.
import { REPLIES } from '../policy/replies.js';
import { groupRecipientsByRule } from '../policy/rules.js';
import { systemClock, type Clock } from '../relay/clock.js';
import { createDnsResolver, type Resolver } from '../relay/resolver.js';
import { combineRule, decideMessage, fateOf, type RuleOutcome } from './actions.js';
import type { Config } from '../config/schema.js';
import { analyzeInline, analyzeMessage, DEFAULT_SCAN_LIMITS, unscannedFacts, type MessageFacts, type ScanLimits } from './detect.js';
import { authInput, checkMailAuth, loadMailauth, type AuthInput, type AuthOutcome } from './mail-auth.js';
import { ScanPool, type ScanBudget } from './pool.js';
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
  /** Per-message time and memory budget of the worker that takes the message apart. */
  budget?: Partial<ScanBudget>;
  /** Archive depth / inflated bytes / entry budgets. */
  limits?: Partial<ScanLimits>;
  /** false: analyse in this thread (no budget; unit tests of the decisions). Default: worker pool. */
  isolate?: boolean;
  /** Worker threads and module of the pool (see ScanPoolOptions). */
  threads?: number;
  workerFile?: string;
}

/** Takes the message apart: MIME, archives, detectors and (when asked) sender authentication. */
export type ContentAnalyzer = (
  data: Buffer,
  auth: Omit<AuthInput, 'data'> | null,
  protection: Config['protection'],
) => Promise<{ facts: MessageFacts; auth?: AuthOutcome }>;

/** The analysis in the calling thread (no budget): for tests and tools, not for the relay. */
export function inProcessAnalyzer(resolver: Resolver, clock: Clock, limits: ScanLimits = DEFAULT_SCAN_LIMITS): ContentAnalyzer {
  return async (data, auth, protection) => withAuthHere(analyzeMessage(data, limits), data, auth, protection, { resolver, clock });
}

/** Facts found in this thread, with the sender authentication (when asked) made here too. */
async function withAuthHere(
  facts: MessageFacts,
  data: Buffer,
  auth: Omit<AuthInput, 'data'> | null,
  protection: Config['protection'],
  services: { resolver: Resolver; clock: Clock },
): Promise<{ facts: MessageFacts; auth?: AuthOutcome }> {
  return auth ? { facts, auth: await checkMailAuth({ ...auth, data }, protection, services.resolver, services.clock) } : { facts };
}

export function createScanner(opts: ScannerOptions = {}): MessageScanner {
  let resolver = opts.resolver;
  const clock = opts.clock ?? systemClock;
  // The worker threads start now, so they are ready when the first message arrives.
  const pool: ScanPool | null =
    opts.isolate === false
      ? null
      : new ScanPool({ budget: opts.budget, limits: opts.limits, threads: opts.threads, workerFile: opts.workerFile });
  return {
    async scan(input) {
      resolver ??= createDnsResolver({ timeoutMs: input.config.protection.dnsTimeout * 1000 });
      const services = { resolver, clock };
      const p = pool;
      const analyze: ContentAnalyzer = p
        ? pooledAnalyzer(p, services)
        : inProcessAnalyzer(resolver, clock, { ...DEFAULT_SCAN_LIMITS, ...opts.limits });
      try {
        return await scanMessage(input, resolver, clock, analyze);
      } catch (e) {
        // The decision stage failed after the analysis: decide again as for a message that could
        // not be scanned (Anti-Virus status Error and the rule's action) — never "Clean".
        const why = `scanner failed: ${e instanceof Error ? e.message : String(e)}`;
        return scanMessage(input, resolver, clock, async (data) => ({ facts: unscannedFacts(data, why) }));
      }
    },
    async ready() {
      // In-process, mailauth (loaded with the first check) is loaded before the relay listens.
      await (pool ? pool.ready() : loadMailauth());
    },
    async close() {
      // Later scans (none are expected) get "scanner stopped": unscanned, never Clean.
      await pool?.close();
    },
  };
}

/**
 * The worker pool's analysis. Sender authentication of an unsigned message needs only its header
 * block (authInput): that runs here, beside the worker's content analysis, with the relay's own
 * resolver and clock, instead of as DNS and timer round trips between the worker and this thread
 * (six cross-thread messages per message). The function and its inputs are the same, so are the
 * results. A signed message (its body is hashed) is authenticated in the worker, under its budget.
 * When the worker fails, the outcome carries no authentication, as when the worker did both.
 */
function pooledAnalyzer(pool: ScanPool, services: { resolver: Resolver; clock: Clock }): ContentAnalyzer {
  return async (data, auth, protection) => {
    // A small single-part text message (most mail) cannot be slow to analyse: here, no hop.
    const inline = analyzeInline(data, pool.limits);
    if (inline) return withAuthHere(inline, data, auth, protection, services);
    const head = auth ? authInput(data) : data;
    if (!auth || head === data) return pool.analyze(data, auth, protection, services);
    const [content, outcome] = await Promise.all([
      pool.analyze(data, null, protection, services),
      checkMailAuth({ ...auth, data: head }, protection, services.resolver, services.clock),
    ]);
    return content.facts.failure ? { facts: content.facts } : { facts: content.facts, auth: outcome };
  };
}

function moduleVerdicts(
  outcomeRule: RuleOutcome['rule'],
  facts: MessageFacts,
  auth: AuthOutcome | undefined,
  phishingUrls: string[],
): ModuleVerdict[] {
  return [
    antiVirus(outcomeRule, facts),
    antiSpam(outcomeRule, facts, auth),
    antiPhishing(outcomeRule, facts, phishingUrls),
    contentFiltering(outcomeRule, facts),
    mailAuthentication(outcomeRule, auth, facts.failure),
  ];
}

export async function scanMessage(
  input: ScanInput,
  resolver: Resolver,
  clock: Clock,
  analyze: ContentAnalyzer = inProcessAnalyzer(resolver, clock),
): Promise<ScanResult> {
  const { config, client, sender, data } = input;
  const groups = groupRecipientsByRule(config.rules, sender, client.address, input.recipients);
  const scanning = groups.filter((g) => g.rule.mode === 'scan');
  let facts: MessageFacts | undefined;
  let auth: AuthOutcome | undefined;
  if (scanning.length) {
    const wantsAuth = scanning.some((g) => g.rule.antiSpam.enabled || g.rule.mailAuthentication.enabled);
    const authParams = wantsAuth ? { sender, ip: client.address, helo: client.helo, mta: config.mta.hostname ?? 'localhost' } : null;
    ({ facts, auth } = await analyze(data, authParams, config.protection));
  }
  const outcomes = groups.map((g) =>
    combineRule(
      g,
      g.recipients,
      g.rule.mode === 'scan' && facts ? moduleVerdicts(g.rule, facts, auth, config.messageProcessing.phishingUrls) : [],
    ),
  );
  const decision = decideMessage(outcomes);
  const logLine = verdictLine({
    messageId: facts?.messageId ?? '',
    ...(facts?.failure ? { failure: facts.failure } : {}),
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
      if (v.detected && v.action === 'delete-attachment')
        for (const p of v.parts) if (!notes.has(p)) notes.set(p, deletedPartNote(p, v.reason));
    }
  }
  if (notes.size)
    out = replaceParts(
      out,
      [...notes].map(([part, note]) => ({ part, note })),
    );
  out = tagSubject(
    out,
    decision.delivered.flatMap((o) => o.subjectTags),
  );
  if (config.messageProcessing.addXHeaders) {
    out = appendHeaders(out, xHeaders(decision.delivered, facts ? spamRating(facts, auth) : undefined, auth, sender));
  }
  return { recipients, data: out, logLine };
}
