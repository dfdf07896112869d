// A Prompter that answers from a script, the way a person would: an input answer that fails the
// validator is recorded and the next scripted answer is tried for the same question (re-prompt).
import { WizardCancelled, type Prompter } from '../../src/wizard/prompts.js';

export const DEFAULT = Symbol('take the prefilled default');
export const CTRL_C = Symbol('press Ctrl-C');
export type Answer = string | boolean | string[] | typeof DEFAULT | typeof CTRL_C;
/** An answer, optionally with a pattern the question must match (keeps scripts honest). */
export type ScriptItem = Answer | [RegExp, Answer];

export interface TranscriptEntry {
  kind: 'input' | 'confirm' | 'select' | 'checkbox';
  message: string;
  default?: unknown;
  answer?: unknown;
  /** Validator messages shown before the accepted answer. */
  errors: string[];
}

export interface ScriptedPrompter extends Prompter {
  transcript: TranscriptEntry[];
  remaining(): number;
}

export function scriptedPrompter(script: ScriptItem[]): ScriptedPrompter {
  const queue = [...script];
  const transcript: TranscriptEntry[] = [];
  const next = (entry: TranscriptEntry): Answer => {
    const item = queue.shift();
    if (item === undefined)
      throw new Error(
        `script ran out at ${entry.kind} "${entry.message}" (transcript: ${JSON.stringify(transcript.map((t) => t.message))})`,
      );
    if (Array.isArray(item) && item[0] instanceof RegExp) {
      const [pattern, answer] = item as [RegExp, Answer];
      if (!pattern.test(entry.message)) throw new Error(`expected a question matching ${pattern}, got ${entry.kind} "${entry.message}"`);
      return answer;
    }
    return item as Answer;
  };
  const begin = (kind: TranscriptEntry['kind'], message: string, def: unknown): TranscriptEntry => {
    const e: TranscriptEntry = { kind, message, default: def, errors: [] };
    transcript.push(e);
    return e;
  };
  return {
    transcript,
    remaining: () => queue.length,
    async input(q) {
      const e = begin('input', q.message, q.default);
      for (;;) {
        const a = next(e);
        if (a === CTRL_C) throw new WizardCancelled();
        const text = a === DEFAULT ? (q.default ?? '') : String(a).trim();
        const ok = q.validate ? q.validate(text) : true;
        if (ok === true) {
          e.answer = text;
          return text;
        }
        e.errors.push(ok);
      }
    },
    async confirm(q) {
      const e = begin('confirm', q.message, q.default);
      const a = next(e);
      if (a === CTRL_C) throw new WizardCancelled();
      const v = a === DEFAULT ? q.default : a;
      if (typeof v !== 'boolean') throw new Error(`confirm "${q.message}" needs true/false, script gave ${String(v)}`);
      e.answer = v;
      return v;
    },
    async select(q) {
      const e = begin('select', q.message, q.default);
      const a = next(e);
      if (a === CTRL_C) throw new WizardCancelled();
      const v = a === DEFAULT ? (q.default ?? q.choices[0]!.value) : a;
      const choice = q.choices.find((c) => c.value === v);
      if (!choice) throw new Error(`select "${q.message}": "${String(v)}" is not a choice (${q.choices.map((c) => c.value).join(', ')})`);
      e.answer = choice.value;
      return choice.value;
    },
    async checkbox(q) {
      const e = begin(
        'checkbox',
        q.message,
        q.choices.filter((c) => c.checked).map((c) => c.value),
      );
      for (;;) {
        const a = next(e);
        if (a === CTRL_C) throw new WizardCancelled();
        const v = a === DEFAULT ? q.choices.filter((c) => c.checked).map((c) => c.value) : a;
        if (!Array.isArray(v)) throw new Error(`checkbox "${q.message}" needs a list`);
        const bad = v.find((x) => !q.choices.some((c) => c.value === x));
        if (bad) throw new Error(`checkbox "${q.message}": "${bad}" is not a choice`);
        const ok = q.validate ? q.validate(v as never) : true;
        if (ok === true) {
          e.answer = v;
          return [...v] as never;
        }
        e.errors.push(ok);
      }
    },
  };
}

/** Collects written text. */
export function sink(): { write(s: string): boolean; text(): string } {
  let buf = '';
  return { write: (s: string) => ((buf += s), true), text: () => buf };
}
