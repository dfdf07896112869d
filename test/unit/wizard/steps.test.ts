// Each step is run with exactly the slice of the context it declares (SchemeStepContext, …):
// the object literals below are type-checked against it, so a step that starts reading more of
// the context fails to compile here first.
import { Chalk } from 'chalk';
import { describe, expect, it } from 'vitest';
import { configSchema, type Config } from '../../../src/config/schema.js';
import { tEn, translator, type Translate } from '../../../src/i18n/index.js';
import { buildConfig, type Draft, type StepIo } from '../../../src/wizard/context.js';
import { advancedStep, type AdvancedStepContext } from '../../../src/wizard/steps/advanced.js';
import { destinationStep, type DestinationStepContext } from '../../../src/wizard/steps/destination.js';
import { domainsStep, type DomainsStepContext } from '../../../src/wizard/steps/domains.js';
import { recipientVerificationStep, type RecipientVerificationStepContext } from '../../../src/wizard/steps/recipient-verification.js';
import { scanActionsStep, type ScanActionsStepContext } from '../../../src/wizard/steps/scan-actions.js';
import { schemeStep, type SchemeStepContext } from '../../../src/wizard/steps/scheme.js';
import { senderAuthStep, type SenderAuthStepContext } from '../../../src/wizard/steps/sender-auth.js';
import { trustedNetworksStep, type TrustedNetworksStepContext } from '../../../src/wizard/steps/trusted-networks.js';
import { DEFAULT, scriptedPrompter, sink, type ScriptItem } from '../../helpers/scripted-prompter.js';

/** The part every step shares: scripted answers, captured output, no colour, a language. */
function stepIo(script: ScriptItem[], t: Translate = tEn) {
  const prompt = scriptedPrompter(script);
  const out = sink();
  const io: StepIo = { prompt, stdout: out, style: new Chalk({ level: 0 }), t, interactive: true };
  return { io, prompt, out };
}

/** Neither --yes nor "fix these": the current value is prefilled. */
const asked = { fixing: false, yes: false };

