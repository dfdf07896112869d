// Czech catalogue. Web-UI labels are not here but in src/audit/ui.ts (as the Czech KSMG help page,
// seed 000, writes them); these are the sentences around them, our translation. Czech plurals:
// one (1), few (2–4), many (fractions), other (0, 5+).
import type { Catalogue } from './types.js';
import type { MessageId } from './en.js';
import { cliCs } from './cli-cs.js';
import { configCs } from './config-cs.js';
import { wizardCs } from './wizard-cs.js';

export const cs: Catalogue<MessageId> = {
  // ── runbook: scheme titles and layout ─────────────────────────────────────────────────────
  'runbook.scheme.edge': 'KSMG je hraniční brána (přímá integrace)',
  'runbook.scheme.behind-edge-verify': 'za hraniční bránou, která ověřuje příjemce',
  'runbook.scheme.behind-edge-no-verify': 'za hraniční bránou, která neověřuje příjemce',
  'runbook.title': 'Postup ve webovém rozhraní KSMG pro {file}: {scheme} (KSMG {version})',
  'runbook.auditNote': {
    one: 'Poznámka: {file} má {count} chybu auditu; tyto kroky jej použijí tak, jak je napsán. Nejprve spusťte `ksmg-setup audit --config {file}`.\n',
    few: 'Poznámka: {file} má {count} chyby auditu; tyto kroky jej použijí tak, jak je napsán. Nejprve spusťte `ksmg-setup audit --config {file}`.\n',
    many: 'Poznámka: {file} má {count} chyby auditu; tyto kroky jej použijí tak, jak je napsán. Nejprve spusťte `ksmg-setup audit --config {file}`.\n',
    other:
      'Poznámka: {file} má {count} chyb auditu; tyto kroky jej použijí tak, jak je napsán. Nejprve spusťte `ksmg-setup audit --config {file}`.\n',
  },
  'runbook.where': 'Kde:',
  'runbook.why': 'Proč:',
  // Seed 000: „Klikněte na tlačítko Uložit.“
  'runbook.save': 'Klikněte na tlačítko Uložit.',
  'runbook.on': 'zapnuto',
  'runbook.off': 'vypnuto',
  // ── runbook: domains ──────────────────────────────────────────────────────────────────────
  'runbook.hop.mx': '{host}, port {port}, „{useMx}“ zaškrtnuto',
  'runbook.hop.noMx': '{host}, port {port}, „{useMx}“ nezaškrtnuto',
  // Seed 000: „zapněte přepínač Místní doména“.
  'runbook.domains.localOn': 'zapněte přepínač „{local}“',
  'runbook.domains.localOff': 'nechte přepínač „{local}“ vypnutý',
  'runbook.domains.route': 'směrování: doručovat na {hop}',
  'runbook.domains.routeDns': 'směrování: podle DNS (bez ručně nastavené trasy)',
  'runbook.domains.add': 'Klikněte na tlačítko „{addDomain}“, zadejte {name}, {local}; {route}. Klikněte na tlačítko Uložit.',
  'runbook.domains.none':
    'V ksmg.yaml nejsou uvedeny žádné domény: nejprve přidejte své poštovní domény do mta.domains (bez místní domény KSMG nepřijímá zprávy pro interní poštovní servery).',
  'runbook.domains.title': 'Přidejte místní domény',
  // ── runbook: odchozí TLS ──
  // not in the seed: our translation (the seed has no TLS step; the levels follow the TLS Encryption page's English labels)
  'runbook.tls.level.none': '„Bez TLS“ (none)',
  'runbook.tls.level.may': '„Zkusit TLS“ (may)',
  'runbook.tls.level.encrypt': '„Vyžadovat TLS“ (encrypt)',
  'runbook.tls.level.verify': '„Vyžadovat TLS“ s ověřením certifikátu serveru (verify)',
  'runbook.tls.domain': 'Otevřete doménu {name} a nastavte její režim TLS pro odchozí poštu na {level}. Klikněte na tlačítko Uložit.',
  'runbook.tls.domainViaRelayhost':
    'Otevřete doménu {name} a nastavte její režim TLS pro odchozí poštu na {level}; pozor: {name} nemá trasu, její pošta jde přes hraniční bránu a platí úroveň TLS pro ni. Klikněte na tlačítko Uložit.',
  'runbook.tls.default':
    'V {where} nastavte úroveň zabezpečení TLS pro odchozí spojení (klient) na {level}: platí pro každý další skok bez režimu domény. Klikněte na tlačítko Uložit.',
  'runbook.domains.why':
    'KSMG přijímá zprávy z nedůvěryhodných zdrojů (internet, hraniční brána) pouze u místních domén; každá subdoména, která přijímá poštu, potřebuje vlastní záznam.',
  // ── runbook: destination ──────────────────────────────────────────────────────────────────
  // Seed 000: „V poli Cílová adresa e-mailu vyberte možnost Odeslat prostřednictvím hraniční brány.“
  'runbook.destination.chooseEdge': 'V poli „{destination}“ vyberte možnost „{sendViaEdge}“.',
  'runbook.destination.edgeMx': 'Zadejte adresu hraniční brány {host} a port {port}; zaškrtněte políčko „{useMx}“.',
  'runbook.destination.edgeNoMx': 'Zadejte adresu hraniční brány {host} a port {port}; políčko „{useMx}“ nechte nezaškrtnuté.',
  'runbook.destination.edgeMissing': 'Zadejte adresu a port hraniční brány (v ksmg.yaml chybí: nastavte mta.destination.host).',
  'runbook.destination.dns': 'V poli „{destination}“ ponechte doručování podle DNS: KSMG vyhledá záznamy MX každé domény příjemce.',
  'runbook.destination.routedDomains': 'Domény s vlastní trasou (krok 1) se doručují tam.',
  'runbook.destination.checkNames': 'Zkontrolujte {hostnameLabel} ({hostname}) a {domainLabel} ({domain}).',
  'runbook.destination.sizeLimit': 'Nastavte „{sizeLabel}“ na {size} bajtů.',
  'runbook.destination.sizeUnlimited': 'Nastavte „{sizeLabel}“ na 0 bajtů (0 = bez omezení).',
  'runbook.destination.titleEdge': 'Odesílejte odchozí poštu prostřednictvím hraniční brány',
  'runbook.destination.titleDns': 'Doručujte odchozí poštu podle DNS',
  'runbook.destination.whyEdge': 'KSMG bude přesměrovávat všechny zprávy pro jiné domény na tuto adresu (relayhost).',
  // ── runbook: trusted networks ─────────────────────────────────────────────────────────────
  'runbook.trusted.add': 'V poli „{trusted}“ zadejte {network} a klikněte na „{add}“.',
  'runbook.trusted.none':
    'V ksmg.yaml nejsou uvedeny žádné důvěryhodné sítě: přidejte interní poštovní servery (mta.trustedNetworks), jinak se odchozí pošta zastaví.',
  'runbook.trusted.title': 'Přidejte důvěryhodné sítě',
  'runbook.trusted.why':
    'Hostitelé v důvěryhodných sítích (v zásadě interní poštovní servery) mohou přes KSMG odesílat poštu ven; ověřování příjemců se na ně nepoužije.',
  // ── runbook: external services ────────────────────────────────────────────────────────────
  'runbook.external.switch': '„{label}“: {state}.',
  'runbook.external.titleBehind': 'Vypněte kontroly SPF a DMARC',
  'runbook.external.titleEdge': 'Zkontrolujte ověřování odesílatele (SPF, DKIM, DMARC)',
  'runbook.external.whyBehind':
    'Za hraniční bránou je odesílatelem, kterého KSMG vidí, hraniční brána, takže SPF a DMARC by u legitimní pošty selhaly (krok 4 návodu).',
  'runbook.external.whyEdge': 'Jako hraniční brána vidí KSMG skutečné odesílající servery, takže ověřování odesílatele zde funguje.',
  // ── runbook: rules ────────────────────────────────────────────────────────────────────────
  'runbook.rules.ruleState': 'Obecné: pravidlo {state}',
  'runbook.rules.mode': 'Obecné: nastavte režim „{mode}“',
  'runbook.rules.moduleState': '{module}: modul {state}',
  'runbook.rules.action': '{module}: pro „{what}“ vyberte „{action}“',
  'runbook.rules.create':
    'Vytvořte pravidlo „{name}“ na pozici {position} z {total} (použije se první odpovídající pravidlo): odesílatelé {senders}; příjemci {recipients}.',
  'runbook.rules.change': 'Pravidlo „{name}“ > {change}.',
  'runbook.rules.keep': 'Pravidla ponechte beze změny (výchozí nastavení KSMG).',
  'runbook.rules.saveEach': 'Každé pravidlo uložte.',
  // Seed 000 step 5: „nahraďte akci Odmítnout akcí Odstranit zprávu“.
  'runbook.rules.titleBehind': 'V pravidlech nahraďte akci {reject} akcí {deleteMessage}',
  'runbook.rules.titleEdge': 'Upravte pravidla zpracování zpráv',
  'runbook.rules.whyBehind':
    'Odmítnutí za hraniční bránou způsobí, že hraniční brána odesílá zprávy o nedoručení (často podvrženým) odesílatelům (krok 5 návodu).',
  // ── runbook: recipient verification ───────────────────────────────────────────────────────
  // Seed 000 step 6: „V rozevíracím seznamu Odmítat zprávy u příjemců vyberte … Neodmítat.“
  'runbook.recipients.choose': 'V rozevíracím seznamu „{field}“ vyberte „{mode}“.',
  'runbook.recipients.rejectCode': 'Kód odmítnutí pro neověřené příjemce: {code}.',
  'runbook.recipients.valid': 'Přidejte platného příjemce {recipient}.',
  'runbook.recipients.validDomain': 'Přidejte platného příjemce {recipient} (celá doména).',
  'runbook.recipients.title': 'Nastavte ověřování příjemců',
  'runbook.recipients.why.edge': 'Bez ověřování přijímá KSMG zprávy pro neexistující adresy a interní server je vrací (backscatter).',
  'runbook.recipients.why.behind-edge-verify': 'Hraniční brána se KSMG ptá, zda příjemce existuje; KSMG předá odpověď interního serveru.',
  'runbook.recipients.why.behind-edge-no-verify':
    'Hraniční brána již zprávu přijala, takže odmítnutí ze strany KSMG by jen vyvolalo zprávy o nedoručení (krok 6 návodu).',
  // ── runbook: advanced settings, message processing ────────────────────────────────────────
  'runbook.advanced.field': '„{label}“: {value} (výchozí hodnota KSMG {default}).',
  'runbook.advanced.notInUiItem': '„{label}“ {value}',
  'runbook.advanced.notInUi':
    'Pro {fields} není co zadávat: tato pole má pouze konzole KSMG 1.1 (`ksmg-setup runbook --ksmg-version 1.1`); KSMG 2.x řídí časování fronty sám.',
  'runbook.advanced.title': 'Změňte rozšířená nastavení MTA, která se liší od výchozích',
  'runbook.processing.xHeadersOff': 'Vypněte „{label}“.',
  'runbook.processing.ndrOff': 'Vypněte „{label}“.',
  'runbook.processing.title': 'Zpracování zpráv',
  // ── runbook: values ───────────────────────────────────────────────────────────────────────
  'runbook.unit.s': { one: '{count} sekunda', few: '{count} sekundy', many: '{count} sekundy', other: '{count} sekund' },
  'runbook.unit.m': { one: '{count} minuta', few: '{count} minuty', many: '{count} minuty', other: '{count} minut' },
  'runbook.unit.h': { one: '{count} hodina', few: '{count} hodiny', many: '{count} hodiny', other: '{count} hodin' },
  'runbook.unit.d': { one: '{count} den', few: '{count} dny', many: '{count} dne', other: '{count} dní' },
  'runbook.value.inSeconds': '{main} ({seconds} s)',
  'runbook.value.yes': 'Ano (zapnuto)',
  'runbook.value.no': 'Ne (vypnuto)',
  'runbook.value.none': '(žádné)',
  'runbook.value.empty': '(prázdné)',
  'runbook.value.unlimited': '0 (bez omezení)',
  // ── runbook --since: only the changes ─────────────────────────────────────────────────────
  'runbook.changes.deleteDomain': 'Odstraňte doménu {name}.',
  'runbook.changes.removeNetwork': 'V poli „{trusted}“ odeberte {network}.',
  'runbook.changes.removeRecipient': 'Odeberte platného příjemce {recipient}.',
  'runbook.changes.backToDefaultsTitle': '{title}: zpět na výchozí nastavení KSMG',
  'runbook.changes.backToDefaults': 'Pole uvedená v předchozím postupu vraťte na výchozí hodnoty KSMG.',
  'runbook.changes.nothing': 'Ve webovém rozhraní KSMG není co měnit: nastavení, která obsahuje, jsou stejná jako dříve.\n',
  // ── audit findings: sender authentication (seed step 4) ───────────────────────────────────
  'finding.sender-auth.spf-behind-edge.message':
    'Použít SPF je zapnuto, ale za hraniční bránou přichází každá zpráva do KSMG z adresy hraniční brány, takže kontrola porovnává IP adresu hraniční brány se záznamem SPF domény odesílatele a u legitimních externích odesílatelů selže. To zvyšuje hodnocení Anti-Spamu a při zapnutém ověření odesílatele v pravidle spouští jeho akce (krok 4 návodu).',
  'finding.sender-auth.spf-behind-edge.fix':
    'Vypněte přepínač „Použít SPF“ (protection.spf: false). SPF má kontrolovat hraniční brána, která vidí skutečného odesílatele.',
  'finding.sender-auth.dmarc-behind-edge.message':
    'Použít DMARC je zapnuto, ale DMARC vychází z výsledků SPF a DKIM a za hraniční bránou SPF kontroluje adresu hraniční brány místo adresy skutečného odesílatele, takže DMARC selže u legitimních odesílatelů bez podpisu DKIM (krok 4 návodu).',
  'finding.sender-auth.dmarc-behind-edge.fix':
    'Vypněte přepínač „Použít DMARC“ (protection.dmarc: false). DMARC má kontrolovat hraniční brána.',
  'finding.sender-auth.spf-off-edge.message.dnsOff':
    '„Povolit připojení k serveru DNS“ je vypnuto, čímž se vypíná SPF, DKIM i DMARC. Jako hraniční brána je KSMG jediné místo, které vidí skutečnou adresu odesílajícího serveru, takže podvržení odesílatelé vašich i cizích domén projdou bez kontroly.',
  'finding.sender-auth.spf-off-edge.message.spfOff':
    'Použít SPF je vypnuto (a s ním i DMARC). Jako hraniční brána je KSMG jediné místo, které vidí skutečnou adresu odesílajícího serveru, takže podvržení odesílatelé vašich i cizích domén projdou bez kontroly.',
  'finding.sender-auth.spf-off-edge.fix.dnsOff': 'Zapněte „Povolit připojení k serveru DNS“ a „Použít SPF“.',
  'finding.sender-auth.spf-off-edge.fix.spfOff': 'Zapněte přepínač „Použít SPF“ (protection.spf: true).',
  'finding.sender-auth.dmarc-off-edge.message.dkimOff':
    'Použít DKIM je vypnuto, čímž se vypíná i DMARC: zprávy, které v hlavičce From: podvrhují vaši doménu, projdou bez kontroly.',
  'finding.sender-auth.dmarc-off-edge.message.dmarcOff':
    'Použít DMARC je vypnuto: zprávy, které v hlavičce From: podvrhují chráněnou doménu, projdou bez kontroly a zásady DMARC vlastníků domén se ignorují.',
  'finding.sender-auth.dmarc-off-edge.fix.dkimOff': 'Zapněte „Použít DKIM“ a „Použít DMARC“.',
  'finding.sender-auth.dmarc-off-edge.fix.dmarcOff': 'Zapněte přepínač „Použít DMARC“ (protection.dmarc: true).',
  // ── audit findings: recipient verification (seed step 6), BCC ─────────────────────────────
  'finding.recipients.verification-behind-edge-no-verify.message':
    '„{field}“ je „{mode}“, ale v tomto schématu hraniční brána neověřuje příjemce a každou zprávu již přijala, když dorazí do KSMG: odmítnutí ze strany KSMG způsobí, že hraniční brána místo toho odešle zprávy o nedoručení (krok 6 návodu říká „{none}“).',
  'finding.recipients.verification-behind-edge-no-verify.fix': 'Vyberte „{none}“ (recipientVerification: none).',
  'finding.recipients.no-verification-edge.message':
    '„{field}“ je „{none}“: jako hraniční brána KSMG přijímá poštu pro neexistující adresy a interní server pak posílá zprávy o nedoručení (často podvrženým) odesílatelům: backscatter, kvůli kterému se vaše servery mohou dostat na blokovací seznamy (seed 004).',
  'finding.recipients.no-verification-edge.fix':
    'Vyberte „{unverified}“ (recipientVerification: reject-unverified) nebo seznam platných příjemců (reject-unlisted s validRecipients).',
  'finding.recipients.edge-probe-unanswered.message':
    'V tomto schématu hraniční brána ověřuje příjemce dotazem na KSMG, ale s „{none}“ KSMG přijme každou adresu, takže hraniční brána nepozná, že příjemce neexistuje, a pošta pro neznámé uživatele se později vrací (často podvrženému) odesílateli: backscatter. (Odvozeno: stránka výrobce uvádí jen první kroky tohoto schématu.)',
  'finding.recipients.edge-probe-unanswered.fix':
    'Zvažte „{unverified}“ (reject-unverified), aby KSMG předal odpověď interního serveru na ověřovací dotaz hraniční brány.',
  'finding.recipients.unlisted-empty.message':
    '„{field}“ je „{unlisted}“, ale seznam je prázdný: buď se odmítne každý příjemce, nebo (jako v Postfixu, kde prázdné relay_recipient_maps kontrolu vypíná) se nekontroluje žádný. Ani jedno není účelem tohoto nastavení.',
  'finding.recipients.unlisted-empty.fix':
    'Uveďte platné příjemce (uživatel@doména nebo @doména pro celou doménu) nebo vyberte jiný režim ověřování.',
  'finding.recipients.unlisted-no-postmaster.message':
    'postmaster@{domain} není v seznamu platných příjemců, takže pošta pro něj se odmítá s 550 5.1.1 "User unknown in relay recipient table"; každá doména musí přijímat poštu pro postmastera (RFC 5321).',
  'finding.recipients.unlisted-no-postmaster.fix': 'Přidejte postmaster@{domain} (nebo @{domain} pro celou doménu) do validRecipients.',
  'finding.bcc.invalid.message':
    'Adresa skryté kopie pro všechny zprávy „{bcc}“ není platná e-mailová adresa: každá zpráva by vytvořila nedoručitelnou kopii.',
  'finding.bcc.invalid.fix': 'Zadejte úplnou adresu, například archive@corp.example, nebo ji odstraňte (alwaysBcc: null).',
  // ── audit findings: local domains (seed step 1) ───────────────────────────────────────────
  'finding.domains.no-local.message.none':
    'Není uvedena žádná místní doména, takže KSMG nepřijímá poštu pro interní poštovní servery: pošta z nedůvěryhodných zdrojů (hraniční brána, internet) pro vaše domény se odmítá jako relaying.',
  'finding.domains.no-local.message.notLocal': {
    one: 'Uvedená doména ({count}) není označena jako místní, takže KSMG nepřijímá poštu pro interní poštovní servery: pošta z nedůvěryhodných zdrojů (hraniční brána, internet) pro vaše domény se odmítá jako relaying.',
    few: 'Žádná z {count} uvedených domén není označena jako místní, takže KSMG nepřijímá poštu pro interní poštovní servery: pošta z nedůvěryhodných zdrojů (hraniční brána, internet) pro vaše domény se odmítá jako relaying.',
    other:
      'Žádná z {count} uvedených domén není označena jako místní, takže KSMG nepřijímá poštu pro interní poštovní servery: pošta z nedůvěryhodných zdrojů (hraniční brána, internet) pro vaše domény se odmítá jako relaying.',
  },
  'finding.domains.no-local.fix':
    'Přidejte každou poštovní doménu a každou subdoménu, která přijímá poštu, s local: true (webové rozhraní: Přidat doménu, zapněte přepínač „Místní doména“, Uložit).',
  'finding.domains.duplicate.message':
    'Doména „{name}“ je uvedena dvakrát (mta.domains[{first}] a mta.domains[{second}]). Webové rozhraní vede pro každou doménu jeden záznam a přepínače Místní doména nebo trasy obou záznamů si mohou odporovat.',
  'finding.domains.duplicate.fix': 'Ponechte pro {name} jeden záznam a slučte do něj nastavení obou.',
  'finding.domains.subdomain.message':
    '„{name}“ je subdoménou uvedené domény „{parent}“. KSMG porovnává domény přesně, takže subdoména potřebuje vlastní záznam (který má); přepínač Místní doména a trasu od nadřazené domény nedědí.',
  'finding.domains.subdomain.fix': 'Zkontrolujte, že přepínač Místní doména a trasa domény {name} jsou takové, jaké je zamýšlíte.',
  'finding.domains.no-route.message.relayhost':
    'Místní doména {name} nemá trasu, takže KSMG předává její poštu jako všechnu ostatní na {gateway} {host} a ta ji posílá zpět do KSMG: poštovní smyčka.',
  'finding.domains.no-route.message.dns':
    'Místní doména {name} nemá trasu, takže KSMG doručuje její poštu podle DNS. Její veřejný záznam MX ukazuje na samotný KSMG (je hraniční bránou), takže se pošta zacyklí, pokud interní DNS neodpoví interním serverem.',
  'finding.domains.no-route.fix': 'Přidejte pro {name} trasu na interní poštovní server, např. route: { host: 10.0.0.25, port: 25 }.',
  'finding.domains.gateway.smarthost': 'smarthost (relayhost)',
  'finding.domains.gateway.edge': 'hraniční bránu',
  // ── audit findings: rules (seed step 5) ───────────────────────────────────────────────────
  'finding.rules.backscatter':
    'Za hraniční bránou dorazí odmítnutí k hraniční bráně až poté, co zprávu již přijala, takže hraniční brána odešle zprávu o nedoručení odesílateli, který je často podvržený: backscatter (krok 5 návodu).',
  'finding.rules.reject-behind-edge.mode.message': 'Pravidlo „{name}“ má nastaven režim „{rejectMode}“. {backscatter}',
  'finding.rules.reject-behind-edge.mode.fix': 'Nastavte režim pravidla „{name}“ na „{deleteMode}“ (mode: delete).',
  'finding.rules.reject-behind-edge.action.message': 'Pravidlo „{name}“: akce modulu {module} pro „{what}“ je {reject}. {backscatter}',
  // Seed 000 step 5: „nahraďte akci Odmítnout akcí Odstranit zprávu".
  'finding.rules.reject-behind-edge.action.fix': 'Nahraďte ji akcí {deleteMessage} ({key}: delete-message).',
  'finding.rules.inactive-reject-behind-edge.message': {
    one: 'Pravidlo „{name}“: modul {module} je vypnutý, ale jeho akce pro {labels} je {reject}. Pokud se modul později zapne, tato odmítnutí způsobí backscatter z hraniční brány.',
    few: 'Pravidlo „{name}“: modul {module} je vypnutý, ale jeho akce pro {labels} jsou {reject}. Pokud se modul později zapne, tato odmítnutí způsobí backscatter z hraniční brány.',
    other:
      'Pravidlo „{name}“: modul {module} je vypnutý, ale jeho akce pro {labels} jsou {reject}. Pokud se modul později zapne, tato odmítnutí způsobí backscatter z hraniční brány.',
  },
  'finding.rules.inactive-reject-behind-edge.fix': 'Nastavte {keys} již nyní na delete-message, aby bylo zapnutí modulu bezpečné.',
  'finding.rules.duplicate-name.message':
    'Dvě pravidla se jmenují „{name}“ (rules[{first}] a rules[{second}]); ve webovém rozhraní, v postupu ani v hlavičkách X-KSMG-Rule-ID je nelze rozlišit.',
  'finding.rules.duplicate-name.fix': 'Jedno z nich přejmenujte nebo je slučte do jednoho pravidla.',
  'list.and': '{items} a {last}',
  'list.quoted': '„{item}“',
  // ── audit findings: advanced MTA settings ─────────────────────────────────────────────────
  'finding.advanced.greeting-hostname.message':
    'Text pozdravu SMTP „{greeting}“ nezačíná $myhostname. Pozdrav 220 musí začínat vlastním jménem serveru (RFC 5321; Postfix: "You MUST specify $myhostname at the start") a někteří odesílatelé považují pozdrav bez něj za chybu protokolu.',
  'finding.advanced.greeting-hostname.fix': 'Začněte pozdrav $myhostname, např. „$myhostname ESMTP MTA“ (výchozí hodnota KSMG).',
  // ── audit findings: destination, loops (seed step 2) ──────────────────────────────────────
  'finding.destination.not-edge-gateway.message':
    'Ve schématu {scheme} musí KSMG předávat veškerou odchozí poštu hraniční bráně, ale Cílová adresa e-mailu je nastavena na DNS (přímé doručování podle MX): odchozí pošta by hraniční bránu obešla.',
  'finding.destination.not-edge-gateway.fix':
    'Vyberte „Odeslat prostřednictvím hraniční brány“ (mta.destination.mode: edge-gateway) a zadejte adresu a port hraniční brány.',
  'finding.destination.no-host.message':
    'Cílová adresa e-mailu je „Odeslat prostřednictvím hraniční brány“, ale není zadána adresa hraniční brány (relayhost), takže KSMG nemá kam posílat poštu pro jiné domény.',
  'finding.destination.no-host.fix':
    'Nastavte mta.destination.host na adresu IPv4/IPv6 nebo název hraniční brány a její port (obvykle 25).',
  'finding.destination.mx-lookup-ip.message':
    '„Použít vyhledávání MX“ je zapnuto pro adresu hraniční brány {host}, která je IP adresou; IP adresa nemá záznamy MX (webové rozhraní nabízí toto políčko jen pro název domény).',
  'finding.destination.mx-lookup-ip.fix':
    'Vypněte vyhledávání MX (mxLookup: false) nebo zadejte hraniční bránu jako název domény, jejíž záznamy MX na ni ukazují.',
  'finding.destination.mx-lookup-ip.route.message':
    'Trasa domény {domain} používá vyhledávání MX pro {host}, což je IP adresa bez záznamů MX.',
  'finding.destination.mx-lookup-ip.route.fix':
    'Vypněte pro tuto trasu vyhledávání MX (mxLookup: false) nebo zadejte další uzel jako název domény.',
  'finding.loop.relayhost-self.message':
    'Adresa hraniční brány {host} je tento server KSMG (název hostitele {hostname}): každá odchozí zpráva by se posílala zpět do KSMG, poštovní smyčka, dokud se nevrátí s "mail for {hostname} loops back to myself".',
  'finding.loop.relayhost-self.fix': 'Zadejte adresu hraniční brány, ne adresu KSMG.',
  'finding.loop.route-self.message':
    'Pošta pro {domain} se směruje na {host}, což je tento server KSMG (název hostitele {hostname}): poštovní smyčka.',
  'finding.loop.route-self.fix': 'Směrujte {domain} na interní poštovní server, který drží její schránky.',
  // ── audit findings: trusted networks (seed step 3) ────────────────────────────────────────
  'finding.networks.none.message':
    'Nejsou uvedeny žádné důvěryhodné sítě, takže KSMG nepřijímá poštu od interních poštovních serverů k doručení mimo organizaci: odchozí pošta se zastaví (krok 3 návodu).',
  'finding.networks.none.fix': 'Přidejte adresy nebo sítě interních poštovních serverů, např. 10.0.0.25 nebo 10.0.0.0/24.',
  'finding.networks.open-relay.message.whole':
    'Důvěryhodná síť „{network}“ pokrývá celý internet: každý hostitel v ní může přes KSMG předávat poštu do libovolné domény, což z KSMG dělá otevřený relay (důvěryhodní hostitelé navíc obcházejí ověřování příjemců a limity připojení).',
  'finding.networks.open-relay.message.large':
    'Důvěryhodná síť „{network}“ pokrývá velkou část internetu: každý hostitel v ní může přes KSMG předávat poštu do libovolné domény, což z KSMG dělá otevřený relay (důvěryhodní hostitelé navíc obcházejí ověřování příjemců a limity připojení).',
  'finding.networks.open-relay.fix': 'Uveďte jen své vlastní interní sítě a poštovní servery, např. 10.0.0.0/24 nebo 10.0.0.25.',
  'finding.networks.wide-public.message.v4':
    'Důvěryhodná síť „{network}“ je veřejný rozsah {addresses:number} adres; každý hostitel v něm může předávat poštu přes KSMG.',
  'finding.networks.wide-public.message.v6':
    'Důvěryhodná síť „{network}“ je veřejný rozsah /{prefix}; každý hostitel v něm může předávat poštu přes KSMG.',
  'finding.networks.wide-public.fix': 'Ověřte, že každá adresa v něm patří vám; jinak uveďte jen své poštovní servery.',
  'finding.networks.edge-trusted.message.verify':
    'Hraniční brána {host} leží v důvěryhodné síti „{network}“. Pošta z internetu přichází přes hraniční bránu, takže by s ní KSMG zacházel jako s poštou z vašich interních serverů: předal by ji do libovolné domény a vynechal ověřování příjemců, takže ověřování příjemců na hraniční bráně by vždy uspělo. KSMG hraniční bráně poštu posílá; nemusí jí důvěřovat.',
  'finding.networks.edge-trusted.message.noVerify':
    'Hraniční brána {host} leží v důvěryhodné síti „{network}“. Pošta z internetu přichází přes hraniční bránu, takže by s ní KSMG zacházel jako s poštou z vašich interních serverů: předal by ji do libovolné domény a vynechal ověřování příjemců. KSMG hraniční bráně poštu posílá; nemusí jí důvěřovat.',
  'finding.networks.edge-trusted.fix.exact': 'Odeberte {host} z důvěryhodných sítí (uveďte jen interní poštovní servery).',
  'finding.networks.edge-trusted.fix.inside': 'Nahraďte „{network}“ interními poštovními servery a sítěmi, které obsahuje, bez {host}.',
  'finding.networks.route-host-untrusted.message':
    'Interní poštovní server {host} (trasa domény {domain}) není v důvěryhodných sítích, takže KSMG odmítá jeho odchozí poštu do jiných domén s "554 5.7.1 Relay access denied".',
  'finding.networks.route-host-untrusted.fix':
    'Přidejte {host} (nebo jeho síť) do důvěryhodných sítí, ledaže tento server nikdy neposílá poštu ven přes KSMG.',
  // ── audit findings: queue timing ──────────────────────────────────────────────────────────
  'finding.queue.run-delay-above-minimal-backoff.message':
    'Interval zpracování fronty Deferred (queueRunDelay, {runDelay}) je delší než minimální interval doručování pro frontu Deferred (minimalBackoff, {minimal}). Postfix doporučuje minimal_backoff_time ≥ queue_run_delay: fronta se prochází jen každých {runDelayShort}, takže odložená zpráva čeká na další pokus tak dlouho, ne {minimalShort}.',
  'finding.queue.run-delay-above-minimal-backoff.ksmgDefaults': ' Jsou to výchozí hodnoty KSMG 1.1.',
  'finding.queue.run-delay-above-minimal-backoff.fix':
    'Nastavte queueRunDelay nejvýše na {minimalShort} nebo zvyšte minimalBackoff alespoň na {runDelayShort}.',
  'finding.queue.backoff-order.message':
    'Minimální interval doručování (minimalBackoff, {minimal}) je delší než maximální (maximalBackoff, {maximal}); Postfix pak opakuje pokusy každých {maximalShort} a minimum nemá žádný účinek.',
  'finding.queue.backoff-order.fix': 'Nastavte minimalBackoff menší než maximalBackoff (výchozí hodnoty KSMG: 300s a 4000s).',
  'finding.queue.bounce-lifetime.message':
    'Doba zprávy o nedoručení ve frontě (bounceQueueLifetime, {bounce}) je delší než u zpráv (maximalQueueLifetime, {maximal}); Postfix ji omezí na dobu zprávy a zapíše varování, takže delší hodnota se nikdy nepoužije.',
  'finding.queue.bounce-lifetime.fix': 'Nastavte bounceQueueLifetime nejvýše na {maximalShort}.',
  // ── audit findings: values that do not do what they seem to ───────────────────────────────
  'finding.networks.ipv4-mapped.message.network':
    'Důvěryhodná síť „{network}“ je síť IPv4 {v4} zapsaná jako IPv6. KSMG (Postfix) porovnává klienty IPv4 jen se sítěmi IPv4, takže tento záznam nedůvěřuje nikomu.',
  'finding.networks.ipv4-mapped.message.address':
    'Důvěryhodná síť „{network}“ je adresa IPv4 {v4} zapsaná jako IPv6. KSMG (Postfix) porovnává klienty IPv4 jen se sítěmi IPv4, takže tento záznam nedůvěřuje nikomu.',
  'finding.writeAs': 'Zapište ji jako {v4}.',
  'finding.hosts.ipv4-mapped.message':
    '{what} „{host}“ je adresa IPv4 {v4} zapsaná jako IPv6; webové rozhraní očekává {v4} a síť jen s IPv4 k ní nemá trasu IPv6.',
  'finding.hosts.ipv4-mapped.edge': 'Adresa hraniční brány',
  'finding.hosts.ipv4-mapped.route': 'Trasa domény {domain}',
  'finding.networks.redundant.message':
    'Důvěryhodná síť „{network}“ již leží uvnitř „{outer}“, takže záznam nic nemění. Pokud se má důvěřovat jen {network}, je příliš široká „{outer}“.',
  'finding.networks.redundant.fix': 'Odeberte {network} nebo zužte {outer} na to, čemu se má skutečně důvěřovat.',
  'finding.recipients.valid-outside-local.message.notLocal':
    'Platný příjemce {recipient} není v místní doméně ({domain} je uvedena, ale není místní): KSMG odmítá poštu pro něj z nedůvěryhodných zdrojů jako relaying dříve, než nahlédne do seznamu, takže záznam nemá žádný účinek.',
  'finding.recipients.valid-outside-local.message.notListed':
    'Platný příjemce {recipient} není v místní doméně ({domain} není uvedena): KSMG odmítá poštu pro něj z nedůvěryhodných zdrojů jako relaying dříve, než nahlédne do seznamu, takže záznam nemá žádný účinek.',
  'finding.recipients.valid-outside-local.fix':
    'Odeberte {recipient} nebo přidejte {domain} jako místní doménu, pokud má KSMG přijímat její poštu.',
  'finding.recipients.unlisted-whole-domain.message.rejects':
    '„{entry}“ přijímá každou adresu domény {domain}, takže „{unlisted}“ tam nic nekontroluje: pošta pro neexistující uživatele se přijme a interní server ji později vrátí (backscatter), místo aby byla odmítnuta během relace.',
  'finding.recipients.unlisted-whole-domain.message.accepts':
    '„{entry}“ přijímá každou adresu domény {domain}, takže „{unlisted}“ tam nic nekontroluje: pošta pro neexistující uživatele se přijme a interní server ji později vrátí.',
  'finding.recipients.unlisted-whole-domain.fix':
    'Uveďte místo toho skutečné adresy domény {domain} nebo vyberte „{unverified}“, aby se KSMG ptal interního serveru.',
  'finding.limits.size-tiny.size': 'Maximální velikost zprávy je {bytes} bajtů',
  'finding.limits.size-tiny.kb': ' ({kb} kB)',
  'finding.limits.size-tiny.tiny':
    ': nevejde se žádná běžná zpráva (každý poštovní server po cestě přidává hlavičky), takže KSMG odmítá téměř veškerou poštu s "552 5.3.4". Hodnota je v bajtech; výchozí hodnota KSMG je 20971520 (20 MB).',
  'finding.limits.size-tiny.small':
    ': běžná pošta s přílohami (5MB sken nebo prezentace) se odmítá s "552 5.3.4 Message size exceeds fixed limit". Hodnota je v bajtech; výchozí hodnota KSMG je 20971520 (20 MB).',
  'finding.limits.size-tiny.fix': 'Zadejte ji v bajtech, např. 20971520 (nebo 20MB), nebo 0 pro žádné omezení.',
  'finding.advanced.zero-duration.message': '{key} je 0 s: {why}.',
  'finding.advanced.zero-duration.why.sessionTimeout': 'každá relace SMTP se přeruší dříve, než klient stihne poslat příkaz',
  'finding.advanced.zero-duration.why.transportRetryTime': 'cíl, který právě selhal, se zkouší znovu okamžitě, v těsné smyčce',
  'finding.advanced.zero-duration.why.backoff': 'odložená pošta se zkouší znovu bez jakékoli pauzy a zahlcuje server, který nefunguje',
  'finding.advanced.zero-duration.why.queueRunDelay': 'fronta Deferred se prochází nepřetržitě',
  'finding.advanced.zero-duration.why.maximalQueueLifetime':
    'zpráva se zkusí jednou: první dočasné selhání (greylisting 450, restart) ji vrátí',
  'finding.advanced.zero-duration.why.bounceQueueLifetime': 'zpráva o nedoručení se zkusí jednou a při prvním dočasném selhání se zahodí',
  'finding.advanced.zero-duration.fix':
    'Použijte výchozí hodnotu KSMG (klíč vynechte) nebo hodnotu v sekundách či s jednotkou (30s, 5m, 4h, 3d).',
  'finding.advanced.zero-duration.dns.message':
    'Časový limit serveru DNS je 0 s: každé vyhledání SPF, DKIM a DMARC vyprší a KSMG zpracovává poštu bez ověření odesílatele.',
  'finding.advanced.zero-duration.dns.fix': 'Použijte výchozí hodnotu KSMG 10 s (klíč vynechte).',
  // ── audit findings: rule patterns ({problem} is the config loader's text, English for now) ─
  'finding.rules.regex-refused.message': 'Pravidlo „{name}“: {problem}. Pravidlo by této položce nikdy neodpovídalo.',
  'finding.rules.regex-refused.fix': 'Přepište výraz bez zpětných odkazů a lookaround (syntaxe RE2) nebo použijte masku adresy s * a ?.',
  // ── audit: the text report ────────────────────────────────────────────────────────────────
  'audit.heading': 'Audit souboru {file} (integrace: {integration})',
  'audit.group.error': 'Chyby ({count})',
  'audit.group.warning': 'Varování ({count})',
  'audit.group.info': 'Informace ({count})',
  'audit.fix': 'Oprava:',
  'audit.fixAutomatic': 'Oprava (automatická):',
  'audit.webUi': 'Webové rozhraní:',
  'audit.none': 'Žádná zjištění: konfigurace odpovídá schématu {integration}.',
  'audit.count.errors': { one: '{count} chyba', few: '{count} chyby', many: '{count} chyby', other: '{count} chyb' },
  'audit.count.warnings': { one: '{count} varování', other: '{count} varování' },
  'audit.count.info': '{count} informace',
  'audit.counts': '{errors}, {warnings}, {info}.',
  'audit.fixErrors': 'Před použitím této konfigurace opravte chyby.',
  'audit.noErrors': 'Žádné chyby.',
  // ── TLS Encryption, receiving side (audit findings, runbook step, wizard question) ─────────
  'finding.tls.no-starttls.edge':
    'Šifrování TLS je „Bez TLS“: odesílatelé z internetu nemohou použít STARTTLS, takže zprávy, adresy i případné přihlašovací údaje v nich putují internetem nešifrovaně a odesílatelé, kteří TLS vyžadují (MTA-STS, DANE), nedoručí vůbec.',
  'finding.tls.no-starttls.behind-edge':
    'Šifrování TLS je „Bez TLS“: hraniční brána nemůže vůči KSMG použít STARTTLS, takže veškerá pošta putuje vnitřní sítí nešifrovaně.',
  'finding.tls.no-starttls.fix':
    'Nastavte mta.tls.securityLevel: may („Zkusit TLS“, výchozí v KSMG): STARTTLS se nabízí a nešifrovaní odesílatelé jsou stále přijímáni.',
  'finding.tls.encrypt-on-edge.message':
    'Šifrování TLS je „Vyžadovat TLS“ na bráně, která přijímá z internetu: každý odesílatel, který nepoužije STARTTLS, dostane „530 5.7.0 Must issue a STARTTLS command first“ a jeho zpráva je odmítnuta (RFC 3207 to veřejně uvedenému poštovnímu serveru zakazuje).',
  'finding.tls.encrypt-on-edge.fix':
    'Nastavte mta.tls.securityLevel: may („Zkusit TLS“); TLS vyžadujte jen vůči partnerům, o nichž víte, že ho používají (odchozí TLS podle domény).',
  'runbook.tls.title': 'Nastavte šifrování TLS přijímané pošty',
  'runbook.tls.level': 'Nastavte „{label}“ na „{value}“.',
  'runbook.tls.certificate':
    'V části „{label}“ nainstalujte certifikát {cert} s jeho soukromým klíčem {key} (brána ho předkládá odesílatelům při STARTTLS).',
  'runbook.tls.selfSigned':
    'Soubor ksmg.yaml neuvádí žádný certifikát: brána si ponechá vlastní certifikát podepsaný sám sebou pro {hostname}.',
  'runbook.tls.whyEncrypt': 'Vyžadovat TLS odmítne každého odesílatele, který nepoužije STARTTLS (530 5.7.0).',
  'runbook.tls.whyNone': 'Bez TLS: odesílatelé nemohou použít STARTTLS; pošta přichází nešifrovaně.',
  'wizard.tls.title': 'TLS pro přijímanou poštu',
  'wizard.tls.message': 'TLS pro přijímanou poštu (Šifrování TLS > Úroveň zabezpečení TLS serveru)',
  'wizard.tls.may': 'Zkusit TLS: nabízet STARTTLS, přijímat i nešifrovaně (výchozí v KSMG)',
  'wizard.tls.encrypt': 'Vyžadovat TLS: odmítat odesílatele, kteří nepoužijí STARTTLS',
  'wizard.tls.none': 'Bez TLS: STARTTLS nenabízet',
  'wizard.tls.hintEdge': 'KSMG zde přijímá z internetu: Vyžadovat TLS by odmítlo každého odesílatele bez STARTTLS.',
  'wizard.option.tlsLevel': 'TLS pro přijímanou poštu: none (Bez TLS), may (Zkusit TLS), encrypt (Vyžadovat TLS)',
  'probe.tls.noCertificate': 'TLS po STARTTLS: {protocol}, {cipher}; nebyl předložen žádný certifikát',
  'probe.tls.session': 'TLS po STARTTLS: {protocol}, {cipher}',
  'probe.tls.certificate': 'certifikát: {subject}; jména: {names}',
  'probe.tls.noNames': '(bez subjectAltName)',
  'probe.tls.expires': 'platný do {until} (zbývá {days:number} dní)',
  'probe.tls.expired': 'PROŠLÝ dne {until} (před {days:number} dny)',
  'probe.tls.selfSigned':
    'podepsaný sám sebou (jak ho zařízení dodává): pro oportunistické STARTTLS v pořádku; odesílatelé, kteří ověřují (MTA-STS, DANE), ho nepřijmou',
  'probe.tls.untrusted': 'není důvěryhodný pro certifikační autority tohoto počítače (vydavatel zde neznámý)',
  'probe.tls.failed': 'STARTTLS se nabízí, ale navázání TLS selhalo: {error}',
  // ── audit: odchozí TLS ──────────────────────────────────────────────────────────────────────
  'finding.tls.plaintext-to-untrusted-network.message':
    'Pošta pro {name} se doručuje na {host} bez TLS a {host} je veřejná adresa, ne vaše privátní síť: její zprávy jdou nešifrovaně přes sítě, které nemáte pod kontrolou.',
  'finding.tls.plaintext-to-untrusted-network.fix':
    'Nastavte režim TLS domény {name} na may (zkusit TLS) nebo encrypt (vyžadovat TLS), pokud server nabízí STARTTLS; none ponechte jen pro server v síti, které důvěřujete.',
  'finding.tls.domain-mode-via-relayhost.message':
    'Doména {name} má vlastní režim TLS ({level}), ale žádnou trasu, takže její pošta jde přes hraniční bránu (relayhost); Postfix hledá v smtp_tls_policy_maps další skok relayhostu, nikdy {name}, a režim tak nemá žádný účinek.',
  'finding.tls.domain-mode-via-relayhost.fix':
    'Dejte doméně {name} trasu (režim pak platí pro ni), nebo její režim TLS odstraňte; úroveň pro relayhost nastavte v části Šifrování TLS.',
  'finding.tls.verify-without-ca.message':
    'verify kontroluje certifikáty dalších skoků a bez mta.tls.caFile jen proti veřejným certifikačním autoritám systému: interní server s certifikátem od vaší vlastní CA nebo s certifikátem podepsaným sebou samým skončí „Server certificate not verified“ a jeho pošta čeká ve frontě.',
  'finding.tls.verify-without-ca.fix':
    'Nastavte mta.tls.caFile na soubor PEM s CA, která podepsala certifikáty vašich serverů (smtp_tls_CAfile), nebo použijte encrypt tam, kde kontrola certifikátu není potřeba.',
  'finding.tls.verify-ip-next-hop.message':
    'Doména {name} je pod verify směrována na IP adresu {host}: certifikát pak musí uvádět tuto adresu, což serverové certifikáty uvádějí zřídka, jinak se pošta odloží („Server certificate not verified“).',
  'finding.tls.verify-ip-next-hop.fix': 'Směrujte podle názvu hostitele serveru (názvu v jeho certifikátu), nebo použijte encrypt.',
  // ── the wizard, the commands' human output, config errors: sections in their own files ─────
  ...wizardCs,
  ...configCs,
  ...cliCs,
};
