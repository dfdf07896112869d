// The documented exit codes (README "Exit codes"), the one place they are written. A leaf module
// (no imports), so the wizard and the lab, which return a command's exit code, use it too.

/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  /** A bug in ksmg-setup (never bad input). */
  internal: 70,
  interrupted: 130,
} as const;
