/**
 * ESLint flat config (docs/architecture.md#layer-rules, CONTRIBUTING.md#code-rules).
 *
 * Sections, in order (later objects override earlier ones for the files they match):
 *   1. Global ignores.
 *   2. Every file: eslint's recommended JS rules.
 *   3. Root TypeScript project (**\/*.ts outside ui/ and widget/): typescript-eslint
 *      `recommendedTypeChecked` via the project service (tsconfig.json), tuned below.
 *   4. Non-test source: explicit-module-boundary-types.   5. Tests: `any` allowed.
 *   6. import-x/no-cycle.   7. no-console in services/, workflows/, activities/, gateway/, temporal/;
 *      no `process.env` in services/, temporal/, gateway/, activities/.
 *   8. Workflow sandbox: no `process`, no dynamic import().
 *   9. Layer boundaries (docs/architecture.md#layer-rules): one `no-restricted-imports` option set per
 *      layer, generated from the LAYERS table below.
 *  10. ui/ and widget/: not in the root tsconfig; `recommendedTypeChecked` with the
 *      same rules as the root project, typed by ui/tsconfig.json and widget/tsconfig.json.
 */
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import importX, { createNodeResolver } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts', '**/*.mts', '**/*.cts'];
const TESTS = ['tests/**'];
/** Folders outside the root TS project (each has its own tsconfig.json). */
const FRONTENDS = ['ui/**', 'widget/**'];
/** The TypeScript files of ui/ and widget/, linted with their own tsconfig.json. */
const FRONTEND_FILES = ['{ui,widget}/**/*.{ts,tsx,mts,cts}'];
/** Every source extension a layer may contain (ui/ and widget/ will have .tsx). */
const SRC = '{ts,tsx,mts,cts,js,jsx,mjs,cjs}';

// ---------------------------------------------------------------------------
// Layer boundaries (docs/architecture.md#layer-rules)
//
// `no-restricted-imports` sees only the specifier string, so a relative import
// is judged by where it lands: from a file `depth` folders below the repo root,
// exactly `depth` leading `../` reach the root, and what follows names the
// top-level folder or file. Each layer lists what it may reach at the root
// (`reach`); any other relative import that leaves the layer is an error, as is
// every package matched by `packages`. Relative imports that stay inside the
// layer are always allowed. ESLint cannot vary options by file depth, so each
// layer gets one config object per depth (1..MAX_DEPTH; the last also covers
// anything deeper).
// ---------------------------------------------------------------------------

const MAX_DEPTH = 6;
const esc = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A top-level folder (or a subfolder such as gateway/protocol) and everything in it. */
const dir = (name) => `${esc(name)}(?:/|$)`;
/** A root-level module, imported as .js (NodeNext) or .ts. */
const file = (name) => `${esc(name)}\\.(?:js|ts)$`;
/** Any package (bare specifier) except those listed. */
const packagesExcept = (...allowed) => `^(?![./])(?!(?:${allowed.map(esc).join('|')})(?:/|$))`;

/**
 * @typedef {{ regex: string, message: string }} PackageRule
 * @typedef {{
 *   folder: string,
 *   reach?: string[],
 *   reachTypesOnly?: { target: string, message: string }[],
 *   importsNothing?: boolean,
 *   leafPackages?: string[],
 *   leaveMessage: string,
 *   packages?: PackageRule[],
 * }} Layer
 * `reach`: root-relative regexes a relative import may land on once it leaves the
 * folder; `reachTypesOnly`: more targets, for `import type` only;
 * `importsNothing`: every import is an error; `leafPackages`: a leaf that may import
 * only these packages and its own files (no relative import leaves the folder);
 * `packages`: forbidden bare specifiers.
 */

