import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';

/** Where code that tests or wires parts together lives: it may reach any layer. */
const testFiles = ['**/*.test.ts', '**/*.faults.ts', '**/testing/**'];

/** An import of a core/ folder, whatever the file's depth in its own folder. */
const coreFolder = (...names) => `^(\\.\\./)+(${names.join('|')})/`;

/** core/ never reaches into the Electron shell or the renderer; every core/ rule carries this one. */
const noShellImports = {
  group: ['electron', '**/electron/**', '**/renderer/**'],
  message: 'core/ never imports Electron or the renderer.',
};

/** `no-restricted-imports` for core/ files: the shell rule plus these. */
const coreImportRule = (...patterns) => ['error', { patterns: [noShellImports, ...patterns] }];

/** The layers of DESIGN.md: the transport contract and the app sit above every domain. */
const aboveDomains = ['service', 'app', 'cli', 'http'];
/** The bottom layer (ingest, encoder, store) stays below search, adaptation, jobs and the rest. */
const aboveStorage = [
  ...aboveDomains,
  'search',
  'adapt',
  'compat',
  'jobs',
  'library',
  'marks',
  'models',
  'reembed',
  'versions',
  'versionSearch',
  'eval',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules',
      'dist',
      'release',
      'test-results',
      'playwright-report',
      'bench-out',
      'renderer/dist',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'describe', property: 'only' },
        { object: 'it', property: 'only' },
        { object: 'test', property: 'only' },
      ],
    },
  },
  {
    // An import cycle makes load order decide what a module sees; none is allowed.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createNodeResolver({ extensions: ['.ts', '.js', '.mjs'] })],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/extensions': ['.ts', '.js', '.mjs'],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    // core/ is plain Node: it never reaches into the Electron shell or the renderer.
    files: ['core/**/*.ts'],
    rules: { 'no-restricted-imports': coreImportRule() },
  },
  {
    // Domains own their types; core/service (the transport contract) imports them, never the reverse.
    files: ['core/{adapt,compat,eval,jobs,library,marks,models,reembed,search,versions}/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder(...aboveDomains),
        message: 'A domain of core/ never imports the contract, the app, the CLI or the HTTP server.',
      }),
    },
  },
  {
    // The query-time version space sits under adaptation: training writes what it reads.
    files: ['core/versionSearch/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder(...aboveDomains, 'adapt', 'eval'),
        message:
          'core/versionSearch is read at query time: it never imports adaptation, the benchmarks, the contract, the app, the CLI or the HTTP server.',
      }),
    },
  },
  {
    files: ['core/{ingest,encoder,store}/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder(...aboveStorage),
        message:
          'ingest, encoder and store are the bottom layer of core/: they import only base/ and each other.',
      }),
    },
  },
  {
    // The Markdown parser is shared with the renderer (a browser): it stays runtime-neutral.
    files: [
      'core/ingest/parse/markdownTree.ts',
      'core/ingest/parse/markdownSegments.ts',
      'core/ingest/parse/autolinkCost.ts',
    ],
    rules: {
      'no-restricted-imports': coreImportRule(
        { group: ['node:*'], message: 'The renderer imports this file: no Node APIs.' },
        {
          regex: '^\\.\\.?/(?!(markdownSegments|autolinkCost)\\.ts$)',
          message:
            'The renderer imports this file: it imports only markdownSegments.ts and autolinkCost.ts of core/.',
        },
      ),
    },
  },
  {
    files: ['core/base/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: '^(\\.\\./)+[^./]',
        message: 'core/base is below every domain: it imports none of them.',
      }),
    },
  },
  {
    // The contract is what every layer above the domains shares: it never imports their code.
    files: ['core/service/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder('app', 'cli', 'http'),
        message: 'core/service is the contract: it never imports the app, the CLI or the HTTP server.',
      }),
    },
  },
  {
    // import-x/no-cycle skips type-only imports; this keeps the app's method groups from the cycle they
    // had through api.ts (they share AppParts from parts.ts, and only the composition root imports api.ts).
    files: ['core/app/**/*.ts'],
    ignores: [...testFiles, 'core/app/index.ts'],
    rules: {
      'no-restricted-imports': coreImportRule(
        {
          group: ['./api.ts'],
          message: 'Import AppParts and WriteJob from ./parts.ts; only core/app/index.ts composes the API.',
        },
        { regex: coreFolder('cli', 'http'), message: 'The CLI and the HTTP server sit above the app.' },
      ),
    },
  },
  {
    files: ['core/app/index.ts'],
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder('cli', 'http'),
        message: 'The CLI and the HTTP server sit above the app.',
      }),
    },
  },
  {
    files: ['core/http/**/*.ts'],
    ignores: testFiles,
    rules: {
      'no-restricted-imports': coreImportRule({
        regex: coreFolder('cli'),
        message: 'The CLI sits above the HTTP server.',
      }),
    },
  },
  {
    // The renderer sees only the API contract of core/ (its types and its runtime-neutral client), and
    // the Markdown parser (runtime-neutral too), so the preview renders the very tree the index reads.
    files: ['renderer/**/*.{ts,svelte}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex:
                '(^|/)core/(?!service/(contract|client|contentSecurityPolicy)\\.ts$|ingest/parse/markdownTree\\.ts$)',
              message:
                'The renderer may import only core/service/contract.ts, client.ts, contentSecurityPolicy.ts and core/ingest/parse/markdownTree.ts.',
            },
            { group: ['node:*', 'electron'], message: 'The renderer runs in a sandboxed browser.' },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
);
