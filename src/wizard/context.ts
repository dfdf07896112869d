// The wizard's context (create-astro style): the answers so far, where answers may come from
// (flags/answers file, the current ksmg.yaml on a rerun), whether we may ask, the prompt facade,
// the output streams and the language. Each step declares the slice of it that it reads and
// writes (StepIo plus its own answers, see ./steps/*.ts), so a test builds only that slice.
import { Chalk, type ChalkInstance } from 'chalk';
import type { z } from 'zod';
import {
  configSchema,
  type advancedSchema,
  type Config,
  type destinationSchema,
  type domainSchema,
  type Integration,
  type ruleSchema,
  type TlsSecurityLevel,
} from '../config/schema.js';
import { tEn, type Translate } from '../i18n/index.js';
import type { Prompter } from './prompts.js';

export type DomainInput = z.input<typeof domainSchema>;
export type DestinationInput = z.input<typeof destinationSchema>;
export type AdvancedInput = z.input<typeof advancedSchema>;
export type RuleInput = z.input<typeof ruleSchema>;

/**
 * Answers as a partial ksmg.yaml (the schema's input shape). Flags, an answers file and the
 * interactive steps all produce a Draft, and one function (buildConfig) turns it into a Config,
 * so the three ways in give the same file for the same answers.
 */
export interface Draft {
  integration?: Integration;
  mta?: {
    hostname?: string;
    messageSizeLimit?: number;
    trustedNetworks?: string[];
    destination?: DestinationInput;
    domains?: DomainInput[];
    advanced?: Partial<AdvancedInput>;
    tls?: { securityLevel?: TlsSecurityLevel };
  };
  protection?: { spf?: boolean; dmarc?: boolean };
  rules?: RuleInput[];
  /** Not part of the file: whether the Reject → Delete message change was accepted … */
  rejectToDelete?: boolean;
  /** … and how many actions it changed (for the review). */
  rejectChanges?: number;
}

export interface Output {
  write(text: string): unknown;
}

export interface WizardContext {
  /** Answers given so far in this run (steps write here). */
  draft: Draft;
  /** Answers fixed by flags or --answers: their questions are not asked. */
  given: Draft;
  /** The current configuration on a rerun (prefills every prompt). */
  current?: Config;
  /** May we prompt? (a TTY and neither --yes nor --answers). */
  interactive: boolean;
  /** --yes: take the scheme's recommendation for anything not given. */
  yes: boolean;
  /** "fix these" on a rerun: prefill with the recommendation instead of the current value. */
  fixing: boolean;
  /** --accept-findings: a run without a terminal may write a file with audit errors. */
  acceptFindings: boolean;
  prompt: Prompter;
  stdout: Output;
  stderr: Output;
  style: ChalkInstance;
  /** Messages in the admin's language (--lang or the locale). */
  t: Translate;
}

/** What every step uses to talk to the admin. */
export type StepIo = Pick<WizardContext, 'prompt' | 'stdout' | 'style' | 't' | 'interactive'>;

/** What prefer() reads: whether the recommendation wins over the current value. */
export type Preference = Pick<WizardContext, 'fixing' | 'yes' | 'interactive'>;

/** Where the scheme chosen so far is read from (schemeOf). */
export interface SchemeSource {
  draft: Pick<Draft, 'integration'>;
  given: Pick<Draft, 'integration'>;
  current?: Pick<Config, 'integration'>;
}

/** The answers a step reads and writes: those of this run and those fixed by flags, for these keys. */
export interface StepAnswers<K extends keyof Draft> {
  draft: Pick<Draft, K>;
  given: Pick<Draft, K>;
}

export function createContext(opts: Partial<WizardContext> & Pick<WizardContext, 'prompt'>): WizardContext {
  return {
    draft: {},
    given: {},
    interactive: true,
    yes: false,
    fixing: false,
    acceptFindings: false,
    stdout: process.stdout,
    stderr: process.stderr,
    style: new Chalk({ level: 0 }),
    t: tEn,
    ...opts,
  };
}

/** A step's explanation: a sentence or two, dimmed on a terminal. */
export function explain(ctx: Pick<WizardContext, 'stdout' | 'style' | 'interactive'>, text: string): void {
  // Explanations are for someone answering; a scripted run gets the answers and the review.
  if (!ctx.interactive) return;
  ctx.stdout.write('\n' + ctx.style.dim(text) + '\n');
}

/** Reports an answer that was given by flag/answers file instead of asked. */
export function given(ctx: Pick<WizardContext, 'stdout' | 'style'>, label: string, value: string): void {
  ctx.stdout.write(`${ctx.style.green('✔')} ${label}: ${ctx.style.bold(value)}\n`);
}

/**
 * What to prefill or fall back on: normally the current value (a rerun), else the recommendation.
 * When fixing findings or taking --yes, the recommendation wins.
 */
export function prefer<T>(ctx: Pick<WizardContext, 'fixing' | 'yes' | 'interactive'>, current: T | undefined, recommended: T): T {
  if (ctx.fixing || (ctx.yes && !ctx.interactive)) return recommended;
  return current ?? recommended;
}

/** The scheme chosen so far (draft, given, or current file). */
export function schemeOf(ctx: SchemeSource): Integration {
  return ctx.draft.integration ?? ctx.given.integration ?? ctx.current?.integration ?? 'behind-edge-no-verify';
}

export const isBehindEdge = (scheme: Integration): boolean => scheme !== 'edge';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Objects merge key by key; arrays and scalars in `over` replace. */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(out[k]) && isPlainObject(v) ? deepMerge(out[k], v) : v;
  }
  return out as T;
}

/** The draft laid over the current file (or a new version-1 file), validated by the schema. */
export function buildConfig(current: Config | undefined, draft: Draft): Config {
  const { rejectToDelete: _r, rejectChanges: _c, ...fileDraft } = draft;
  const base: Record<string, unknown> = current ? structuredClone(current) : { version: 1 };
  const merged = deepMerge(base, fileDraft) as { mta?: Record<string, unknown> };
  // The destination is one answer: switching to DNS delivery drops the old gateway's host and port.
  if (fileDraft.mta?.destination && merged.mta) merged.mta.destination = fileDraft.mta.destination;
  return configSchema.parse(merged);
}

/** Merges answers given by flags into the draft so buildConfig sees both. */
export function mergeDrafts(a: Draft, b: Draft): Draft {
  return deepMerge(a, b);
}
