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
 *   what two test files of their own had together. Not much lower: ava fails the whole run when no test
 *   finishes for its timeout (3 minutes), and on a loaded machine a few slow tests can hold every slot.
 */
import anyTest, { type ExecutionContext, type TestFn } from 'ava';
import { api, registerAccount, type Api } from './api.js';
import { moduleChain, moduleLabel, type Extra } from './modules.js';
import { startStack, type Stack } from './stack.js';
import type { TwoAccounts } from './two-accounts.js';

export interface SharedStack {
  stack: Stack;
  api: Api;
}

let shared: TestFn<SharedStack> | undefined;

/** At most this many tests of the shared stack run at once. */
const MAX_CONCURRENT = 8;

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

/**
 * For a module of a group file: ava's `test` with `t.context.stack` and `t.context.api` on the process's
 * shared stack (what `withStack(anyTest)` gives a test file of its own). Pass `import.meta.url`.
 */
export function sharedStackTest(moduleUrl: string): TestFn<SharedStack> {
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), () => Promise.resolve({}), 'test', MAX_CONCURRENT) as TestFn<SharedStack>;
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
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), extra, 'test', MAX_CONCURRENT) as TestFn<TwoAccounts>;
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
  return moduleChain(sharedStack(), moduleLabel(moduleUrl), extra, 'test', MAX_CONCURRENT) as TestFn<C>;
}
