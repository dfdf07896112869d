// The English catalogue: the reference set of message ids (cs.ts must have exactly these).
// `{name}` is a parameter as given, `{name:number}` a number in the locale's format; an object
// is plural forms picked by the `count` parameter. Web-UI labels are not here: they live in the
// one web-UI table, src/audit/ui.ts, with both languages.
import { cliEn } from './cli-en.js';
import { configEn } from './config-en.js';
import { wizardEn } from './wizard-en.js';

export const en = {
  // ── runbook: scheme titles and layout ─────────────────────────────────────────────────────
  'runbook.scheme.edge': 'KSMG is the edge gateway (direct integration)',
  'runbook.scheme.behind-edge-verify': 'behind an edge gateway that verifies recipients',
  'runbook.scheme.behind-edge-no-verify': 'behind an edge gateway that does not verify recipients',
  'runbook.title': 'KSMG web-UI runbook for {file}: {scheme} (KSMG {version})',
  'runbook.auditNote': {
    one: 'Note: {file} has {count} audit error; these steps apply it as written. Run `ksmg-setup audit --config {file}` first.\n',
    other: 'Note: {file} has {count} audit errors; these steps apply it as written. Run `ksmg-setup audit --config {file}` first.\n',
  },
  'runbook.where': 'Where:',
  'runbook.why': 'Why:',
  'runbook.save': 'Save.',
  'runbook.on': 'on',
  'runbook.off': 'off',
  // ── runbook: domains ──────────────────────────────────────────────────────────────────────
  'runbook.hop.mx': '{host}, port {port}, "{useMx}" ticked',
  'runbook.hop.noMx': '{host}, port {port}, "{useMx}" not ticked',
  'runbook.domains.localOn': 'turn ON "{local}"',
  'runbook.domains.localOff': 'leave "{local}" OFF',
  'runbook.domains.route': 'routing: deliver to {hop}',
  'runbook.domains.routeDns': 'routing: by DNS (no manual route)',
  'runbook.domains.add': 'Click "{addDomain}", enter {name}, {local}; {route}. Save.',
  'runbook.domains.none':
    'No domains are listed in ksmg.yaml: add your mail domains to mta.domains first (KSMG accepts no mail for internal servers without a local domain).',
  'runbook.domains.title': 'Add the local domains',
  // ── runbook: outgoing TLS (Domains > TLS mode for outgoing mail; TLS Encryption for the default) ──
  // The Domains page's exact field label and the "verify" option's label are not in the stored
  // KSMG help [GAP]: the levels are named as on the TLS Encryption page, verify described.
  'runbook.tls.level.none': '"No TLS" (none)',
  'runbook.tls.level.may': '"Attempt TLS" (may)',
  'runbook.tls.level.encrypt': '"Require TLS" (encrypt)',
  'runbook.tls.level.verify': '"Require TLS" with the server certificate verified (verify)',
  'runbook.tls.domain': 'Open {name} and set its TLS mode for outgoing mail to {level}. Save.',
  'runbook.tls.domainViaRelayhost':
    'Open {name} and set its TLS mode for outgoing mail to {level}; note: {name} has no route, its mail goes through the edge gateway, whose TLS level applies instead. Save.',
  'runbook.tls.default':
    'In {where}, set the outgoing (client) TLS security level to {level}: it applies to every next hop without a domain mode. Save.',
  'runbook.domains.why':
    'KSMG accepts mail from untrusted sources (the internet, the edge gateway) only for local domains; each subdomain that receives mail needs its own entry.',
  // ── runbook: destination ──────────────────────────────────────────────────────────────────
  'runbook.destination.chooseEdge': 'In "{destination}" choose "{sendViaEdge}".',
  'runbook.destination.edgeMx': 'Enter the edge gateway address {host} and port {port}; tick "{useMx}".',
  'runbook.destination.edgeNoMx': 'Enter the edge gateway address {host} and port {port}; leave "{useMx}" unticked.',
  'runbook.destination.edgeMissing': 'Enter the edge gateway address and port (missing in ksmg.yaml: set mta.destination.host).',
  'runbook.destination.dns': 'In "{destination}" keep delivery by DNS: KSMG looks up the MX records of each recipient domain.',
  'runbook.destination.routedDomains': 'Domains with their own route (step 1) are delivered there instead.',
  'runbook.destination.checkNames': 'Check {hostnameLabel} ({hostname}) and {domainLabel} ({domain}).',
  'runbook.destination.sizeLimit': 'Set "{sizeLabel}" to {size} bytes.',
  'runbook.destination.sizeUnlimited': 'Set "{sizeLabel}" to 0 bytes (0 = unlimited).',
  'runbook.destination.titleEdge': 'Send outgoing mail via the edge gateway',
  'runbook.destination.titleDns': 'Deliver outgoing mail by DNS',
  'runbook.destination.whyEdge': 'KSMG passes all mail for other domains to this address (relayhost).',
  // ── runbook: trusted networks ─────────────────────────────────────────────────────────────
  'runbook.trusted.add': 'In "{trusted}" enter {network} and click "{add}".',
  'runbook.trusted.none':
    'No trusted networks are listed in ksmg.yaml: add the internal mail servers (mta.trustedNetworks), or outgoing mail stops.',
  'runbook.trusted.title': 'Add the trusted networks',
  'runbook.trusted.why':
    'Hosts in trusted networks (as a rule the internal mail servers) may send mail out through KSMG; recipient verification is not applied to them.',
  // ── runbook: external services ────────────────────────────────────────────────────────────
  'runbook.external.switch': '"{label}": {state}.',
  'runbook.external.titleBehind': 'Turn off SPF and DMARC checks',
  'runbook.external.titleEdge': 'Check sender authentication (SPF, DKIM, DMARC)',
  'runbook.external.whyBehind':
    'Behind an edge gateway the sender KSMG sees is the edge gateway, so SPF and DMARC would fail for legitimate mail (seed step 4).',
  'runbook.external.whyEdge': 'As the edge gateway KSMG sees the real sending servers, so sender authentication works here.',
  // ── runbook: rules ────────────────────────────────────────────────────────────────────────
  'runbook.rules.ruleState': 'General: turn the rule {state}',
  'runbook.rules.mode': 'General: set the mode to "{mode}"',
  'runbook.rules.moduleState': '{module}: turn the module {state}',
  'runbook.rules.action': '{module}: for "{what}" choose "{action}"',
  'runbook.rules.create':
    'Create rule "{name}" at position {position} of {total} (the first matching rule wins): senders {senders}; recipients {recipients}.',
  'runbook.rules.change': 'Rule "{name}" > {change}.',
  'runbook.rules.keep': 'Keep the rules as they are (KSMG defaults).',
  'runbook.rules.saveEach': 'Save each rule.',
  'runbook.rules.titleBehind': 'Replace {reject} with {deleteMessage} in the rules',
  'runbook.rules.titleEdge': 'Adjust the message processing rules',
  'runbook.rules.whyBehind':
    'A reject behind an edge gateway makes the edge gateway send non-delivery reports to (often forged) senders (seed step 5).',
  // ── runbook: recipient verification ───────────────────────────────────────────────────────
  'runbook.recipients.choose': 'In "{field}" choose "{mode}".',
  'runbook.recipients.rejectCode': 'Reject code for unverified recipients: {code}.',
  'runbook.recipients.valid': 'Add the valid recipient {recipient}.',
  'runbook.recipients.validDomain': 'Add the valid recipient {recipient} (the whole domain).',
  'runbook.recipients.title': 'Set recipient verification',
  'runbook.recipients.why.edge':
    'Without verification KSMG accepts mail for nonexistent addresses and the internal server bounces it (backscatter).',
  'runbook.recipients.why.behind-edge-verify':
    "The edge gateway asks KSMG whether a recipient exists; KSMG passes on the internal server's answer.",
  'runbook.recipients.why.behind-edge-no-verify':
    'The edge gateway has already accepted the message, so a reject from KSMG would only produce non-delivery reports (seed step 6).',
  // ── runbook: advanced settings, message processing ────────────────────────────────────────
  'runbook.advanced.field': '"{label}": {value} (KSMG default {default}).',
  'runbook.advanced.notInUiItem': '"{label}" {value}',
  'runbook.advanced.notInUi':
    'Nothing to enter for {fields}: only the KSMG 1.1 console has these fields (`ksmg-setup runbook --ksmg-version 1.1`); KSMG 2.x manages its queue timing itself.',
  'runbook.advanced.title': 'Change the advanced MTA settings that differ from the defaults',
  'runbook.processing.xHeadersOff': 'Turn off "{label}".',
  'runbook.processing.ndrOff': 'Turn off "{label}".',
  'runbook.processing.title': 'Message processing',
  // ── runbook: values ───────────────────────────────────────────────────────────────────────
  'runbook.unit.s': { one: '{count} second', other: '{count} seconds' },
  'runbook.unit.m': { one: '{count} minute', other: '{count} minutes' },
  'runbook.unit.h': { one: '{count} hour', other: '{count} hours' },
  'runbook.unit.d': { one: '{count} day', other: '{count} days' },
  'runbook.value.inSeconds': '{main} ({seconds} seconds)',
  'runbook.value.yes': 'Yes (on)',
  'runbook.value.no': 'No (off)',
  'runbook.value.none': '(none)',
  'runbook.value.empty': '(empty)',
  'runbook.value.unlimited': '0 (unlimited)',
  // ── runbook --since: only the changes ─────────────────────────────────────────────────────
  'runbook.changes.deleteDomain': 'Delete the domain {name}.',
  'runbook.changes.removeNetwork': 'In "{trusted}" remove {network}.',
  'runbook.changes.removeRecipient': 'Remove the valid recipient {recipient}.',
  'runbook.changes.backToDefaultsTitle': '{title}: back to the KSMG defaults',
  'runbook.changes.backToDefaults': 'Set the fields listed in the previous runbook back to their KSMG defaults.',
  'runbook.changes.nothing': 'Nothing to change in the KSMG web interface: the settings it holds are the same as before.\n',
  // ── audit findings: sender authentication (seed step 4) ───────────────────────────────────
  'finding.sender-auth.spf-behind-edge.message':
    "Use SPF is on, but behind an edge gateway every message reaches KSMG from the edge gateway's address, so the check compares the edge gateway's IP with the sender domain's SPF record and fails for legitimate external senders. That raises Anti-Spam ratings and, with Mail Sender Authentication on in a rule, triggers its actions (seed step 4).",
  'finding.sender-auth.spf-behind-edge.fix':
    'Turn off "Use SPF" (protection.spf: false). The edge gateway, which sees the real sender, should check SPF.',
  'finding.sender-auth.dmarc-behind-edge.message':
    "Use DMARC is on, but DMARC relies on the SPF and DKIM results, and behind an edge gateway SPF checks the edge gateway's address instead of the real sender's, so DMARC fails for legitimate senders without DKIM signatures (seed step 4).",
  'finding.sender-auth.dmarc-behind-edge.fix': 'Turn off "Use DMARC" (protection.dmarc: false). The edge gateway should check DMARC.',
  'finding.sender-auth.spf-off-edge.message.dnsOff':
    '"Allow connection to DNS server" is off, which turns off SPF, DKIM and DMARC. As the edge gateway, KSMG is the only place that sees the sending server\'s real address, so forged senders of your own and other domains pass unchecked.',
  'finding.sender-auth.spf-off-edge.message.spfOff':
    "Use SPF is off (and with it DMARC). As the edge gateway, KSMG is the only place that sees the sending server's real address, so forged senders of your own and other domains pass unchecked.",
  'finding.sender-auth.spf-off-edge.fix.dnsOff': 'Turn on "Allow connection to DNS server" and "Use SPF".',
  'finding.sender-auth.spf-off-edge.fix.spfOff': 'Turn on "Use SPF" (protection.spf: true).',
  'finding.sender-auth.dmarc-off-edge.message.dkimOff':
    'Use DKIM is off, which also turns off DMARC: messages that forge your domain in the From: header pass unchecked.',
  'finding.sender-auth.dmarc-off-edge.message.dmarcOff':
    "Use DMARC is off: messages that forge a protected domain in the From: header pass unchecked, and the domain owners' DMARC policies are ignored.",
  'finding.sender-auth.dmarc-off-edge.fix.dkimOff': 'Turn on "Use DKIM" and "Use DMARC".',
  'finding.sender-auth.dmarc-off-edge.fix.dmarcOff': 'Turn on "Use DMARC" (protection.dmarc: true).',
  // ── audit findings: recipient verification (seed step 6), BCC ─────────────────────────────
  'finding.recipients.verification-behind-edge-no-verify.message':
    '"{field}" is "{mode}", but in this scheme the edge gateway does not verify recipients and has already accepted every message when it reaches KSMG: KSMG\'s reject makes the edge gateway send non-delivery reports instead (seed step 6 says "{none}").',
  'finding.recipients.verification-behind-edge-no-verify.fix': 'Choose "{none}" (recipientVerification: none).',
  'finding.recipients.no-verification-edge.message':
    '"{field}" is "{none}": as the edge gateway KSMG accepts mail for addresses that do not exist, and the internal server then sends non-delivery reports to the (often forged) senders: backscatter that can put your servers on block lists (seed 004).',
  'finding.recipients.no-verification-edge.fix':
    'Choose "{unverified}" (recipientVerification: reject-unverified), or a valid recipient list (reject-unlisted with validRecipients).',
  'finding.recipients.edge-probe-unanswered.message':
    'In this scheme the edge gateway verifies recipients by asking KSMG, but with "{none}" KSMG accepts every address, so the edge gateway cannot tell that a recipient does not exist, and mail for unknown users is bounced later to the (often forged) sender: backscatter. (Inferred: the vendor page lists only the first steps of this scheme.)',
  'finding.recipients.edge-probe-unanswered.fix':
    'Consider "{unverified}" (reject-unverified), so KSMG passes on the internal server\'s answer to the edge gateway\'s probe.',
  'finding.recipients.unlisted-empty.message':
    '"{field}" is "{unlisted}", but the list is empty: either every recipient is refused, or (as in Postfix, where an empty relay_recipient_maps turns the check off) none is checked. Neither is what the setting is for.',
  'finding.recipients.unlisted-empty.fix':
    'List the valid recipients (user@domain, or @domain for a whole domain), or choose another verification mode.',
  'finding.recipients.unlisted-no-postmaster.message':
    'postmaster@{domain} is not in the valid recipient list, so mail to it is refused with 550 5.1.1 "User unknown in relay recipient table"; every domain must accept mail for postmaster (RFC 5321).',
  'finding.recipients.unlisted-no-postmaster.fix': 'Add postmaster@{domain} (or @{domain} for the whole domain) to validRecipients.',
  'finding.bcc.invalid.message':
    'The BCC address for all messages, "{bcc}", is not a valid e-mail address: every message would produce an undeliverable copy.',
  'finding.bcc.invalid.fix': 'Enter a full address such as archive@corp.example, or remove it (alwaysBcc: null).',
  // ── audit findings: local domains (seed step 1) ───────────────────────────────────────────
  'finding.domains.no-local.message.none':
    'No local domain is listed, so KSMG accepts no mail for the internal mail servers: mail from untrusted sources (the edge gateway, the internet) to your domains is rejected as relaying.',
  'finding.domains.no-local.message.notLocal': {
    one: 'None of the {count} listed domain is marked local, so KSMG accepts no mail for the internal mail servers: mail from untrusted sources (the edge gateway, the internet) to your domains is rejected as relaying.',
    other:
      'None of the {count} listed domains are marked local, so KSMG accepts no mail for the internal mail servers: mail from untrusted sources (the edge gateway, the internet) to your domains is rejected as relaying.',
  },
  'finding.domains.no-local.fix':
    'Add each mail domain and each subdomain that receives mail with local: true (web UI: Add domain, turn on "Local domain", Save).',
  'finding.domains.duplicate.message':
    'Domain "{name}" is listed twice (mta.domains[{first}] and mta.domains[{second}]). The web UI keeps one entry per domain, and the two entries\' Local switches or routes may disagree.',
  'finding.domains.duplicate.fix': 'Keep one entry for {name} and merge the settings of both into it.',
  'finding.domains.subdomain.message':
    '"{name}" is a subdomain of the listed domain "{parent}". KSMG matches domains exactly, so the subdomain needs its own entry (as it has); its Local switch and route are not inherited from the parent.',
  'finding.domains.subdomain.fix': 'Check that the Local switch and route of {name} are what you intend.',
  'finding.domains.no-route.message.relayhost':
    'Local domain {name} has no route, so KSMG passes its mail to the {gateway} {host} like all other mail, and the {gateway} sends it back to KSMG: a mail loop.',
  'finding.domains.no-route.message.dns':
    'Local domain {name} has no route, so KSMG delivers its mail by DNS. Its public MX record points at KSMG itself (it is the edge gateway), so the mail loops unless internal DNS answers with the internal server.',
  'finding.domains.no-route.fix': 'Add a route for {name} to the internal mail server, e.g. route: { host: 10.0.0.25, port: 25 }.',
  'finding.domains.gateway.smarthost': 'smarthost (the relayhost)',
  'finding.domains.gateway.edge': 'edge gateway',
  // ── audit findings: rules (seed step 5) ───────────────────────────────────────────────────
  'finding.rules.backscatter':
    'Behind an edge gateway a reject reaches the edge gateway after it has already accepted the message, so the edge gateway sends a non-delivery report to the sender, who is often forged: backscatter (seed step 5).',
  'finding.rules.reject-behind-edge.mode.message': 'Rule "{name}" is set to "{rejectMode}". {backscatter}',
  'finding.rules.reject-behind-edge.mode.fix': 'Set the mode of rule "{name}" to "{deleteMode}" (mode: delete).',
  'finding.rules.reject-behind-edge.action.message': 'Rule "{name}": the {module} action for {what} is {reject}. {backscatter}',
  'finding.rules.reject-behind-edge.action.fix': 'Set it to {deleteMessage} ({key}: delete-message).',
  'finding.rules.inactive-reject-behind-edge.message': {
    one: 'Rule "{name}": {module} is off, but its action for {labels} is {reject}. If the module is turned on later, these rejects cause backscatter from the edge gateway.',
    other:
      'Rule "{name}": {module} is off, but its actions for {labels} are {reject}. If the module is turned on later, these rejects cause backscatter from the edge gateway.',
  },
  'finding.rules.inactive-reject-behind-edge.fix': 'Set {keys} to delete-message now, so turning the module on is safe.',
  'finding.rules.duplicate-name.message':
    'Two rules are named "{name}" (rules[{first}] and rules[{second}]); in the web UI, the runbook and the X-KSMG-Rule-ID headers they cannot be told apart.',
  'finding.rules.duplicate-name.fix': 'Rename one of them, or merge them into one rule.',
  'list.and': '{items} and {last}',
  'list.quoted': '"{item}"',
  // ── audit findings: advanced MTA settings ─────────────────────────────────────────────────
  'finding.advanced.greeting-hostname.message':
    'The SMTP greeting text "{greeting}" does not start with $myhostname. The 220 greeting must begin with the server\'s own name (RFC 5321; Postfix: "You MUST specify $myhostname at the start"), and some senders treat a greeting without it as a protocol error.',
  'finding.advanced.greeting-hostname.fix': 'Start the greeting with $myhostname, e.g. "$myhostname ESMTP MTA" (the KSMG default).',
  // ── audit findings: destination, loops (seed step 2) ──────────────────────────────────────
  'finding.destination.not-edge-gateway.message':
    'In the {scheme} scheme KSMG must pass all outgoing mail to the edge gateway, but Email destination address is set to DNS (direct MX delivery): outgoing mail would bypass the edge gateway.',
  'finding.destination.not-edge-gateway.fix':
    'Choose "Send via edge gateway" (mta.destination.mode: edge-gateway) and enter the edge gateway\'s address and port.',
  'finding.destination.no-host.message':
    'Email destination address is "Send via edge gateway", but no edge gateway address (relayhost) is given, so KSMG has nowhere to send mail for other domains.',
  'finding.destination.no-host.fix': "Set mta.destination.host to the edge gateway's IPv4/IPv6 address or name, and its port (usually 25).",
  'finding.destination.mx-lookup-ip.message':
    '"Use MX lookup" is on for the edge gateway address {host}, which is an IP address; an IP address has no MX records (the web UI offers the checkbox only for a domain name).',
  'finding.destination.mx-lookup-ip.fix':
    'Turn off MX lookup (mxLookup: false), or enter the edge gateway as a domain name whose MX records point at it.',
  'finding.destination.mx-lookup-ip.route.message':
    'The route of {domain} uses MX lookup for {host}, which is an IP address and has no MX records.',
  'finding.destination.mx-lookup-ip.route.fix':
    'Turn off MX lookup for this route (mxLookup: false), or give the next hop as a domain name.',
  'finding.loop.relayhost-self.message':
    'The edge gateway address {host} is this KSMG server itself (host name {hostname}): every outgoing message would be sent back to KSMG, a mail loop, until it bounces with "mail for {hostname} loops back to myself".',
  'finding.loop.relayhost-self.fix': 'Enter the address of the edge gateway, not of KSMG.',
  'finding.loop.route-self.message':
    'Mail for {domain} is routed to {host}, which is this KSMG server itself (host name {hostname}): a mail loop.',
  'finding.loop.route-self.fix': 'Route {domain} to the internal mail server that holds its mailboxes.',
  // ── audit findings: trusted networks (seed step 3) ────────────────────────────────────────
  'finding.networks.none.message':
    'No trusted networks are listed, so KSMG does not accept mail from the internal mail servers for delivery outside the organization: outgoing mail stops (seed step 3).',
  'finding.networks.none.fix': 'Add the addresses or networks of the internal mail servers, e.g. 10.0.0.25 or 10.0.0.0/24.',
  'finding.networks.open-relay.message.whole':
    'Trusted network "{network}" covers the whole internet: every host in it may relay mail through KSMG to any domain, which makes KSMG an open relay (trusted hosts also skip recipient verification and connection limits).',
  'finding.networks.open-relay.message.large':
    'Trusted network "{network}" covers a large part of the internet: every host in it may relay mail through KSMG to any domain, which makes KSMG an open relay (trusted hosts also skip recipient verification and connection limits).',
  'finding.networks.open-relay.fix': 'List only your own internal networks and mail servers, e.g. 10.0.0.0/24 or 10.0.0.25.',
  'finding.networks.wide-public.message.v4':
    'Trusted network "{network}" is a public range of {addresses} addresses; every host in it may relay through KSMG.',
  'finding.networks.wide-public.message.v6':
    'Trusted network "{network}" is a public range of /{prefix}; every host in it may relay through KSMG.',
  'finding.networks.wide-public.fix': 'Make sure every address in it belongs to you; otherwise list only your mail servers.',
  'finding.networks.edge-trusted.message.verify':
    'The edge gateway {host} is inside the trusted network "{network}". Mail from the internet arrives through the edge gateway, so KSMG would treat it like mail from your internal servers: relay it to any domain and skip recipient verification, which makes the edge gateway\'s recipient check always succeed. KSMG sends to the edge gateway; it does not need to trust it.',
  'finding.networks.edge-trusted.message.noVerify':
    'The edge gateway {host} is inside the trusted network "{network}". Mail from the internet arrives through the edge gateway, so KSMG would treat it like mail from your internal servers: relay it to any domain and skip recipient verification. KSMG sends to the edge gateway; it does not need to trust it.',
  'finding.networks.edge-trusted.fix.exact': 'Remove {host} from the trusted networks (list only the internal mail servers).',
  'finding.networks.edge-trusted.fix.inside':
    'Replace "{network}" by the internal mail servers and networks inside it, leaving out {host}.',
  'finding.networks.route-host-untrusted.message':
    'The internal mail server {host} (route of {domain}) is not in the trusted networks, so KSMG refuses its outgoing mail to other domains with "554 5.7.1 Relay access denied".',
  'finding.networks.route-host-untrusted.fix':
    'Add {host} (or its network) to the trusted networks, unless this server never sends mail out through KSMG.',
  // ── audit findings: queue timing ──────────────────────────────────────────────────────────
  'finding.queue.run-delay-above-minimal-backoff.message':
    'The deferred queue processing interval (queueRunDelay, {runDelay}) is longer than the minimum delivery interval for the deferred queue (minimalBackoff, {minimal}). Postfix advises minimal_backoff_time ≥ queue_run_delay: the queue is only scanned every {runDelayShort}, so a deferred message waits that long, not {minimalShort}, before its next attempt.',
  'finding.queue.run-delay-above-minimal-backoff.ksmgDefaults': ' These are the KSMG 1.1 defaults.',
  'finding.queue.run-delay-above-minimal-backoff.fix':
    'Set queueRunDelay to at most {minimalShort}, or raise minimalBackoff to at least {runDelayShort}.',
  'finding.queue.backoff-order.message':
    'The minimum delivery interval (minimalBackoff, {minimal}) is longer than the maximum (maximalBackoff, {maximal}); Postfix then retries every {maximalShort} and the minimum has no effect.',
  'finding.queue.backoff-order.fix': 'Make minimalBackoff smaller than maximalBackoff (KSMG defaults: 300s and 4000s).',
  'finding.queue.bounce-lifetime.message':
    'The queue lifetime for bounce messages (bounceQueueLifetime, {bounce}) is longer than for messages (maximalQueueLifetime, {maximal}); Postfix caps it at the message lifetime and logs a warning, so the longer value never applies.',
  'finding.queue.bounce-lifetime.fix': 'Set bounceQueueLifetime to at most {maximalShort}.',
  // ── audit findings: values that do not do what they seem to ───────────────────────────────
  'finding.networks.ipv4-mapped.message.network':
    'Trusted network "{network}" is the IPv4 network {v4} written as IPv6. KSMG (Postfix) matches IPv4 clients against IPv4 networks only, so this entry trusts nobody.',
  'finding.networks.ipv4-mapped.message.address':
    'Trusted network "{network}" is the IPv4 address {v4} written as IPv6. KSMG (Postfix) matches IPv4 clients against IPv4 networks only, so this entry trusts nobody.',
  'finding.writeAs': 'Write it as {v4}.',
  'finding.hosts.ipv4-mapped.message':
    '{what} "{host}" is the IPv4 address {v4} written as IPv6; the web UI expects {v4}, and an IPv4-only network has no IPv6 route to it.',
  'finding.hosts.ipv4-mapped.edge': 'The edge gateway address',
  'finding.hosts.ipv4-mapped.route': 'The route of {domain}',
  'finding.networks.redundant.message':
    'Trusted network "{network}" is already inside "{outer}", so the entry changes nothing. If only {network} should be trusted, it is "{outer}" that is too wide.',
  'finding.networks.redundant.fix': 'Remove {network}, or narrow {outer} to what should really be trusted.',
  'finding.recipients.valid-outside-local.message.notLocal':
    'The valid recipient {recipient} is not in a local domain ({domain} is listed but not local): KSMG refuses mail for it from untrusted sources as relaying before the list is consulted, so the entry has no effect.',
  'finding.recipients.valid-outside-local.message.notListed':
    'The valid recipient {recipient} is not in a local domain ({domain} is not listed): KSMG refuses mail for it from untrusted sources as relaying before the list is consulted, so the entry has no effect.',
  'finding.recipients.valid-outside-local.fix': 'Remove {recipient}, or add {domain} as a local domain if KSMG should accept its mail.',
  'finding.recipients.unlisted-whole-domain.message.rejects':
    '"{entry}" accepts every address of {domain}, so "{unlisted}" checks nothing there: mail for users that do not exist is accepted and bounced later by the internal server (backscatter), instead of being refused in the session.',
  'finding.recipients.unlisted-whole-domain.message.accepts':
    '"{entry}" accepts every address of {domain}, so "{unlisted}" checks nothing there: mail for users that do not exist is accepted and bounced later by the internal server.',
  'finding.recipients.unlisted-whole-domain.fix':
    'List the real addresses of {domain} instead, or choose "{unverified}" to ask the internal server.',
  'finding.limits.size-tiny.size': 'The message size limit is {bytes} bytes',
  'finding.limits.size-tiny.kb': ' ({kb} KB)',
  'finding.limits.size-tiny.tiny':
    ': no ordinary message fits (every mail server on the way adds headers), so KSMG refuses nearly all mail with "552 5.3.4". The value is in bytes; the KSMG default is 20971520 (20 MB).',
  'finding.limits.size-tiny.small':
    ': everyday mail with attachments (a 5 MB scan or presentation) is refused with "552 5.3.4 Message size exceeds fixed limit". The value is in bytes; the KSMG default is 20971520 (20 MB).',
  'finding.limits.size-tiny.fix': 'Set it in bytes, e.g. 20971520 (or 20MB), or 0 for no limit.',
  'finding.advanced.zero-duration.message': '{key} is 0 s: {why}.',
  'finding.advanced.zero-duration.why.sessionTimeout': 'every SMTP session is cut off before the client can send a command',
  'finding.advanced.zero-duration.why.transportRetryTime': 'a destination that just failed is tried again at once, in a tight loop',
  'finding.advanced.zero-duration.why.backoff': 'deferred mail is retried without any pause, hammering a server that is down',
  'finding.advanced.zero-duration.why.queueRunDelay': 'the deferred queue is scanned continuously',
  'finding.advanced.zero-duration.why.maximalQueueLifetime':
    'a message is tried once: the first temporary failure (a greylisting 450, a restart) bounces it',
  'finding.advanced.zero-duration.why.bounceQueueLifetime':
    'a non-delivery report is tried once and dropped at its first temporary failure',
  'finding.advanced.zero-duration.fix': 'Use the KSMG default (leave the key out), or a value in seconds or with a unit (30s, 5m, 4h, 3d).',
  'finding.advanced.zero-duration.dns.message':
    'The DNS server timeout is 0 s: every SPF, DKIM and DMARC lookup times out, and KSMG processes mail without sender authentication.',
  'finding.advanced.zero-duration.dns.fix': 'Use the KSMG default of 10 s (leave the key out).',
  // ── audit findings: rule patterns ({problem} is the config loader's text, English for now) ─
  'finding.rules.regex-refused.message': 'Rule "{name}": {problem}. The rule would never match this entry.',
  'finding.rules.regex-refused.fix':
    'Rewrite the expression without backreferences or lookaround (RE2 syntax), or use an address mask with * and ?.',
  // ── audit: the text report ────────────────────────────────────────────────────────────────
  'audit.heading': 'Audit of {file} (integration: {integration})',
  'audit.group.error': 'Errors ({count})',
  'audit.group.warning': 'Warnings ({count})',
  'audit.group.info': 'Info ({count})',
  'audit.fix': 'Fix:',
  'audit.fixAutomatic': 'Fix (automatic):',
  'audit.webUi': 'Web UI:',
  'audit.none': 'No findings: the configuration fits the {integration} scheme.',
  'audit.count.errors': { one: '{count} error', other: '{count} errors' },
  'audit.count.warnings': { one: '{count} warning', other: '{count} warnings' },
  'audit.count.info': '{count} info',
  'audit.counts': '{errors}, {warnings}, {info}.',
  'audit.fixErrors': 'Fix the errors before applying this configuration.',
  'audit.noErrors': 'No errors.',
  // ── TLS Encryption, receiving side (audit findings, runbook step, wizard question) ─────────
  'finding.tls.no-starttls.edge':
    'TLS Encryption is "No TLS": Internet senders cannot use STARTTLS, so mail, addresses and any credentials in it cross the Internet in plaintext, and senders that require TLS (MTA-STS, DANE) cannot deliver at all.',
  'finding.tls.no-starttls.behind-edge':
    'TLS Encryption is "No TLS": the edge gateway cannot use STARTTLS towards KSMG, so all mail crosses the internal network in plaintext.',
  'finding.tls.no-starttls.fix':
    'Set mta.tls.securityLevel: may ("Attempt TLS", the KSMG default): STARTTLS is offered and plaintext senders are still accepted.',
  'finding.tls.encrypt-on-edge.message':
    'TLS Encryption is "Require TLS" on a gateway that receives from the Internet: every sender that does not use STARTTLS gets "530 5.7.0 Must issue a STARTTLS command first" and its mail is refused (RFC 3207 forbids this for a publicly referenced mail server).',
  'finding.tls.encrypt-on-edge.fix':
    'Set mta.tls.securityLevel: may ("Attempt TLS"); require TLS only towards partners that are known to use it (per-domain outgoing TLS).',
  'runbook.tls.title': 'Set the TLS encryption of received mail',
  'runbook.tls.level': 'Set "{label}" to "{value}".',
  'runbook.tls.certificate':
    'Under "{label}", install the certificate {cert} with its private key {key} (the gateway presents it to senders in STARTTLS).',
  'runbook.tls.selfSigned': 'No certificate is named in ksmg.yaml: the gateway keeps its own self-signed certificate for {hostname}.',
  'runbook.tls.whyEncrypt': 'Require TLS refuses every sender that does not use STARTTLS (530 5.7.0).',
  'runbook.tls.whyNone': 'No TLS: senders cannot use STARTTLS; mail arrives in plaintext.',
  'wizard.tls.title': 'TLS for received mail',
  'wizard.tls.message': 'TLS for received mail (TLS Encryption > Server TLS security level)',
  'wizard.tls.may': 'Attempt TLS: offer STARTTLS, accept plaintext too (KSMG default)',
  'wizard.tls.encrypt': 'Require TLS: refuse senders that do not use STARTTLS',
  'wizard.tls.none': 'No TLS: do not offer STARTTLS',
  'wizard.tls.hintEdge': 'KSMG receives from the Internet here: Require TLS would refuse every sender without STARTTLS.',
  'wizard.option.tlsLevel': 'TLS for received mail: none (No TLS), may (Attempt TLS), encrypt (Require TLS)',
  'probe.tls.noCertificate': 'TLS after STARTTLS: {protocol}, {cipher}; no certificate presented',
  'probe.tls.session': 'TLS after STARTTLS: {protocol}, {cipher}',
  'probe.tls.certificate': 'certificate: {subject}; names: {names}',
  'probe.tls.noNames': '(no subjectAltName)',
  'probe.tls.expires': 'valid until {until} ({days:number} days left)',
  'probe.tls.expired': 'EXPIRED on {until} ({days:number} days ago)',
  'probe.tls.selfSigned':
    'self-signed (as the appliance ships it): fine for opportunistic STARTTLS; senders that verify (MTA-STS, DANE) will not accept it',
  'probe.tls.untrusted': "not trusted by this host's CAs (issuer unknown here)",
  'probe.tls.failed': 'STARTTLS offered, but the handshake failed: {error}',
  // ── audit: outgoing TLS (sending side) ──────────────────────────────────────────────────────
  'finding.tls.plaintext-to-untrusted-network.message':
    '{name} is delivered to {host} with no TLS, and {host} is a public address, not a private network of your own: its mail crosses networks you do not control in plaintext.',
  'finding.tls.plaintext-to-untrusted-network.fix':
    'Set the TLS mode of {name} to may (Attempt TLS) or encrypt (Require TLS) if the server offers STARTTLS; keep none only for a server on a network you trust.',
  'finding.tls.domain-mode-via-relayhost.message':
    "{name} has its own TLS mode ({level}) but no route, so its mail goes through the relayhost; Postfix looks up the relayhost's next hop in smtp_tls_policy_maps, never {name}, so the mode has no effect.",
  'finding.tls.domain-mode-via-relayhost.fix':
    'Give {name} a route (the mode then applies to that route) or remove its TLS mode; set the level for the relayhost under TLS Encryption.',
  'finding.tls.verify-without-ca.message':
    'verify checks next hops\' certificates, and with no mta.tls.caFile only against the system\'s public CAs: an internal server with a certificate from your own CA, or a self-signed one, is "Server certificate not verified" and its mail waits in the queue.',
  'finding.tls.verify-without-ca.fix':
    "Set mta.tls.caFile to the PEM file of the CA that signed your servers' certificates (smtp_tls_CAfile), or use encrypt where a check of the certificate is not needed.",
  'finding.tls.verify-ip-next-hop.message':
    '{name} is routed to the IP address {host} under verify: the certificate must then name that address, which server certificates rarely do, or the mail is deferred ("Server certificate not verified").',
  'finding.tls.verify-ip-next-hop.fix': "Route by the server's host name (the name in its certificate), or use encrypt.",
  // ── the wizard, the commands' human output, config errors: sections in their own files ─────
  ...wizardEn,
  ...configEn,
  ...cliEn,
} as const;

export type MessageId = keyof typeof en;
