/** The framework-free part of Settings → Webhooks (ui/src/lib/webhooks.ts). */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  appendPage,
  describeCreator,
  describeDelivery,
  describeEvents,
  receivesUpdates,
  type WebhookDelivery,
} from '../../../ui/src/lib/webhooks.js';

const test = unitModuleTest(import.meta.url);

const entry = (id: string, patch: Partial<WebhookDelivery> = {}): WebhookDelivery => ({
  id,
  object: 'webhook_delivery',
  event_subscription_id: 'sub-1',
  event: 'message:created',
  status: 'delivered',
  attempts: 1,
  response_code: 200,
  last_error: null,
  delivered_at: null,
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
  ...patch,
});

test('a delivery is described by its answer and attempts', (t) => {
  t.is(describeDelivery(entry('a')), 'HTTP 200 after 1 attempt');
  t.is(describeDelivery(entry('a', { attempts: 3 })), 'HTTP 200 after 3 attempts');
  t.is(
    describeDelivery(entry('a', { status: 'failed', response_code: 410, last_error: 'HTTP 410: gone' })),
    'HTTP 410 after 1 attempt — HTTP 410: gone',
  );
  t.is(
    describeDelivery(
      entry('a', { status: 'retrying', attempts: 2, response_code: null, last_error: 'could not reach the URL: ECONNREFUSED' }),
    ),
    'no answer after 2 attempts — could not reach the URL: ECONNREFUSED',
  );
  t.is(describeDelivery(entry('a', { status: 'sending', attempts: 4, response_code: null })), 'attempt 4 in progress');
});

test('conversation:updated is sent only when the scope names it', (t) => {
  t.false(receivesUpdates({ scope: null }));
  t.true(receivesUpdates({ scope: 'conversation:updated' }));
  t.is(describeEvents({ scope: null }), 'message:created, conversation:created, customer:created');
  t.true(describeEvents({ scope: 'conversation:updated' }).endsWith('conversation:updated'));
});

test('a further page is appended without repeating entries', (t) => {
  t.deepEqual(
    appendPage([entry('a'), entry('b')], [entry('b'), entry('c')]).map((d) => d.id),
    ['a', 'b', 'c'],
  );
  t.deepEqual(appendPage([], []), []);
});

test('a subscription says who added it', (t) => {
  t.is(describeCreator({ created_by: { id: 7, email: 'ada@example.com' } }), 'Added by ada@example.com');
  t.is(describeCreator({ created_by: null }), 'Added by a former or unrecorded user');
});
