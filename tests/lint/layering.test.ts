/**
 * The layer boundaries of docs/architecture.md#layer-rules and the type-aware rules
 * (synchronous update validators, docs/architecture.md#one-workflow-per-conversation;
 * CONTRIBUTING.md#files-and-names) are enforced by eslint.config.js: each snippet below is
 * linted with the repo's real config at a virtual path inside its layer.
 *
 * Nothing is written to disk. The snippets are not in tsconfig.json's program
 * (the files do not exist), so the project service is told to host files named
 * `__lint__*` in a default project built from the same tsconfig.json. Every
 * other setting (rules, boundaries, resolver) is the repo's own.
 * Needs no services: run it alone with `npx ava tests/lint/layering.test.ts`.
 */
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { ESLint } from 'eslint';

const repoRoot = path.resolve(import.meta.dirname, '../..');
const test = anyTest as TestFn<{ eslint: ESLint }>;

test.before((t) => {
  t.context.eslint = new ESLint({
    cwd: repoRoot,
    overrideConfig: {
      files: ['**/*.ts'],
      ignores: ['ui/**', 'widget/**'],
      languageOptions: {
        parserOptions: {
          projectService: {
            // `**` is not accepted here: one glob per depth.
            allowDefaultProject: ['__lint__*.ts', '*/__lint__*.ts', '*/*/__lint__*.ts', '*/*/*/__lint__*.ts'],
            defaultProject: 'tsconfig.json',
            // Each snippet is one more open file; the cap (8) guards real configs, not this test.
            maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 100,
          },
        },
      },
    },
  });
});

/** Lint `code` as if it were `file`; return `rule@line` for every problem, in order. */
async function lint(eslint: ESLint, file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(repoRoot, file) });
  if (!result) throw new Error(`no lint result for ${file}`);
  const fatal = result.messages.find((m) => m.fatal);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return result.messages.map((m) => `${m.ruleId ?? 'null'}@${m.line}`);
}

const lines = (...source: string[]): string => source.join('\n') + '\n';
const R = 'no-restricted-imports';

const layering = test.macro({
  async exec(t, file: string, code: string, expected: string[]) {
    t.deepEqual(await lint(t.context.eslint, file, code), expected);
  },
  title: (title) => title ?? '',
});

// services/: the bottom layer, no Temporal.

test(
  'services may import packages and other services',
  layering,
  'services/conversations/__lint__ok.ts',
  lines(
    "import { z } from 'zod';",
    "import { AppError } from '../errors.js';",
    'export const schema = z.string();',
    'export const E = AppError;',
  ),
  [],
);

test(
  'services may import gateway/protocol (the lowest shared leaf: wire constants and schemas)',
  layering,
  'services/conversations/__lint__ok.ts',
  lines(
    "import { EVENTS } from '../../gateway/protocol/index.js';",
    "import { messageSchema, type Message } from '../../gateway/protocol/wire/index.js';",
    'export const all = [EVENTS, messageSchema];',
    'export type M = Message;',
  ),
  [],
);

test(
  'services may not import Temporal, the gateway, workflows or activities',
  layering,
  'services/conversations/__lint__bad.ts',
  lines(
    "import { Client } from '@temporalio/client';",
    "import type { GatewayContext as EVENTS } from '../../gateway/context.js';",
    "import type { PostMessageUpdateInput } from '../../workflows/conversation/messages.js';",
    "import type { Activities } from '../../activities/index.js';",
    "import { loadTemporalSettings } from '../../temporal.config.js';",
    'export const all = [Client, loadTemporalSettings];',
    'export type T = [PostMessageUpdateInput, Activities, EVENTS];',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`, `${R}@4`, `${R}@5`],
);

test(
  'a services file one level deep reaches the root with one ../',
  layering,
  'services/__lint__bad.ts',
  lines(
    "import { Router } from '../gateway/http/router.js';",
    "import { AppError } from './errors.js';",
    "import { EVENTS } from '../gateway/protocol/index.js';",
    'export const all = [Router, AppError, EVENTS];',
  ),
  [`${R}@1`],
);

// workflows/: sandbox-pure; activities as types only.

test(
  'workflows may import @temporalio/workflow, their own modules and activity types',
  layering,
  'workflows/conversation/__lint__ok.ts',
  lines(
    "import { log } from '@temporalio/workflow';",
    "import type { Activities } from '../../activities/index.js';",
    "import { postMessageUpdate } from './messages.js';",
    "export type { ConversationRecord } from '../../activities/index.js';",
    "import type { Message } from '../../gateway/protocol/wire/index.js';",
    'export type A = [Activities, Message];',
    "export function note(): void { log.info('x', { name: postMessageUpdate.name }); }",
  ),
  [],
);

test(
  'workflows may not import Node builtins, other packages, services, the gateway or temporal.config',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines(
    "import { readFileSync } from 'node:fs';",
    "import path from 'path';",
    "import { z } from 'zod';",
    "import { Client } from '@temporalio/client';",
    "import { AppError } from '../../services/errors.js';",
    "import { EVENTS } from '../../gateway/protocol/index.js';",
    "import { TASK_QUEUES } from '../../temporal.config.js';",
    "export { isAppError } from '../../services/errors.js';",
    'export const all = [readFileSync, path, z, Client, AppError, EVENTS, TASK_QUEUES];',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`, `${R}@4`, `${R}@5`, `${R}@6`, `${R}@7`, `${R}@8`],
);

