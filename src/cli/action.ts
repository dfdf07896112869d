// The one wrapper every command action goes through (sv's runCommand): validate commander's
// options with the command's zod schema, run the plain function, and hand its exit code to
// runCli. Bad option values become `ksmg-setup <cmd>: --opt "value": what is allowed` and exit 2;
// a ConfigError becomes the loader's problem list and exit 2; anything else is a bug and
// propagates to src/cli.ts (exit 70).
import type { Command } from 'commander';
import type { z } from 'zod';
import { EXIT } from './exit.js';
import { chooseLang, isLang, type Lang } from '../i18n/index.js';
import { translateKnown } from '../i18n/known.js';

/** A problem with what the user typed: printed as `ksmg-setup <cmd>: <message>`, exit 2. */
export class UsageError extends Error {}

const codes = new WeakMap<Command, number>();

const rootOf = (cmd: Command): Command => {
  let c = cmd;
  while (c.parent) c = c.parent;
  return c;
};

/** The code the last action of this program returned (undefined: no action ran, e.g. --help). */
export function exitCodeOf(program: Command): number | undefined {
  return codes.get(program);
}

export function setExitCode(cmd: Command, code: number): void {
  codes.set(rootOf(cmd), code);
}

/**
 * The language a command speaks: the program's `--lang` (commander has checked it is en or cs),
 * else the locale in `env` (LC_ALL, LC_MESSAGES, LANG; cs_CZ.UTF-8 → cs), else English.
 */
export function langOf(cmd: Command, env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  const flag: unknown = rootOf(cmd).opts().lang;
  return chooseLang(isLang(flag) ? flag : undefined, env);
}

/** "ksmg-setup queue show" for messages. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

const kebab = (k: string): string => k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** zod issues as option messages: `--jobs "abc": expected a whole number 1–64`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[], raw: Record<string, unknown>, lang: Lang = 'en'): string[] {
  return issues.map((issue) => {
    const key = issue.path[0];
    const message = translateKnown(lang, issue.message);
    if (typeof key !== 'string') return message;
    const given = issue.code === 'custom' ? (issue.params as { shown?: string } | undefined)?.shown : undefined;
    const value = given ?? raw[key];
    const shown = value === undefined ? '' : ` ${JSON.stringify(Array.isArray(value) && value.length === 1 ? value[0] : value)}`;
    return `--${kebab(key)}${shown}: ${message}`;
  });
}

/**
 * `.action(commandAction(schema, run))`: `run` gets the validated options and the positional
 * arguments and returns an exit code (EXIT in ./exit.ts).
 */
export function commandAction<S extends z.ZodType<unknown, Record<string, unknown>>>(
  schema: S,
  run: (opts: z.output<S>, args: string[], cmd: Command) => Promise<number> | number,
): (...args: unknown[]) => Promise<void> {
  return async (...actionArgs: unknown[]) => {
    const cmd = actionArgs[actionArgs.length - 1] as Command;
    const raw = cmd.opts();
    const err = (s: string) => process.stderr.write(`${commandPath(cmd)}: ${s}\n`);
    const parsed = await schema.safeParseAsync(raw);
    if (!parsed.success) {
      for (const line of describeIssues(parsed.error.issues, raw, langOf(cmd))) err(line);
      setExitCode(cmd, EXIT.usage);
      return;
    }
    try {
      setExitCode(cmd, await run(parsed.data, actionArgs.slice(0, -2) as string[], cmd));
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      err(e.message);
      setExitCode(cmd, EXIT.usage);
    }
  };
}
