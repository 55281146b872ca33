// Lint: TypeScript with type information (floating promises are bugs here), Svelte 5, and the layer and
// gateway rules from CONVENTIONS.md expressed as restricted imports per folder.
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import svelteConfig from './svelte.config.js'

const nodeBuiltins = { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'http', 'net'] }
// Child processes (R11: no shell, whole-tree cancel) are started only by the trainer runner.
const trainerProcessOwners = [
  'src-main/services/training/trainer-process.ts',
  'src-main/services/training/process-tree.ts',
]
const gateway = (name, owner) => ({
  name,
  message: `Only ${owner} imports ${name} (gateways own libraries).`,
})

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'coverage/', '.tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  prettier,
  ...svelte.configs['flat/prettier'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        project: ['./tsconfig.json', './tsconfig.test.json', './tsconfig.renderer.json'],
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'svelte/no-at-html-tags': 'error',
      // Handlers implement an async contract; some answer synchronously, which is fine.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      globals: { ...globals.browser },
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  { files: ['**/*.js', '**/*.mjs'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['src-shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'dexie', 'ollama'],
          patterns: [nodeBuiltins, { group: ['**/src-main/**', '**/src-renderer/**'] }],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron', 'ollama', gateway('dexie', 'src-renderer/db/database.ts')],
          patterns: [
            nodeBuiltins,
            { group: ['**/src-main/**'], message: 'The renderer talks to main only through lib/api.ts.' },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='window'][property.name='api']",
          message: 'Only lib/api.ts reads window.api.',
        },
      ],
    },
  },
  { files: ['src-renderer/db/database.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src-renderer/lib/api.ts'], rules: { 'no-restricted-syntax': 'off' } },
  {
    files: ['src-main/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            gateway('electron', 'index.ts, window.ts, preload.ts and ipc/electron-transport.ts'),
            'dexie',
            { name: 'ollama', message: 'Only src-main/engines/ollama/ollama-engine.ts imports ollama' },
            {
              name: 'node-llama-cpp',
              message: 'Only src-main/engines/llamacpp/llamacpp-engine.ts imports node-llama-cpp',
            },
            ...['child_process', 'node:child_process'].map((name) =>
              gateway(name, trainerProcessOwners.join(' and ')),
            ),
          ],
          patterns: [{ group: ['**/src-renderer/**'], message: 'Main never imports the renderer.' }],
        },
      ],
    },
  },
  {
    files: [
      'src-main/index.ts',
      'src-main/window.ts',
      'src-main/preload.ts',
      'src-main/ipc/electron-transport.ts',
    ],
    rules: { 'no-restricted-imports': 'off' },
  },
  { files: ['src-main/engines/ollama/ollama-engine.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: ['src-main/engines/llamacpp/llamacpp-engine.ts'], rules: { 'no-restricted-imports': 'off' } },
  { files: trainerProcessOwners, rules: { 'no-restricted-imports': 'off' } },
)
