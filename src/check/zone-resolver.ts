// The lab's DNS picture (topology zone + "internet" fallback) answered from memory, with the
// same NXDOMAIN / NODATA semantics as the lab DNS server, so `check` decides exactly as the lab
// relay would without starting a DNS server or asking a real one.
import type { Topology } from '../lab/topology.js';
import type { ZoneEntry } from '../lab/dns.js';
import { DnsError, type MxRecord, type Resolver } from '../relay/resolver.js';

export function zoneResolver(topology: Pick<Topology, 'zone' | 'fallback'>): Resolver {
  const lookup = (name: string): ZoneEntry | null => {
    const n = name.toLowerCase().replace(/\.$/, '');
    return topology.zone.get(n) ?? topology.fallback(n);
  };
  const records =
    <T>(type: string, pick: (e: ZoneEntry) => T[] | undefined) =>
    async (name: string): Promise<T[]> => {
      const entry = lookup(name);
      if (!entry) throw new DnsError('nxdomain', name, type);
      const list = pick(entry) ?? [];
      if (!list.length) throw new DnsError('nodata', name, type);
      return list;
    };
  return {
    resolveMx: records<MxRecord>('MX', (e) => e.MX?.map((m) => ({ exchange: m.exchange === '.' ? '' : m.exchange, priority: m.priority }))),
    resolve4: records<string>('A', (e) => e.A),
    resolve6: records<string>('AAAA', (e) => e.AAAA),
    resolveTxt: records<string[]>('TXT', (e) => e.TXT?.map((t) => [t])),
  };
}