/** @type {Layer[]} */
const LAYERS = [
  {
    folder: 'services',
    // gateway/protocol is the lowest shared leaf (wire constants and schemas): presenters return its types.
    reach: [dir('services'), dir('gateway/protocol')],
    leaveMessage:
      'services/ is the bottom layer: it must not import gateway/ (except gateway/protocol/), workflows/, activities/, bin/, infra/ or temporal.config (docs/architecture.md#layer-rules).',
    packages: [
      {
        regex: '^@temporalio/',
        message:
          'services/ never imports Temporal (docs/architecture.md#layer-rules): keep Temporal in activities/, workflows/ and the gateway.',
      },
    ],
  },
  {
    // After `services`, so its options replace the services' for these files.
    folder: 'services/error-codes',
    importsNothing: true,
    leaveMessage:
      'services/error-codes/ is a leaf shared with workflows: it imports nothing, no package and no file (docs/architecture.md#layer-rules).',
  },
  {
    folder: 'activities',
    reach: [dir('activities'), dir('services'), dir('gateway/protocol')],
    leaveMessage:
      'activities/ may import only services/ and gateway/protocol/ (docs/architecture.md#layer-rules): not workflows/, bin/, infra/, temporal.config or the rest of gateway/.',
    packages: [
      {
        regex: '^@temporalio/(?!(?:activity|common)(?:/|$))',
        message:
          'Activities use only @temporalio/activity and @temporalio/common; clients, workers and workflow APIs belong elsewhere (docs/architecture.md#layer-rules).',
      },
    ],
  },
  {
    folder: 'workflows',
    // services/error-codes is a leaf (it imports nothing): the closed set of codes workflows reject updates with.
    reach: [dir('workflows'), dir('services/error-codes')],
    reachTypesOnly: [
      {
        target: dir('activities'),
        message: 'Workflows import activities as types only (`import type`), then proxy them (docs/architecture.md#layer-rules).',
      },
      {
        target: dir('gateway/protocol'),
        message:
          'Workflows import gateway/protocol as types only (`import type`): its schemas load zod (docs/architecture.md#layer-rules).',
      },
    ],
    leaveMessage:
      'Workflows are sandbox-pure (docs/architecture.md#layer-rules): outside workflows/ they may import only activity and gateway/protocol types and services/error-codes/, never the rest of services/, gateway/, bin/, infra/ or temporal.config (it reads process.env).',
    packages: [
      {
        regex: packagesExcept('@temporalio/workflow'),
        message:
          'Workflows are sandbox-pure (docs/architecture.md#layer-rules): the only package they import is @temporalio/workflow (no Node builtins, clients or other packages).',
      },
    ],
  },
  {
    folder: 'temporal',
    reach: [dir('temporal'), dir('services'), `workflows/[^/]+/messages\\.(?:js|ts)$`, file('temporal.config')],
    leaveMessage:
      'temporal/ (the Temporal clients of the gateway and the worker) may import services/, workflows/<entity>/messages.ts (never workflow.ts or state.ts) and temporal.config; not gateway/, activities/, bin/ or infra/ (docs/architecture.md#layer-rules).',
    packages: [
      {
        regex: '^@temporalio/(?!(?:client|common)(?:/|$))',
        message:
          'temporal/ holds clients: of Temporal it imports only @temporalio/client and @temporalio/common; workers belong to bin/, workflow APIs to workflows/ (docs/architecture.md#layer-rules).',
      },
    ],
  },
  {
    folder: 'gateway',
    reach: [dir('gateway'), dir('services'), dir('temporal')],
    leaveMessage:
      'The gateway may import services/ and temporal/ (its Temporal clients); not workflows/, activities/, bin/, infra/ or temporal.config (docs/architecture.md#layer-rules).',
    packages: [
      {
        regex: '^@temporalio/',
        message:
          'The gateway talks to Temporal only through temporal/, the clients it shares with the worker (docs/architecture.md#layer-rules).',
      },
    ],
  },
  {
    // After `gateway`, so its options replace the gateway's for these files.
    folder: 'gateway/protocol',
    leafPackages: ['zod'],
    leaveMessage:
      'gateway/protocol/ is a leaf shared with services/, ui/, widget/ and workers: it imports only the zod package and files inside gateway/protocol/ (docs/architecture.md#layer-rules).',
  },
  {
    folder: 'infra',
    reach: [dir('infra'), dir('services'), file('temporal.config')],
    leaveMessage:
      'infra/ (service launchers) must not import gateway/, workflows/, activities/ or bin/ (docs/architecture.md#layer-rules).',
  },
  ...['ui', 'widget'].map((folder) => ({
    folder,
    reach: [dir(folder), dir('gateway/protocol')],
    leaveMessage: `${folder}/ may import only gateway/protocol/ from the rest of the repo (docs/architecture.md#layer-rules).`,
    packages: [
      {
        regex: '^@temporalio/',
        message: `${folder}/ runs in the browser and talks to the gateway, never to Temporal (docs/architecture.md#layer-rules).`,
      },
    ],
  })),
];

/** Root-level files (temporal.config.ts …): everything but services/ is above them. */
const ROOT_FILES_PATTERNS = [
  {
    regex: `^\\./(?!${dir('services')})[^/]+/`,
    message:
      'Root modules (temporal.config.ts) may import only services/: nothing outside ui/, widget/, activities/, bin/ and tests/ imports gateway/ (docs/architecture.md#layer-rules).',
  },
];

/** The `no-restricted-imports` patterns of one layer, for files `depth` folders deep. */
function layerPatterns(layer, depth, orDeeper) {
  if (layer.importsNothing) return [{ regex: '^', message: layer.leaveMessage }];
  if (layer.leafPackages) {
    const inside = depth - layer.folder.split('/').length;
    return [
      { regex: packagesExcept(...layer.leafPackages), message: layer.leaveMessage },
      { regex: `^(?:\\.\\./){${inside + 1},}`, message: layer.leaveMessage },
    ];
  }
  const toRoot = `^(?:\\.\\./){${depth}${orDeeper ? ',' : ''}}`;
  const patterns = (layer.packages ?? []).map((p) => ({ regex: p.regex, message: p.message }));
  const typesOnly = layer.reachTypesOnly ?? [];
  const allowed = [...(layer.reach ?? []), ...typesOnly.map((t) => t.target)];
  patterns.push({
    regex: allowed.length ? `${toRoot}(?!${allowed.map((a) => `(?:${a})`).join('|')})` : toRoot,
    message: layer.leaveMessage,
  });
  for (const t of typesOnly) patterns.push({ regex: `${toRoot}${t.target}`, message: t.message, allowTypeImports: true });
  return patterns;
}

