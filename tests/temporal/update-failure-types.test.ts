/**
 * Errors cross the workflow→gateway boundary by type, not by text: a rejected
 * conversation update carries an `ApplicationFailure` whose `type` is one of the
 * closed set of error codes, and the gateway maps that type to a status through
 * the one `HTTP_STATUS` table. A type that is not ours is a 500 with generic text
 * (the detail is logged); Temporal's own "not processed" refusal is recognised by
 * its failure type. Plain unit tests: no services needed.
 */
import { ApplicationFailure } from '@temporalio/common';
import {
  type Client,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import proto from '@temporalio/proto';
import test from 'ava';
import {
  createConversationCommands,
  isArchived,
  isRetryableUpdateError,
  isWorkflowNotReady,
  updateFailureToAppError,
} from '../../temporal/conversation-client.js';
import { HTTP_STATUS, toChannelError, toErrorResponse } from '../../gateway/http/errors.js';
import { ERROR_CODES, isErrorCode, temporarilyUnavailable } from '../../services/errors.js';
import type { Logger, LogFields } from '../../services/log.js';

/** Errors in `lines`; warnings in `warnings`. */
function recordingLog(): Logger & { lines: { msg: string; fields?: LogFields }[]; warnings: { msg: string; fields?: LogFields }[] } {
  const lines: { msg: string; fields?: LogFields }[] = [];
  const warnings: { msg: string; fields?: LogFields }[] = [];
  const log = {
    lines,
    warnings,
    debug: () => undefined,
    info: () => undefined,
    warn: (msg: string, fields?: LogFields) => void warnings.push({ msg, ...(fields ? { fields } : {}) }),
    error: (msg: string, fields?: LogFields) => void lines.push({ msg, ...(fields ? { fields } : {}) }),
    child: () => log,
  };
  return log;
}

test('a refusal that tells the client when to retry is one warning line without a stack, on REST and on the socket', (t) => {
  const refusal = temporarilyUnavailable('temporal did not answer in time', new Error('14 UNAVAILABLE'));
  const log = recordingLog();
  const { status, headers } = toErrorResponse(refusal, log, 'req-9');
  t.is(status, 503);
  t.is(headers?.['retry-after'], '5');
  t.is(toChannelError(refusal, log, { topic: 'conversation:x' }).retry_after, 5);
  t.deepEqual(log.lines, [], 'not logged as an error');
  t.deepEqual(
    log.warnings.map((w) => [w.msg, w.fields?.['code'], w.fields?.['message'], 'err' in (w.fields ?? {})]),
    [
      ['request failed', 'UNAVAILABLE', 'temporal did not answer in time: 14 UNAVAILABLE', false],
      ['channel event failed', 'UNAVAILABLE', 'temporal did not answer in time: 14 UNAVAILABLE', false],
    ],
  );
});

function rejected(type: string | undefined, message: string): WorkflowUpdateFailedError {
  return new WorkflowUpdateFailedError('Workflow Update failed', ApplicationFailure.create({ type, message, nonRetryable: true }));
}

const INTERNAL_TEXT = 'message 1b2c was not stored: relation "messages" does not exist';

for (const code of ERROR_CODES) {
  test(`an update rejected with type ${code} is answered ${HTTP_STATUS[code]}`, (t) => {
    const log = recordingLog();
    const appError = updateFailureToAppError(rejected(code, INTERNAL_TEXT));
    t.is(appError.code, code);
    const { status, body } = toErrorResponse(appError, log, 'req-1');
    t.is(status, HTTP_STATUS[code]);
    t.is(body.error.status, status);
    if (code === 'VALIDATION_FAILED') {
      // Validators write their messages for users: shown, as before.
      t.is(body.error.message, INTERNAL_TEXT);
      t.deepEqual(body.error.errors, { base: [INTERNAL_TEXT] });
    } else {
      // Any other code answers its generic text; the failure's message is never shown.
      t.false(JSON.stringify(body).includes('was not stored'), JSON.stringify(body));
      t.false(toChannelError(appError, log, {}).reason.includes('was not stored'));
    }
    if (status >= 500)
      t.true(
        log.lines.some((l) => l.msg === 'request failed'),
        'a server error is logged',
      );
  });
}

test('INTERNAL is a 500 with generic text, no longer a 422 with the internal message; the detail is logged', (t) => {
  const log = recordingLog();
  const { status, body } = toErrorResponse(updateFailureToAppError(rejected('INTERNAL', INTERNAL_TEXT)), log, 'req-2');
  t.is(status, 500);
  t.deepEqual(body, { error: { status: 500, message: 'Internal Server Error' } });
  const logged = log.lines.find((l) => l.msg === 'request failed');
  t.truthy(logged);
  t.regex((logged!.fields!['err'] as Error).message, /was not stored/);
});

test('a failure type that is not one of our codes (a workflow bug, the SDK) is a 500 with generic text', (t) => {
  for (const type of ['TypeError', 'Error', 'AcceptedUpdateCompletedWorkflow', undefined]) {
    const log = recordingLog();
    const appError = updateFailureToAppError(rejected(type, "Cannot read properties of undefined (reading 'kind')"));
    t.is(appError.code, 'INTERNAL');
    const { status, body } = toErrorResponse(appError, log, 'req-3');
    t.is(status, 500);
    t.is(body.error.message, 'Internal Server Error');
    t.regex(appError.message, /reading 'kind'/, 'the detail is kept for the log');
  }
  // A failure that is not an ApplicationFailure at all.
  const bare = updateFailureToAppError(new WorkflowUpdateFailedError('Workflow Update failed', new Error('boom')));
  t.is(bare.code, 'INTERNAL');
});

test('the type of a failure decides, never its message', (t) => {
  // The old text-matched messages, under another type, mean nothing special.
  t.false(isArchived(rejected('VALIDATION_FAILED', 'conversation is archived')));
  t.false(isRetryableUpdateError(rejected('VALIDATION_FAILED', "Workflow Update is rejected because it wasn't processed by worker.")));
  t.is(updateFailureToAppError(rejected('VALIDATION_FAILED', 'conversation not found')).code, 'VALIDATION_FAILED');
  // And the types, under any message.
  t.true(isArchived(rejected('GONE', 'whatever')));
  t.true(isArchived(new WorkflowNotFoundError('gone', 'conversation-x', undefined)));
  t.is(updateFailureToAppError(rejected('NOT_FOUND', 'whatever')).code, 'NOT_FOUND');
});

test("Temporal's dropped update (type UnprocessedUpdate) and a draining run (UNAVAILABLE) are sent again; nothing else is", (t) => {
  const unprocessed = rejected(
    'UnprocessedUpdate',
    "Workflow Update is rejected because it wasn't processed by worker. Probably, Workflow Update is not supported by the worker.",
  );
  t.true(isRetryableUpdateError(unprocessed));
  t.true(isRetryableUpdateError(rejected('UNAVAILABLE', 'conversation is continuing as new; retry')));
  t.true(isRetryableUpdateError(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout', { cause: new Error('deadline') })));
  for (const code of ERROR_CODES.filter((c) => c !== 'UNAVAILABLE')) t.false(isRetryableUpdateError(rejected(code, 'x')), code);
  // Still dropped after every attempt: the caller may try later (503), nothing internal shown.
  const { status, body, headers } = toErrorResponse(updateFailureToAppError(unprocessed), recordingLog(), 'req-4');
  t.is(status, 503);
  t.truthy(headers?.['retry-after'], 'with Retry-After');
  t.false(body.error.message.includes('worker'));
});

/**
 * What the server answers an update-with-start whose update could not be delivered because the
 * workflow task failed (a first task that hit the SDK's deadlock timeout on a saturated machine): a
 * gRPC FAILED_PRECONDITION whose status details hold a MultiOperationExecutionFailure, the update's
 * status naming WorkflowNotReadyFailure (bytes as temporalio/temporal encodes them; seen in a suite run
 * as a 500). `direct`: a plain update's refusal, the detail at the top level.
 */
function workflowNotReady(direct = false): Error {
  const notReady = {
    type_url: 'type.googleapis.com/temporal.api.errordetails.v1.WorkflowNotReadyFailure',
    value: proto.temporal.api.errordetails.v1.WorkflowNotReadyFailure.encode({}).finish(),
  };
  const message = 'Unable to perform workflow execution update due to unexpected workflow task failure.';
  const detail = direct
    ? notReady
    : {
        type_url: 'type.googleapis.com/temporal.api.errordetails.v1.MultiOperationExecutionFailure',
        value: proto.temporal.api.errordetails.v1.MultiOperationExecutionFailure.encode({
          statuses: [
            {
              code: 10,
              message: 'Operation was aborted.',
              details: [{ type_url: 'type.googleapis.com/temporal.api.failure.v1.MultiOperationExecutionAborted' }],
            },
            { code: 9, message, details: [notReady] },
          ],
        }).finish(),
      };
  const bin = Buffer.from(
    proto.google.rpc.Status.encode({
      code: 9,
      message: direct ? message : 'Update-with-Start could not be executed.',
      details: [detail],
    }).finish(),
  );
  return Object.assign(new Error(`9 FAILED_PRECONDITION: ${message}`), {
    code: 9,
    details: message,
    metadata: { get: (key: string) => (key === 'grpc-status-details-bin' ? [bin] : []) },
  });
}

test('an update the server refused because the workflow task failed (WorkflowNotReady) is sent again; a plain FAILED_PRECONDITION is not', (t) => {
  t.true(isWorkflowNotReady(workflowNotReady()));
  t.true(isWorkflowNotReady(workflowNotReady(true)));
  t.true(isRetryableUpdateError(workflowNotReady()));
  const other = Object.assign(new Error('9 FAILED_PRECONDITION: something else'), {
    code: 9,
    details: 'something else',
    metadata: { get: () => [] },
  });
  t.false(isRetryableUpdateError(other));
  t.false(isWorkflowNotReady(new Error('Update-with-Start could not be executed.')));
});

test('a new conversation whose first workflow task failed is opened on the next attempt under the same update id; refused every time it is a 503', async (t) => {
  const attempts: { updateId: string | undefined; workflowId: string }[] = [];
  let failures = 1;
  const client = {
    withDeadline: <R>(_deadline: number, fn: () => Promise<R>) => fn(),
    workflow: {
      executeUpdateWithStart: (
        _def: unknown,
        options: { updateId?: string; startWorkflowOperation: { options: { workflowId: string } } },
      ) => {
        attempts.push({ updateId: options.updateId, workflowId: options.startWorkflowOperation.options.workflowId });
        if (failures-- > 0) return Promise.reject(workflowNotReady());
        return Promise.resolve({ conversation: { id: 'opened' } });
      },
    },
  } as unknown as Client;
  const commands = createConversationCommands({
    client,
    timers: {} as never,
    maxBodyChars: 1000,
    loadConversation: () => Promise.resolve(null),
    callTimeoutMs: 30_000,
  });
  const input = { accountId: 'a1', customerId: 'c1', source: 'chat' } as never;
  t.deepEqual(await commands.start(input), { conversation: { id: 'opened' } } as never);
  t.is(attempts.length, 2, 'sent again once');
  t.is(attempts[0]!.updateId, attempts[1]!.updateId, 'under the same update id (the server keeps one outcome per id)');
  t.is(attempts[0]!.workflowId, attempts[1]!.workflowId);

  // Refused on every attempt within the budget: the client gets 503 with Retry-After, not a 500.
  failures = Infinity;
  const short = createConversationCommands({
    client,
    timers: {} as never,
    maxBodyChars: 1000,
    loadConversation: () => Promise.resolve(null),
    callTimeoutMs: 300,
  });
  const err = await t.throwsAsync(short.start(input));
  const { status, headers } = toErrorResponse(err, recordingLog(), 'req-5');
  t.is(status, 503);
  t.truthy(headers?.['retry-after']);
});

test('isErrorCode accepts exactly the closed set', (t) => {
  for (const code of ERROR_CODES) t.true(isErrorCode(code));
  for (const other of ['Error', 'internal', '', 'UnprocessedUpdate', undefined, 5]) t.false(isErrorCode(other));
});
