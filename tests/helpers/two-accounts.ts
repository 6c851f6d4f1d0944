/**
 * The common setup of the REST family tests: one stack without a worker (these
 * routes never reach a workflow) and two registered accounts, A and B, for
 * tenant-isolation checks. Torn down after the file.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from './api.js';
import { startStack, type Stack } from './stack.js';

export type Agent = Awaited<ReturnType<typeof registerAccount>>;
export interface TwoAccounts {
  stack: Stack;
  api: Api;
  a: Agent;
  b: Agent;
}

export function makeTwoAccountTest(opts: { env?: Record<string, string> } = {}): TestFn<TwoAccounts> {
  const test = anyTest as TestFn<TwoAccounts>;
  test.before(async (t) => {
    const stack = await startStack({ worker: false, ...(opts.env ? { env: opts.env } : {}) });
    const http = api(stack.baseUrl);
    t.context = { stack, api: http, a: await registerAccount(http, 'Alpha'), b: await registerAccount(http, 'Beta') };
  });
  test.after.always(async (t) => {
    await t.context.stack?.stop();
  });
  return test;
}
