/**
 * Conversation updates refused by the workflow reach clients by type, not by text
 * (a full stack, worker included): an invalid post (blank, too long) is a 422 with
 * the validator's message, a post by a customer of another conversation a 422, a
 * post into another account's conversation a 404 with generic text, a post to an
 * archived conversation restores it, and a failure of a type that is not one of our
 * codes (here a validator crashing on a malformed input) is a 500 with generic text,
 * no longer a 422 carrying the internal message. The workflow's failures themselves
 * carry the code as their `type`.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { toErrorResponse } from '../../../gateway/http/errors.js';
import { isAppError } from '../../../services/errors.js';
import type { Logger } from '../../../services/log.js';
import { conversationWorkflowId, postMessageUpdate, type PostMessageUpdateInput } from '../../../workflows/conversation/messages.js';
import { api, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;
const quiet: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => quiet };

const test = sharedModuleTest<{ stack: Stack; api: Api; a: Agent; b: Agent; customer: string; conversation: string }>(
  import.meta.url,
  async ({ stack }) => {
    const http = api(stack.baseUrl);
    const a = await registerAccount(http, 'Alpha');
    const b = await registerAccount(http, 'Beta');
    const customer = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Carol' } })).body.data.id as string;
    const conv = await http.post('/api/conversations', { conversation: { customer_id: customer }, message: { body: 'hello' } }, a.token);
    if (conv.status !== 201 && conv.status !== 200) throw new Error(`setup failed: ${conv.status} ${JSON.stringify(conv.body)}`);
    return { stack, api: http, a, b, customer, conversation: conv.body.data.id as string };
  },
);

/** What the gateway's edge answers for a conversation command's outcome (null: it succeeded). */
async function answer(run: () => Promise<unknown>): Promise<{ status: number; body: any } | null> {
  try {
    await run();
    return null;
  } catch (err) {
    return toErrorResponse(err, quiet, 'test');
  }
}

/** The raw failure of a post refused by the workflow, straight from Temporal. */
async function refusal(stack: Stack, conversationId: string, input: unknown): Promise<ApplicationFailure> {
  const err = await stack.client.workflow
    .getHandle(conversationWorkflowId(conversationId))
    .executeUpdate(postMessageUpdate, { args: [input as PostMessageUpdateInput] })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure))
    throw new Error(`not a refused update: ${String(err)}`);
  return err.cause;
}

test.serial('an invalid post is a 422 with the validator message; the workflow refuses it with type VALIDATION_FAILED', async (t) => {
  const { stack, api: http, a, conversation } = t.context;
  const blank = await http.post('/api/messages', { message: { conversation_id: conversation, body: '   ' } }, a.token);
  t.is(blank.status, 422, JSON.stringify(blank.body));
  t.is(blank.body.error.message, "body can't be blank");
  const max = stack.config.messages.maxBodyChars;
  const long = await http.post('/api/messages', { message: { conversation_id: conversation, body: 'x'.repeat(max + 1) } }, a.token);
  t.is(long.status, 422, JSON.stringify(long.body).slice(0, 300));
  t.is(long.body.error.message, `body is too long (maximum is ${max} characters)`);

  const failure = await refusal(stack, conversation, { accountId: a.accountId, author: { kind: 'agent', userId: a.userId }, body: '' });
  t.is(failure.type, 'VALIDATION_FAILED');
  t.is(failure.message, "body can't be blank");
});

test.serial(
  "a post by another conversation's customer is a 422; into another account's conversation a 404 with generic text",
  async (t) => {
    const { stack, api: http, a, b, conversation } = t.context;
    const other = (await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Dan' } })).body.data.id as string;
    const foreign = await answer(() =>
      stack.conversations.post(conversation, { accountId: a.accountId, author: { kind: 'customer', customerId: other }, body: 'hi' }),
    );
    t.is(foreign?.status, 422);
    t.is(foreign?.body.error.message, 'customer does not belong to this conversation');
    t.is(
      (await refusal(stack, conversation, { accountId: a.accountId, author: { kind: 'customer', customerId: other }, body: 'hi' })).type,
      'VALIDATION_FAILED',
    );

    const otherAccount = await answer(() =>
      stack.conversations.post(conversation, { accountId: b.accountId, author: { kind: 'agent', userId: b.userId }, body: 'hi' }),
    );
    t.is(otherAccount?.status, 404);
    t.deepEqual(otherAccount?.body, { error: { status: 404, message: 'Not found' } });
    t.is(
      (await refusal(stack, conversation, { accountId: b.accountId, author: { kind: 'agent', userId: b.userId }, body: 'hi' })).type,
      'NOT_FOUND',
    );
    // Over HTTP, B never learns A's conversation exists.
    const viaHttp = await http.post('/api/messages', { message: { conversation_id: conversation, body: 'hi' } }, b.token);
    t.is(viaHttp.status, 404);
  },
);

test.serial('a failure of a type that is not ours is a 500 with generic text, the detail only in the log', async (t) => {
  const { stack, a, conversation } = t.context;
  // No author: the validator itself crashes (a TypeError), which is no code of ours.
  const malformed = { accountId: a.accountId, body: 'hi' } as unknown as PostMessageUpdateInput;
  let thrown: unknown;
  const res = await answer(() =>
    stack.conversations.post(conversation, malformed).catch((err: unknown) => {
      thrown = err;
      throw err;
    }),
  );
  t.is(res?.status, 500);
  t.deepEqual(res?.body, { error: { status: 500, message: 'Internal Server Error' } });
  t.true(isAppError(thrown) && thrown.code === 'INTERNAL');
  t.regex((thrown as Error).message, /TypeError/, 'the detail is kept for the log');
});

test.serial('a post to an archived conversation restores it; other changes to it are a 404', async (t) => {
  const { stack, api: http, a, conversation } = t.context;
  const archived = await http.post(`/api/conversations/${conversation}/archive`, undefined, a.token);
  t.is(archived.status, 200, JSON.stringify(archived.body));
  // The run is over (or closing): a change is refused with the archived text, a post restarts it.
  const changed = await answer(() =>
    stack.conversations.update(conversation, { accountId: a.accountId, actor: { kind: 'agent', userId: a.userId }, status: 'closed' }),
  );
  t.is(changed?.status, 404);
  t.is(changed?.body.error.message, 'Conversation is archived');
  const posted = await http.post('/api/messages', { message: { conversation_id: conversation, body: 'back again' } }, a.token);
  t.is(posted.status, 201, JSON.stringify(posted.body));
  t.is(posted.body.data.body, 'back again');
});
