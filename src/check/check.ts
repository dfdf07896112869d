// `ksmg-setup check`: one SMTP transaction decided the way the relay decides it, in-process and
// without delivering anything (like Exim's -bh). Every reply comes from the relay's own policy
// functions in the order the relay's handlers call them; DNS is the lab's picture answered from
// memory; a recipient callout (reject-unverified) goes to the lab's simulated internal server,
// started only when needed. The report names the rule behind each reply, the content-scan verdict
// for --message, and where each accepted recipient would go, the next hop as Postfix writes it.
import { isIP } from 'node:net';
import type { Config } from '../config/schema.js';
import { parseEnvelopeCommand } from '../policy/address.js';
import { classifyClient, compileNetworks } from '../policy/client.js';
import { ehloLines } from '../policy/ehlo.js';
import { expandBanner, normaliseLineEnds, receivedHeader, tooBig } from '../policy/message.js';
import { parseMailParams, sizeDecision } from '../policy/params.js';
import {
  localRecipientDecision,
  planRecipientChecks,
  unknownDomainDecision,
  unlistedDecision,
  verificationDecision,
} from '../policy/recipient.js';
import { isLocalDomain, relayDecision } from '../policy/relay.js';
import { formatReply, REPLIES, reply as makeReply, type Reply } from '../policy/replies.js';
import { describeNextHop, nextHopFor } from '../policy/routing.js';
import { selectRule } from '../policy/rules.js';
import { resolveAddress } from '../policy/address.js';
import { buildMessage } from '../lab/fixtures.js';
import { buildTopology, type Topology } from '../lab/topology.js';
import { ManualClock } from '../relay/clock.js';
import { resolveTargets } from '../relay/delivery/next-hop.js';
import { lookupRecipientDomain } from '../relay/smtp/domain-lookup.js';
import { newQueueId } from '../relay/spool.js';
import type { CalloutHosts } from './callout.js';
import { zoneResolver } from './zone-resolver.js';

export const CHECK_SCHEMA_VERSION = 1;
export const CHECK_CLIENT_CLASSES = ['trusted', 'untrusted', 'edge'] as const;

export class CheckInputError extends Error {}

export interface CheckOptions {
  config: Config;
  configPath?: string;
  /** An IP address, or trusted | untrusted | edge (an address of that class from the lab's picture). */
  client: string;
  from: string;
  to: string[];
  helo?: string;
  /** SIZE= at MAIL and the size of the generated message. */
  size?: number;
  /** The message to send (and scan) instead of a generated one. */
  message?: { bytes: Buffer; file: string };
}

export type CheckStageName = 'connect' | 'ehlo' | 'mail' | 'rcpt' | 'data' | 'end-of-data';

export interface CheckStage {
  stage: CheckStageName;
  /** The command as a client would send it (null for the connection). */
  command: string | null;
  code: number;
  /** The reply lines as on the wire, joined with "\n". */
  reply: string;
  /** The setting or restriction that produced this reply. */
  rule: string;
}

export interface CheckRecipient {
  address: string;
  accepted: boolean;
  reply: string;
  rule: string;
  /** The KSMG message-processing rule for this sender–recipient pair. */
  contentRule: { id: number; name: string; mode: string };
  /** Content scan verdict (only with --message and an accepted message). */
  scan: { action: 'deliver' | 'delete' | 'reject'; rule: string; reason: string | null } | null;
  /** Where it would go (accepted recipients only). */
  nextHop: null | {
    via: 'route' | 'relayhost' | 'mx';
    /** Postfix's transport:nexthop notation, e.g. smtp:[10.0.0.25]:25. */
    transport: string;
    /** What the next hop resolves to in the lab's picture: name[ip]:port, or why it does not. */
    lab: string[];
  };
}

export interface CheckReport {
  schemaVersion: typeof CHECK_SCHEMA_VERSION;
  tool: 'ksmg-setup check';
  config: string;
  integration: string;
  client: { given: string; address: string; class: 'trusted' | 'untrusted'; role: string };
  helo: string;
  sender: string;
  stages: CheckStage[];
  recipients: CheckRecipient[];
  message: null | { source: 'generated' | 'file'; file: string | null; bytes: number; scanned: boolean; logLine: string | null };
  /** accepted: the message would be queued for every recipient; partly: for some; refused: for none. */
  outcome: 'accepted' | 'partly-accepted' | 'refused';
  notes: string[];
  durationMs: number;
}

