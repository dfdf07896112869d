import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { buildConfig, createContext, type Draft, type WizardContext } from '../../../src/wizard/context.js';
import { advancedStep } from '../../../src/wizard/steps/advanced.js';
import { destinationStep } from '../../../src/wizard/steps/destination.js';
import { domainsStep } from '../../../src/wizard/steps/domains.js';
import { recipientVerificationStep } from '../../../src/wizard/steps/recipient-verification.js';
import { scanActionsStep } from '../../../src/wizard/steps/scan-actions.js';
import { schemeStep } from '../../../src/wizard/steps/scheme.js';
import { senderAuthStep } from '../../../src/wizard/steps/sender-auth.js';
import { trustedNetworksStep } from '../../../src/wizard/steps/trusted-networks.js';
import { DEFAULT, scriptedPrompter, sink, type ScriptItem } from '../../helpers/scripted-prompter.js';

function ctxWith(script: ScriptItem[], extra: Partial<WizardContext> = {}) {
  const prompt = scriptedPrompter(script);
  const out = sink();
  const ctx = createContext({ prompt, stdout: out, stderr: sink(), ...extra });
  return { ctx, prompt, out };
}

const behindEdge: Draft = { integration: 'behind-edge-no-verify' };

describe('scheme step', () => {
  it('asks for the scheme and explains each choice', async () => {
    const { ctx, prompt } = ctxWith([[/Integration scheme/, 'edge']]);
    await schemeStep.run(ctx);
    expect(ctx.draft.integration).toBe('edge');
    expect(prompt.transcript[0]!.default).toBe('behind-edge-no-verify');
  });

  it('prefills the current scheme on a rerun', async () => {
    const current = configSchema.parse({ version: 1, integration: 'behind-edge-verify' });
    const { ctx, prompt } = ctxWith([DEFAULT], { current });
    await schemeStep.run(ctx);
    expect(prompt.transcript[0]!.default).toBe('behind-edge-verify');
    expect(ctx.draft.integration).toBe('behind-edge-verify');
  });
});

describe('domains step', () => {
  it('re-prompts on an invalid domain, host and port, and offers MX lookup only for a name', async () => {
    const { ctx, prompt, out } = ctxWith(
      [
        [/Domain or subdomain/, 'not a domain!'],
        'Corp.Example',
        [/Local domain/, true],
        [/Route corp.example/, true],
        [/Server for corp.example/, '999.1.1.1'],
        '10.0.0.25',
        [/Port/, '70000'],
        '25',
        [/Add another domain/, true],
        [/Domain or subdomain/, 'corp.example'],
        'mail.corp.example',
        [/Local domain/, true],
        [/Route/, true],
        [/Server/, 'exchange.corp.example'],
        [/Port/, DEFAULT],
        [/MX records of exchange.corp.example/, true],
        [/Add another domain/, true],
        [/Domain/, 'branch.example'],
        [/Local/, false],
        [/Route/, false],
        [/Add another domain/, false],
      ],
      { draft: { ...behindEdge } },
    );
    await domainsStep.run(ctx);
    expect(ctx.draft.mta?.domains).toEqual([
      { name: 'corp.example', local: true, route: { host: '10.0.0.25', port: 25, mxLookup: false } },
      { name: 'mail.corp.example', local: true, route: { host: 'exchange.corp.example', port: 25, mxLookup: true } },
      { name: 'branch.example', local: false },
    ]);
    const errors = prompt.transcript.flatMap((t) => t.errors);
    expect(errors[0]).toMatch(/expected a domain or subdomain name/);
    expect(errors[1]).toMatch(/expected an IPv4 address, an IPv6 address, a domain name/);
    expect(errors[2]).toMatch(/port number 1–65535/);
    expect(errors[3]).toBe('corp.example is already in the list');
    // No MX question was asked for the IP route of corp.example.
    expect(prompt.transcript.filter((t) => /MX records/.test(t.message))).toHaveLength(1);
    expect(out.text()).toMatch(/accepts mail for from any source/);
    expect(prompt.remaining()).toBe(0);
  });

  it('insists on at least one domain', async () => {
    const { ctx, out } = ctxWith([[/Domain or subdomain/, 'corp.example'], true, false, [/Add another/, false]]);
    await domainsStep.run(ctx);
    expect(out.text()).toMatch(/At least one local domain is needed/);
    expect(ctx.draft.mta?.domains).toEqual([{ name: 'corp.example', local: true }]);
  });

  it('on a rerun keeps, changes or removes each current domain, prefilled', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'behind-edge-no-verify',
      mta: { domains: [{ name: 'a.example', route: { host: '10.0.0.1' } }, { name: 'b.example' }] },
    });
    const { ctx, prompt } = ctxWith(
      [
        [/a.example → 10.0.0.1:25/, 'edit'],
        [/Domain or subdomain/, DEFAULT],
        [/Local/, DEFAULT],
        [/Route/, DEFAULT],
        [/Server/, DEFAULT],
        [/Port/, '2525'],
        [/b.example/, 'remove'],
        [/Add another/, false],
      ],
      { current },
    );
    await domainsStep.run(ctx);
    expect(ctx.draft.mta?.domains).toEqual([{ name: 'a.example', local: true, route: { host: '10.0.0.1', port: 2525, mxLookup: false } }]);
    expect(prompt.transcript.find((t) => /Server/.test(t.message))!.default).toBe('10.0.0.1');
  });
});

