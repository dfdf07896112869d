// ESLint, configured once for the whole tree (`npm run lint`). typescript-eslint's recommended
// rules without type information, so it runs in seconds; the type checker (`npm run typecheck`,
// noUnusedLocals & co. in tsconfig.json) covers the rest. Formatting is Prettier's job, not ESLint's.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.tmp/', '.bench-spool-*/', '.tmp-crash-spool-*/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // Unused code is the type checker's (noUnusedLocals/noUnusedParameters); `_x` marks intent.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Type-only imports stay type-only (verbatimModuleSyntax needs them marked).
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false }],
      // Control characters in regexes are the point in an SMTP tool (CR, LF, NUL checks).
      'no-control-regex': 'off',
      // `let x; … closure reads x …; x = v` is how a test hands a later value to a callback.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
    },
  },
  {
    // Tests poke at loosely typed results (mailauth's, JSON reports) on purpose.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // mailauth's result types are loose; its summarisers narrow them to AuthOutcome.
    files: ['src/scan/mail-auth.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
