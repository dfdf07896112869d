// The classic open-relay probes (nmap smtp-open-relay.nse, 16 forms) plus four gateway forms,
// reference/postfix-and-peers.md §3. `srv` = the banner host name, `ip` = the gateway's address,
// `ext` = a third-party domain, `local` = a local domain.
export interface RelayProbe {
  n: number;
  what: string;
  from: string;
  to: string;
}

export function openRelayForms(p: { srv: string; ip: string; ext: string; local: string; thirdPartyIp: string }): RelayProbe[] {
  const { srv, ip, ext, local } = p;
  const lit = `[${ip}]`;
  const probes: Array<[string, string, string]> = [
    ['null sender to a third party', '<>', `<relaytest@${ext}>`],
    ['third-party sender', `<antispam@${ext}>`, `<relaytest@${ext}>`],
    ['spoofed local sender', `<antispam@${srv}>`, `<relaytest@${ext}>`],
    ['sender at our address literal', `<antispam@${lit}>`, `<relaytest@${ext}>`],
    ['percent hack at our literal', `<antispam@${lit}>`, `<relaytest%${ext}@${lit}>`],
    ['percent hack at our host name', `<antispam@${lit}>`, `<relaytest%${ext}@${srv}>`],
    ['quoted address', `<antispam@${lit}>`, `<"relaytest@${ext}">`],
    ['quoted percent hack', `<antispam@${lit}>`, `<"relaytest%${ext}">`],
    ['double @ with our literal', `<antispam@${lit}>`, `<relaytest@${ext}@${lit}>`],
    ['quoted address at our literal', `<antispam@${lit}>`, `<"relaytest@${ext}"@${lit}>`],
    ['double @ with our host name', `<antispam@${lit}>`, `<relaytest@${ext}@${srv}>`],
    ['source route via our literal', `<antispam@${lit}>`, `<@${lit}:relaytest@${ext}>`],
    ['source route via our host name', `<antispam@${lit}>`, `<@${srv}:relaytest@${ext}>`],
    ['bang path', `<antispam@${lit}>`, `<${ext}!relaytest>`],
    ['bang path at our literal', `<antispam@${lit}>`, `<${ext}!relaytest@${lit}>`],
    ['bang path at our host name', `<antispam@${lit}>`, `<${ext}!relaytest@${srv}>`],
    ['percent hack at a local domain (backup-MX loophole)', `<antispam@${ext}>`, `<user%${ext}@${local}>`],
    ['quoted address at a local domain', `<antispam@${ext}>`, `<"user@${ext}"@${local}>`],
    ['trailing dot', `<antispam@${ext}>`, `<user@${ext}.>`],
    ['third-party address literal', `<antispam@${ext}>`, `<user@[${p.thirdPartyIp}]>`],
  ];
  return probes.map(([what, from, to], i) => ({ n: i + 1, what, from, to }));
}