function resolveClient(topology: Topology, given: string): { address: string; role: string } {
  const g = given.trim();
  if (g === 'trusted') {
    if (!topology.clients.trusted) throw new CheckInputError('--client trusted: the config has no trusted networks (mta.trustedNetworks)');
    return { address: topology.clients.trusted, role: 'a host in the trusted networks' };
  }
  if (g === 'untrusted') return { address: topology.clients.untrusted, role: 'a host on the internet' };
  if (g === 'edge' || g === 'edge-gateway') {
    if (!topology.clients.edge)
      throw new CheckInputError('--client edge: the config names no edge gateway (mta.destination.mode edge-gateway with a host)');
    return { address: topology.clients.edge, role: 'the edge gateway' };
  }
  const bare = g.replace(/^\[|\]$/g, '');
  if (!isIP(bare)) throw new CheckInputError(`--client "${given}": expected an IP address or ${CHECK_CLIENT_CLASSES.join(' | ')}`);
  const role = bare === topology.clients.edge ? 'the edge gateway' : 'the given address';
  return { address: bare, role };
}

const bracket = (a: string) => (a.startsWith('<') ? a : `<${a}>`);
const wire = (r: Reply) => formatReply(r);

function networksText(config: Config): string {
  return config.mta.trustedNetworks.length ? config.mta.trustedNetworks.join(', ') : '(none)';
}

