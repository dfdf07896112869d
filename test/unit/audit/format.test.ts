import { describe, expect, it } from 'vitest';
import { Chalk } from 'chalk';
import { loadConfig } from '../../../src/config/load.js';
import { runAudit } from '../../../src/audit/index.js';
import { auditJson, auditText } from '../../../src/audit/format.js';
import { colorEnabled } from '../../../src/cli/output.js';

const plain = new Chalk({ level: 0 });

describe('audit text', () => {
  it('groups findings by severity with counts, fix and web-UI path, without colour codes', async () => {
    const { config, source } = await loadConfig('examples/broken.yaml');
    const text = auditText('examples/broken.yaml', config, runAudit(config, source), plain);
    expect(text).not.toMatch(/\x1b\[/);
    const errors = text.indexOf('Errors (13)');
    const warnings = text.indexOf('Warnings (2)');
    const info = text.indexOf('Info (2)');
    expect(errors).toBeGreaterThan(0);
    expect(warnings).toBeGreaterThan(errors);
    expect(info).toBeGreaterThan(warnings);
    expect(text).toContain('  ✖ mta.trustedNetworks[1]  examples/broken.yaml:7  [networks.open-relay]');
    expect(text).toContain('    Fix (automatic): List only your own internal networks');
    expect(text).toContain('    Web UI: Settings > Built-in MTA > Basic settings > Trusted networks');
    expect(text).toMatch(/13 errors, 2 warnings, 2 info\. Fix the errors/);
  });

  it('says so when there is nothing to report', async () => {
    const { config } = await loadConfig('examples/edge.yaml');
    expect(auditText('edge.yaml', config, [], plain)).toContain('No findings: the configuration fits the edge scheme.');
  });

  it('uses colour only when asked', async () => {
    const { config, source } = await loadConfig('examples/broken.yaml');
    expect(auditText('b', config, runAudit(config, source), new Chalk({ level: 1 }))).toMatch(/\x1b\[31m/);
  });
});

describe('colorEnabled', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { NO_COLOR: '' }, true],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: false }, { FORCE_COLOR: '1', NO_COLOR: 'yes' }, false],
  ])('%j with %j → %s', (stream, env, expected) => {
    expect(colorEnabled({ write: () => true, ...stream }, env)).toBe(expected);
  });
});

describe('audit JSON (schemaVersion 1)', () => {
  it('has the documented shape', async () => {
    const { config, source } = await loadConfig('examples/broken.yaml');
    const json = auditJson('examples/broken.yaml', config, runAudit(config, source));
    expect(Object.keys(json)).toEqual(['schemaVersion', 'file', 'integration', 'ok', 'summary', 'findings']);
    expect(json).toMatchObject({
      schemaVersion: 1,
      file: 'examples/broken.yaml',
      integration: 'behind-edge-no-verify',
      ok: false,
      summary: { errors: 13, warnings: 2, info: 2 },
    });
    for (const f of json.findings) {
      // `patch` (the mechanical fix) only where there is one.
      expect(Object.keys(f)).toEqual(['id', 'severity', 'message', 'path', 'line', 'fix', 'uiPath', ...(f.patch ? ['patch'] : [])]);
    }
    expect(json.findings.find((f) => f.id === 'networks.open-relay')!.patch).toEqual([{ op: 'remove', path: 'mta.trustedNetworks[1]' }]);
    expect(json.findings.find((f) => f.id === 'sender-auth.spf-behind-edge')!.line).toBeNull();
  });
});
