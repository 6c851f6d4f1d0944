/**
 * The reminder policy through `PUT /api/accounts/:id` (issue #18): the three settings are
 * validated (interval: whole hours from 1 to 720; maximum: 0 to 100; enabled: a boolean; null
 * resets a field to the server default), returned by the route and by `GET /api/accounts/me`,
 * and only an admin of the account can change them.
 */
import { addMember, assertStatus } from '../team.js';
import { must, registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('the reminder policy is validated, returned, reset with null, and admin-only', async (t) => {
  const { api: http, stack } = t.context;
  const a = await registerAccount(http, 'Policy A');
  const b = await registerAccount(http, 'Policy B');
  const put = (settings: Record<string, unknown>, token = a.token) =>
    http.put(`/api/accounts/${a.accountId}`, { account: { settings } }, token);

  const bad = await put({
    conversation_reminders_enabled: 'yes',
    conversation_reminder_hours_interval: 0,
    max_num_conversation_reminders: 101,
  });
  assertStatus(t, bad, 422, 'out of bounds');
  t.deepEqual(Object.keys(bad.body.error.errors).sort(), [
    'settings.conversation_reminder_hours_interval',
    'settings.conversation_reminders_enabled',
    'settings.max_num_conversation_reminders',
  ]);
  for (const [settings, what] of [
    [{ conversation_reminder_hours_interval: 1.5 }, 'fractional hours'],
    [{ conversation_reminder_hours_interval: 721 }, 'more than 30 days'],
    [{ max_num_conversation_reminders: -1 }, 'negative maximum'],
    [{ max_num_conversation_reminders: 2.5 }, 'fractional maximum'],
  ] as const) {
    assertStatus(t, await put(settings), 422, what);
  }

  const saved = await must(
    await put({ conversation_reminders_enabled: true, conversation_reminder_hours_interval: 720, max_num_conversation_reminders: 0 }),
    'valid policy',
  );
  t.like(saved.settings, {
    conversation_reminders_enabled: true,
    conversation_reminder_hours_interval: 720,
    max_num_conversation_reminders: 0,
  });
  const read = await must(await http.get('/api/accounts/me', a.token), 'read back');
  t.like(read.settings, {
    conversation_reminders_enabled: true,
    conversation_reminder_hours_interval: 720,
    max_num_conversation_reminders: 0,
  });

  const reset = await must(await put({ conversation_reminder_hours_interval: null, conversation_reminders_enabled: null }), 'reset');
  t.like(reset.settings, {
    conversation_reminders_enabled: null,
    conversation_reminder_hours_interval: null,
    max_num_conversation_reminders: 0,
  });

  const agent = await addMember(stack, a.accountId, 'user');
  assertStatus(t, await put({ conversation_reminders_enabled: false }, agent.token), 403, 'an agent');
  assertStatus(t, await put({ conversation_reminders_enabled: false }, b.token), 404, 'another account');
  assertStatus(
    t,
    await http.put(`/api/accounts/${a.accountId}`, { account: { settings: { conversation_reminders_enabled: false } } }),
    401,
    'anonymous',
  );
  t.like((await must(await http.get('/api/accounts/me', a.token), 'unchanged')).settings, { conversation_reminders_enabled: null });
});
