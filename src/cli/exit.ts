/** Documented exit codes (README "Exit codes"). */
export const EXIT = {
  ok: 0,
  findings: 1,
  usage: 2,
  /** A bug in ksmg-setup (never bad input). */
  internal: 70,
  interrupted: 130,
} as const;
