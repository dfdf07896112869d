// The lab: lab DNS + one SMTP sink per simulated host + the relay started in-process exactly as
// `ksmg-setup relay` starts it (127.0.0.1, a free port, XCLIENT only from the harness, a
// ManualClock, the lab resolver and the virtual network map).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import { ManualClock } from '../relay/clock.js';
import type { RelayHandle } from '../relay/relay.js';
import type { QueueManager } from '../relay/queue/manager.js';
import { startRelayService } from '../relay/service.js';
import type { ScanPool } from '../scan/pool.js';
import { labScanPool } from './scan-threads.js';
import { enabledChecks, loadMailauth } from '../scan/mail-auth.js';
import { routeKey, type RouteMap } from '../relay/delivery/route-map.js';
import { LabDns, freeTcpPort } from './dns.js';
import { SmtpSink } from './sink.js';
import { defaultHostTls, labCa, labCaNeeded, labRelayConfig, sinkTls, type LabHostTls } from './lab-tls.js';
import type { CertificateSource } from './certificates.js';
import type { PlannedRun } from './expand.js';
import { rememberLabCertificate } from './tls-cert.js';
import { buildTopology, type LabHost, type Topology } from './topology.js';

/** The harness connects from here; only this address may use XCLIENT. */
export const HARNESS_ADDRESS = '127.0.0.1';

export { LAB_SCAN_THREADS, labScanPool } from './scan-threads.js';

/**
 * Whether scans authenticate senders in this thread: an unsigned message's SPF/DMARC runs beside
 * the worker's analysis (scan/index.ts), for rules that scan with Anti-Spam or Mail
 * Authentication on, when Protection lets SPF or DKIM run.
 */
function authenticatesInThisThread(config: Config): boolean {
  const on = enabledChecks(config.protection);
  return (on.spf || on.dkim) && config.rules.some((r) => r.mode === 'scan' && (r.antiSpam.enabled || r.mailAuthentication.enabled));
}

/** Every name and address of the lab's hosts: what the lab's certificates name. */
export function labTlsNames(topology: Topology): string[] {
  return topology.hosts.flatMap((h) => [...h.names, ...h.addresses]);
}

/**
 * Asks the certificate source for every certificate these runs will need (the hosts' default, the
 * scenarios' `hosts.<sel>.tls` variants), so they are made while earlier scenarios run.
 */
export function prefetchCertificates(
  certs: CertificateSource,
  config: Config,
  topology: Topology,
  runs: readonly PlannedRun[],
): Promise<void> {
  const kinds = new Set<'trusted' | 'untrusted'>();
  if (defaultHostTls(config) === 'trusted' || labCaNeeded(config)) kinds.add('trusted');
  for (const r of runs) for (const h of Object.values(r.hosts)) if (h.tls && h.tls !== 'none') kinds.add(h.tls);
  const names = labTlsNames(topology);
  return Promise.all([certs.gateway(), ...[...kinds].map((k) => certs.lab(k, names))]).then(() => undefined);
}

/** Real time a scenario may wait for the queue to settle before it fails. */
const IDLE_WATCHDOG_MS = 30_000;

export interface LabOptions {
  config: Config;
  /** Silence the relay's log lines (default: collected in memory). */
  onLog?: (line: string) => void;
  /**
   * Where the gateway's self-signed pair and the lab's certificates come from (verify: a thread
   * that made them while the lab was imported). Without one they are made in this thread when
   * needed (the relay its own pair, as `ksmg-setup relay` does).
   */
  certificates?: CertificateSource;
  /** buildTopology(config), when the caller has it already (verify plans with it first). */
  topology?: Topology;
}

export class Lab {
  readonly clock = new ManualClock();
  readonly topology: Topology;
  readonly dns: LabDns;
  readonly sinks = new Map<string, SmtpSink>();
  readonly routeMap: RouteMap = new Map();
  readonly log: string[] = [];
  relay!: RelayHandle;
  queue!: QueueManager;
  private spoolDir = '';
  private scanPool: ScanPool | null = null;
  private deadPort = 0;
  private baseRoutes = new Map<string, { host: string; port: number }>();
  /** Hosts started again with another STARTTLS offer for a scenario (host id → mode → sink). */
  private readonly tlsVariants = new Map<string, Map<LabHostTls, SmtpSink>>();
  /** Which variant a host's addresses lead to in the current scenario. */
  private readonly activeVariant = new Map<string, SmtpSink>();
  private readonly defaultTls: LabHostTls;

