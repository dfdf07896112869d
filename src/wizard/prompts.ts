// THE one facade over @inquirer/prompts. Steps never import inquirer: they receive a Prompter
// through the context, so tests script the answers (test/helpers/scripted-prompter.ts) and a
// different prompt library would be a change to this file only.
import { checkbox, confirm, input, select } from '@inquirer/prompts';

/** A validator answers `true` for acceptable input, or the message to show before asking again. */
export type Validator = (value: string) => true | string;

export interface Choice<T extends string> {
  value: T;
  name: string;
  description?: string;
}

export interface InputQuestion {
  message: string;
  /** Prefill: the current value on a rerun, or the KSMG default. */
  default?: string;
  validate?: Validator;
}

export interface ConfirmQuestion {
  message: string;
  default: boolean;
}

export interface SelectQuestion<T extends string> {
  message: string;
  choices: Array<Choice<T>>;
  default?: T;
}

export interface CheckboxQuestion<T extends string> {
  message: string;
  choices: Array<Choice<T> & { checked?: boolean }>;
  /** Checked on the whole selection (e.g. "at least one"). */
  validate?: (values: T[]) => true | string;
}

export interface Prompter {
  input(q: InputQuestion): Promise<string>;
  confirm(q: ConfirmQuestion): Promise<boolean>;
  select<T extends string>(q: SelectQuestion<T>): Promise<T>;
  checkbox<T extends string>(q: CheckboxQuestion<T>): Promise<T[]>;
}

/** Ctrl-C (or closed input) at any prompt: the command exits 130 and writes nothing. */
export class WizardCancelled extends Error {
  constructor(message = 'cancelled') {
    super(message);
    this.name = 'WizardCancelled';
  }
}

/** inquirer signals Ctrl-C / end of input with ExitPromptError, an abort with AbortPromptError. */
function isInquirerCancel(e: unknown): boolean {
  return e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError' || e.name === 'CancelPromptError');
}

async function cancellable<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (isInquirerCancel(e)) throw new WizardCancelled();
    throw e;
  }
}

export interface PromptStreams {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** The real prompts, on the process's terminal unless streams are given. */
export function inquirerPrompter(streams: PromptStreams = {}): Prompter {
  const context = { input: streams.input, output: streams.output };
  return {
    input: (q) =>
      cancellable(
        input(
          {
            message: q.message,
            default: q.default,
            validate: q.validate ? (v: string) => q.validate!(v.trim()) : undefined,
          },
          context,
        ).then((v) => v.trim()),
      ),
    confirm: (q) => cancellable(confirm({ message: q.message, default: q.default }, context)),
    select: <T extends string>(q: SelectQuestion<T>) =>
      cancellable(
        select<T>(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ value: c.value, name: c.name, description: c.description })),
            default: q.default,
          },
          context,
        ),
      ),
    checkbox: <T extends string>(q: CheckboxQuestion<T>) =>
      cancellable(
        checkbox<T>(
          {
            message: q.message,
            choices: q.choices.map((c) => ({ value: c.value, name: c.name, description: c.description, checked: c.checked })),
            validate: q.validate ? (items) => q.validate!(items.map((i) => i.value)) : undefined,
          },
          context,
        ),
      ),
  };
}
