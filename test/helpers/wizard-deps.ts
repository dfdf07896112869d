// The wizard's dependencies for an in-process run: scripted answers, captured output, no colour,
// the real services but no lab verification unless a test gives its own.
import { Chalk } from 'chalk';
import type { WizardDeps } from '../../src/wizard/main.js';
import { realServices, type WizardServices } from '../../src/wizard/services.js';
import { scriptedPrompter, sink, type ScriptItem } from './scripted-prompter.js';

export function wizardDeps(script: ScriptItem[], opts: { tty?: boolean; services?: Partial<WizardServices> } = {}) {
  const prompt = scriptedPrompter(script);
  const stdout = sink();
  const stderr = sink();
  const d: WizardDeps = {
    prompt,
    stdout,
    stderr,
    style: new Chalk({ level: 0 }),
    services: { ...realServices, verify: null, ...opts.services },
    tty: opts.tty ?? true,
  };
  return { d, prompt, stdout, stderr };
}
