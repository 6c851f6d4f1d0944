/**
 * Several test modules in one test process, on one shared stack (to keep the suite's time down:
 * every test process pays seconds to load the code and start a stack).
 *
 * A group file (e.g. tests/gateway/rest.test.ts) imports modules `tests/<dir>/<group>/<name>.ts`,
 * each of which was a test file of its own and still reads like one:
 *
 *   const test = sharedStackTest(import.meta.url);       // was `withStack(anyTest)`
 *   const test = sharedTwoAccountTest(import.meta.url);  // was `makeTwoAccountTest()`
 *
 * One stack per process, started with the default options (a worker, STACK_DEFAULT_ENV), before the
 * first test and stopped after the last. A module that needs anything else (its own env, a private
 * worker it stops, a second gateway it kills, global state) stays a test file of its own.
 *
 * What keeps the modules apart:
 * - titles get the module's name as a prefix (`slice › …`), as ava prefixes file names;
 * - `sharedTwoAccountTest` registers accounts A and B for each module (not once per process), so a
 *   module's exact counts in its own accounts are not disturbed by its neighbours;
 * - ava runs all of a file's concurrent tests at once: at most MAX_CONCURRENT run at a time here, about
 *   what two test files of their own had together, so a module's deadlines see the load they saw before.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { api, registerAccount, type Api } from './api.js';
import { startStack, type Stack } from './stack.js';
import type { TwoAccounts } from './two-accounts.js';

export interface SharedStack {
  stack: Stack;
  api: Api;
}

const MAX_CONCURRENT = 8;

let shared: TestFn<SharedStack> | undefined;
const modules = new Set<string>();

/** ava's `test` with the process's shared stack (started once, before the first test of any module). */
function sharedStack(): TestFn<SharedStack> {
  if (shared) return shared;
  const test = anyTest as TestFn<SharedStack>;
  test.before(async (t) => {
    const stack = await startStack();
    t.context = { stack, api: api(stack.baseUrl) };
  });
  test.after.always(async (t) => {
    await t.context.stack?.stop();
  });
  shared = test;
  return test;
}

// A counting semaphore for the tests (not the hooks) of a shared process.
let running = 0;
const waiting: Array<() => void> = [];
async function acquire(): Promise<void> {
  if (running < MAX_CONCURRENT) {
    running++;
    return;
  }
  await new Promise<void>((resolve) => waiting.push(resolve));
}
function release(): void {
  const next = waiting.shift();
  if (next) next();
  else running--;
}

type Extra = Record<string, unknown>;
type Impl = (t: ExecutionContext<Record<string, unknown>>, ...args: unknown[]) => unknown;

/** `impl` with the module's extra context (e.g. its accounts A and B) merged into `t.context`. */
function wrapImpl(impl: Impl, extra: (t: ExecutionContext<SharedStack>) => Promise<Extra>, kind: 'test' | 'file-hook' | 'test-hook'): Impl {
  return async (t, ...args) => {
    const x = await extra(t as unknown as ExecutionContext<SharedStack>);
    if (kind !== 'file-hook') {
      t.context = { ...t.context, ...x };
      if (kind === 'test-hook') return impl(t, ...args);
      await acquire();
      try {
        return await impl(t, ...args);
      } finally {
        release();
      }
    }
    // before/after hooks share the file's context: the module sees its extras there, and what it adds stays
    // (for its tests), but its extras do not replace its neighbours' (each test gets its own again).
    const fileContext = t.context;
    t.context = { ...fileContext, ...x };
    try {
      return await impl(t, ...args);
    } finally {
      const after = t.context;
      for (const [k, v] of Object.entries(after)) if (!(k in x)) fileContext[k] = v;
      t.context = fileContext;
    }
  };
}

const FILE_HOOKS = new Set(['before', 'after']);
const TEST_HOOKS = new Set(['beforeEach', 'afterEach']);
const PASS_THROUGH = new Set(['macro', 'meta']);

/** ava's chain (`test`, `test.serial`, `test.before`, `test.after.always`, …) with every implementation wrapped and titles prefixed. */
function moduleChain(
  target: unknown,
  label: string,
  extra: (t: ExecutionContext<SharedStack>) => Promise<Extra>,
  kind: 'test' | 'file-hook' | 'test-hook',
): unknown {
  return new Proxy(target as (...args: unknown[]) => unknown, {
    apply(fn, thisArg, args: unknown[]) {
      const mapped = args.map((a, i) => {
        if (typeof a === 'function') return wrapImpl(a as Impl, extra, kind);
        if (i === 0 && typeof a === 'string') return `${label} › ${a}`;
        if (a && typeof a === 'object' && 'exec' in a) throw new Error(`${label}: macros are not supported in a shared-stack module`);
        return a;
      });
      return Reflect.apply(fn, thisArg, mapped);
    },
    get(fn, prop) {
      const value: unknown = Reflect.get(fn, prop);
      if (typeof value !== 'function' || typeof prop !== 'string' || PASS_THROUGH.has(prop)) return value;
      const next = FILE_HOOKS.has(prop) ? 'file-hook' : TEST_HOOKS.has(prop) ? 'test-hook' : kind;
      return moduleChain(value, label, extra, next);
    },
  });
}

function moduleLabel(moduleUrl: string): string {
  const label = path.basename(fileURLToPath(moduleUrl)).replace(/(\.test)?\.ts$/, '');
  if (modules.has(label)) throw new Error(`two shared-stack modules named ${label} in one process`);
  modules.add(label);
  return label;
}

/**
 * For a module of a group file: ava's `test` with `t.context.stack` and `t.context.api` on the process's
 * shared stack (what `withStack(anyTest)` gives a test file of its own). Pass `import.meta.url`.
 */
export function sharedStackTest(moduleUrl: string): TestFn<SharedStack> {
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), () => Promise.resolve({}), 'test') as TestFn<SharedStack>;
}

/**
 * For a module of a group file: what `makeTwoAccountTest()` gives a test file of its own (`stack`, `api`,
 * and two registered accounts `a` and `b`), on the process's shared stack, with this module's own A and B.
 */
export function sharedTwoAccountTest(moduleUrl: string): TestFn<TwoAccounts> {
  let accounts: Promise<Extra> | undefined;
  const extra = (t: ExecutionContext<SharedStack>): Promise<Extra> =>
    (accounts ??= (async () => {
      const http = t.context.api;
      return { a: await registerAccount(http, 'Alpha'), b: await registerAccount(http, 'Beta') };
    })());
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), extra, 'test') as TestFn<TwoAccounts>;
}

/**
 * For a module of a group file whose test file had its own `test.before` (stack + fixtures): `setup` is that
 * hook's body after `startStack()`, given the process's shared stack and returning the module's context. It
 * runs once for the module, before its first test; the shared stack is stopped after the last module.
 */
export function sharedModuleTest<C extends object>(moduleUrl: string, setup: (shared: SharedStack) => Promise<C>): TestFn<C> {
  let context: Promise<Extra> | undefined;
  const extra = (t: ExecutionContext<SharedStack>): Promise<Extra> =>
    (context ??= setup({ stack: t.context.stack, api: t.context.api }) as Promise<Extra>);
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), extra, 'test') as TestFn<C>;
}
