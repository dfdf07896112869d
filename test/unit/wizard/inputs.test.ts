// Inputs that used to pass silently: each is now a clear error (at the prompt and in ksmg.yaml) or
// an audit warning that says why; and what a rerun prefills when the current value is a finding.
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../../src/config/schema.js';
import { runAudit } from '../../../src/audit/index.js';
import { createContext, type WizardContext } from '../../../src/wizard/context.js';
import { advancedStep } from '../../../src/wizard/steps/advanced.js';
import { outsideLocalDomains } from '../../../src/wizard/steps/recipient-verification.js';
import { trustedNetworksStep } from '../../../src/wizard/steps/trusted-networks.js';
import { answersToDraft } from '../../../src/wizard/flags.js';
import {
  check,
  schemas,
  validateDomainName,
  validateHost,
  validateMessageSizeLimit,
  validateNetwork,
  validateAdvanced,
} from '../../../src/wizard/validate.js';
import { DEFAULT, scriptedPrompter, sink, type ScriptItem } from '../../helpers/scripted-prompter.js';

function ctxWith(script: ScriptItem[], extra: Partial<WizardContext> = {}) {
  const prompt = scriptedPrompter(script);
  const out = sink();
  const ctx = createContext({ prompt, stdout: out, stderr: sink(), ...extra });
  return { ctx, prompt, out };
}

describe('sizes with units', () => {
  it.each([
    ['20MB', 20971520],
    ['512 KB', 524288],
    ['1GiB', 1073741824],
    ['0', 0],
    ['10485760', 10485760],
  ])('%s → %d bytes', (text, bytes) => {
    expect(validateMessageSizeLimit(text)).toBe(true);
    const r = check(schemas.messageSizeLimit, /^\d+$/.test(text) ? Number(text) : text);
    expect(r.ok && r.value).toBe(bytes);
  });
  it('ksmg.yaml and --message-size-limit take them too, stored as bytes', () => {
    expect(configSchema.parse({ version: 1, integration: 'edge', mta: { messageSizeLimit: '10MB' } }).mta.messageSizeLimit).toBe(10485760);
    expect(answersToDraft({ messageSizeLimit: '20MB' }).draft.mta?.messageSizeLimit).toBe(20971520);
  });
  it('an unknown unit is an error that shows the forms', () => {
    expect(validateMessageSizeLimit('20 parsecs')).toMatch(/20MB, 512KB, 1GB/);
  });
  it('a 100-byte limit is an audit error that says it is in bytes; 5 MB a warning', () => {
    const c = (n: number) =>
      configSchema.parse({ version: 1, integration: 'edge', mta: { messageSizeLimit: n, domains: [{ name: 'corp.example' }] } });
    const tiny = runAudit(c(100)).find((f) => f.id === 'limits.size-tiny')!;
    expect(tiny).toMatchObject({ severity: 'error', patch: [{ op: 'set', path: 'mta.messageSizeLimit', value: 20971520 }] });
    expect(tiny.message).toMatch(/100 bytes: no ordinary message fits.*in bytes/);
    expect(runAudit(c(5242880)).find((f) => f.id === 'limits.size-tiny')!.severity).toBe('warning');
    expect(runAudit(c(10485760)).find((f) => f.id === 'limits.size-tiny')).toBeUndefined();
  });
});

describe('host prompts', () => {
  it.each([
    ['mail.corp.example:2525', /host:port; enter the host \(mail\.corp\.example\) here and the port \(2525\) separately/],
    ['10.0.0.25:25', /host:port/],
    ['[2001:db8::25]:25', /without brackets \(2001:db8::25\) and the port 25 separately/],
    ['fe80::1%eth0', /zone index \(%eth0\).*write fe80::1/],
    ['::ffff:10.0.0.25', /IPv4 address 10\.0\.0\.25 written as IPv6; enter 10\.0\.0\.25/],
    ['smtp://mail.corp.example', /is a URL/],
  ])('%s → %s', (text, why) => {
    expect(validateHost(text)).toMatch(why);
  });
  it('the file says the same for a zone index (schema), and warns with a fix for a mapped address (audit)', () => {
    const r = configSchema.safeParse({
      version: 1,
      integration: 'edge',
      mta: { domains: [{ name: 'corp.example', route: { host: 'fe80::1%eth0' } }] },
    });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.message).toMatch(/zone index/);
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { trustedNetworks: ['10.0.0.0/24'], domains: [{ name: 'corp.example', route: { host: '::ffff:10.0.0.25' } }] },
    });
    expect(runAudit(c).find((f) => f.id === 'hosts.ipv4-mapped')).toMatchObject({
      severity: 'warning',
      patch: [{ op: 'set', path: 'mta.domains[0].route.host', value: '10.0.0.25' }],
    });
  });
});