  private constructor(
    readonly config: Config,
    private readonly opts: LabOptions,
  ) {
    this.topology = opts.topology ?? buildTopology(config);
    this.defaultTls = defaultHostTls(config);
    this.dns = new LabDns({ zone: this.topology.zone, fallback: this.topology.fallback });
  }

  static async start(opts: LabOptions): Promise<Lab> {
    const lab = new Lab(opts.config, opts);
    try {
      await lab.boot();
    } catch (e) {
      await lab.close();
      throw e;
    }
    return lab;
  }

  private async boot(): Promise<void> {
    this.scanPool = labScanPool();
    const certs = this.opts.certificates;
    // The gateway's pair is asked for first: its thread works while the hosts start.
    const gateway = certs?.gateway();
    gateway?.catch(() => undefined);
    await this.dns.start();
    // The certificate the hosts offer by default (and the relay trusts) is in this thread before a sink needs it.
    if (certs && (this.defaultTls === 'trusted' || labCaNeeded(this.config))) await this.certificate('trusted');
    for (const host of this.topology.hosts) {
      const sink = await this.startSink(host, this.defaultTls);
      this.sinks.set(host.id, sink);
      for (const a of host.addresses) this.routeMap.set(routeKey(a, host.port), { host: '127.0.0.1', port: sink.port });
      for (const n of host.names) this.routeMap.set(routeKey(n, host.port), { host: '127.0.0.1', port: sink.port });
    }
    this.baseRoutes = new Map(this.routeMap);
    // A port nothing listens on: "dead" hosts point here (connection refused).
    this.deadPort = await freeTcpPort();

    this.spoolDir = await mkdtemp(join(tmpdir(), 'ksmg-lab-'));
    // The lab's certificate stands in for mta.tls.caFile (generated only when `verify` is in use).
    const caFile = join(this.spoolDir, 'lab-ca.pem');
    if (labCaNeeded(this.config)) await writeFile(caFile, labCa(this.tlsNames()));
    let relayConfig = labRelayConfig(this.config, caFile);
    // mailauth (≈ 0.2 s of CPU to load) is loaded by the first scan that authenticates a sender in
    // this thread; loaded now, it fills the wait for the gateway's pair and the scan thread.
    if (authenticatesInThisThread(this.config)) void loadMailauth().catch(() => undefined);
    const pair = await gateway;
    if (pair) {
      // The pair the relay would make for itself (same maker, same names), handed over as the
      // files mta.tls.certFile/keyFile name: the relay reads and checks them as it reads an admin's.
      const certFile = join(this.spoolDir, 'gateway-cert.pem');
      const keyFile = join(this.spoolDir, 'gateway-key.pem');
      await Promise.all([writeFile(certFile, pair.cert), writeFile(keyFile, pair.key, { mode: 0o600 })]);
      relayConfig = { ...relayConfig, mta: { ...relayConfig.mta, tls: { ...relayConfig.mta.tls, certFile, keyFile } } };
    }
    // Started as `ksmg-setup relay --listen 127.0.0.1:0 --xclient-from 127.0.0.1 --dns <lab DNS>
    // --route-map …` starts it (one function for both); the lab adds lab time, its log sink and
    // no connection cache between scenarios.
    const service = await startRelayService({
      config: relayConfig,
      listen: { host: HARNESS_ADDRESS, port: 0 },
      spoolDir: this.spoolDir,
      xclientFrom: [HARNESS_ADDRESS],
      dnsServer: this.dns.server127,
      dnsTimeoutMs: 2000,
      dnsTries: 1,
      routeMap: this.routeMap,
      scan: true,
      shutdownGraceMs: 1000,
      clock: this.clock,
      logger: {
        info: (line: string) => {
          this.log.push(line);
          this.opts.onLog?.(line);
        },
      },
      connectionCacheMs: 0,
    });
    this.relay = service;
    this.queue = service.queue;
  }

