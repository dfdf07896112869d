// Projects: unit (pure, in-process), integration (real sockets on 127.0.0.1), e2e (the
// built CLI as a child process; test/global-setup.ts builds dist/ first), differential (the
// relay next to a real Postfix), robustness (crash, full disk, hostile content) and property. `npm test` runs all of
// them in one pool; `npx vitest run --project unit` runs one.
//
// Vitest's default on a 2-core machine is ONE worker, which ran the whole suite file after file.
// Most integration and e2e time is spent waiting on sockets and child processes, not on the CPU,
// so several files run at once (KSMG_TEST_WORKERS overrides it, e.g. 1 to debug an ordering
// problem). Every test must assert something (expect.requireAssertions).
//
// The unit files share one module graph per worker (isolate: false): they are pure, so nothing
// leaks from one file to the next, and importing src/ once instead of in every file halves the
// project's CPU time (43 s → 20 s). The other projects keep a fresh graph per file: there it
// saved nothing measurable (integration: 100 s → 96 s CPU) and their files start servers.
import { defineConfig } from 'vitest/config';

const workers = Number(process.env.KSMG_TEST_WORKERS ?? 4);

export default defineConfig({
  test: {
    testTimeout: 20000,
    hookTimeout: 30000,
    pool: 'forks',
    maxWorkers: workers,
    expect: { requireAssertions: true },
    // Tests assert English output: a developer's cs_CZ locale must not switch the CLI to Czech
    // (the Czech tests set the language themselves). LC_ALL wins over LC_MESSAGES and LANG.
    env: { LC_ALL: 'C.UTF-8' },
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      // Child processes of the built CLI: several per test, each a Node start-up, slow on a loaded machine.
      {
        extends: true,
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'], testTimeout: 60000 },
      },
      // The relay against a private Postfix (needs Debian's postfix; skipped without, failed under CI=true).
      { extends: true, test: { name: 'differential', include: ['test/differential/**/*.test.ts'] } },
      // kill -9 cycles, a full disk (tmpfs, root only), corrupt queue files, hostile content against the budgets.
      { extends: true, test: { name: 'robustness', include: ['test/robustness/**/*.test.ts'], testTimeout: 60000 } },
      // Audit ⇔ lab agreement over generated configs (in-process labs; fixed seed and count in CI).
      { extends: true, test: { name: 'property', include: ['test/property/**/*.test.ts'] } },
    ],
  },
});
