/**
 * Replay tests (CONVENTIONS 19): recorded histories of the conversation
 * workflow must replay against the current code without non-determinism.
 * - Histories committed under tests/fixtures/histories/ guard deployed
 *   conversations against incompatible code changes (re-record them with
 *   NETIA_RECORD_HISTORIES=1 when a change is deliberately versioned).
 * - Histories produced in this run cover the paths as they are now.
 * - A deliberately changed workflow must fail replay, proving the check bites.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import proto from '@temporalio/proto';
const { temporal } = proto;
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import anyTest, { type TestFn } from 'ava';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { workflowBundleCode } from '../helpers/env.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { conversationWorkflowId } from '../../workflows/conversation/messages.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/histories');
const test = anyTest as TestFn<{ stack: Stack; api: Api }>;

test.before(async (t) => {
  // A low continue-as-new threshold so a short conversation crosses runs.
  const stack = await startStack({ env: { CONVERSATION_CAN_THRESHOLD_EVENTS: '100' } });
  t.context = { stack, api: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

type History = proto.temporal.api.history.v1.IHistory;
const { History: HistoryCodec } = temporal.api.history.v1;

/**
 * Fixtures are stored as binary protobuf: the SDK's JSON helpers trip over two
 * protobufjs copies in node_modules ("type must be a Type").
 */
function encode(history: History): Buffer {
  return Buffer.from(HistoryCodec.encode(history).finish());
}
function decode(bytes: Buffer): History {
  return HistoryCodec.decode(bytes);
}

async function histories(stack: Stack, conversationId: string): Promise<History[]> {
  // Every run of the chain: follow continue-as-new through the runs the server lists.
  const out: History[] = [];
  const workflowId = conversationWorkflowId(conversationId);
  for await (const wf of stack.client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    const history = await stack.client.workflow.getHandle(workflowId, wf.runId).fetchHistory();
    out.push(history);
  }
  return out;
}

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
  if (process.env.NETIA_RECORD_HISTORIES === '1') {
    for (const [i, h] of recorded.entries()) {
      await writeFile(path.join(FIXTURES, `conversation-lifecycle-run${i + 1}.binpb`), encode(h));
    }
    t.log(`recorded ${recorded.length} histories into ${FIXTURES}`);
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
    Worker.runReplayHistory(
      { workflowsPath: path.resolve(import.meta.dirname, '../fixtures/nondeterministic/workflows.ts') },
      history,
    ),
  );
  t.true(err instanceof DeterminismViolationError, `expected DeterminismViolationError, got ${err?.name}: ${err?.message}`);
});