test(
  'workflows may import the closed set of error codes (a leaf), not the rest of services',
  layering,
  'workflows/conversation/__lint__ok.ts',
  lines(
    "import { ApplicationFailure } from '@temporalio/workflow';",
    "import { isErrorCode, type ErrorCode } from '../../services/error-codes/index.js';",
    "import { AppError } from '../../services/errors.js';",
    "export const code: ErrorCode = 'GONE';",
    'export const all = [ApplicationFailure, isErrorCode, AppError];',
  ),
  [`${R}@3`],
);

test(
  'services/error-codes imports nothing at all (workflows import it)',
  layering,
  'services/error-codes/__lint__bad.ts',
  lines(
    "import { z } from 'zod';",
    "import { AppError } from '../errors.js';",
    "import { ERROR_CODES } from './index.js';",
    'export const all = [z, AppError, ERROR_CODES];',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`],
);

test(
  'workflows may not import activities as values',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines("import { createActivities } from '../../activities/index.js';", 'export const make = createActivities;'),
  [`${R}@1`],
);

test(
  'an all-`type` import list in a workflow must be `import type` (verbatimModuleSyntax keeps the module load)',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines("import { type Activities } from '../../activities/index.js';", 'export type A = Activities;'),
  ['@typescript-eslint/no-import-type-side-effects@1'],
);

test(
  'workflows may not reach around the boundary with import() types',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines("export type E = import('../../services/errors.js').AppError;"),
  ['@typescript-eslint/consistent-type-imports@1'],
);

test(
  'workflows may not use process, console or dynamic import()',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines(
    'export async function wf(): Promise<void> {',
    "  console.log(process.env['X']);",
    "  await import('../../activities/index.js');",
    '}',
  ),
  ['no-console@2', 'no-restricted-globals@2', 'no-restricted-syntax@3'],
);

test(
  'an async update validator is a no-misused-promises error (validators are synchronous)',
  layering,
  'workflows/conversation/__lint__bad.ts',
  lines(
    "import { defineUpdate, setHandler } from '@temporalio/workflow';",
    "const renameUpdate = defineUpdate<void, [{ name: string }]>('rename');",
    'export function wf(): void {',
    '  setHandler(renameUpdate, () => undefined, {',
    '    validator: async (input: { name: string }) => {',
    "      if (input.name === '') throw new Error('blank');",
    '      await Promise.resolve();',
    '    },',
    '  });',
    '}',
  ),
  ['@typescript-eslint/no-misused-promises@5'],
);

// gateway/: services and temporal/ (its Temporal clients); Temporal itself only through temporal/.

test(
  'the gateway may import services, temporal/ and gateway/protocol',
  layering,
  'gateway/routes/__lint__ok.ts',
  lines(
    "import { AppError } from '../../services/errors.js';",
    "import { createConversationCommands } from '../../temporal/conversation-client.js';",
    "import { deletionReason } from '../../temporal/conversation-admin.js';",
    "import { EVENTS } from '../protocol/index.js';",
    'export const all = [AppError, createConversationCommands, deletionReason, EVENTS];',
  ),
  [],
);

test(
  'the gateway may not import workflows (messages included), activities, the worker, temporal.config or any Temporal package',
  layering,
  'gateway/routes/__lint__bad.ts',
  lines(
    "import { conversationWorkflow } from '../../workflows/conversation/workflow.js';",
    "import { validatePost } from '../../workflows/conversation/state.js';",
    "import { conversationWorkflow as w } from '../../workflows/index.js';",
    "import type { Activities } from '../../activities/index.js';",
    "import { Worker } from '@temporalio/worker';",
    "import { defineSignal } from '@temporalio/workflow';",
    "import { postMessageUpdate } from '../../workflows/conversation/messages.js';",
    "import { Client } from '@temporalio/client';",
    "import { ApplicationFailure } from '@temporalio/common';",
    "import { TASK_QUEUES } from '../../temporal.config.js';",
    'export const all = [conversationWorkflow, validatePost, w, Worker, defineSignal, postMessageUpdate, Client, ApplicationFailure, TASK_QUEUES];',
    'export type A = Activities;',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`, `${R}@4`, `${R}@5`, `${R}@6`, `${R}@7`, `${R}@8`, `${R}@9`, `${R}@10`],
);

