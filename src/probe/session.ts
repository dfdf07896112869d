// One probe session against a live gateway over the lab's raw SMTP client: no XCLIENT, and the
// safety rules that make probing a production box harmless. A transaction always ends with RSET
// before DATA; only with --send-to does a second transaction, whose one recipient is that
// mailbox, send a message. A RCPT the config says must be refused as relaying but that gets a
// 2xx is recorded as an open relay (and, like every RCPT of the dialogue part, followed by RSET).
import type { Config } from '../config/schema.js';
import { relayDecision } from '../policy/relay.js';
import { parseEnvelopeCommand } from '../policy/address.js';
import { dotStuff } from '../lab/fixtures.js';
import type { Observation } from '../lab/check.js';
import { SmtpClient, type SmtpReply } from '../lab/smtp-client.js';
import type { ProbeClass, ProbeRun } from './plan.js';

export interface ProbeTarget {
  /** The address connected to (a name is resolved once, before the first session). */
  address: string;
  port: number;
  /** Bind the client side to this local address (multi-homed probe hosts, tests on 127.0.0.2). */
  localAddress?: string;
  /** Per reply, real time. */
  replyTimeoutMs: number;
}

export interface ProbeSessionResult {
  observation: Observation;
  /** Recipients the gateway accepted although the config refuses them as relaying. */
  openRelay: string[];
  /** Every command line the probe sent, for the audit trail (and the no-DATA test). */
  sent: string[];
}

export interface SessionOptions {
  config: Config;
  target: ProbeTarget;
  as: ProbeClass;
  sendTo?: string;
}

function keywords(reply: SmtpReply): string[] {
  return reply.lines.slice(1);
}

function bracket(address: string): string {
  return address.startsWith('<') || /\s/.test(address) ? address : `<${address}>`;
}

/** The recipient of a RCPT line, if the config says an untrusted client must not relay to it. */
function relayRefusedRecipient(config: Config, line: string): string | null {
  const m = line.match(/^[ \t]*RCPT[ \t]+(TO:.*)$/i);
  if (!m) return null;
  const parsed = parseEnvelopeCommand('RCPT', m[1]!, false);
  if (!parsed.ok) return null;
  return relayDecision(config, 'untrusted', parsed.value.address) ? parsed.value.address : null;
}

