// ESLint flat config: typescript-eslint's type-aware recommended rules over every TypeScript file the type check sees
// (tsconfig.json `include`). The rules that catch real bugs in this code base — promises nobody awaits or catches,
// promises passed where a callback's result is ignored, awaiting non-promises — are errors. Run with `npm run lint`.
// CommonJS on purpose: a .cjs config resolves its packages with Node's require (NODE_PATH works for a local install).
const tseslint = require('typescript-eslint');

module.exports = tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '**/*.js', '**/*.mjs', '**/*.cjs', 'scripts/**', 'test/fixtures/**'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      // node:test's test()/describe() return promises the runner itself tracks: safe to leave unawaited.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] },
          ],
        },
      ],
      // The checker's `Fail` is thrown by value readers and caught per statement (check/context.ts): control flow, no stack wanted.
      '@typescript-eslint/only-throw-error': ['error', { allow: [{ from: 'file', name: 'Fail' }] }],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/require-await': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Off: every CLI command is `async` for one uniform signature, some have nothing to await. Not a bug.
      '@typescript-eslint/require-await': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // Tests and benchmarks read JSON (CLI output, page state) as `any` on purpose and assert on its shape: the
    // no-unsafe-* family would demand a type per fixture. Every other rule, floating promises first, still applies.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
);