describe('destination step', () => {
  it('behind an edge asks for the gateway, validating as typed; MX only for a name', async () => {
    const { ctx, prompt } = ctxWith(
      [[/Edge gateway address/, 'edge..corp'], 'edge.corp.example', [/Port/, 'x'], '25', [/Use MX lookup for edge.corp.example/, true]],
      { draft: { ...behindEdge } },
    );
    await destinationStep.run(ctx);
    expect(ctx.draft.mta?.destination).toEqual({ mode: 'edge-gateway', host: 'edge.corp.example', port: 25, mxLookup: true });
    expect(prompt.transcript[0]!.errors).toHaveLength(1);
    expect(prompt.transcript[1]!.errors[0]).toMatch(/port/);
  });

  it('an IPv6 gateway gets no MX question', async () => {
    const { ctx } = ctxWith(
      [
        [/Edge gateway/, '2001:db8::25'],
        [/Port/, DEFAULT],
      ],
      { draft: { ...behindEdge } },
    );
    await destinationStep.run(ctx);
    expect(ctx.draft.mta?.destination).toEqual({ mode: 'edge-gateway', host: '2001:db8::25', port: 25, mxLookup: false });
  });

  it('as the edge, direct DNS delivery is the default', async () => {
    const { ctx, prompt } = ctxWith([[/Outgoing mail/, DEFAULT]], { draft: { integration: 'edge' } });
    await destinationStep.run(ctx);
    expect(prompt.transcript[0]!.default).toBe('dns');
    expect(ctx.draft.mta?.destination).toEqual({ mode: 'dns' });
  });
});

describe('trusted networks step', () => {
  it('suggests uncovered route hosts and refuses ranges that cover the internet', async () => {
    const draft: Draft = {
      ...behindEdge,
      mta: {
        domains: [
          { name: 'corp.example', route: { host: '10.0.0.25' } },
          { name: 'b.example', route: { host: 'mx.b.example' } },
        ],
      },
    };
    const { ctx, prompt } = ctxWith(
      [
        [/Trusted networks/, DEFAULT],
        [/Add a trusted network/, '0.0.0.0/0'],
        '10.0.0.0/8x',
        '10.0.0.1/8',
        '::/0',
        '10.0.0.25',
        '192.168.10.0/24',
        [/Add a trusted network/, '2001:db8:10::/48'],
        [/Add a trusted network/, ''],
      ],
      { draft },
    );
    await trustedNetworksStep.run(ctx);
    expect(ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.25', '192.168.10.0/24', '2001:db8:10::/48']);
    const offered = prompt.transcript[0]!;
    expect(offered.default).toEqual(['10.0.0.25']);
    const errors = prompt.transcript[1]!.errors;
    expect(errors[0]).toMatch(/open relay/);
    expect(errors[1]).toMatch(/expected an IPv4\/IPv6 address or CIDR network/);
    expect(errors[2]).toMatch(/host bits are set/);
    expect(errors[3]).toMatch(/open relay/);
    expect(errors[4]).toBe('10.0.0.25 is already in the list');
  });

  it('with --yes takes the suggested route hosts', async () => {
    const draft: Draft = { ...behindEdge, mta: { domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] } };
    const { ctx } = ctxWith([], { draft, interactive: false, yes: true });
    await trustedNetworksStep.run(ctx);
    expect(ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.25']);
  });
});

describe('sender authentication step', () => {
  it('behind an edge recommends SPF and DMARC off, with the reason', async () => {
    const { ctx, prompt, out } = ctxWith(
      [
        [/Use SPF/, DEFAULT],
        [/Use DMARC/, DEFAULT],
      ],
      { draft: { ...behindEdge } },
    );
    await senderAuthStep.run(ctx);
    expect(ctx.draft.protection).toEqual({ spf: false, dmarc: false });
    expect(prompt.transcript.map((t) => t.default)).toEqual([false, false]);
    expect(out.text()).toMatch(/connecting server is always the edge/);
  });

  it('as the edge keeps them on', async () => {
    const { ctx } = ctxWith([DEFAULT, DEFAULT], { draft: { integration: 'edge' } });
    await senderAuthStep.run(ctx);
    expect(ctx.draft.protection).toEqual({ spf: true, dmarc: true });
  });
});

describe('scan actions step', () => {
  it('behind an edge lists every Reject and turns it into Delete message', async () => {
    const { ctx, out } = ctxWith([[/Make these 4 changes/, true]], { draft: { ...behindEdge } });
    await scanActionsStep.run(ctx);
    expect(out.text()).toContain('Default › Anti-Phishing › phishing: Reject → Delete message');
    expect(out.text()).toContain('Default › Content Filtering › message size exceeded: Reject → Delete message');
    const config = buildConfig(undefined, { ...ctx.draft, mta: { domains: [{ name: 'corp.example' }] } });
    const rule = config.rules.find((r) => r.name === 'Default')!;
    expect(rule.antiPhishing.phishing).toBe('delete-message');
    expect(rule.contentFiltering.sizeExceeded).toBe('delete-message');
    expect(rule.mailAuthentication.spf).toBe('delete-message');
    // Untouched actions keep their KSMG defaults.
    expect(rule.antiVirus.infected).toBe('disinfect');
  });

  it('covers "Reject without scanning" rules on a rerun', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'behind-edge-verify',
      rules: [{ name: 'Block', senders: ['*@spam.example'], mode: 'reject' }],
    });
    const { ctx, out } = ctxWith([true], { current });
    await scanActionsStep.run(ctx);
    expect(out.text()).toContain('Block › Rule mode: Reject without scanning → Delete without notifying the sender');
    expect(buildConfig(current, ctx.draft).rules[0]!.mode).toBe('delete');
  });

  it('as the edge proposes no change', async () => {
    const { ctx, prompt } = ctxWith([DEFAULT], { draft: { integration: 'edge' } });
    await scanActionsStep.run(ctx);
    expect(prompt.transcript[0]!.default).toBe(false);
    expect(ctx.draft.rules).toBeUndefined();
  });
});

