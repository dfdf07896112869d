// Runs planned scenarios against a started lab: one real SMTP session per transaction with
// XCLIENT for the scenario's client address, then waits for the relay's queue to be idle (no
// sleeps), advances lab time for `after:`, collects what the simulated hosts received and checks
// the expectations. Scenarios that only send a tagged message share the lab (--jobs); the rest
// (dialogues, canned host replies, DNS changes, lab time, repeats) run alone.
import { isIPv6 } from 'node:net';
import type { Lab } from './lab.js';
import { HARNESS_ADDRESS } from './lab.js';
import { dotStuff } from './fixtures.js';
import type { PlannedRun } from './expand.js';
import { TAG_HEADER } from './expand.js';
import { SmtpClient, type SmtpReply } from './smtp-client.js';
import { cannedFromSpec } from './sink.js';
import { checkExpectations, describeDeliveries, type Delivery, type Failure, type Observation } from './check.js';

export interface RunResult {
  id: string;
  name: string;
  file: string;
  tags: string[];
  status: 'passed' | 'failed';
  failures: Failure[];
  why?: string;
  transcript: string[];
  /** Where mail went, one line per copy. */
  deliveries: string[];
  durationMs: number;
}

export interface RunnerEvents {
  onStart?(run: PlannedRun): void;
  onResult?(result: RunResult): void;
}

const END_OF_DATA = Buffer.from('.\r\n');

/** Anvil's rate window; lab time moves this far between waves so rate counters start fresh. */
const RATE_WINDOW_MS = 61_000;

export async function runAll(lab: Lab, runs: PlannedRun[], opts: { jobs?: number } & RunnerEvents = {}): Promise<RunResult[]> {
  const limits = lab.config.mta.advanced;
  // With rate limits configured, parallel scenarios from one address would count against each other.
  const jobs = limits.messageRateLimit > 0 || limits.connectionRateLimit > 0 ? 1 : Math.max(1, opts.jobs ?? 4);
  const results = new Map<string, RunResult>();
  for (const wave of waves(runs, jobs)) {
    await lab.advance(RATE_WINDOW_MS);
    const done = await Promise.all(
      wave.map(async (run) => {
        opts.onStart?.(run);
        const r = await runOne(lab, run, !run.exclusive);
        opts.onResult?.(r);
        return r;
      }),
    );
    for (const r of done) results.set(r.id, r);
    await lab.drain();
    lab.reset();
  }
  return runs.map((r) => results.get(r.id)!);
}

/**
 * The runs in waves: an exclusive run alone, when its turn comes in the planned order; otherwise
 * up to `jobs` shared runs side by side, the heaviest first (by weight). A wave lasts as long as
 * its slowest run, so the few heavy ones (a 20 MB message, a 5 MB one, an archive that unpacks to
 * 40 MB) overlap each other, and one of them on the relay's thread runs while another is in a
 * scan thread, instead of each holding up a wave of light runs of its own.
 */
export function waves(runs: readonly PlannedRun[], jobs: number): PlannedRun[][] {
  const shared = runs.filter((r) => !r.exclusive);
  if (jobs > 1) shared.sort((a, b) => b.weight - a.weight);
  const out: PlannedRun[][] = [];
  const done = new Set<PlannedRun>();
  let next = 0;
  const sharedWave = () => {
    const wave = shared.slice(next, next + jobs);
    next += wave.length;
    for (const r of wave) done.add(r);
    out.push(wave);
  };
  for (const run of runs) {
    if (run.exclusive) out.push([run]);
    else if (!done.has(run)) sharedWave();
  }
  // Shared runs planned before an exclusive one but heavier-sorted past the last wave made above.
  while (next < shared.length) sharedWave();
  return out;
}

function xclientAddr(address: string): string {
  return isIPv6(address) ? `IPV6:${address}` : address;
}