const boundaryConfigs = LAYERS.flatMap((layer) => {
  const depth = layer.folder.split('/').length;
  return Array.from({ length: MAX_DEPTH }, (_, i) => {
    const subfolders = i;
    const deepest = i === MAX_DEPTH - 1;
    const glob = `${layer.folder}/${'*/'.repeat(subfolders)}${deepest ? '**/' : ''}*.${SRC}`;
    return {
      name: `netia/boundaries/${layer.folder}/depth-${depth + subfolders}${deepest ? '+' : ''}`,
      files: [glob],
      rules: {
        'no-restricted-imports': ['error', { patterns: layerPatterns(layer, depth + subfolders, deepest) }],
      },
    };
  });
});

/** Type-aware rules of every TypeScript project (root, ui/, widget/). */
const TYPED_RULES = {
  '@typescript-eslint/no-floating-promises': 'error',
  '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: true }],
  '@typescript-eslint/consistent-type-imports': [
    'error',
    // Both `import type {…}` and inline `type` specifiers are in use; the fixer
    // adds inline specifiers to an existing value import.
    { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
  ],
  // verbatimModuleSyntax keeps `import { type A } from 'm'` as `import 'm'`:
  // a side-effect import that would load activities/ inside the workflow
  // sandbox. All-type imports must be `import type`.
  '@typescript-eslint/no-import-type-side-effects': 'error',
  // `_`-prefixed names are deliberately unused (`const { key: _dropped, ...rest } = o`).
  '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
  // Async methods that satisfy a Promise-returning interface without awaiting
  // (launcher `stop()`, channel handlers) are intended; the promise hazards
  // are covered by no-floating-promises and no-misused-promises.
  '@typescript-eslint/require-await': 'off',
  // `let x; const f = () => x?.y(); x = make(f);` — closures that refer to a
  // value assigned later (the socket server and its relay) must stay `let`.
  'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
};

// ---------------------------------------------------------------------------

export default defineConfig([
  globalIgnores(['**/node_modules/', '.netia/', '**/dist/', 'coverage/', 'bench/results/'], 'netia/ignores'),

  { name: 'netia/js', ...js.configs.recommended },

  {
    name: 'netia/typescript',
    files: TS,
    ignores: FRONTENDS,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: TYPED_RULES,
  },

  {
    name: 'netia/module-boundary-types',
    files: TS,
    ignores: [...FRONTENDS, ...TESTS],
    rules: {
      '@typescript-eslint/explicit-module-boundary-types': [
        'error',
        { allowTypedFunctionExpressions: true, allowHigherOrderFunctions: true },
      ],
    },
  },

  {
    name: 'netia/tests',
    files: TESTS,
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },

  {
    name: 'netia/import-cycles',
    files: [`**/*.${SRC}`],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x skips .ts dependencies and finds no cycle at all.
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json', '.node'],
          // NodeNext: `./x.js` in source means `./x.ts` on disk.
          extensionAlias: { '.js': ['.ts', '.tsx', '.js'], '.mjs': ['.mts', '.mjs'], '.cjs': ['.cts', '.cjs'] },
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },

  {
    name: 'netia/no-console',
    files: [`{services,workflows,activities,gateway,temporal}/**/*.${SRC}`],
    rules: { 'no-console': 'error' },
  },

  {
    // Settings arrive as parameters (CONTRIBUTING.md#configuration): bin/ parses the
    // environment and builds services, clients and destinations with what it parsed.
    // (workflows/ may not touch `process` at all: netia/workflow-sandbox.)
    name: 'netia/no-process-env',
    files: [`{services,temporal,gateway,activities}/**/*.${SRC}`],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message:
            'Only the entry points (bin/) read process.env (CONTRIBUTING.md#configuration): take the parsed settings, or an `env` parameter, from them.',
        },
      ],
    },
  },

  {
    name: 'netia/workflow-sandbox',
    files: [`workflows/**/*.${SRC}`],
    rules: {
      'no-restricted-globals': [
        'error',
        {
          name: 'process',
          message: 'Workflows are sandbox-pure (docs/architecture.md#layer-rules): settings arrive in the workflow input.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: 'ImportExpression',
          message: 'Workflows are bundled statically: no dynamic import() (docs/architecture.md#layer-rules).',
        },
      ],
    },
  },

  {
    name: 'netia/boundaries/root-files',
    files: [`*.${SRC}`],
    rules: { 'no-restricted-imports': ['error', { patterns: ROOT_FILES_PATTERNS }] },
  },
  ...boundaryConfigs,

  {
    // Each file gets the program of its nearest tsconfig.json: ui/tsconfig.json
    // (Solid, JSX, bundler resolution) or widget/tsconfig.json, not the root one.
    name: 'netia/frontends',
    files: FRONTEND_FILES,
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        ecmaFeatures: { jsx: true },
      },
    },
    rules: TYPED_RULES,
  },
]);
