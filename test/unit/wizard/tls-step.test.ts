// The wizard's TLS question (TLS Encryption > Server TLS security level): flag, answers file,
// --yes recommendation and the interactive choice all land in mta.tls.securityLevel.
import { describe, expect, it } from 'vitest';
import { answersToDraft } from '../../../src/wizard/flags.js';
import { buildConfig, createContext, type WizardContext } from '../../../src/wizard/context.js';
import { tlsStep } from '../../../src/wizard/steps/tls.js';
import { scriptedPrompter } from '../../helpers/scripted-prompter.js';

function ctx(over: Partial<WizardContext>): WizardContext {
  const out = { write: () => true };
  return createContext({ prompt: scriptedPrompter([]), interactive: false, yes: true, stdout: out, ...over });
}

describe('wizard: TLS for received mail', () => {
  it('--tls-level and tlsLevel: in an answers file set the level; a wrong value names what is allowed', () => {
    expect(answersToDraft({ tlsLevel: 'encrypt' })).toEqual({ draft: { mta: { tls: { securityLevel: 'encrypt' } } }, errors: [] });
    expect(answersToDraft({ tlsLevel: 'require' }).errors).toEqual(['--tls-level: expected none, may, encrypt, found "require"']);
  });

  it('without an answer: Attempt TLS (the KSMG default), or what the file already has', async () => {
    const c = ctx({});
    await tlsStep.run(c);
    expect(c.draft.mta?.tls).toEqual({ securityLevel: 'may' });
    const current = buildConfig(undefined, {
      integration: 'edge',
      mta: { domains: [{ name: 'corp.example' }], tls: { securityLevel: 'none' } },
    });
    const r = ctx({ current, yes: false });
    await tlsStep.run(r);
    expect(r.draft.mta?.tls).toEqual({ securityLevel: 'none' });
  });

  it('asks on a terminal, one select with the three KSMG levels', async () => {
    const prompt = scriptedPrompter([[/TLS for received mail/, 'encrypt']]);
    const c = ctx({ interactive: true, yes: false, prompt });
    await tlsStep.run(c);
    expect(c.draft.mta?.tls).toEqual({ securityLevel: 'encrypt' });
    expect(prompt.transcript[0]).toMatchObject({ kind: 'select', default: 'may' });
  });
});
