// Recipient verification for `check`: the relay's own CalloutVerifier, pointed at the lab's
// simulated internal servers (their users come from lab.users or the lab's defaults). The sinks
// start only when a recipient actually needs a callout, so most checks open no socket at all.
import type { Config } from '../config/schema.js';
import { SmtpSink } from '../lab/sink.js';
import type { Topology } from '../lab/topology.js';
import type { Clock } from '../relay/clock.js';
import { routeKey, type RouteMap } from '../relay/delivery/route-map.js';
import type { Resolver } from '../relay/resolver.js';
import { CalloutVerifier, type VerifyResult } from '../relay/verify.js';

export interface CalloutHosts {
  verify(address: string): Promise<VerifyResult | null>;
  close(): Promise<void>;
}

export function startCalloutHosts(config: Config, topology: Topology, resolver: Resolver, clock: Clock): CalloutHosts {
  let sinks: SmtpSink[] | null = null;
  let verifier: CalloutVerifier | null = null;
  const start = async (): Promise<CalloutVerifier> => {
    const routeMap: RouteMap = new Map();
    sinks = [];
    for (const host of topology.hosts.filter((h) => h.role === 'internal')) {
      const sink = new SmtpSink({ id: host.id, hostname: host.names[0] ?? 'internal.lab.example', now: () => clock.now() });
      sink.setUsers(host.users);
      await sink.start();
      sinks.push(sink);
      for (const a of [...host.addresses, ...host.names]) routeMap.set(routeKey(a, host.port), { host: '127.0.0.1', port: sink.port });
    }
    return new CalloutVerifier({ config, resolver, routeMap, clock, waitMs: 5000, connectTimeoutMs: 2000, commandTimeoutMs: 5000 });
  };
  return {
    async verify(address) {
      try {
        verifier ??= await start();
        return await verifier.verify(address);
      } catch {
        return null; // verify(8) unavailable: "address verification problem"
      }
    },
    async close() {
      await Promise.all((sinks ?? []).map((s) => s.close()));
    },
  };
}