export async function probeSession(p: ProbeRun, opts: SessionOptions): Promise<ProbeSessionResult> {
  const ob: Observation = { stages: { ehloKeywords: [], rcpt: {} }, steps: [], deliveries: [], backscatter: false, transcript: [] };
  const openRelay: string[] = [];
  const sent: string[] = [];
  const { target, config } = opts;
  // A trusted client may relay anywhere; for the others every foreign recipient must be refused.
  const checksRelay = opts.as !== 'trusted';
  let client: SmtpClient;
  try {
    client = await SmtpClient.connect(target.address, target.port, target.replyTimeoutMs, target.localAddress);
  } catch (e) {
    ob.stages.connect = `<no connection: ${(e as Error).message}>`;
    return { observation: ob, openRelay, sent };
  }
  const command = async (line: string): Promise<SmtpReply> => {
    sent.push(line);
    return client.command(line);
  };
  const judgeRcpt = (line: string, reply: SmtpReply) => {
    if (!checksRelay || (reply.code !== 250 && reply.code !== 251)) return;
    const refused = relayRefusedRecipient(config, line);
    if (refused) openRelay.push(refused);
  };
  try {
    ob.transcript.push(`-- probe session to ${target.address}:${target.port} from this host (no XCLIENT)`);
    const banner = await client.read();
    ob.stages.connect = banner.raw;
    if (banner.code !== 220) return { observation: ob, openRelay, sent };
    if (p.steps) {
      for (const step of p.steps) {
        // A scenario's TLS handshake step: the probe runs it too (nothing is sent that could relay).
        if (step.tls) {
          const reply = await client.startTls().then(
            (info) => `TLS established: ${info.protocol} ${info.cipher}`,
            (e: Error) => `TLS handshake failed: ${e.message}`,
          );
          sent.push('(TLS handshake)');
          ob.steps.push({ sent: '(TLS handshake)', reply });
          continue;
        }
        const text = step.send ?? step.sendRaw!;
        sent.push(text);
        if (step.send !== undefined) client.send(step.send);
        else client.writeRaw(step.sendRaw!);
        if (step.noReply) {
          ob.steps.push({ sent: text, reply: '(no reply read)' });
          continue;
        }
        const reply = await client.read();
        ob.steps.push({ sent: text, reply: reply.raw });
        judgeRcpt(text, reply);
        if (reply.code === 0) break;
      }
    } else {
      const run = p.run;
      const helo = await command(`${run.client.useHelo ? 'HELO' : 'EHLO'} ${run.client.helo}`);
      ob.stages.helo = helo.raw;
      ob.stages.ehloKeywords = helo.code === 250 ? keywords(helo) : [];
      // client.starttls: STARTTLS, the handshake, the greeting again (as the lab's runner does).
      let ready = helo.code === 250;
      if (ready && run.client.starttls) {
        const st = await command('STARTTLS');
        ob.stages.starttls = st.raw;
        ob.stages.tls = false;
        if (st.code === 220) {
          ready = await client.startTls().then(
            () => true,
            () => false,
          );
          ob.stages.tls = ready;
          if (ready) ready = (await command(`${run.client.useHelo ? 'HELO' : 'EHLO'} ${run.client.helo}`)).code === 250;
        }
      }
      if (ready) {
        const env = run.envelope!;
        const size = env.size !== undefined ? ` SIZE=${env.size}` : '';
        const mail = await command(`MAIL FROM:${bracket(env.from)}${size}`);
        ob.stages.mail = mail.raw;
        if (mail.code === 250) {
          for (const to of env.to) {
            const line = `RCPT TO:${bracket(to)}`;
            const r = await command(line);
            ob.stages.rcpt[to] = r.raw;
            judgeRcpt(line, r);
            if (r.code === 421 || r.code === 0) break;
          }
        }
      }
    }
    // The dialogue part ends here: nothing was delivered, nobody was relayed to.
    if (!client.isClosed) await command('RSET');
    if (p.sendMessage && opts.sendTo && !client.isClosed && openRelay.length === 0)
      await sendToMailbox(p, opts.sendTo, command, client, ob);
    if (!client.isClosed) await command('QUIT');
  } finally {
    ob.transcript.push(...client.transcript);
    await client.close();
  }
  return { observation: ob, openRelay, sent };
}

/** The one transaction that may carry a message: its only recipient is the --send-to mailbox. */
async function sendToMailbox(
  p: ProbeRun,
  mailbox: string,
  command: (line: string) => Promise<SmtpReply>,
  client: SmtpClient,
  ob: Observation,
): Promise<void> {
  const env = p.run.envelope!;
  const size = env.size !== undefined ? ` SIZE=${env.size}` : '';
  const mail = await command(`MAIL FROM:${bracket(env.from)}${size}`);
  if (mail.code !== 250) return;
  const rcpt = await command(`RCPT TO:<${mailbox}>`);
  if (rcpt.code !== 250 && rcpt.code !== 251) {
    ob.stages.data = `<not sent: the gateway refused --send-to ${mailbox}: ${rcpt.raw}>`;
    await command('RSET');
    return;
  }
  const data = await command('DATA');
  ob.stages.data = data.raw;
  if (data.code !== 354) return;
  client.writeRaw(Buffer.concat([dotStuff(p.run.data!), Buffer.from('.\r\n')]), `<message, ${p.run.data!.length} bytes>\\r\\n.`);
  ob.stages.message = (await client.read()).raw;
}