test(
  'gateway files deeper down are held to the same rules',
  layering,
  'gateway/http/nested/__lint__bad.ts',
  lines(
    "import { AppError } from '../../../services/errors.js';",
    "import { createActivities } from '../../../activities/index.js';",
    'export const all = [AppError, createActivities];',
  ),
  [`${R}@2`],
);

test(
  'gateway/protocol imports only zod and its own files',
  layering,
  'gateway/protocol/__lint__bad.ts',
  lines(
    "import { z } from 'zod';",
    "import { randomUUID } from 'node:crypto';",
    "import { SOCKET_PATH } from './index.js';",
    "import type { AppError } from '../../services/errors.js';",
    "import type { Route } from '../http/router.js';",
    "import { zodToJsonSchema } from 'zod-to-json-schema';",
    "import { messageSchema } from './wire/index.js';",
    'export const all = [z, randomUUID, SOCKET_PATH, zodToJsonSchema, messageSchema];',
    'export type E = [AppError, Route];',
  ),
  [`${R}@2`, `${R}@4`, `${R}@5`, `${R}@6`],
);

test(
  'a gateway/protocol subfolder may reach the rest of gateway/protocol, nothing above it',
  layering,
  'gateway/protocol/wire/__lint__bad.ts',
  lines(
    "import { z } from 'zod';",
    "import { EVENTS } from '../index.js';",
    "import type { Route } from '../../http/router.js';",
    "import type { AppError } from '../../../services/errors.js';",
    'export const all = [z, EVENTS];',
    'export type E = [Route, AppError];',
  ),
  [`${R}@3`, `${R}@4`],
);

// temporal/: the Temporal clients of the gateway and the worker.

test(
  'temporal/ may import services, messages modules, @temporalio/client and common, and temporal.config',
  layering,
  'temporal/__lint__ok.ts',
  lines(
    "import { Client } from '@temporalio/client';",
    "import { ApplicationFailure } from '@temporalio/common';",
    "import { AppError } from '../services/errors.js';",
    "import { postMessageUpdate } from '../workflows/conversation/messages.js';",
    "import { TASK_QUEUES } from '../temporal.config.js';",
    "import { createKeyedQueue } from './keyed-queue.js';",
    'export const all = [Client, ApplicationFailure, AppError, postMessageUpdate, TASK_QUEUES, createKeyedQueue];',
  ),
  [],
);