  /**
   * Resolves when the queue has nothing in progress and nothing due before its next timer. A
   * wall-clock watchdog turns a hung delivery into a scenario failure instead of a hung `verify`.
   */
  async idle(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the relay's queue did not become idle within ${IDLE_WATCHDOG_MS / 1000} s (a delivery is hanging)`)),
        IDLE_WATCHDOG_MS,
      );
      timer.unref();
    });
    try {
      await Promise.race([this.queue.whenIdle(), watchdog]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Every name and address of the lab's hosts: what the lab's certificates name. */
  private tlsNames(): string[] {
    return labTlsNames(this.topology);
  }

  /** The lab's certificate of this kind, from the certificate source when there is one (else made when first used). */
  private async certificate(kind: 'trusted' | 'untrusted'): Promise<void> {
    const certs = this.opts.certificates;
    if (certs) rememberLabCertificate(this.tlsNames(), kind, await certs.lab(kind, this.tlsNames()));
  }

  private async startSink(host: LabHost, tls: LabHostTls): Promise<SmtpSink> {
    const sink = new SmtpSink({
      id: host.id,
      hostname: host.names[0] ?? `${host.id.replace(/[^a-z0-9.-]/gi, '-')}.lab.example`,
      now: () => this.clock.now(),
      tls: sinkTls(tls, this.tlsNames()),
    });
    sink.setUsers(host.users);
    await sink.start();
    return sink;
  }

  /** The sink a host's addresses lead to now (a scenario's TLS variant, or the host's own). */
  activeSink(host: LabHost): SmtpSink {
    return this.activeVariant.get(host.id) ?? this.sinks.get(host.id)!;
  }

  /** Every sink that stands for a host (its own and its TLS variants): where its mail may be. */
  sinksOf(hostId: string): SmtpSink[] {
    return [this.sinks.get(hostId)!, ...(this.tlsVariants.get(hostId)?.values() ?? [])];
  }

  /** For this scenario the host offers STARTTLS as `mode` says (a sink of its own, started once). */
  async useTls(host: LabHost, mode: LabHostTls): Promise<void> {
    if (mode === this.defaultTls) return;
    let variants = this.tlsVariants.get(host.id);
    if (!variants) this.tlsVariants.set(host.id, (variants = new Map()));
    let sink = variants.get(mode);
    if (!sink) {
      if (mode !== 'none') await this.certificate(mode);
      variants.set(mode, (sink = await this.startSink(host, mode)));
    }
    this.activeVariant.set(host.id, sink);
    for (const a of host.addresses) this.routeMap.set(routeKey(a, host.port), { host: '127.0.0.1', port: sink.port });
    for (const n of host.names) this.routeMap.set(routeKey(n, host.port), { host: '127.0.0.1', port: sink.port });
  }

  /** Moves lab time forward, letting every delivery a timer starts finish before the next timer. */
  async advance(ms: number): Promise<void> {
    await this.clock.advance(ms, () => this.idle());
    await this.idle();
  }

  /** Messages still in the spool (deferred). */
  async queued(): Promise<number> {
    return (await this.relay.spool.ids()).length;
  }

  /** Lets every queued message reach its end (delivered or bounced after the queue lifetime). */
  async drain(): Promise<void> {
    const adv = this.config.mta.advanced;
    for (let i = 0; i < 3 && (await this.queued()) > 0; i++) {
      await this.advance((adv.maximalQueueLifetime + adv.maximalBackoff + adv.queueRunDelay) * 1000 + 1000);
    }
  }

  /** Hosts a scenario selector names: a role (internal, edge, internet), a host id, name or address. */
  selectHosts(selector: string): LabHost[] {
    const s = selector.toLowerCase();
    return this.topology.hosts.filter(
      (h) => h.role === s || h.id.toLowerCase() === s || h.names.includes(s) || h.addresses.map((a) => a.toLowerCase()).includes(s),
    );
  }

  makeDead(host: LabHost): void {
    for (const a of host.addresses) this.routeMap.set(routeKey(a, host.port), { host: '127.0.0.1', port: this.deadPort });
    for (const n of host.names) this.routeMap.set(routeKey(n, host.port), { host: '127.0.0.1', port: this.deadPort });
  }

  /** Back to the config's picture: transactions, canned replies, user overrides, DNS additions, routes. */
  reset(): void {
    for (const host of this.topology.hosts) {
      for (const sink of this.sinksOf(host.id)) {
        sink.reset();
        sink.setUsers(host.users);
      }
    }
    this.activeVariant.clear();
    this.dns.reset();
    this.routeMap.clear();
    for (const [k, v] of this.baseRoutes) this.routeMap.set(k, v);
  }

  async close(): Promise<void> {
    await this.relay?.close().catch(() => undefined);
    await this.scanPool?.close();
    const variants = [...this.tlsVariants.values()].flatMap((m) => [...m.values()]);
    await Promise.all([...this.sinks.values(), ...variants].map((s) => s.close().catch(() => undefined)));
    await this.dns.close();
    if (this.spoolDir) await rm(this.spoolDir, { recursive: true, force: true });
  }
}