export async function runCheck(opts: CheckOptions): Promise<CheckReport> {
  const started = performance.now();
  const { config } = opts;
  const topology = buildTopology(config);
  const client = resolveClient(topology, opts.client);
  const clientClass = classifyClient(compileNetworks(config.mta.trustedNetworks), client.address);
  const adv = config.mta.advanced;
  const resolver = zoneResolver(topology);
  const clock = new ManualClock(Date.now());
  const helo = (opts.helo ?? 'client.example').trim();
  const notes: string[] = ['a single transaction: connection and message rate limits are not applied'];
  // No socket, so the gateway's own IP addresses (user@[its address]) are not known here.
  const stages: CheckStage[] = [];
  const recipients: CheckRecipient[] = [];
  const push = (stage: CheckStageName, command: string | null, r: Reply | { code: number; lines: string[] }, rule: string) => {
    const text = 'lines' in r ? r.lines.map((l, i) => `${r.code}${i < r.lines.length - 1 ? '-' : ' '}${l}`).join('\n') : wire(r);
    stages.push({ stage, command, code: r.code, reply: text, rule });
  };
  const report = (outcome: CheckReport['outcome'], message: CheckReport['message'] = null): CheckReport => ({
    schemaVersion: CHECK_SCHEMA_VERSION,
    tool: 'ksmg-setup check',
    config: opts.configPath ?? '(in memory)',
    integration: config.integration,
    client: { given: opts.client, address: client.address, class: clientClass, role: client.role },
    helo,
    sender: opts.from,
    stages,
    recipients,
    message,
    outcome,
    notes,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  });

  push('connect', null, REPLIES.greeting(expandBanner(config)), 'smtpd_banner (mta.advanced.greeting)');
  const heloCmd = `EHLO ${helo}`;
  if (!helo) {
    push('ehlo', heloCmd, REPLIES.heloSyntaxPlain('EHLO'), 'EHLO needs a host name');
    return report('refused');
  }
  push(
    'ehlo',
    heloCmd,
    { code: 250, lines: ehloLines(config, { xclientAllowed: false }) },
    `smtpd_discard_ehlo_keywords (mta.advanced.discardEhloKeywords: ${adv.discardEhloKeywords.join(', ') || 'none'})`,
  );

  // MAIL FROM, in the relay's order: syntax, parameters, SIZE.
  const sizeParam = opts.size !== undefined ? ` SIZE=${opts.size}` : '';
  const mailCmd = `MAIL FROM:${bracket(opts.from)}${sizeParam}`;
  const mail = parseEnvelopeCommand('MAIL', mailCmd.slice(5), adv.strictRfc821Envelopes);
  if (!mail.ok) {
    push(
      'mail',
      mailCmd,
      mail.reply,
      `sender address syntax (strict_rfc821_envelopes = ${adv.strictRfc821Envelopes ? 'yes' : 'no'}, mta.advanced.strictRfc821Envelopes)`,
    );
    return report('refused');
  }
  const params = parseMailParams(config, mail.value.params);
  if (!params.ok) {
    push('mail', mailCmd, params.reply, 'MAIL parameters (DSN keywords discarded by mta.advanced.discardEhloKeywords)');
    return report('refused');
  }
  const sizeRefusal = sizeDecision(config, params.value.size);
  if (sizeRefusal) {
    push('mail', mailCmd, sizeRefusal, `message_size_limit (mta.messageSizeLimit = ${config.mta.messageSizeLimit})`);
    return report('refused');
  }
  push('mail', mailCmd, REPLIES.mailOk(), 'no sender restrictions (KSMG checks senders in the content scan)');
  const sender = mail.value.address;

  // The simulated internal servers (and the callout code) only load when a recipient needs them.
  let callouts: CalloutHosts | null = null;
  const verifyByCallout = async (address: string) => {
    callouts ??= (await import('./callout.js')).startCalloutHosts(config, topology, resolver, clock);
    return callouts.verify(address);
  };
  try {
    for (const to of opts.to) {
      const rcptCmd = `RCPT TO:${bracket(to)}`;
      const parsed = parseEnvelopeCommand('RCPT', rcptCmd.slice(5), adv.strictRfc821Envelopes);
      const contentRule = (address: string) => {
        const sel = selectRule(config.rules, sender, client.address, address);
        return { id: sel.id, name: sel.rule.name, mode: sel.rule.mode };
      };
      const refuse = (r: Reply, rule: string, address = to) => {
        push('rcpt', rcptCmd, r, rule);
        recipients.push({ address, accepted: false, reply: wire(r), rule, contentRule: contentRule(address), scan: null, nextHop: null });
      };
      if (!parsed.ok) {
        refuse(parsed.reply, `recipient address syntax (strict_rfc821_envelopes = ${adv.strictRfc821Envelopes ? 'yes' : 'no'})`);
        continue;
      }
      const address = parsed.value.address;
      const relay = relayDecision(config, clientClass, address);
      const resolved = resolveAddress(address, config.mta.hostname);
      if (relay) {
        const why = resolved.routed
          ? 'routing in the local part (allow_untrusted_routing = no)'
          : resolved.literal || resolved.numeric
            ? 'an address literal is never a local domain'
            : `${resolved.domain || '(no domain)'} is not a local domain (mta.domains)`;
        refuse(
          relay,
          `reject_unauth_destination: ${why}; ${client.address} is not in mta.trustedNetworks (${networksText(config)})`,
          address,
        );
        continue;
      }
      const allowedBy =
        clientClass === 'trusted'
          ? `permit_mynetworks: ${client.address} is in mta.trustedNetworks`
          : `permit_auth_destination: ${resolved.domain} is a local domain (mta.domains)`;
      const plan = planRecipientChecks(config, clientClass, address);
      let refusal: Reply | null = null;
      let rule = allowedBy;
      if (plan.local) {
        refusal = localRecipientDecision(config, address);
        rule = `the gateway's own name (mta.hostname): local_recipient_maps${refusal ? ': not a local user' : ': a local user'}`;
      } else if (plan.unlisted) {
        refusal = unlistedDecision(config, address);
        rule += `; reject_unlisted_recipient (mta.advanced.validRecipients)${refusal ? '' : ': listed'}`;
      } else if (plan.verify) {
        const result = await verifyByCallout(address);
        refusal = verificationDecision(address, result, adv.unverifiedRecipientRejectCode);
        rule += `; reject_unverified_recipient (mta.advanced.recipientVerification): the lab's internal server ${result ? (result.status === 'deliverable' ? 'knows' : 'does not know') : 'could not be asked about'} ${address}`;
      } else if (plan.domainCheck) {
        const lookup = await lookupRecipientDomain(resolver, plan.domainCheck);
        refusal = unknownDomainDecision(address, plan.domainCheck, lookup);
        rule += `; reject_unknown_recipient_domain (mta.advanced.rejectUnknownRecipientDomains): lab DNS says ${lookup}`;
      } else if (clientClass === 'untrusted' && isLocalDomain(config, resolved.domain)) {
        rule += `; mta.advanced.recipientVerification: ${adv.recipientVerification} (every address of the domain is accepted)`;
      }
      if (refusal) {
        refuse(refusal, rule, address);
        continue;
      }
      push('rcpt', rcptCmd, REPLIES.rcptOk(), rule);
      const hop = nextHopFor(config, address);
      let nextHop: CheckRecipient['nextHop'] = null;
      if (hop) {
        const res = await resolveTargets(hop, resolver);
        nextHop = {
          via: hop.kind,
          transport: `smtp:${hop.kind === 'mx' ? hop.domain : describeNextHop(hop)}`,
          lab: res.ok ? res.targets.map((t) => t.label) : [res.reason],
        };
      }
      recipients.push({
        address,
        accepted: true,
        reply: wire(REPLIES.rcptOk()),
        rule,
        contentRule: contentRule(address),
        scan: null,
        nextHop,
      });
    }
  } finally {
    await (callouts as CalloutHosts | null)?.close();
  }

  const accepted = recipients.filter((r) => r.accepted);
  if (!accepted.length) {
    push('data', 'DATA', REPLIES.noValidRecipients(), 'every recipient was refused');
    return report('refused');
  }
  push('data', 'DATA', REPLIES.dataGoAhead(), 'at least one recipient accepted');

  const raw = opts.message
    ? opts.message.bytes
    : buildMessage({
        from: sender,
        to: accepted.map((r) => r.address),
        subject: 'ksmg-setup check',
        body: 'A message generated by ksmg-setup check.',
        padTo: opts.size,
        tag: { name: 'X-Ksmg-Setup-Check', value: 'generated' },
      });
  const body = normaliseLineEnds(raw);
  const messageInfo: NonNullable<CheckReport['message']> = {
    source: opts.message ? 'file' : 'generated',
    file: opts.message?.file ?? null,
    bytes: body.length,
    scanned: false,
    logLine: null,
  };
  if (tooBig(config, body.length)) {
    push(
      'end-of-data',
      '.',
      REPLIES.messageTooBig(),
      `message_size_limit (mta.messageSizeLimit = ${config.mta.messageSizeLimit}): the message has ${body.length} bytes`,
    );
    return report('refused', messageInfo);
  }
  const queueId = newQueueId(clock.now());
  if (!opts.message) {
    notes.push('content scan: not run (no --message); the verdict is unknown, not Clean');
    push('end-of-data', '.', REPLIES.queued(queueId), 'accepted (nothing is queued or delivered by check)');
    return report(accepted.length === recipients.length ? 'accepted' : 'partly-accepted', messageInfo);
  }
  const header = receivedHeader(config, {
    helo,
    clientName: 'unknown',
    clientAddress: client.address,
    protocol: 'ESMTP',
    queueId,
    recipients: accepted.map((r) => r.address),
    arrival: clock.now(),
  });
  // The scanner (MIME, DKIM, SPF) is the heavy part of loading: only with --message.
  const { createScanner } = await import('../scan/index.js');
  const scanner = createScanner({ resolver, clock });
  const scan = await scanner.scan({
    config,
    client: { address: client.address, helo },
    sender,
    recipients: accepted.map((r) => r.address),
    data: Buffer.concat([Buffer.from(header, 'latin1'), body]),
    queueId,
  });
  messageInfo.scanned = true;
  messageInfo.logLine = scan.logLine ?? null;
  for (const v of scan.recipients) {
    const r = accepted.find((a) => a.address === v.address);
    if (r) r.scan = { action: v.action, rule: v.rule, reason: v.reason ?? null };
  }
  if (scan.reject) {
    const r = makeReply(scan.reject.code, scan.reject.enhanced, scan.reject.text);
    push('end-of-data', '.', r, 'content scan: a rule rejects the message in the session');
    return report('refused', messageInfo);
  }
  push('end-of-data', '.', REPLIES.queued(queueId), 'content scan done; accepted (nothing is queued or delivered by check)');
  const delivered = accepted.filter((r) => r.scan?.action === 'deliver').length;
  if (delivered < accepted.length)
    notes.push(`${accepted.length - delivered} accepted recipient(s) would not get the message (content rule: delete or delayed reject)`);
  return report(delivered === recipients.length ? 'accepted' : delivered ? 'partly-accepted' : 'refused', messageInfo);
}