const schemeCtx = (script: ScriptItem[], extra: Partial<SchemeStepContext> = {}, t?: Translate) => {
  const { io, ...rest } = stepIo(script, t);
  const ctx: SchemeStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const domainsCtx = (script: ScriptItem[], extra: Partial<DomainsStepContext> = {}, t?: Translate) => {
  const { io, ...rest } = stepIo(script, t);
  const ctx: DomainsStepContext = { ...io, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const destinationCtx = (script: ScriptItem[], extra: Partial<DestinationStepContext> = {}) => {
  const { io, ...rest } = stepIo(script);
  const ctx: DestinationStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const trustedCtx = (script: ScriptItem[], extra: Partial<TrustedNetworksStepContext> = {}) => {
  const { io, ...rest } = stepIo(script);
  const ctx: TrustedNetworksStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const senderAuthCtx = (script: ScriptItem[], extra: Partial<SenderAuthStepContext> = {}, t?: Translate) => {
  const { io, ...rest } = stepIo(script, t);
  const ctx: SenderAuthStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const scanCtx = (script: ScriptItem[], extra: Partial<ScanActionsStepContext> = {}, t?: Translate) => {
  const { io, ...rest } = stepIo(script, t);
  const ctx: ScanActionsStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const recipientsCtx = (script: ScriptItem[], extra: Partial<RecipientVerificationStepContext> = {}, t?: Translate) => {
  const { io, ...rest } = stepIo(script, t);
  const ctx: RecipientVerificationStepContext = { ...io, ...asked, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};
const advancedCtx = (script: ScriptItem[], extra: Partial<AdvancedStepContext> = {}) => {
  const { io, ...rest } = stepIo(script);
  const ctx: AdvancedStepContext = { ...io, draft: {}, given: {}, ...extra };
  return { ctx, ...rest };
};

const behindEdge: Draft = { integration: 'behind-edge-no-verify' };

describe('scheme step', () => {
  it('asks for the scheme and explains each choice', async () => {
    const { ctx, prompt } = schemeCtx([[/Integration scheme/, 'edge']]);
    await schemeStep.run(ctx);
    expect(ctx.draft.integration).toBe('edge');
    expect(prompt.transcript[0]!.default).toBe('behind-edge-no-verify');
  });

  it('prefills the current scheme on a rerun', async () => {
    const current = configSchema.parse({ version: 1, integration: 'behind-edge-verify' });
    const { ctx, prompt } = schemeCtx([DEFAULT], { current });
    await schemeStep.run(ctx);
    expect(prompt.transcript[0]!.default).toBe('behind-edge-verify');
    expect(ctx.draft.integration).toBe('behind-edge-verify');
  });
});

describe('domains step', () => {
  it('re-prompts on an invalid domain, host and port, and offers MX lookup only for a name', async () => {
    const { ctx, prompt, out } = domainsCtx(
      [
        [/Domain or subdomain/, 'not a domain!'],
        'Corp.Example',
        [/Local domain/, true],
        [/Route corp.example/, true],
        [/Server for corp.example/, '999.1.1.1'],
        '10.0.0.25',
        [/Port/, '70000'],
        '25',
        [/^TLS for mail to/, DEFAULT],
        [/Add another domain/, true],
        [/Domain or subdomain/, 'corp.example'],
        'mail.corp.example',
        [/Local domain/, true],
        [/Route/, true],
        [/Server/, 'exchange.corp.example'],
        [/Port/, DEFAULT],
        [/MX records of exchange.corp.example/, true],
        [/^TLS for mail to/, DEFAULT],
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
    const { ctx, out } = domainsCtx([[/Domain or subdomain/, 'corp.example'], true, false, [/Add another/, false]]);
    await domainsStep.run(ctx);
    expect(out.text()).toMatch(/At least one local domain is needed/);
    expect(ctx.draft.mta?.domains).toEqual([{ name: 'corp.example', local: true }]);
  });

  it('on a rerun keeps, changes or removes each current domain, prefilled', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'behind-edge-no-verify',
      mta: { domains: [{ name: 'a.example', route: { host: '10.0.0.1' }, tls: 'encrypt' }, { name: 'b.example' }] },
    });
    const { ctx, prompt } = domainsCtx(
      [
        [/a.example → 10.0.0.1:25/, 'edit'],
        [/Domain or subdomain/, DEFAULT],
        [/Local/, DEFAULT],
        [/Route/, DEFAULT],
        [/Server/, DEFAULT],
        [/Port/, '2525'],
        [/^TLS for mail to a.example at 10.0.0.1:2525/, DEFAULT],
        [/b.example/, 'remove'],
        [/Add another/, false],
      ],
      { current },
    );
    await domainsStep.run(ctx);
    expect(ctx.draft.mta?.domains).toEqual([
      { name: 'a.example', local: true, route: { host: '10.0.0.1', port: 2525, mxLookup: false }, tls: 'encrypt' },
    ]);
    expect(prompt.transcript.find((t) => /Server/.test(t.message))!.default).toBe('10.0.0.1');
    // The domain's outgoing TLS mode is prefilled from ksmg.yaml and kept.
    expect(prompt.transcript.find((t) => /^TLS for mail to/.test(t.message))!.default).toBe('encrypt');
  });

  it('asks a routed domain its outgoing TLS mode; "as the default" leaves mta.domains[].tls out', async () => {
    const { ctx } = domainsCtx([
      [/Domain or subdomain/, 'a.example'],
      [/Local/, true],
      [/Route/, true],
      [/Server/, '10.0.0.1'],
      [/Port/, DEFAULT],
      [/^TLS for mail to a.example at 10.0.0.1:25/, 'verify'],
      [/Add another/, true],
      [/Domain or subdomain/, 'b.example'],
      [/Local/, true],
      [/Route/, true],
      [/Server/, '10.0.0.2'],
      [/Port/, DEFAULT],
      [/^TLS for mail to b.example/, DEFAULT],
      [/Add another/, false],
    ]);
    await domainsStep.run(ctx);
    expect(ctx.draft.mta?.domains?.map((d) => d.tls)).toEqual(['verify', undefined]);
  });
});

describe('destination step', () => {
  it('behind an edge asks for the gateway, validating as typed; MX only for a name', async () => {
    const { ctx, prompt } = destinationCtx(
      [[/Edge gateway address/, 'edge..corp'], 'edge.corp.example', [/Port/, 'x'], '25', [/Use MX lookup for edge.corp.example/, true]],
      { draft: { ...behindEdge } },
    );
    await destinationStep.run(ctx);
    expect(ctx.draft.mta?.destination).toEqual({ mode: 'edge-gateway', host: 'edge.corp.example', port: 25, mxLookup: true });
    expect(prompt.transcript[0]!.errors).toHaveLength(1);
    expect(prompt.transcript[1]!.errors[0]).toMatch(/port/);
  });

  it('an IPv6 gateway gets no MX question', async () => {
    const { ctx } = destinationCtx(
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
    const { ctx, prompt } = destinationCtx([[/Outgoing mail/, DEFAULT]], { draft: { integration: 'edge' } });
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
    const { ctx, prompt } = trustedCtx(
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
    const { ctx } = trustedCtx([], { draft, interactive: false, yes: true });
    await trustedNetworksStep.run(ctx);
    expect(ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.25']);
  });
});

describe('sender authentication step', () => {
  it('behind an edge recommends SPF and DMARC off, with the reason', async () => {
    const { ctx, prompt, out } = senderAuthCtx(
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
    const { ctx } = senderAuthCtx([DEFAULT, DEFAULT], { draft: { integration: 'edge' } });
    await senderAuthStep.run(ctx);
    expect(ctx.draft.protection).toEqual({ spf: true, dmarc: true });
  });
});

describe('scan actions step', () => {
  it('behind an edge lists every Reject and turns it into Delete message', async () => {
    const { ctx, out } = scanCtx([[/Make these 4 changes/, true]], { draft: { ...behindEdge } });
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
    const { ctx, out } = scanCtx([true], { current });
    await scanActionsStep.run(ctx);
    expect(out.text()).toContain('Block › Rule mode: Reject without scanning → Delete without notifying the sender');
    expect(buildConfig(current, ctx.draft).rules[0]!.mode).toBe('delete');
  });

  it('as the edge proposes no change', async () => {
    const { ctx, prompt } = scanCtx([DEFAULT], { draft: { integration: 'edge' } });
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
      const { ctx, prompt, out } = recipientsCtx([DEFAULT, DEFAULT], { draft: { integration } });
      await recipientVerificationStep.run(ctx);
      expect(prompt.transcript[0]!.default).toBe(expected);
      expect(ctx.draft.mta?.advanced?.recipientVerification).toBe(expected);
      expect(out.text()).toMatch(/Trusted networks are never checked/);
    }
  });

  it('reject-unlisted collects a validated, non-empty list', async () => {
    const { ctx, prompt } = recipientsCtx(
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
    const { ctx } = recipientsCtx(['reject-unverified', [/Reply code/, '550']], { draft: { integration: 'edge' } });
    await recipientVerificationStep.run(ctx);
    expect(ctx.draft.mta?.advanced).toEqual({ recipientVerification: 'reject-unverified', unverifiedRecipientRejectCode: 550 });
  });
});

describe('advanced step', () => {
  it('is skipped unless asked', async () => {
    const { ctx, prompt } = advancedCtx([[/Change advanced settings/, DEFAULT]]);
    await advancedStep.run(ctx);
    expect(prompt.transcript).toHaveLength(1);
    expect(prompt.transcript[0]!.default).toBe(false);
  });

  it("shows the KSMG default and accepts the file's units", async () => {
    const { ctx, prompt } = advancedCtx(
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

describe('the steps in Czech', () => {
  const cs = translator('cs');

  it('asks the scheme question in Czech with Czech choices', async () => {
    const { ctx, prompt, out } = schemeCtx([[/^Schéma integrace$/, 'edge']], {}, cs);
    await schemeStep.run(ctx);
    expect(ctx.draft.integration).toBe('edge');
    expect(out.text()).toMatch(/To, kde KSMG v toku pošty stojí/);
    expect(prompt.transcript[0]!.message).toBe('Schéma integrace');
  });

  it("shows the schema's validation messages in Czech and the seed's label for the local-domain switch", async () => {
    const { ctx, prompt } = domainsCtx(
      [
        [/^Doména nebo subdoména$/, 'corp..example'],
        'corp.example',
        [/^Místní doména — přijímat zprávy pro corp.example/, true],
        [/^Směrovat corp.example/, true],
        [/^Server pro corp.example/, '10.0.0.25:25'],
        '10.0.0.25',
        [/^Port$/, '0'],
        '25',
        [/^TLS pro poštu do/, DEFAULT],
        [/^Přidat další doménu\?$/, false],
      ],
      {},
      cs,
    );
    await domainsStep.run(ctx);
    expect(ctx.draft.mta?.domains).toEqual([
      { name: 'corp.example', local: true, route: { host: '10.0.0.25', port: 25, mxLookup: false } },
    ]);
    const errors = prompt.transcript.flatMap((e) => e.errors);
    expect(errors[0]).toMatch(/^očekáván název domény nebo subdomény, např\. corp\.example/);
    expect(errors[1]).toMatch(/hostitel:port; zde zadejte hostitele \(10\.0\.0\.25\) a port \(25\) zvlášť/);
    expect(errors[2]).toBe('očekáváno číslo portu 1–65535');
  });

  it('names the web-UI switches as the seed does (Použít SPF, Použít DMARC)', async () => {
    const { ctx, prompt } = senderAuthCtx([DEFAULT, DEFAULT], { draft: { ...behindEdge } }, cs);
    await senderAuthStep.run(ctx);
    expect(prompt.transcript.map((e) => e.message)).toEqual(['Použít SPF? (doporučeno: ne)', 'Použít DMARC? (doporučeno: ne)']);
  });

  it('lists the changes as Odmítnout → Odstranit zprávu and counts them with the Czech plural', async () => {
    const { ctx, out, prompt } = scanCtx([[/^Provést tyto 4 změny\?$/, true]], { draft: { ...behindEdge } }, cs);
    await scanActionsStep.run(ctx);
    expect(out.text()).toContain('Default › Anti-Phishing › phishing: Odmítnout → Odstranit zprávu');
    expect(prompt.transcript[0]!.message).toBe('Provést tyto 4 změny?');
    expect(cs('wizard.scan.confirm', { count: 5 })).toBe('Provést těchto 5 změn?');
    expect(cs('wizard.scan.confirm', { count: 1 })).toBe('Provést tuto 1 změnu?');
  });

  it('asks "Odmítat zprávy u příjemců" with "Neodmítat" recommended behind a non-verifying edge', async () => {
    const { ctx, prompt } = recipientsCtx([[/^Odmítat zprávy u příjemců$/, DEFAULT]], { draft: { ...behindEdge } }, cs);
    await recipientVerificationStep.run(ctx);
    expect(ctx.draft.mta?.advanced?.recipientVerification).toBe('none');
    expect(prompt.transcript[0]!.default).toBe('none');
  });
});
