// Config validation messages (Czech), the same ids as ./config-en.ts. Key names, values and
// examples (mxLookup: false, corp.example, 30s) stay as they are written in ksmg.yaml.
import type { Catalogue } from './types.js';
import type { configEn } from './config-en.js';

export const configCs: Catalogue<keyof typeof configEn> = {
  // ── config errors: the loader's framing ───────────────────────────────────────────────────
  'config.cannotUse': {
    one: 'Konfiguraci nelze použít ({count} problém):',
    few: 'Konfiguraci nelze použít ({count} problémy):',
    many: 'Konfiguraci nelze použít ({count} problému):',
    other: 'Konfiguraci nelze použít ({count} problémů):',
  },
  'config.problemsIn': {
    one: '{count} problém v {file}',
    few: '{count} problémy v {file}',
    many: '{count} problému v {file}',
    other: '{count} problémů v {file}',
  },
  'config.wrap.allowedKeys': '{message}; povolené klíče zde: {keys}',
  'config.wrap.foundParen': '{message} (nalezeno {value})',
  'config.wrap.found': '{message}, nalezeno {value}',
  'config.wrap.yamlBoolean': '{message} (YAML 1.2 čte yes/no/on/off jako text: napište true nebo false)',
  'config.wrap.writeAsName': '{message} (napište to jako { name: {name} })',
  'config.wrap.required': 'je povinné: {message}',
  'config.wrap.yamlSyntax': 'chyba syntaxe YAML: {message}',
  'config.wrap.duplicateKey': '{message} (každý klíč smí být v mapování jen jednou)',
  'config.wrap.tabIndent': '{message} (odsazujte mezerami, ne tabulátory)',
  'config.wrap.yamlUnreadable': 'YAML nelze přečíst: {message}',
  // ── config errors: the loader ─────────────────────────────────────────────────────────────
  'config.load.missing': 'soubor neexistuje (vytvořte ho příkazem `ksmg-setup init`, nebo zadejte --config SOUBOR)',
  'config.load.directory': 'toto je adresář, ne soubor ksmg.yaml',
  'config.load.denied': 'při čtení souboru byl odepřen přístup',
  'config.load.unreadable': 'soubor nelze přečíst ({reason})',
  'config.load.empty': 'soubor je prázdný; potřebuje alespoň `version: 1`, `integration:` a `mta.domains:`',
  'config.load.notMapping': 'očekáváno mapování klíčů (version, integration, mta, …), nalezeno {value}',
  'config.load.unknownKey': 'neznámý klíč „{key}“',
  'config.load.unknownKeyHint': 'neznámý klíč „{key}“ (měli jste na mysli „{hint}“?)',
  'config.load.required': 'je povinné',
  'config.load.requiredOneOf': 'je povinné: jedna z hodnot {values}',
  'config.load.oneOf': 'očekávána jedna z hodnot {values}',
  'config.load.expected': 'očekáváno: {what}',
  'config.load.notEmpty': 'nesmí být prázdné',
  'config.load.atLeast': 'očekáváno alespoň {n}',
  'config.load.moreThan': 'očekáváno více než {n}',
  'config.load.atMost': 'očekáváno nejvýše {n}',
  'config.load.lessThan': 'očekáváno méně než {n}',
  'config.load.characters': '{n} znaků',
  'config.load.entries': '{n} položek',
  'config.value.null': 'prázdná hodnota (null)',
  'config.value.list': 'seznam',
  'config.value.mapping': 'mapování',
  'config.value.text': 'textová hodnota',
  'config.value.number': 'číslo',
  'config.value.boolean': 'true nebo false',
  'config.value.mappingOfKeys': 'mapování klíčů',
  // ── config errors: the schema ─────────────────────────────────────────────────────────────
  'config.schema.duration': 'očekávána doba: celé sekundy nebo číslo s s, m, h nebo d (např. 30s, 5m, 4h, 3d)',
  'config.schema.port': 'očekáváno číslo portu 1–65535',
  'config.schema.portWhole': 'očekáváno celé číslo portu 1–65535',
  'config.schema.wholeNumber': 'očekáváno celé číslo',
  'config.schema.zeroOrMore': 'očekáváno 0 (bez omezení) nebo více',
  'config.schema.size': 'očekávána velikost v bajtech (0 = bez omezení), nebo s jednotkou: 20MB, 512KB, 1GB (K/M/G = násobky 1024)',
  'config.schema.wholeBytes': 'očekáván celý počet bajtů',
  'config.schema.domainName': 'očekáván {what}, např. corp.example (písmena, číslice, pomlčky, tečky; IDN povoleno)',
  'config.schema.what.domainName': 'název domény',
  'config.schema.what.domainOrSubdomain': 'název domény nebo subdomény',
  'config.schema.what.fqdn': 'plně kvalifikovaný název hostitele',
  'config.schema.hostWhy': 'očekávána adresa IPv4/IPv6 nebo název hostitele: {why}',
  'config.schema.host': 'očekávána adresa IPv4, adresa IPv6, název domény nebo FQDN',
  'config.schema.network': 'očekávána adresa IPv4/IPv6 nebo síť CIDR: {reason}',
  'config.schema.email': 'očekávána e-mailová adresa, např. user@corp.example',
  'config.schema.mxIp': 'vyhledávání MX je možné jen pro název domény a „{host}“ je adresa IP; nastavte mxLookup: false',
  'config.schema.localhost': '„{name}“ je tento počítač (RFC 6761), ne poštovní doména',
  'config.schema.localdomain': '„localdomain“ je zástupný název nenastaveného hostitele, ne poštovní doména',
  'config.schema.singleLabel': '„{name}“ má jedinou část; poštovní doména má alespoň dvě (corp.example)',
  'config.schema.mailDomain': 'očekávána poštovní doména, např. corp.example: {why}',
  'config.schema.validRecipient': 'očekáváno uživatel@doména nebo @doména (celá doména)',
  'config.schema.rejectCode': 'očekáváno 450 nebo 550',
  'config.schema.fqdn': 'očekáván plně kvalifikovaný název hostitele s doménou, např. ksmg.corp.example',
  'config.schema.ip': 'očekávána adresa IPv4 nebo IPv6',
  'config.schema.version': 'očekáváno version: 1 (zatím jediná verze formátu)',
  'config.schema.invalid': 'neplatná hodnota',
  'config.schema.tlsPair':
    'zadejte certFile a keyFile společně, nebo ani jeden (pak se použije dvojice podepsaná sama sebou pro mta.hostname); chybí {missing}',
  'config.schema.tlsSameHop':
    '{name} a {other} se obě směrují na {hop} a režim TLS patří dalšímu skoku (smtp_tls_policy_maps má jako klíč právě jej): zde {mode}, tam {otherMode}; použijte pro obě jeden režim',
  // ── config errors: addresses and networks (src/config/net.ts) ─────────────────────────────
  'config.net.notIp': '„{address}“ není adresa IPv4 ani IPv6',
  'config.net.prefix': 'délka prefixu „/{prefix}“ musí být 0–{max} pro {family}',
  'config.net.hostBits': 'v „{text}“ jsou nastaveny bity hostitele: síť s /{prefix} je {network}',
  'config.net.zone':
    '„{address}“ nese index zóny ({zone}), který označuje síťové rozhraní jednoho počítače; KSMG bere prosté adresy: napište {bare} (a pozor, adresy link-local fe80:: se nesměrují)',
  'config.net.url': '„{text}“ je URL; zadejte jen název hostitele nebo adresu',
  'config.net.brackets': 'zadejte adresu IPv6 bez hranatých závorek ({address})',
  'config.net.bracketsPort': 'zadejte adresu IPv6 bez hranatých závorek ({address}) a port {port} zvlášť',
  'config.net.hostPort': '„{text}“ je hostitel:port; zde zadejte hostitele ({host}) a port ({port}) zvlášť',
  'config.net.mapped': '„{text}“ je adresa IPv4 {v4} zapsaná jako IPv6; zadejte {v4}',
  // ── config errors: rule patterns (RE2's own reason stays English) ─────────────────────────
  'config.pattern.notRegex': 'není /regulární výraz/',
  'config.pattern.flag': 'neznámý příznak „{flags}“ (povolené: i, m, s)',
  'config.pattern.refused':
    '„{pattern}“ je odmítnut: modul pravidel spouští regulární výrazy v lineárním čase (syntaxe RE2) a tento použít nemůže: {reason}',
  // ── config errors: TLS ─────────────────────────────────────────────────────────────────────
  'config.tls.pairMissing':
    'zadejte certFile a keyFile společně, nebo ani jeden (pak se použije certifikát podepsaný sám sebou pro mta.hostname); chybí {missing}',
  'config.tls.sharedNextHop':
    '{domain} i {other} jsou směrovány na {nextHop} a režim TLS patří dalšímu skoku (klíčem smtp_tls_policy_maps je další skok): zde {mode}, tam {otherMode}; použijte pro obě domény jeden režim',
};
