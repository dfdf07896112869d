// --lang and the locale on the built CLI: the runbook and the audit in Czech end to end, English
// by default, JSON with the same ids and web-UI paths in every language.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBuiltCli } from './helpers.js';

/** Runs with no locale of the developer's machine leaking in. */
const run = (args: string[], env: Record<string, string> = {}) => runBuiltCli(args, { LC_ALL: '', LC_MESSAGES: '', LANG: 'C', ...env });

describe('ksmg-setup --lang (built)', () => {
  it("runbook --lang cs prints the Czech steps with the seed's web-UI labels", () => {
    const r = run(['runbook', '--lang', 'cs', '-c', 'examples/behind-edge-no-verify.yaml']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Postup ve webovém rozhraní KSMG pro examples\/behind-edge-no-verify\.yaml/);
    expect(r.stdout).toContain('   Kde: Nastavení > Integrovaný agent MTA > Domény');
    expect(r.stdout).toContain('V pravidlech nahraďte akci Odmítnout akcí Odstranit zprávu');
    expect(r.stdout).toContain('V rozevíracím seznamu „Odmítat zprávy u příjemců“ vyberte „Neodmítat“.');
  });

  it('the locale picks Czech (cs_CZ.UTF-8), --lang en overrides it, and C is English', () => {
    expect(run(['runbook', '-c', 'examples/edge.yaml'], { LANG: 'cs_CZ.UTF-8' }).stdout).toMatch(/^Postup ve webovém rozhraní KSMG/);
    expect(run(['runbook', '--lang', 'en', '-c', 'examples/edge.yaml'], { LC_ALL: 'cs_CZ.UTF-8' }).stdout).toMatch(
      /^KSMG web-UI runbook for/,
    );
    expect(run(['runbook', '-c', 'examples/edge.yaml']).stdout).toMatch(/^KSMG web-UI runbook for/);
  });

  it('an invalid --lang is a usage error, exit 2', () => {
    const r = run(['audit', '--lang', 'de', '-c', 'examples/edge.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/option '--lang <lang>' argument 'de' is invalid\. Allowed choices are en, cs\./);
    expect(r.stdout).toBe('');
  });

  it('audit --lang cs -c examples/broken.yaml: Czech findings, headings and counts, exit 1', () => {
    const r = run(['audit', '--lang', 'cs', '-c', 'examples/broken.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^Audit souboru examples\/broken\.yaml \(integrace: behind-edge-no-verify\)\n\nChyby \(\d+\)\n/);
    expect(r.stdout).toContain('Oprava (automatická): Vyberte „Neodmítat“ (recipientVerification: none).');
    expect(r.stdout).toContain('Webové rozhraní: Nastavení > Obecné > Ochrana > Externí služby');
    expect(r.stdout).toMatch(/\n\d+ chyb, 2 varování, 2 informace\. Před použitím této konfigurace opravte chyby\.\n$/);
  });

  it('audit --format json: the same ids, paths, web-UI paths and patches in both languages; only message and fix change', () => {
    const en = JSON.parse(run(['audit', '--format', 'json', '-c', 'examples/broken.yaml']).stdout) as {
      findings: Array<Record<string, unknown>>;
    };
    const cs = JSON.parse(run(['audit', '--format', 'json', '--lang', 'cs', '-c', 'examples/broken.yaml']).stdout) as typeof en;
    const strip = (f: Record<string, unknown>) => ({ ...f, message: undefined, fix: undefined });
    expect(cs.findings.map(strip)).toEqual(en.findings.map(strip));
    expect({ ...cs, findings: [] }).toEqual({ ...en, findings: [] });
    const sender = cs.findings.find((f) => f.id === 'sender-auth.spf-behind-edge')!;
    expect(sender.message).toMatch(/^Použít SPF je zapnuto/);
    expect(en.findings.find((f) => f.id === 'sender-auth.spf-behind-edge')!.message).toMatch(/^Use SPF is on/);
  });

  it('--help in Czech: command summaries, option descriptions, examples and the headings', () => {
    const r = run(['--lang', 'cs', 'audit', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Použití: ksmg-setup audit \[options\]/);
    expect(r.stdout).toContain('zkontrolovat ksmg.yaml proti jeho schématu integrace');
    expect(r.stdout).toMatch(/-c, --config <file>\s+ksmg\.yaml, který se načte \(výchozí: "ksmg\.yaml"\)/);
    expect(r.stdout).toContain('Návratové kódy: 0 žádné chybové nálezy');
    const top = run(['--help'], { LANG: 'cs_CZ.UTF-8' });
    expect(top.stdout).toMatch(/\nPříkazy:\n {2}init \[options\] +průvodce nastavením/);
  });

  it('config errors in Czech keep file:line:col, the key path and the found value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ksmg-lang-'));
    const file = join(dir, 'ksmg.yaml');
    writeFileSync(file, 'version: 1\nintegration: edgy\nmta:\n  domains: [{ name: corp.example, locl: true }]\n');
    try {
      const r = run(['audit', '--lang', 'cs', '--config', file]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^Konfiguraci nelze použít \(2 problémy\):\n/);
      expect(r.stderr).toContain(
        `${file}:2:14: integration: očekávána jedna z hodnot edge, behind-edge-verify, behind-edge-no-verify, nalezeno "edgy"`,
      );
      expect(r.stderr).toMatch(/:4:35: mta\.domains\[0\]\.locl: neznámý klíč „locl“ \(měli jste na mysli „local“\?\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('init without a terminal names the missing answers in Czech', () => {
    const r = run(['init', '--lang', 'cs', '--integration', 'edge']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('ksmg-setup: není terminál, kde se zeptat, a chybí tyto odpovědi:');
    expect(r.stderr).toContain('--domain NAME[=HOST[:PORT]]');
    expect(r.stderr).toContain('(nebo --yes pro doporučení schématu)');
  });
});
