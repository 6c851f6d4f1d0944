/**
 * Replay tests (CONTRIBUTING.md#rules-for-tests): recorded histories of the conversation
 * workflow must replay against the current code without non-determinism.
 * - Histories committed under tests/fixtures/histories/ guard deployed
 *   conversations against incompatible code changes (re-record them with
 *   NETIA_RECORD_HISTORIES=1 when a change is deliberately versioned).
 * - Histories produced in this run cover the paths as they are now.
 * - A deliberately changed workflow must fail replay, proving the check bites.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import anyTest, { type TestFn } from 'ava';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { workflowBundleCode } from '../helpers/env.js';
import { decodeHistory as decode, fetchHistories as histories, HISTORY_FIXTURES as FIXTURES } from '../helpers/replay.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { conversationWorkflowId } from '../../workflows/conversation/messages.js';

const test = anyTest as TestFn<{ stack: Stack; api: Api }>;

test.before(async (t) => {
  // A low continue-as-new threshold so a short conversation crosses runs.
  const stack = await startStack({ env: { CONVERSATION_CAN_THRESHOLD_EVENTS: '100' } });
  t.context = { stack, api: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

test.serial('lifecycle histories recorded now replay against the current code', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http);
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId },
    message: { body: 'first', client_message_id: 'first' },
  });
  const conversationId = conv.body.data.id as string;
  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  const customerSocket = connectSocket(stack.wsUrl);
  try {
    const inbox = await join(agentSocket, `notification:${agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });
    await chat.push('shout', { body: 'second', customer_id: customerId, client_message_id: 'second' });
    await chat.push('shout', { body: 'second again', customer_id: customerId, client_message_id: 'second' });
    await inbox.push('shout', { conversation_id: conversationId, body: 'agent reply' });
    await inbox.push('shout', { conversation_id: conversationId, body: 'a note', private: true });
    // Enough traffic to cross the continue-as-new threshold at least once.
    for (let i = 0; i < 25; i++) await chat.push('shout', { body: `m${i}`, customer_id: customerId });
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
  const described = await stack.client.workflow.getHandle(conversationWorkflowId(conversationId)).query('getConversation', {});
  t.true((described as { runCount: number }).runCount >= 2, 'the conversation continued as new');
  t.is((described as { record: { lastSeq: number } }).record.lastSeq, 29);

  const recorded = await histories(stack, conversationId);
  t.true(recorded.length >= 2);
  const code = await workflowBundleCode();
  for (const [i, h] of recorded.entries()) {
    await t.notThrowsAsync(Worker.runReplayHistory({ workflowBundle: { code } }, h), `run ${i} replays`);
  }
});

test.serial('committed histories replay against the current code', async (t) => {
  const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.binpb'));
  t.true(files.length > 0, 'no committed histories: record them with NETIA_RECORD_HISTORIES=1');
  const code = await workflowBundleCode();
  for (const file of files) {
    const history = decode(await readFile(path.join(FIXTURES, file)));
    await t.notThrowsAsync(Worker.runReplayHistory({ workflowBundle: { code } }, history), file);
  }
});

test.serial('an incompatible workflow change fails replay with a DeterminismViolationError', async (t) => {
  const files = (await readdir(FIXTURES)).filter((f) => f.endsWith('.binpb'));
  t.true(files.length > 0);
  const history = decode(await readFile(path.join(FIXTURES, files[0]!)));
  const err = await t.throwsAsync(
    Worker.runReplayHistory({ workflowsPath: path.resolve(import.meta.dirname, '../fixtures/nondeterministic/workflows.ts') }, history),
  );
  t.true(err instanceof DeterminismViolationError, `expected DeterminismViolationError, got ${err?.name}: ${err?.message}`);
});