describe('recipient verification step', () => {
  it('defaults by scheme and explains backscatter', async () => {
    for (const [integration, expected] of [
      ['edge', 'reject-unverified'],
      ['behind-edge-verify', 'reject-unverified'],
      ['behind-edge-no-verify', 'none'],
    ] as const) {
      const { ctx, prompt, out } = ctxWith([DEFAULT, DEFAULT], { draft: { integration } });
      await recipientVerificationStep.run(ctx);
      expect(prompt.transcript[0]!.default).toBe(expected);
      expect(ctx.draft.mta?.advanced?.recipientVerification).toBe(expected);
      expect(out.text()).toMatch(/Trusted networks are never checked/);
    }
  });

  it('reject-unlisted collects a validated, non-empty list', async () => {
    const { ctx, prompt } = ctxWith(
      [
        'reject-unlisted',
        [/Add a valid recipient/, ''],
        'not-an-address',
        'user@corp.example',
        [/Add a valid recipient/, '@branch.example'],
        [/Add a valid recipient/, 'bob@elsewhere.example'],
        [/Add a valid recipient/, ''],
      ],
      { draft: { ...behindEdge, mta: { domains: [{ name: 'corp.example' }, { name: 'branch.example' }] } } },
    );
    await recipientVerificationStep.run(ctx);
    expect(prompt.transcript[3]!.errors[0]).toMatch(
      /elsewhere\.example is not one of the local domains \(corp\.example, branch\.example\)/,
    );
    expect(ctx.draft.mta?.advanced).toEqual({
      recipientVerification: 'reject-unlisted',
      validRecipients: ['user@corp.example', '@branch.example'],
    });
    expect(prompt.transcript[1]!.errors).toEqual([
      'Enter at least one: with an empty list every recipient is refused.',
      'expected user@domain or @domain (the whole domain)',
    ]);
  });

  it('reject-unverified asks for the reply code', async () => {
    const { ctx } = ctxWith(['reject-unverified', [/Reply code/, '550']], { draft: { integration: 'edge' } });
    await recipientVerificationStep.run(ctx);
    expect(ctx.draft.mta?.advanced).toEqual({ recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: 550 });
  });
});

describe('advanced step', () => {
  it('is skipped unless asked', async () => {
    const { ctx, prompt } = ctxWith([[/Change advanced settings/, DEFAULT]]);
    await advancedStep.run(ctx);
    expect(prompt.transcript).toHaveLength(1);
    expect(prompt.transcript[0]!.default).toBe(false);
  });

  it("shows the KSMG default and accepts the file's units", async () => {
    const { ctx, prompt } = ctxWith(
      [
        true,
        [/Which settings/, ['hostname', 'sessionTimeout', 'alwaysBcc', 'disableVrfy']],
        [/Host name/, 'ksmg_01.corp'],
        'gw.corp.example',
        [/Maximum SMTP session length — KSMG default 30s/, '5x'],
        '5m',
        [/BCC/, 'archive'],
        'archive@corp.example',
        [/Disable the SMTP VRFY command\? \(KSMG default: yes\)/, false],
      ],
      { draft: { ...behindEdge, mta: { domains: [{ name: 'corp.example' }] } } },
    );
    await advancedStep.run(ctx);
    expect(ctx.draft.mta?.hostname).toBe('gw.corp.example');
    expect(ctx.draft.mta?.advanced).toEqual({ sessionTimeout: '5m', alwaysBcc: 'archive@corp.example', disableVrfy: false });
    expect(prompt.transcript.find((t) => /Host name/.test(t.message))!.default).toBe('ksmg.corp.example');
    expect(prompt.transcript.find((t) => /session length/.test(t.message))!.errors[0]).toMatch(/expected a duration/);
    const config: Config = buildConfig(undefined, ctx.draft);
    expect(config.mta.advanced.sessionTimeout).toBe(300);
  });
});
