import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import reactHooks from 'eslint-plugin-react-hooks'
import globals from 'globals'

/**
 * The layout rules of docs/decisions/0002-layout.md, one block per folder: what each may import.
 * A violation names the rule it breaks.
 */
const restrict = (...patterns) => ({ 'no-restricted-imports': ['error', { patterns }] })
const NODE = { regex: '^node:', message: 'The renderer and shared code run in the browser: no Node modules.' }
const ELECTRON = {
  group: ['electron'],
  message: 'Electron is imported only by src/main/electron, src/main/index.ts and src/preload.',
}
const SQLITE = { group: ['better-sqlite3'], message: 'SQL lives in src/main/store only.' }
const COMPOSITION = {
  regex: '(^|/)(services|handlers)(/index)?$',
  message: 'Capabilities do not reach the composition root or the handlers; they are handed what they need.',
}
const layout = [
  {
    files: ['src/shared/**/*.ts'],
    rules: restrict(NODE, ELECTRON, SQLITE, {
      regex: '/(main|renderer|preload|host)/',
      message: 'src/shared depends on nothing else in the app.',
    }),
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/browser/**/*.ts'],
    rules: restrict(NODE, ELECTRON, SQLITE, {
      regex: '/(main|preload)/|^\\.\\./host/|^\\.\\./\\.\\./host/',
      message: 'The renderer talks to main only through the contract (window.callscribe).',
    }),
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: restrict(SQLITE, {
      regex: '/(main|renderer|host)/',
      message: 'Preload only bridges the contract.',
    }),
  },
  {
    files: ['src/main/store/*.ts'],
    rules: restrict(ELECTRON, {
      regex: '^\\.\\./(?!\\.\\./shared/)',
      message: 'The store is storage: it imports src/shared and itself, never a capability.',
    }),
  },
  {
    files: ['src/main/store/postgres/**/*.ts'],
    rules: restrict(ELECTRON, {
      regex: '^\\.\\./\\.\\./(?!\\.\\./shared/)',
      message: 'The store is storage: it imports src/shared and itself, never a capability.',
    }),
  },
  {
    files: ['src/main/**/*.ts'],
    ignores: [
      'src/main/store/**',
      'src/main/electron/**',
      'src/main/handlers/**',
      'src/main/index.ts',
      'src/main/services.ts',
    ],
    rules: restrict(ELECTRON, SQLITE, COMPOSITION),
  },
  {
    files: ['src/main/electron/**/*.ts', 'src/main/handlers/**/*.ts', 'src/main/services.ts'],
    rules: restrict(SQLITE),
  },
]

export default tseslint.config(
  {
    ignores: [
      'out/**',
      'dist/**',
      'node_modules/**',
      'test/artifacts/**',
      'bench/results/**',
      'native/build/**',
      'native/build-*/**',
      'native/release/**',
      '.cache/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': ['error', { allow: ['warn', 'error', 'info'] }],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/browser/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  ...layout,
)