describe('trusted networks', () => {
  it('IPv4-mapped forms and zone indexes are errors that say what to write', () => {
    expect(validateNetwork('::ffff:10.0.0.0/104')).toMatch(
      /IPv4 network 10\.0\.0\.0\/8 written as IPv6, which matches no IPv4 client; enter 10\.0\.0\.0\/8/,
    );
    expect(validateNetwork('fe80::1%eth0')).toMatch(/zone index/);
  });
  it('a host already inside a listed network is refused at the prompt and warned about in the file', async () => {
    const first = ctxWith([
      [/Add a trusted network/, '10.0.0.0/24'],
      [/Add a trusted network/, '10.0.0.25'],
      [/Add a trusted network/, ''],
    ]);
    await trustedNetworksStep.run(first.ctx);
    expect(first.ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.0/24']);
    expect(first.prompt.transcript[1]!.errors[0]).toMatch(/10\.0\.0\.25 is already inside 10\.0\.0\.0\/24/);
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { trustedNetworks: ['10.0.0.0/24', '10.0.0.25'], domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] },
    });
    expect(runAudit(c).find((f) => f.id === 'networks.redundant')).toMatchObject({
      path: 'mta.trustedNetworks[1]',
      patch: [{ op: 'remove', path: 'mta.trustedNetworks[1]' }],
    });
  });
  it('rerun: a hand-added 0.0.0.0/0 is offered unticked, so Enter does not write it back', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { trustedNetworks: ['10.0.0.0/24', '0.0.0.0/0'], domains: [{ name: 'corp.example', route: { host: '10.0.0.25' } }] },
    });
    const { ctx, prompt } = ctxWith(
      [
        [/Trusted networks/, DEFAULT],
        [/Add a trusted network/, ''],
      ],
      { current },
    );
    await trustedNetworksStep.run(ctx);
    const box = prompt.transcript.find((t) => t.kind === 'checkbox')!;
    expect(box.default).toEqual(['10.0.0.0/24']);
    expect(ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.0/24']);
    // Without a terminal (--yes on a rerun) it is dropped as well.
    const y = ctxWith([], { current, interactive: false, yes: true });
    await trustedNetworksStep.run(y.ctx);
    expect(y.ctx.draft.mta?.trustedNetworks).toEqual(['10.0.0.0/24']);
  });
});

describe('domains and recipients', () => {
  it.each([
    ['localhost', /this machine/],
    ['mail.localhost', /this machine/],
    ['corp', /single label/],
  ])('%s is not a mail domain', (name, why) => {
    expect(validateDomainName(name)).toMatch(why);
  });
  it('a valid recipient outside the local domains is refused at the prompt and warned about in the file', () => {
    expect(outsideLocalDomains('bob@elsewhere.example', ['corp.example'])).toMatch(/not one of the local domains.*relaying/);
    expect(outsideLocalDomains('@corp.example', ['corp.example'])).toBeNull();
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: {
        domains: [{ name: 'corp.example' }],
        advanced: { recipientVerification: 'reject-unlisted', validRecipients: ['postmaster@corp.example', 'bob@elsewhere.example'] },
      },
    });
    expect(runAudit(c).find((f) => f.id === 'recipients.valid-outside-local')).toMatchObject({
      severity: 'warning',
      path: 'mta.advanced.validRecipients[1]',
    });
  });
  it('@domain with reject-unlisted: the audit says it checks nothing there (a warning where KSMG should refuse unknown users)', () => {
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: {
        domains: [{ name: 'corp.example' }],
        advanced: { recipientVerification: 'reject-unlisted', validRecipients: ['@corp.example'] },
      },
    });
    const f = runAudit(c).find((x) => x.id === 'recipients.unlisted-whole-domain')!;
    expect(f.severity).toBe('warning');
    expect(f.message).toMatch(/accepts every address of corp\.example.*checks nothing/);
  });
});

describe('absurd durations', () => {
  it('0 s session timeout is an error, 0 s queue lifetime a warning that says it tries once', () => {
    const c = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { domains: [{ name: 'corp.example' }], advanced: { sessionTimeout: 0, maximalQueueLifetime: '0s' } },
    });
    const fs = runAudit(c).filter((f) => f.id === 'advanced.zero-duration');
    expect(fs.map((f) => [f.path, f.severity])).toEqual([
      ['mta.advanced.sessionTimeout', 'error'],
      ['mta.advanced.maximalQueueLifetime', 'warning'],
    ]);
    expect(fs[1]!.message).toMatch(/tried once/);
    expect(validateAdvanced('sessionTimeout')('30 seconds')).toMatch(/duration/);
  });
  it('rerun: advanced settings with findings are offered ticked and prefilled with the recommendation, not the bad value', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { domains: [{ name: 'corp.example' }], advanced: { sessionTimeout: 0, bounceQueueLifetime: '5d' } },
    });
    const { ctx, prompt } = ctxWith(
      [
        [/Change advanced settings/, DEFAULT],
        [/Which settings/, DEFAULT],
        [/Maximum SMTP session length/, DEFAULT],
        [/Maximum queue lifetime for a bounce/, DEFAULT],
      ],
      { current },
    );
    await advancedStep.run(ctx);
    expect(prompt.transcript[0]!.default).toBe(true);
    expect(prompt.transcript[1]!.default).toEqual(['sessionTimeout', 'bounceQueueLifetime']);
    expect(prompt.transcript[2]!.default).toBe('30s');
    expect(prompt.transcript[3]!.default).toBe('3d');
    expect(ctx.draft.mta?.advanced).toMatchObject({ sessionTimeout: '30s', bounceQueueLifetime: '3d' });
  });
  it('rerun: a 100-byte size limit is offered ticked with 20971520 prefilled', async () => {
    const current = configSchema.parse({
      version: 1,
      integration: 'edge',
      mta: { messageSizeLimit: 100, domains: [{ name: 'corp.example' }] },
    });
    const { ctx, prompt } = ctxWith(
      [
        [/Change advanced settings/, DEFAULT],
        [/Which settings/, DEFAULT],
        [/Message size limit/, DEFAULT],
      ],
      { current },
    );
    await advancedStep.run(ctx);
    expect(prompt.transcript[1]!.default).toEqual(['messageSizeLimit']);
    expect(prompt.transcript[2]!.default).toBe('20971520');
    expect(ctx.draft.mta?.messageSizeLimit).toBe(20971520);
  });
});