async function openSession(lab: Lab, run: PlannedRun, ob: Observation): Promise<SmtpClient | null> {
  const client = await SmtpClient.connect(HARNESS_ADDRESS, lab.relay.port);
  ob.transcript.push(`-- session from ${run.client.address} (XCLIENT from the harness ${HARNESS_ADDRESS})`);
  const banner = await client.read();
  ob.stages.connect = banner.raw;
  if (banner.code !== 220) return client;
  const x = await client.command(`XCLIENT ADDR=${xclientAddr(run.client.address)} NAME=[UNAVAILABLE]`);
  // After XCLIENT the relay greets again as it would greet that client.
  ob.stages.connect = x.raw;
  return client;
}

function keywords(reply: SmtpReply): string[] {
  return reply.lines.slice(1);
}

async function messageSession(lab: Lab, run: PlannedRun, ob: Observation): Promise<void> {
  const client = await openSession(lab, run, ob);
  if (!client) return;
  try {
    if (!ob.stages.connect?.startsWith('220')) return;
    const helo = await client.command(`${run.client.useHelo ? 'HELO' : 'EHLO'} ${run.client.helo}`);
    ob.stages.helo = helo.raw;
    ob.stages.ehloKeywords = helo.code === 250 ? keywords(helo) : [];
    if (helo.code !== 250) return;
    if (run.client.starttls && !(await startTlsStage(client, run, ob))) return;
    const env = run.envelope!;
    const size = env.size !== undefined ? ` SIZE=${env.size}` : '';
    const mail = await client.command(`MAIL FROM:${bracket(env.from)}${size}`);
    ob.stages.mail = mail.raw;
    ob.stages.rcpt = {};
    if (mail.code !== 250) return;
    let accepted = 0;
    for (const to of env.to) {
      const r = await client.command(`RCPT TO:${bracket(to)}`);
      ob.stages.rcpt[to] = r.raw;
      if (r.code === 250 || r.code === 251) accepted++;
      if (r.code === 421 || r.code === 0) return;
    }
    if (!accepted) return;
    const data = await client.command('DATA');
    ob.stages.data = data.raw;
    if (data.code !== 354) return;
    const message = run.data!;
    client.writeParts([dotStuff(message), END_OF_DATA], `<message, ${message.length} bytes>\\r\\n.`);
    const end = await client.read();
    ob.stages.message = end.raw;
    await client.command('QUIT');
  } finally {
    ob.transcript.push(...client.transcript);
    await client.close();
  }
}

/**
 * client.starttls: STARTTLS, the handshake, the greeting command again inside TLS. False when the
 * session cannot go on (the handshake failed, or the second greeting was refused).
 */
async function startTlsStage(client: SmtpClient, run: PlannedRun, ob: Observation): Promise<boolean> {
  const st = await client.command('STARTTLS');
  ob.stages.starttls = st.raw;
  ob.stages.tls = false;
  if (st.code !== 220) return st.code !== 0 && st.code !== 421;
  try {
    await client.startTls();
  } catch {
    return false;
  }
  ob.stages.tls = true;
  const again = await client.command(`${run.client.useHelo ? 'HELO' : 'EHLO'} ${run.client.helo}`);
  return again.code === 250;
}

/** Addresses as written unless they already carry brackets or are deliberately malformed (no "@"). */
function bracket(address: string): string {
  return address.startsWith('<') || /\s/.test(address) ? address : `<${address}>`;
}

async function dialogueSession(lab: Lab, run: PlannedRun, ob: Observation): Promise<void> {
  const client = await openSession(lab, run, ob);
  if (!client) return;
  try {
    // client.starttls in a dialogue: the steps run inside TLS (EHLO, STARTTLS and the handshake first).
    if (run.client.starttls) {
      await client.command(`EHLO ${run.client.helo}`);
      if ((await client.command('STARTTLS')).code !== 220) return;
      if (
        !(await client.startTls().then(
          () => true,
          () => false,
        ))
      )
        return;
    }
    for (const step of run.dialogue!) {
      if (step.tls) {
        const reply = await client.startTls().then(
          (info) => `TLS established: ${info.protocol} ${info.cipher}`,
          (e: Error) => `TLS handshake failed: ${e.message}`,
        );
        ob.steps.push({ sent: '(TLS handshake)', reply });
        continue;
      }
      if (step.send !== undefined) client.send(step.send);
      else client.writeRaw(step.sendRaw!);
      const sent = step.send ?? step.sendRaw!;
      if (step.noReply) {
        ob.steps.push({ sent, reply: '(no reply read)' });
        continue;
      }
      const reply = await client.read();
      ob.steps.push({ sent, reply: reply.raw });
    }
  } finally {
    ob.transcript.push(...client.transcript);
    await client.close();
  }
}

