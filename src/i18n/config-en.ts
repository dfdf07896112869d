// Config validation messages (English), spread into ./en.ts. The schema (src/config/schema.ts,
// net.ts, rule-pattern.ts) and the loader (load.ts) write these exact English texts; other
// languages get them through ./known.ts, which reads an English message back into its id and
// parameters. `config.wrap.*` are the loader's additions around another message (tried first);
// the rest are matched longest first. test/unit/i18n/no-literals.test.ts checks that every
// message literal in src/config is one of these.
export const configEn = {
  // ── config errors: the loader's framing ───────────────────────────────────────────────────
  'config.cannotUse': {
    one: 'The configuration cannot be used ({count} problem):',
    other: 'The configuration cannot be used ({count} problems):',
  },
  'config.problemsIn': { one: '{count} problem in {file}', other: '{count} problems in {file}' },
  'config.wrap.allowedKeys': '{message}; allowed keys here: {keys}',
  'config.wrap.foundParen': '{message} (found {value})',
  'config.wrap.found': '{message}, found {value}',
  'config.wrap.yamlBoolean': '{message} (YAML 1.2 reads yes/no/on/off as text: write true or false)',
  'config.wrap.writeAsName': '{message} (write it as { name: {name} })',
  'config.wrap.required': 'is required: {message}',
  'config.wrap.yamlSyntax': 'YAML syntax error: {message}',
  'config.wrap.duplicateKey': '{message} (each key may appear only once in a mapping)',
  'config.wrap.tabIndent': '{message} (indent with spaces, not tabs)',
  'config.wrap.yamlUnreadable': 'YAML cannot be read: {message}',
  // ── config errors: the loader ─────────────────────────────────────────────────────────────
  'config.load.missing': 'the file does not exist (create one with `ksmg-setup init`, or pass --config FILE)',
  'config.load.directory': 'this is a directory, not a ksmg.yaml file',
  'config.load.denied': 'permission denied while reading the file',
  'config.load.unreadable': 'the file cannot be read ({reason})',
  'config.load.empty': 'the file is empty; it needs at least `version: 1`, `integration:` and `mta.domains:`',
  'config.load.notMapping': 'expected a mapping of keys (version, integration, mta, …), found {value}',
  'config.load.unknownKey': 'unknown key "{key}"',
  'config.load.unknownKeyHint': 'unknown key "{key}" (did you mean "{hint}"?)',
  'config.load.required': 'is required',
  'config.load.requiredOneOf': 'is required: one of {values}',
  'config.load.oneOf': 'expected one of {values}',
  'config.load.expected': 'expected {what}',
  'config.load.notEmpty': 'must not be empty',
  'config.load.atLeast': 'expected at least {n}',
  'config.load.moreThan': 'expected more than {n}',
  'config.load.atMost': 'expected at most {n}',
  'config.load.lessThan': 'expected less than {n}',
  'config.load.characters': '{n} characters',
  'config.load.entries': '{n} entries',
  'config.value.null': 'an empty value (null)',
  'config.value.list': 'a list',
  'config.value.mapping': 'a mapping',
  'config.value.text': 'a text value',
  'config.value.number': 'a number',
  'config.value.boolean': 'true or false',
  'config.value.mappingOfKeys': 'a mapping of keys',
  // ── config errors: the schema ─────────────────────────────────────────────────────────────
  'config.schema.duration': 'expected a duration: whole seconds or a number with s, m, h or d (e.g. 30s, 5m, 4h, 3d)',
  'config.schema.port': 'expected a port number 1–65535',
  'config.schema.portWhole': 'expected a whole port number 1–65535',
  'config.schema.wholeNumber': 'expected a whole number',
  'config.schema.zeroOrMore': 'expected 0 (unlimited) or more',
  'config.schema.size': 'expected a size in bytes (0 = unlimited), or with a unit: 20MB, 512KB, 1GB (K/M/G = 1024-based)',
  'config.schema.wholeBytes': 'expected a whole number of bytes',
  'config.schema.domainName': 'expected {what} such as corp.example (letters, digits, hyphens, dots; IDN allowed)',
  'config.schema.what.domainName': 'a domain name',
  'config.schema.what.domainOrSubdomain': 'a domain or subdomain name',
  'config.schema.what.fqdn': 'a fully qualified host name',
  'config.schema.hostWhy': 'expected an IPv4/IPv6 address or a host name: {why}',
  'config.schema.host': 'expected an IPv4 address, an IPv6 address, a domain name or an FQDN',
  'config.schema.network': 'expected an IPv4/IPv6 address or CIDR network: {reason}',
  'config.schema.email': 'expected an e-mail address such as user@corp.example',
  'config.schema.mxIp': 'MX lookup is only possible for a domain name, and "{host}" is an IP address; set mxLookup: false',
  'config.schema.localhost': '"{name}" is this machine (RFC 6761), not a mail domain',
  'config.schema.localdomain': '"localdomain" is the placeholder of an unconfigured host, not a mail domain',
  'config.schema.singleLabel': '"{name}" is a single label; a mail domain has at least two (corp.example)',
  'config.schema.mailDomain': 'expected a mail domain such as corp.example: {why}',
  'config.schema.validRecipient': 'expected user@domain or @domain (the whole domain)',
  'config.schema.rejectCode': 'expected 450 or 550',
  'config.schema.fqdn': 'expected a fully qualified host name with a domain, such as ksmg.corp.example',
  'config.schema.ip': 'expected an IPv4 or IPv6 address',
  'config.schema.version': 'expected version: 1 (the only format version so far)',
  'config.schema.invalid': 'invalid value',
  'config.schema.tlsPair':
    'give certFile and keyFile together, or neither (then a self-signed pair for mta.hostname is used); {missing} is missing',
  'config.schema.tlsSameHop':
    '{name} and {other} both route to {hop}, and the TLS mode belongs to the next hop (smtp_tls_policy_maps is keyed by it): {mode} here, {otherMode} there; use one mode for both',
  // ── config errors: addresses and networks (src/config/net.ts) ─────────────────────────────
  'config.net.notIp': '"{address}" is not an IPv4 or IPv6 address',
  'config.net.prefix': 'prefix length "/{prefix}" must be 0–{max} for {family}',
  'config.net.hostBits': 'host bits are set in "{text}": the network of /{prefix} is {network}',
  'config.net.zone':
    '"{address}" carries a zone index ({zone}), which names a network interface of one machine; KSMG takes plain addresses: write {bare} (and note that link-local fe80:: addresses are not routed)',
  'config.net.url': '"{text}" is a URL; enter only the host name or address',
  'config.net.brackets': 'enter the IPv6 address without brackets ({address})',
  'config.net.bracketsPort': 'enter the IPv6 address without brackets ({address}) and the port {port} separately',
  'config.net.hostPort': '"{text}" is host:port; enter the host ({host}) here and the port ({port}) separately',
  'config.net.mapped': '"{text}" is the IPv4 address {v4} written as IPv6; enter {v4}',
  // ── config errors: rule patterns (src/config/rule-pattern.ts; RE2's own reason stays English) ─
  'config.pattern.notRegex': 'not a /regular expression/',
  'config.pattern.flag': 'unknown flag "{flags}" (allowed: i, m, s)',
  'config.pattern.refused':
    '"{pattern}" is refused: the rule engine runs regular expressions in linear time (RE2 syntax) and cannot use it: {reason}',
  // ── config errors: TLS (src/config/schema.ts mta.tls, mta.domains[].tls) ─────────────────────
  'config.tls.pairMissing':
    'give certFile and keyFile together, or neither (then a self-signed pair for mta.hostname is used); {missing} is missing',
  'config.tls.sharedNextHop':
    '{domain} and {other} both route to {nextHop}, and the TLS mode belongs to the next hop (smtp_tls_policy_maps is keyed by it): {mode} here, {otherMode} there; use one mode for both',
} as const;
