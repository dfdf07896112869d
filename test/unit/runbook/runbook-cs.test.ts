// The Czech runbook speaks the KSMG web UI's Czech labels exactly as the Czech help page (seed 000)
// writes them, and no English web-UI label leaks into it.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { loadConfig } from '../../../src/config/load.js';
import { buildRunbook, renderRunbook, runbookChanges } from '../../../src/runbook/index.js';
import { FIELD_LABELS, UI } from '../../../src/audit/ui.js';

// The Czech KSMG help page the labels come from (kept beside the repository, not in it).
const SEED_FILE = '/work/shared/seeds/000_a50175ecd3312532.txt';
const SEED = existsSync(SEED_FILE) ? readFileSync(SEED_FILE, 'utf8') : '';
const czech = async (file: string) => renderRunbook(buildRunbook((await loadConfig(file)).config, { lang: 'cs' }), 'text', { lang: 'cs' });

describe('runbook --lang cs', () => {
  it("behind-edge-no-verify: every seed step is there with the seed's labels", async () => {
    const text = await czech('examples/behind-edge-no-verify.yaml');
    for (const label of [
      'Nastavení > Integrovaný agent MTA > Domény',
      '„Přidat doménu“',
      '„Místní doména“',
      'Nastavení > Integrovaný agent MTA > Základní nastavení',
      '„Cílová adresa e-mailu“',
      '„Odeslat prostřednictvím hraniční brány“',
      '„Použít vyhledávání MX“',
      '„Důvěryhodné sítě“',
      'Nastavení > Obecné > Ochrana > Externí služby',
      '„Použít SPF“: vypnuto',
      '„Použít DMARC“: vypnuto',
      'nahraďte akci Odmítnout akcí Odstranit zprávu',
      '„Odstranit zprávu“',
      'Nastavení > Integrovaný agent MTA > Rozšířené nastavení > Odmítat zprávy u příjemců',
      'vyberte „Neodmítat“',
      'Klikněte na tlačítko Uložit.',
    ])
      expect(text).toContain(label);
  });

  it.skipIf(!SEED)("the labels it quotes from the seed are the seed's words", () => {
    const L = FIELD_LABELS.cs;
    for (const label of [
      L.useMx,
      L.localDomain,
      L.addDomain,
      L.destination,
      L.sendViaEdge,
      L.trustedNetworks,
      L.useSpf,
      L.useDmarc,
      L.rejectForRecipients,
      'Integrovaný agent MTA',
      'Základní nastavení',
      'Rozšířené nastavení',
      'Externí služby',
      'Odmítnout',
      'Odstranit zprávu',
      'Neodmítat',
      'Uložit',
    ]) {
      expect(SEED).toContain(label);
    }
  });

  it.each(['examples/edge.yaml', 'examples/behind-edge-verify.yaml', 'examples/behind-edge-no-verify.yaml'])(
    '%s: no English web-UI label or sentence word leaks',
    async (file) => {
      const text = await czech(file);
      for (const path of Object.values(UI)) expect(text).not.toContain(path);
      for (const label of Object.values(FIELD_LABELS.en)) expect(text).not.toContain(`"${label}"`);
      expect(text).not.toMatch(/\b(Where|Why|Save|Click|Enter|turn|the)\b/);
    },
  );

  it('--since speaks Czech too and still recognises the save step', async () => {
    const before = (await loadConfig('examples/edge.yaml')).config;
    const after = { ...before, mta: { ...before.mta, trustedNetworks: [...before.mta.trustedNetworks, '192.0.2.0/24'] } };
    const steps = runbookChanges(before, after, { lang: 'cs' });
    expect(steps.map((s) => s.actions)).toEqual([
      ['V poli „Důvěryhodné sítě“ zadejte 192.0.2.0/24 a klikněte na „Přidat“.', 'Klikněte na tlačítko Uložit.'],
    ]);
  });
});
