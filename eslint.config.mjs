// Lint runs in `npm test`: floating promises are errors, and the core stays free of the editor and of I/O.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeIo = ['fs', 'fs/promises', 'net', 'http', 'https', 'child_process', 'os', 'dgram', 'tls', 'worker_threads', 'readline'];
const noIoPaths = [
  { name: 'vscode', message: 'src/core is editor-free: put editor code in src/editor.' },
  ...nodeIo.flatMap((name) => [
    { name, message: 'src/core does no I/O: take data as arguments, do I/O in src/host or src/editor.' },
    { name: `node:${name}`, message: 'src/core does no I/O: take data as arguments, do I/O in src/host or src/editor.' },
  ]),
  { name: 'dockerode', message: 'src/core does no I/O: the Docker socket belongs to src/host.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.vscode-test/**', '.test-artifacts/**', 'src/core/schema/generated/**', '**/*.mjs', 'scripts/stubs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // node:test's test()/suite() return promises that the runner itself awaits.
        { allowForKnownSafeCalls: [{ from: 'package', name: ['test', 'suite', 'describe', 'it'], package: 'node:test' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      eqeqeq: ['error', 'smart'],
      curly: ['error', 'multi-line'],
      'no-console': 'off',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: noIoPaths }] },
  },
  {
    files: ['src/host/**/*.ts', 'src/cli.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'vscode', message: 'src/host and the CLI run without the editor.' }] }] },
  },
  {
    // Webview scripts run in the browser, outside the TypeScript project: lint them without type information.
    files: ['media/**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      sourceType: 'script',
      parserOptions: { projectService: false, project: false },
    },
    // The webview's globals (window, document, SVG element classes, acquireVsCodeApi) are the browser's.
    rules: { ...tseslint.configs.disableTypeChecked.rules, 'no-undef': 'off' },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
    },
  },
);