async function applyHostBehaviour(lab: Lab, run: PlannedRun): Promise<string[]> {
  const problems: string[] = [];
  const start = lab.clock.now();
  for (const [selector, b] of Object.entries(run.hosts)) {
    const hosts = lab.selectHosts(selector);
    if (!hosts.length)
      problems.push(`hosts: no simulated host matches "${selector}" (hosts: ${lab.topology.hosts.map((h) => h.id).join(', ')})`);
    for (const h of hosts) {
      if (b.tls) await lab.useTls(h, b.tls);
      const sink = lab.activeSink(h);
      if (b.dead) lab.makeDead(h);
      if (b.users) sink.setUsers(b.users);
      b.reply.forEach((r, i) => {
        const forMs = b.forMs[i];
        sink.addCanned(cannedFromSpec(r, forMs === undefined ? undefined : start + forMs));
      });
    }
  }
  for (const [name, entry] of Object.entries(run.dns)) lab.dns.add(name, entry);
  return problems;
}

function collectDeliveries(lab: Lab, run: PlannedRun, shared: boolean): Delivery[] {
  const out: Delivery[] = [];
  const tagLine = `${TAG_HEADER}: ${run.tag}`;
  for (const host of lab.topology.hosts) {
    for (const t of lab.sinksOf(host.id).flatMap((s) => s.transactions)) {
      // Sharing the lab with other scenarios: only copies (and bounces quoting them) carrying our tag.
      if (shared && !t.data.includes(tagLine)) continue;
      out.push({ host: host.id, role: host.role, from: t.from, to: t.to, data: t.data });
    }
  }
  return out;
}

export async function runOne(lab: Lab, run: PlannedRun, shared = false): Promise<RunResult> {
  const started = Date.now();
  const ob: Observation = { stages: { ehloKeywords: [], rcpt: {} }, steps: [], deliveries: [], backscatter: false, transcript: [] };
  const failures: Failure[] = run.errors.map((e) => ({
    what: 'scenario cannot run with this config',
    expected: 'all placeholders filled',
    observed: e,
  }));
  if (!failures.length) {
    try {
      for (const p of await applyHostBehaviour(lab, run))
        failures.push({ what: 'scenario setup', expected: 'a valid host selector', observed: p });
      for (let i = 0; i < run.repeat; i++) {
        if (i > 0) Object.assign(ob, { stages: { ehloKeywords: [], rcpt: {} }, steps: [] });
        if (run.dialogue) await dialogueSession(lab, run, ob);
        else await messageSession(lab, run, ob);
      }
      await lab.idle();
      if (run.afterMs > 0) await lab.advance(run.afterMs);
      ob.deliveries = collectDeliveries(lab, run, shared);
      const edge = lab.topology.clients.edge;
      const replies = [
        ob.stages.mail,
        ...Object.values(ob.stages.rcpt),
        ob.stages.data,
        ob.stages.message,
        ...ob.steps.map((s) => s.reply),
      ];
      ob.backscatter = edge !== null && run.client.address === edge && replies.some((r) => r?.startsWith('5'));
      failures.push(
        ...(await checkExpectations({
          expect: run.expect,
          observation: ob,
          hosts: lab.topology.hosts,
          envelope: run.envelope,
          dialogue: run.dialogue,
        })),
      );
    } catch (e) {
      failures.push({ what: 'scenario run', expected: 'to complete', observed: `error: ${(e as Error).message}` });
    }
  }
  return {
    id: run.id,
    name: run.name,
    file: run.file,
    tags: run.tags,
    status: failures.length ? 'failed' : 'passed',
    failures,
    why: run.why,
    transcript: ob.transcript,
    deliveries: describeDeliveries(ob.deliveries),
    durationMs: Date.now() - started,
  };
}
