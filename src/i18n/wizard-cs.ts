// The wizard's section of the Czech catalogue (spread into ./cs.ts), the same ids as
// ./wizard-en.ts. Where a text names a KSMG web-UI element, the label is the one the Czech help
// page (seed 000) writes: Místní doména, Použít vyhledávání MX, Cílová adresa e-mailu, Odeslat
// prostřednictvím hraniční brány, Důvěryhodné sítě, Použít SPF, Použít DMARC, Odmítat zprávy u
// příjemců, Neodmítat, Odmítnout, Odstranit zprávu, Rozšířené nastavení. Labels the seed does not
// give are marked "not in the seed: our translation".
import type { Catalogue } from './types.js';
import type { wizardEn } from './wizard-en.js';

export const wizardCs: Catalogue<keyof typeof wizardEn> = {
  // ── wizard: the run around the steps ──────────────────────────────────────────────────────
  'wizard.stepHeader': 'Krok {n}/{total}: {title}',
  'wizard.intro.new': 'integrace Kaspersky Secure Mail Gateway; odpovědi se zapíší do {file}',
  'wizard.intro.update': 'úprava {file}; každá odpověď je předvyplněna současnou hodnotou',
  'wizard.intro.ctrlC': 'Ctrl-C kdykoli ukončí průvodce a soubor zůstane nedotčen.',
  'wizard.schemeChanged': 'Schéma se změnilo, proto přijdou znovu kroky, které na něm závisí, předvyplněné jeho doporučeními.',
  'wizard.invalidAnswers': 'z odpovědí nevznikne platný ksmg.yaml:\n{problems}',
  'wizard.invalidAnswersYet': 'Z těchto odpovědí zatím nevznikne platný ksmg.yaml:\n{problems}',
  'wizard.goBackTo': 'Vrátit se na',
  'wizard.changes': 'Změny',
  'wizard.cancelled': 'Zrušeno — {file} nebyl zapsán.',
  'wizard.noFileNoTerminal':
    'zde není {file} a není terminál, ve kterém by se dal spustit průvodce.\nSpusťte `ksmg-setup init` s přepínači nebo s --answers SOUBOR (viz `ksmg-setup init --help`), nebo ho spusťte v terminálu.',
  'wizard.unusableFile': '{file} nelze použít tak, jak je; opravte ho (nebo přesuňte jinam) a spusťte znovu. Nic nebylo změněno.',
  'wizard.cannotWrite': '{file} nelze zapsat ({code}: {reason}); nic nebylo změněno.',
  'wizard.wrote': 'Zapsán {file}',
  'wizard.wroteKeptBak': 'Zapsán {file} (předchozí verze uložena jako {file}.bak)',
  'wizard.nowChange': 'Nyní změňte ve webovém rozhraní KSMG',
  'wizard.nowDo': 'Nyní ve webovém rozhraní KSMG',
  'wizard.verifySkipped':
    'Ověření v laboratoři bylo vynecháno, takže {file} zatím není prověřen. Prověříte ho příkazem `ksmg-setup verify --config {file}`.',
  'wizard.verifying': 'Ověření v laboratoři',
  'wizard.verifyingWhat': 'přehrávají se scénáře pro toto schéma',
  'wizard.fileHeader': 'ksmg.yaml — zapsal `ksmg-setup init`; upravujte volně, komentáře se při dalších spuštěních zachovají.',
  // ── wizard: common words ──────────────────────────────────────────────────────────────────
  'wizard.on': 'zapnuto',
  'wizard.off': 'vypnuto',
  'wizard.yes': 'ano',
  'wizard.no': 'ne',
  'wizard.none': 'žádné',
  'wizard.port': 'Port',
  'wizard.alreadyListed': '{value} už je v seznamu',
  'wizard.listSeparator': ', ',
  // ── wizard step: integration scheme ───────────────────────────────────────────────────────
  'wizard.scheme.title': 'Schéma integrace',
  'wizard.scheme.explain': 'To, kde KSMG v toku pošty stojí, rozhoduje, které kontroly patří na KSMG a které na bránu před ním.',
  'wizard.scheme.edge': 'KSMG je hraniční brána',
  'wizard.scheme.edge.description':
    'KSMG přijímá poštu přímo z internetu (jeho adresa je ve vašich záznamech MX) a předává ji interním poštovním serverům.',
  'wizard.scheme.behind-edge-verify': 'Za hraniční bránou, která ověřuje příjemce',
  'wizard.scheme.behind-edge-verify.description':
    'K internetu je obrácena jiná brána a před přijetím zprávy ověřuje adresy příjemců u KSMG (SMTP callout).',
  'wizard.scheme.behind-edge-no-verify': 'Za hraniční bránou, která neověřuje příjemce',
  'wizard.scheme.behind-edge-no-verify.description':
    'K internetu je obrácena jiná brána a vše pro vaše domény předává KSMG bez ověření příjemců.',
  // ── wizard step: local domains ────────────────────────────────────────────────────────────
  'wizard.domains.title': 'Místní domény',
  'wizard.domains.explain':
    'Místní domény jsou domény, pro které KSMG přijímá zprávy z libovolných zdrojů včetně internetu; zprávy z nedůvěryhodných zdrojů určené jiným doménám budou odmítnuty. Trasa posílá doménu na pevně daný interní server; bez ní KSMG použije DNS.',
  'wizard.domains.name': 'Doména nebo subdoména',
  // Seed 000: „zapněte přepínač Místní doména“.
  'wizard.domains.local': 'Místní doména — přijímat zprávy pro {name} z libovolných zdrojů včetně internetu?',
  'wizard.domains.routed': 'Směrovat {name} na určitý poštovní server (jinak ji KSMG vyhledá v DNS)?',
  'wizard.domains.server': 'Server pro {name} (IPv4, IPv6 nebo název hostitele)',
  'wizard.domains.mx': 'Vyhledat záznamy MX pro {host} (místo připojení přímo k {host})?',
  'wizard.domains.keep': 'Ponechat',
  'wizard.domains.change': 'Změnit',
  'wizard.domains.remove': 'Odebrat',
  'wizard.domains.another': 'Přidat další doménu?',
  'wizard.domains.needOne': 'Je potřeba alespoň jedna místní doména: bez ní KSMG nepřijímá žádné zprávy pro vaše servery.',
  'wizard.domains.given': 'Doména',
  'wizard.domains.describe.notLocal': ' (není místní)',
  'wizard.domains.describe.mx': ' (vyhledávání MX)',
  // Not in the seed: our translation (the Domains page's TLS field has no Czech label there).
  'wizard.domains.tls': 'TLS pro poštu do {name} na {host} (režim TLS odchozí pošty na stránce Domény)',
  'wizard.domains.tlsDefault': 'Podle výchozího nastavení odchozí pošty (mta.tls.outgoing)',
  'wizard.domains.describe.tls': ', TLS {level}',
  // ── wizard step: destination ──────────────────────────────────────────────────────────────
  // Not in the seed: our translation of the step title (the field is „Cílová adresa e-mailu“).
  'wizard.destination.title': 'Cílová adresa',
  // Seed 000: „V poli Cílová adresa e-mailu vyberte možnost Odeslat prostřednictvím hraniční brány“.
  'wizard.destination.explainBehind':
    'Za hraniční bránou posílá KSMG veškerou odchozí poštu zpět na tuto bránu („Odeslat prostřednictvím hraniční brány“, relayhost). Vyhledávání MX je možné jen pro název hostitele; bez něj se KSMG připojuje přímo k hostiteli.',
  'wizard.destination.explainEdge':
    'Jako hraniční brána KSMG obvykle doručuje odchozí poštu sám podle záznamů MX každé domény. Bránu zvolte, jen pokud odchozí pošta musí odcházet přes jiný server (smarthost).',
  'wizard.destination.dns': 'přímé doručování podle DNS (záznamy MX)',
  'wizard.destination.via': 'přes bránu {hop}',
  'wizard.destination.viaMx': 'přes bránu {hop} (vyhledávání MX)',
  'wizard.destination.outgoing': 'Odchozí pošta',
  'wizard.destination.choice.dns': 'Doručovat přímo podle DNS (záznamy MX)',
  'wizard.destination.choice.gateway': 'Odesílat přes jinou bránu (smarthost)',
  'wizard.destination.edgeAddress': 'Adresa hraniční brány (IPv4, IPv6 nebo název hostitele)',
  'wizard.destination.gatewayAddress': 'Adresa brány (IPv4, IPv6 nebo název hostitele)',
  // Seed 000: „zaškrtnutím políčka Použít vyhledávání MX“.
  'wizard.destination.mx': 'Použít vyhledávání MX pro {host} (doručovat na jeho hostitele MX, ne přímo na {host})?',
  // ── wizard step: trusted networks ─────────────────────────────────────────────────────────
  // Seed 000: pole „Důvěryhodné sítě“.
  'wizard.trusted.title': 'Důvěryhodné sítě',
  'wizard.trusted.explain':
    'Důvěryhodné sítě smějí přes KSMG posílat poštu kamkoli, proto uveďte své interní poštovní servery a sítě — nic jiného. Bez nich vaše servery nemohou přes KSMG posílat poštu ven.',
  'wizard.trusted.serverFor': 'server pro {domain}',
  'wizard.trusted.unticked': '{network}  (nezaškrtnuto: audit říká odebrat, {id})',
  'wizard.trusted.suggested': '{network}  ({why}, zatím nepokrytý)',
  'wizard.trusted.list': 'Důvěryhodné sítě (mezerník přepíná, Enter potvrzuje)',
  'wizard.trusted.add': 'Přidat důvěryhodnou síť — adresa IPv4/IPv6 nebo CIDR (prázdné = konec)',
  'wizard.trusted.covered': '{value} už leží uvnitř {covering}, která je v seznamu: záznam by nic nezměnil',
  'wizard.trusted.none': 'Žádné důvěryhodné sítě: vaše interní servery nebudou moci přes KSMG posílat poštu ven.',
  'wizard.trusted.mappedNetwork': '„{text}“ je síť IPv4 {v4} zapsaná jako IPv6, která neodpovídá žádnému klientovi IPv4; zadejte {v4}',
  'wizard.trusted.mappedAddress': '„{text}“ je adresa IPv4 {v4} zapsaná jako IPv6, která neodpovídá žádnému klientovi IPv4; zadejte {v4}',
  'wizard.trusted.internalOnly': '{reason} Zadejte jen své interní sítě.',
  // ── wizard step: sender authentication ────────────────────────────────────────────────────
  'wizard.senderAuth.title': 'Ověřování odesílatele',
  'wizard.senderAuth.explainBehind':
    'SPF porovnává připojující se server se záznamem SPF domény odesílatele. Za hraniční bránou je připojujícím se serverem vždy hraniční brána, takže pravá pošta by neprošla SPF a potom ani DMARC: zde obojí vypněte a kontrolujte je na hraniční bráně.',
  'wizard.senderAuth.explainEdge':
    'Jako hraniční brána KSMG vidí skutečný odesílající server, takže SPF a DMARC fungují, jak mají: ponechte je zapnuté. (KSMG sám vypne DMARC, když je vypnuto SPF nebo DKIM.)',
  'wizard.senderAuth.question': '{label}?',
  'wizard.senderAuth.questionNo': '{label}? (doporučeno: ne)',
  // ── wizard step: scan actions ─────────────────────────────────────────────────────────────
  // Not in the seed: our translation of the step title.
  'wizard.scan.title': 'Akce kontroly',
  // Seed 000 step 5: „nahraďte akci Odmítnout akcí Odstranit zprávu“.
  'wizard.scan.explainBehind':
    'Za hraniční bránou dorazí odmítnutí (Odmítnout) od KSMG na hraniční bránu, ne k odesílateli, a hraniční brána pak pošle zprávu o nedoručení (často podvrženému) odesílateli — backscatter. Proto se každá akce Odmítnout nahradí akcí Odstranit zprávu.',
  'wizard.scan.explainEdge':
    'Jako hraniční brána může KSMG odmítnout poštu během relace SMTP, takže Odmítnout je zde správná akce; tyto akce je třeba měnit jen za hraniční bránou.',
  'wizard.scan.noReject': 'Žádné pravidlo nepoužívá akci Odmítnout.',
  // Not in the seed: our translation.
  'wizard.scan.ruleMode': 'Režim pravidla',
  'wizard.scan.given': 'Nahradit akci Odmítnout akcí Odstranit zprávu',
  'wizard.scan.confirm': {
    one: 'Provést tuto {count} změnu?',
    few: 'Provést tyto {count} změny?',
    many: 'Provést tyto {count} změny?',
    other: 'Provést těchto {count} změn?',
  },
  'wizard.scan.anyway': 'Přesto nahradit akci Odmítnout akcí Odstranit zprávu?',
  // ── wizard step: recipient verification ───────────────────────────────────────────────────
  'wizard.recipients.title': 'Ověřování příjemců',
  // Seed 000 step 6: „Odmítat zprávy u příjemců … Neodmítat“.
  'wizard.recipients.none': 'Neodmítat',
  'wizard.recipients.none.description':
    'KSMG přijímá zprávy pro libovolnou adresu ve vašich doménách. Zpráva na neexistující adresu se později vrátí jako zpráva o nedoručení odesílateli, který bývá podvržený: backscatter. Správná volba, když ani hraniční brána před KSMG příjemce neověřuje.',
  // Not in the seed: our translation (as src/audit/ui.ts).
  'wizard.recipients.reject-unverified': 'Odmítat u neověřených příjemců',
  'wizard.recipients.reject-unverified.description':
    'KSMG se před přijetím zeptá interního serveru, zda adresa existuje (reject_unverified_recipient). Neznámé adresy se odmítnou během relace SMTP, takže od KSMG nepřijde žádné vrácení a ověřující hraniční brána dostane skutečnou odpověď.',
  // Not in the seed: our translation (as src/audit/ui.ts).
  'wizard.recipients.reject-unlisted': 'Odmítat u příjemců mimo seznam platných',
  'wizard.recipients.reject-unlisted.description':
    'KSMG odmítá adresy, které chybí v seznamu, jejž udržujete (uživatel@doména nebo @doména pro celou doménu): žádné dotazy, žádný backscatter, ale seznam musí být aktuální, jinak se odmítne i skutečná pošta.',
  'wizard.recipients.outsideLocal':
    '{domain} není žádnou z místních domén ({domains}): KSMG odmítne poštu pro ni jako předávání (relaying) dřív, než se seznam použije. Nejprve přidejte doménu v kroku domén.',
  'wizard.recipients.noneYet': 'zatím žádné',
  'wizard.recipients.explain':
    'Co KSMG dělá se zprávami pro adresy, které ve vašich doménách neexistují. Důvěryhodné sítě se nikdy nekontrolují. Doporučeno pro toto schéma: {recommended}.',
  'wizard.recipients.recommended': '{name} (doporučeno)',
  'wizard.recipients.code': 'Kód odpovědi pro adresu, kterou interní server nepotvrdí',
  'wizard.recipients.code450': '450 — dočasné: odesílatel to zkusí znovu; když server neběží, nic se neztratí (výchozí v KSMG)',
  'wizard.recipients.code550': '550 — trvalé: odesílatel to hned vzdá',
  'wizard.recipients.validList': 'Platní příjemci (mezerník přepíná, Enter potvrzuje)',
  'wizard.recipients.addValid':
    'Přidat platného příjemce — uživatel@doména, nebo @doména pro každou adresu této domény (tam bez kontroly) (prázdné = konec)',
  'wizard.recipients.atLeastOne': 'Zadejte alespoň jednoho: s prázdným seznamem se odmítne každý příjemce.',
  // ── wizard step: advanced settings ────────────────────────────────────────────────────────
  // Seed 000: „Integrovaný agent MTA > Rozšířené nastavení“.
  'wizard.advanced.title': 'Rozšířené nastavení',
  'wizard.advanced.explain':
    'Název hostitele, maximální velikost zprávy, limity četnosti, časové limity a doby ve frontě. Výchozí hodnoty KSMG vyhovují většině míst.',
  'wizard.advanced.flagged': 'Audit má nálezy u: {labels}.',
  'wizard.advanced.change': 'Změnit rozšířené nastavení?',
  'wizard.advanced.which': 'Která nastavení?',
  'wizard.advanced.hostnameGiven': 'Název hostitele',
  'wizard.advanced.sizeGiven': 'Maximální velikost zprávy',
  'wizard.advanced.derived': '(odvozeno z první domény)',
  'wizard.advanced.choice': '{label}: {value}',
  'wizard.advanced.choiceFlagged': '{label}: {value} (nález auditu; doporučeno {recommended})',
  'wizard.advanced.sizeQuestion': '{label} — výchozí v KSMG 20971520',
  'wizard.advanced.booleanQuestion': '{label}? (výchozí v KSMG: {default})',
  'wizard.advanced.inputQuestion': '{label} — výchozí v KSMG {default}',
  // Not in the seed: our translation (the seed names none of these fields), the same words as
  // the runbook's labels in src/audit/ui.ts (ADVANCED_FIELDS) where they name the same field.
  'wizard.advanced.label.hostname': 'Název hostitele (myhostname)',
  'wizard.advanced.label.messageSizeLimit': 'Maximální velikost zprávy, v bajtech nebo s jednotkou, např. 20MB (0 = bez omezení)',
  'wizard.advanced.label.greeting': 'Text pozdravu SMTP',
  'wizard.advanced.label.connectionRateLimit': 'Maximální počet pokusů o připojení od klienta za minutu (0 = bez omezení)',
  'wizard.advanced.label.connectionCountLimit': 'Maximální počet současných připojení od klienta',
  'wizard.advanced.label.messageRateLimit': 'Maximální počet požadavků na doručení od klienta za minutu (0 = bez omezení)',
  'wizard.advanced.label.sessionTimeout': 'Maximální délka relace SMTP',
  'wizard.advanced.label.transportRetryTime': 'Interval mezi pokusy o připojení k cílové adrese',
  'wizard.advanced.label.minimalBackoff': 'Minimální interval doručování pro frontu Deferred',
  'wizard.advanced.label.maximalBackoff': 'Maximální interval doručování pro frontu Deferred',
  'wizard.advanced.label.queueRunDelay': 'Interval zpracování fronty Deferred',
  'wizard.advanced.label.maximalQueueLifetime': 'Maximální doba zprávy ve frontě',
  'wizard.advanced.label.bounceQueueLifetime': 'Maximální doba zprávy o nedoručení ve frontě',
  'wizard.advanced.label.alwaysBcc': 'Adresa skryté kopie pro všechny zprávy (prázdné = žádná)',
  'wizard.advanced.label.strictRfc821Envelopes': 'Kontrolovat formát adres podle RFC 821',
  'wizard.advanced.label.disableVrfy': 'Zakázat příkaz SMTP VRFY',
  'wizard.advanced.label.discardEhloKeywords': 'Neohlašovaná klíčová slova EHLO (oddělená čárkou)',
  'wizard.advanced.label.rejectUnknownRecipientDomains': 'Odmítat zprávy pro neznámé domény příjemců',
  // ── wizard: review ────────────────────────────────────────────────────────────────────────
  'wizard.review.title': 'Kontrola',
  'wizard.review.row.scheme': 'Schéma integrace',
  'wizard.review.row.domains': 'Místní domény',
  'wizard.review.row.destination': 'Cílová adresa',
  'wizard.review.row.trusted': 'Důvěryhodné sítě',
  'wizard.review.row.senderAuth': 'SPF / DMARC',
  'wizard.review.row.rejects': 'Akce Odmítnout v pravidlech',
  'wizard.review.row.recipients': 'Ověřování příjemců',
  'wizard.review.row.hostname': 'Název hostitele',
  'wizard.review.row.size': 'Maximální velikost zprávy',
  'wizard.review.rejectsChanged': '{count} ({changed} změněno na Odstranit zprávu)',
  'wizard.review.emptyList': 'prázdný seznam',
  'wizard.review.accepted': {
    one: 'Zapisuji {file} s {count} chybou auditu, jak žádá --accept-findings.',
    few: 'Zapisuji {file} se {count} chybami auditu, jak žádá --accept-findings.',
    many: 'Zapisuji {file} s {count} chybami auditu, jak žádá --accept-findings.',
    other: 'Zapisuji {file} s {count} chybami auditu, jak žádá --accept-findings.',
  },
  'wizard.review.errorsWhatNow': {
    one: 'Audit našel {count} chybu. Co teď?',
    few: 'Audit našel {count} chyby. Co teď?',
    many: 'Audit našel {count} chyby. Co teď?',
    other: 'Audit našel {count} chyb. Co teď?',
  },
  'wizard.review.isThisRight': 'Je to správně?',
  'wizard.review.fix': {
    one: 'Opravit ({count} nález s automatickou opravou; ukáže změny)',
    few: 'Opravit ({count} nálezy s automatickou opravou; ukáže změny)',
    many: 'Opravit ({count} nálezu s automatickou opravou; ukáže změny)',
    other: 'Opravit ({count} nálezů s automatickou opravou; ukáže změny)',
  },
  'wizard.review.writeAnyway': {
    one: 'Přesto zapsat {file}, s {count} chybou',
    few: 'Přesto zapsat {file}, se {count} chybami',
    many: 'Přesto zapsat {file}, s {count} chybami',
    other: 'Přesto zapsat {file}, s {count} chybami',
  },
  'wizard.review.write': 'Ano, zapsat {file}',
  'wizard.review.goBack': 'Vrátit se na: {title}',
  'wizard.review.cancel': 'Zrušit (nic nezapisovat)',
  'wizard.review.sure': {
    one: 'Zapsat {file}, přestože audit našel {count} chybu ({ids})?',
    few: 'Zapsat {file}, přestože audit našel {count} chyby ({ids})?',
    many: 'Zapsat {file}, přestože audit našel {count} chyby ({ids})?',
    other: 'Zapsat {file}, přestože audit našel {count} chyb ({ids})?',
  },
  // ── wizard: the audit as the wizard shows it ──────────────────────────────────────────────
  'wizard.findings.none': 'Audit nenašel žádné chyby ani varování.',
  'wizard.findings.noneWithNotes': {
    one: 'Audit nenašel žádné chyby ani varování ({count} poznámka: `ksmg-setup audit`).',
    few: 'Audit nenašel žádné chyby ani varování ({count} poznámky: `ksmg-setup audit`).',
    many: 'Audit nenašel žádné chyby ani varování ({count} poznámky: `ksmg-setup audit`).',
    other: 'Audit nenašel žádné chyby ani varování ({count} poznámek: `ksmg-setup audit`).',
  },
  'wizard.findings.heading': 'Audit těchto odpovědí našel:',
  'wizard.findings.error': '✖ chyba',
  'wizard.findings.warning': '▲ varování',
  'wizard.findings.refused': {
    one: '{file} se nezapisuje: audit našel v těchto odpovědích {count} chybu:',
    few: '{file} se nezapisuje: audit našel v těchto odpovědích {count} chyby:',
    many: '{file} se nezapisuje: audit našel v těchto odpovědích {count} chyby:',
    other: '{file} se nezapisuje: audit našel v těchto odpovědích {count} chyb:',
  },
  'wizard.findings.refusedHint': 'Změňte odpovědi (přepínače nebo --answers), nebo soubor přesto zapište s --accept-findings.',
  // ── wizard: the rerun menu ────────────────────────────────────────────────────────────────
  'wizard.rerun.whatNext': 'Co dál?',
  'wizard.rerun.patch': {
    one: 'Opravit ({count} nález s automatickou opravou: ukáže změny, zapíše, znovu ověří)',
    few: 'Opravit ({count} nálezy s automatickou opravou: ukáže změny, zapíše, znovu ověří)',
    many: 'Opravit ({count} nálezu s automatickou opravou: ukáže změny, zapíše, znovu ověří)',
    other: 'Opravit ({count} nálezů s automatickou opravou: ukáže změny, zapíše, znovu ověří)',
  },
  'wizard.rerun.steps': 'Projít kroky, kterých se týkají ostatní nálezy ({steps})',
  'wizard.rerun.thenSteps': 'Potom projít kroky, kterých se týkají ostatní nálezy ({steps})',
  'wizard.rerun.edit': 'Upravit krok',
  'wizard.rerun.verify': 'Znovu ověřit v laboratoři',
  'wizard.rerun.quit': 'Konec',
  'wizard.rerun.which': 'Který krok?',
  'wizard.rerun.nothingChanged': '{problem}; nic nebylo změněno.',
  'wizard.rerun.newErrors': {
    one: 'Po těchto změnách zůstane {count} nová chyba:',
    few: 'Po těchto změnách zůstanou {count} nové chyby:',
    many: 'Po těchto změnách zůstane {count} nové chyby:',
    other: 'Po těchto změnách zůstane {count} nových chyb:',
  },
  'wizard.rerun.writeAnyway': 'Přesto s nimi zapsat {file}?',
  // ── wizard: answers from flags or a file ──────────────────────────────────────────────────
  'wizard.flags.cannotRead': '{file} nelze přečíst: {reason}',
  'wizard.flags.notYaml': '{file}: neplatný YAML: {reason}',
  'wizard.flags.notMapping': '{file}: očekáváno mapování odpovědí (integration: …, domain: […])',
  'wizard.flags.unknownAnswer': '{file}: neznámá odpověď „{key}“ (známé: {known})',
  'wizard.flags.domainUnknownOption': '--domain „{spec}“: neznámá volba „{option}“ (známé: mx, not-local)',
  'wizard.flags.mxNeedsName': 'vyhledávání MX je možné jen pro název domény a „{host}“ je adresa IP',
  'wizard.flags.mxNeedsRoute': '--domain „{spec}“: „,mx“ potřebuje trasu: NÁZEV=HOSTITEL[:PORT],mx',
  'wizard.flags.expectedBoolean': '{flag}: očekáváno true nebo false, zadáno {value}',
  'wizard.flags.expectedScheme': '--integration: očekávána jedna z hodnot {schemes}, zadáno {value}',
  'wizard.flags.givenTwice': '--domain: {name} je zadána dvakrát',
  'wizard.flags.expectedHostPort': 'očekáváno HOSTITEL[:PORT]',
  'wizard.flags.unknownAdvanced': '{flag}: neznámé rozšířené nastavení „{key}“ (známá: {known})',
  'wizard.flags.expectedKeyValue': '--advanced „{text}“: očekáváno KLÍČ=HODNOTA',
  'wizard.flags.port': 'port „{port}“: {problem}',
  'wizard.flags.missing': 'není terminál, kde se zeptat, a chybí tyto odpovědi:',
  'wizard.flags.orYes': '{flag}   (nebo --yes pro doporučení schématu)',
  'wizard.flags.unlessEdge': '{flag} (pokud není --integration edge)',
  'wizard.flags.howToGive':
    'Zadejte je jako přepínače nebo v souboru --answers SOUBOR (YAML, stejné názvy), nebo spusťte průvodce v terminálu a odpovězte na otázky.',
  // ── wizard: the options of `init` (--help) ────────────────────────────────────────────────
  'wizard.option.config': 'konfigurační soubor, který se zapíše',
  'wizard.option.answers': 'odpovědi jako YAML (stejné názvy jako tyto přepínače); nikdy se neptá',
  'wizard.option.yes': 'nikdy se neptat: u všeho, co není zadáno, použít doporučení schématu',
  'wizard.option.noVerify': 'po zapsání nespouštět ověření v laboratoři',
  'wizard.option.acceptFindings': 'zapsat soubor, i když v něm audit najde chyby (v terminálu se místo toho zeptá)',
  'wizard.option.integration': 'schéma integrace',
  'wizard.option.domain': 'místní doména, lze opakovat: NÁZEV, NÁZEV=HOSTITEL[:PORT], přidejte „,mx“ pro vyhledávání MX, „,not-local“',
  'wizard.option.relayhost': 'hraniční brána (nebo smarthost) pro odchozí poštu; [v6]:port pro IPv6',
  'wizard.option.mx': 'použít vyhledávání MX pro relayhost (jen názvy hostitelů)',
  'wizard.option.noMx': 'připojovat se přímo k relayhostu',
  'wizard.option.trusted': 'důvěryhodná síť (adresa IPv4/IPv6 nebo CIDR), lze opakovat nebo oddělit čárkou',
  'wizard.option.spf': 'použít SPF',
  'wizard.option.noSpf': 'nepoužívat SPF (doporučeno za hraniční bránou)',
  'wizard.option.dmarc': 'použít DMARC',
  'wizard.option.noDmarc': 'nepoužívat DMARC (doporučeno za hraniční bránou)',
  'wizard.option.rejectToDelete': 'nahradit v pravidlech každou akci Odmítnout akcí Odstranit zprávu',
  'wizard.option.noRejectToDelete': 'ponechat akce Odmítnout',
  'wizard.option.recipientVerification': 'odmítat zprávy u příjemců',
  'wizard.option.rejectCode': 'kód odpovědi pro neověřené příjemce: 450 nebo 550',
  'wizard.option.validRecipient': 'uživatel@doména nebo @doména, pro reject-unlisted; lze opakovat',
  'wizard.option.hostname': 'název hostitele KSMG (myhostname)',
  'wizard.option.messageSizeLimit': 'maximální velikost zprávy v bajtech, 0 = bez omezení',
  'wizard.option.advanced': 'libovolné rozšířené nastavení jako v ksmg.yaml (např. sessionTimeout=5m), lze opakovat',
  'wizard.help.after':
    '\nBez interakce (bez terminálu, s --yes nebo --answers): každá otázka má přepínač, např.\n  ksmg-setup init --integration behind-edge-no-verify --domain corp.example=10.0.0.25:25 \\\n    --relayhost edge.corp.example:25 --trusted 10.0.0.0/8 --yes\nChybějící odpovědi se vyjmenují a návratový kód je 2; Ctrl-C skončí s kódem 130 a nic nezapíše.',
};
