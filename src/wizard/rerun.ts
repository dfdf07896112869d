// The rerun: with a ksmg.yaml present, show the audit's findings and offer to fix them (walking
// only the steps they concern), edit any step, verify again or quit. Prompts are prefilled.
import { createContext } from './context.js';
import { printRunbook, verifyInLab, wizardAndSave, type WizardDeps } from './finish.js';
import { WizardCancelled } from './prompts.js';
import { STEPS, type StepId } from './steps/index.js';
import type { Finding, Loaded } from './services.js';

/** Which step answers a finding, by the config path it points at (longest prefix wins). */
const PATH_TO_STEP: Array<[string, StepId]> = [
  ['mta.advanced.recipientVerification', 'recipient-verification'],
  ['mta.advanced.unverifiedRecipientRejectCode', 'recipient-verification'],
  ['mta.advanced.validRecipients', 'recipient-verification'],
  ['mta.advanced', 'advanced'],
  ['mta.hostname', 'advanced'],
  ['mta.domain', 'advanced'],
  ['mta.messageSizeLimit', 'advanced'],
  ['mta.domains', 'domains'],
  ['mta.destination', 'destination'],
  ['mta.trustedNetworks', 'trusted-networks'],
  ['protection', 'sender-auth'],
  ['rules', 'scan-actions'],
  ['integration', 'scheme'],
];

export function stepForPath(path: string): StepId | undefined {
  const p = path.replace(/\[(\d+)\]/g, '.$1');
  return PATH_TO_STEP.find(([prefix]) => p === prefix || p.startsWith(prefix + '.'))?.[1];
}

/** The steps that answer these findings, in wizard order. */
export function stepsForFindings(findings: readonly Finding[]): StepId[] {
  const ids = new Set(findings.filter((f) => f.severity !== 'info').map((f) => stepForPath(f.path)).filter((x): x is StepId => !!x));
  return STEPS.map((s) => s.id).filter((id) => ids.has(id));
}

export function printFindings(deps: Pick<WizardDeps, 'stdout' | 'style' | 'services'>, path: string, loaded: Loaded, findings: readonly Finding[]): void {
  deps.stdout.write(deps.services.auditText(path, loaded.config, findings, deps.style));
}

export async function rerunMenu(deps: WizardDeps, path: string, loaded: Loaded, findings: Finding[]): Promise<number> {
  let current = loaded;
  let found = findings;
  // Quitting after a failed "Verify again" must not report success to a script.
  let lastVerify = 0;
  for (;;) {
    const fixable = stepsForFindings(found);
    const action = await deps.prompt
      .select<string>({
        message: 'What next?',
        choices: [
          ...(fixable.length ? [{ value: 'fix', name: `Fix these (${fixable.map((id) => STEPS.find((s) => s.id === id)!.title).join(', ')})` }] : []),
          { value: 'edit', name: 'Edit a step' },
          { value: 'verify', name: 'Verify again in the lab' },
          { value: 'quit', name: 'Quit' },
        ],
        default: fixable.length ? 'fix' : 'quit',
      })
      .catch((e: unknown) => {
        if (e instanceof WizardCancelled) return 'cancelled';
        throw e;
      });
    if (action === 'cancelled') return 130;
    if (action === 'quit') return lastVerify;
    if (action === 'verify') {
      lastVerify = await verifyInLab(deps, path, current.config);
      continue;
    }
    let steps: StepId[] = fixable;
    if (action === 'edit') {
      const id = await deps.prompt.select<StepId>({ message: 'Which step?', choices: STEPS.map((s) => ({ value: s.id, name: s.title })) })
        .catch((e: unknown) => {
          if (e instanceof WizardCancelled) return undefined;
          throw e;
        });
      if (!id) return 130;
      steps = [id];
    }
    const ctx = createContext({
      current: current.config, interactive: true, fixing: action === 'fix',
      prompt: deps.prompt, stdout: deps.stdout, stderr: deps.stderr, style: deps.style,
    });
    const { config, code } = await wizardAndSave(ctx, deps, path, { steps });
    if (!config) return code; // cancelled (130) or unusable answers (2): the file is as it was
    lastVerify = 0; // the configuration changed: an earlier lab result no longer applies
    printRunbook(deps, config);
    current = await deps.services.load(path);
    found = deps.services.audit(current);
    printFindings(deps, path, current, found);
  }
}