test(
  'temporal/ may not import the gateway, workflow code, activities, the worker or workflow APIs',
  layering,
  'temporal/__lint__bad.ts',
  lines(
    "import type { GatewayContext } from '../gateway/context.js';",
    "import { EVENTS } from '../gateway/protocol/index.js';",
    "import { conversationWorkflow } from '../workflows/conversation/workflow.js';",
    "import type { Activities } from '../activities/index.js';",
    "import { WORKFLOWS_PATH } from '../bin/worker.js';",
    "import { Worker } from '@temporalio/worker';",
    "import { defineSignal } from '@temporalio/workflow';",
    'export const all = [EVENTS, conversationWorkflow, WORKFLOWS_PATH, Worker, defineSignal];',
    'export type T = [GatewayContext, Activities];',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`, `${R}@4`, `${R}@5`, `${R}@6`, `${R}@7`],
);

test('activities, services, workflows, ui and widget may not import temporal/', async (t) => {
  const cases: Array<[string, string]> = [
    ['activities/__lint__bad.ts', "import { upsertSchedule } from '../temporal/schedules.js';"],
    ['services/outbound/__lint__bad.ts', "import { upsertSchedule } from '../../temporal/schedules.js';"],
    ['workflows/delivery/__lint__bad.ts', "import { upsertSchedule } from '../../temporal/schedules.js';"],
    ['ui/src/__lint__bad.ts', "import { upsertSchedule } from '../../temporal/schedules.js';"],
    ['widget/src/__lint__bad.ts', "import { upsertSchedule } from '../../temporal/schedules.js';"],
  ];
  for (const [file, code] of cases) {
    const problems = await lint(t.context.eslint, file, lines(code, 'export const all = [upsertSchedule];'));
    t.true(problems.includes(`${R}@1`), `${file}: ${problems.join(', ') || 'no problem'}`);
  }
});

test(
  'bin/ may import temporal/',
  layering,
  'bin/__lint__ok.ts',
  lines("import { upsertSchedule } from '../temporal/schedules.js';", 'export const all = [upsertSchedule];'),
  [],
);

// Settings are parameters: only bin/ reads the environment.

test('services, temporal/, the gateway and activities may not read process.env', async (t) => {
  for (const file of [
    'services/integrations/__lint__bad.ts',
    'temporal/__lint__bad.ts',
    'gateway/__lint__bad.ts',
    'activities/__lint__bad.ts',
  ]) {
    const problems = await lint(
      t.context.eslint,
      file,
      lines("export const key = process.env['SLACK_API_URL'];", 'const { env } = process;', 'export const all = env;'),
    );
    t.deepEqual(problems, ['no-restricted-properties@1', 'no-restricted-properties@2'], file);
  }
});

test(
  'services may take the environment as a parameter',
  layering,
  'services/integrations/__lint__ok.ts',
  lines('export function load(env: NodeJS.ProcessEnv): string | undefined {', "  return env['SLACK_API_URL'];", '}'),
  [],
);

// activities/: services, gateway/protocol, @temporalio/activity and common.

test(
  'activities may import services, gateway/protocol and the activity SDK',
  layering,
  'activities/__lint__ok.ts',
  lines(
    "import { ApplicationFailure } from '@temporalio/activity';",
    "import { AppError } from '../services/errors.js';",
    "import { EVENTS } from '../gateway/protocol/index.js';",
    'export const all = [ApplicationFailure, AppError, EVENTS];',
  ),
  [],
);

test(
  'activities may not import clients, workers, workflows or the rest of the gateway',
  layering,
  'activities/__lint__bad.ts',
  lines(
    "import { Client } from '@temporalio/client';",
    "import { Worker } from '@temporalio/worker';",
    "import { log } from '@temporalio/workflow';",
    "import type { PostMessageUpdateInput } from '../workflows/conversation/messages.js';",
    "import { toErrorResponse } from '../gateway/http/errors.js';",
    "import { WORKFLOWS_PATH } from '../bin/worker.js';",
    'export const all = [Client, Worker, log, toErrorResponse, WORKFLOWS_PATH];',
    'export type I = PostMessageUpdateInput;',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`, `${R}@4`, `${R}@5`, `${R}@6`],
);

// Everything else.

test(
  'infra may not import the gateway, workflows or activities',
  layering,
  'infra/__lint__bad.ts',
  lines(
    "import { createGateway } from '../gateway/app.js';",
    "import type { PostMessageUpdateInput } from '../workflows/conversation/messages.js';",
    "import type { Activities } from '../activities/index.js';",
    "import { SEARCH_ATTRIBUTES } from '../temporal.config.js';",
    'export const all = [createGateway, SEARCH_ATTRIBUTES];',
    'export type T = [PostMessageUpdateInput, Activities];',
  ),
  [`${R}@1`, `${R}@2`, `${R}@3`],
);

test(
  'root modules such as temporal.config.ts may import services but not the gateway',
  layering,
  '__lint__root.ts',
  lines(
    "import { Secret } from './services/config/secret.js';",
    "import { EVENTS } from './gateway/protocol/index.js';",
    'export const all = [Secret, EVENTS];',
  ),
  [`${R}@2`],
);

test(
  'ui and widget may import only gateway/protocol from the repo',
  layering,
  'ui/src/__lint__bad.ts',
  lines(
    "import { EVENTS } from '../../gateway/protocol/index.js';",
    "import { AppError } from '../../services/errors.js';",
    "import type { PostMessageUpdateInput } from '../../workflows/conversation/messages.js';",
    "import { Client } from '@temporalio/client';",
    "import { helper } from './lib/helper.js';",
    'export const all = [EVENTS, AppError, Client, helper];',
    'export type I = PostMessageUpdateInput;',
  ),
  [`${R}@2`, `${R}@3`, `${R}@4`],
);

test(
  'import cycles are errors (the resolver maps .js specifiers to .ts files)',
  layering,
  'workflows/conversation/messages.ts',
  lines("import { conversationWorkflow } from './workflow.js';", 'export const workflowType = conversationWorkflow.name;'),
  ['import-x/no-cycle@1'],
);
