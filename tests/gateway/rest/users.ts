/**
 * Account, users, roles, profile and user settings (docs/compatibility.md#accounts-users-invitations-and-api-keys):
 * admin gating (403, fixes Q1/Q2), tenant isolation (another account's ids are
 * 404 and change nothing), the last admin is kept, disabling takes effect on the
 * very next request (Q10), and bad input is 400/404/422, never 500.
 */
import { registerAccount } from '../../helpers/api.js';
import { sharedTwoAccountTest } from '../../helpers/suite.js';
import { addMember, assertStatus } from '../team.js';

const test = sharedTwoAccountTest(import.meta.url);

test('GET /api/accounts/me returns the full account with users, settings and working hours', async (t) => {
  const { api: http } = t.context;
  const a = await registerAccount(http, 'Alpha');
  const res = await http.get('/api/accounts/me', a.token);
  assertStatus(t, res, 200, 'accounts/me');
  const acc = res.body.data;
  t.is(acc.id, a.accountId);
  t.is(acc.object, 'account');
  t.is(acc.company_name, 'Alpha');
  t.deepEqual(acc.working_hours, []);
  t.is(typeof acc.is_outside_working_hours, 'boolean');
  t.is(typeof acc.current_minutes_since_midnight, 'number');
  t.deepEqual(Object.keys(acc.settings).sort(), [
    'conversation_reminder_hours_interval',
    'conversation_reminders_enabled',
    'disable_automated_reply_emails',
    'max_num_conversation_reminders',
  ]);
  t.true(Array.isArray(acc.widget_settings));
  t.is(acc.users.length, 1);
  t.is(acc.users[0].email, a.email);
  t.is(acc.users[0].role, 'admin');
  t.true('full_name' in acc.users[0]);
  assertStatus(t, await http.get('/api/accounts/me'), 401, 'no token');
});

test('PUT /api/accounts/:id edits the own account only, admin only, validating every field', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const plain = await addMember(stack, a.accountId, 'user');
  const forbidden = await http.put(`/api/accounts/${a.accountId}`, { account: { company_name: 'Hijacked' } }, plain.token);
  assertStatus(t, forbidden, 403, 'plain user');
  t.deepEqual(forbidden.body, { error: { status: 403, message: 'Unauthorized access' } });
  assertStatus(
    t,
    await http.put(`/api/accounts/${a.accountId}`, { account: { company_name: 'Hijacked' } }, b.token),
    404,
    'another tenant',
  );
  assertStatus(t, await http.put('/api/accounts/not-a-uuid', { account: {} }, a.token), 404, 'malformed id');
  assertStatus(t, await http.put(`/api/accounts/${a.accountId}`, { company_name: 'x' }, a.token), 400, 'missing envelope');
  const bad = await http.put(
    `/api/accounts/${a.accountId}`,
    {
      account: {
        company_name: '',
        time_zone: 'Mars/Olympus',
        working_hours: [{ day: 'funday', start_minute: 10, end_minute: 5 }],
        settings: { unknown_key: true },
        allowed_origins: ['https://shop.example.com/path'],
        require_identity_verification: 'yes',
      },
    },
    a.token,
  );
  assertStatus(t, bad, 422, 'invalid fields');
  t.deepEqual(Object.keys(bad.body.error.errors).sort(), [
    'allowed_origins.0',
    'company_name',
    'require_identity_verification',
    'settings',
    'time_zone',
    'working_hours.0.day',
  ]);
  const ok = await http.put(
    `/api/accounts/${a.accountId}`,
    {
      account: {
        company_name: 'Alpha Inc',
        time_zone: 'Europe/Paris',
        working_hours: [{ day: 'weekdays', start_minute: 540, end_minute: 1020 }],
        settings: { conversation_reminders_enabled: true, max_num_conversation_reminders: 3 },
        allowed_origins: ['https://shop.example.com'],
        subscription_plan: 'enterprise-for-free',
        id: b.accountId,
      },
    },
    a.token,
  );
  assertStatus(t, ok, 200, 'valid update');
  t.is(ok.body.data.company_name, 'Alpha Inc');
  t.is(ok.body.data.id, a.accountId);
  t.is(ok.body.data.time_zone, 'Europe/Paris');
  t.is(ok.body.data.subscription_plan, 'team', 'billing fields are never editable');
  t.deepEqual(ok.body.data.working_hours, [{ day: 'weekdays', start_minute: 540, end_minute: 1020 }]);
  t.is(ok.body.data.settings.max_num_conversation_reminders, 3);
  t.deepEqual(ok.body.data.allowed_origins, ['https://shop.example.com']);
  // settings merge key by key
  const merged = await http.put(
    `/api/accounts/${a.accountId}`,
    { account: { settings: { disable_automated_reply_emails: true } } },
    a.token,
  );
  t.is(merged.body.data.settings.max_num_conversation_reminders, 3);
  t.is(merged.body.data.settings.disable_automated_reply_emails, true);
  // nothing changed in the other tenant
  t.is((await http.get('/api/accounts/me', b.token)).body.data.company_name, 'Beta');
});

test('DELETE /api/accounts/:id needs an admin of that account and the company name as confirmation', async (t) => {
  const { api: http, stack, b } = t.context;
  const victim = await registerAccount(http, 'Doomed Co');
  const plain = await addMember(stack, victim.accountId, 'user');
  assertStatus(t, await http.call('DELETE', `/api/accounts/${victim.accountId}`, { confirm: 'Doomed Co' }, plain.token), 403, 'plain user');
  assertStatus(t, await http.call('DELETE', `/api/accounts/${victim.accountId}`, { confirm: 'Doomed Co' }, b.token), 404, 'another tenant');
  const unconfirmed = await http.del(`/api/accounts/${victim.accountId}`, victim.token);
  assertStatus(t, unconfirmed, 422, 'no confirmation');
  t.truthy(unconfirmed.body.error.errors.confirm);
  assertStatus(
    t,
    await http.call('DELETE', `/api/accounts/${victim.accountId}`, { confirm: 'doomed co' }, victim.token),
    422,
    'wrong confirmation',
  );
  t.is((await http.get('/api/accounts/me', victim.token)).status, 200, 'still there');
  const gone = await http.call('DELETE', `/api/accounts/${victim.accountId}`, { confirm: 'Doomed Co' }, victim.token);
  assertStatus(t, gone, 204, 'confirmed');
  assertStatus(t, await http.get('/api/accounts/me', victim.token), 401, 'its sessions are gone');
  t.is((await http.get('/api/accounts/me', b.token)).status, 200, 'the other tenant is untouched');
});

test('users are listed and shown within the account only, with filters', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const member = await addMember(stack, a.accountId, 'user');
  const list = await http.get('/api/users', a.token);
  assertStatus(t, list, 200, 'list');
  const ids = list.body.data.map((u: any) => u.id);
  t.true(ids.includes(a.userId) && ids.includes(member.id));
  t.false(ids.includes(b.userId));
  const admins = await http.get('/api/users?role=admin', a.token);
  t.true(admins.body.data.every((u: any) => u.role === 'admin'));
  const byEmail = await http.get(`/api/users?email=${encodeURIComponent(member.email.toUpperCase())}`, a.token);
  t.deepEqual(
    byEmail.body.data.map((u: any) => u.id),
    [member.id],
  );
  assertStatus(t, await http.get('/api/users?role=owner', a.token), 422, 'bad role filter');
  assertStatus(t, await http.get('/api/users?active=maybe', a.token), 422, 'bad active filter');
  assertStatus(t, await http.get(`/api/users/${member.id}`, a.token), 200, 'show');
  const foreign = await http.get(`/api/users/${member.id}`, b.token);
  assertStatus(t, foreign, 404, 'another tenant');
  t.deepEqual(foreign.body, { error: { status: 404, message: 'Not found' } });
  for (const bad of ['abc', '0', '-1', '99999999999', '1.5']) {
    assertStatus(t, await http.get(`/api/users/${bad}`, a.token), 404, `malformed id ${bad}`);
  }
});

test('role changes are admin-only (Q1) and never remove the last admin', async (t) => {
  const { api: http, stack } = t.context;
  const owner = await registerAccount(http, 'Roles');
  const plain = await addMember(stack, owner.accountId, 'user');
  const escalate = await http.put(`/api/users/${plain.id}/role`, { role: 'admin' }, plain.token);
  assertStatus(t, escalate, 403, 'a plain user cannot make themselves admin');
  t.is(escalate.body.error.message, 'Unauthorized access');
  t.is((await http.get('/api/me', plain.token)).body.data.role, 'user');
  const invalid = await http.put(`/api/users/${plain.id}/role`, { role: 'owner' }, owner.token);
  assertStatus(t, invalid, 422, 'unknown role');
  t.deepEqual(invalid.body.error.errors, { role: ["Role must be either 'user' or 'admin'"] });
  assertStatus(t, await http.put(`/api/users/${plain.id}/role`, 'nope', owner.token), 400, 'body not an object');
  const last = await http.put(`/api/users/${owner.userId}/role`, { role: 'user' }, owner.token);
  assertStatus(t, last, 422, 'last admin cannot be demoted');
  const promoted = await http.put(`/api/users/${plain.id}/role`, { role: 'admin' }, owner.token);
  assertStatus(t, promoted, 200, 'promote');
  t.is(promoted.body.data.role, 'admin');
  t.is((await http.get('/api/me', plain.token)).body.data.role, 'admin', 'the role applies to the existing session at once');
  assertStatus(
    t,
    await http.put(`/api/users/${owner.userId}/role`, { role: 'user' }, owner.token),
    200,
    'demote self with another admin left',
  );
  const other = await registerAccount(http, 'Other');
  assertStatus(t, await http.put(`/api/users/${other.userId}/role`, { role: 'user' }, plain.token), 404, 'another tenant');
  t.is((await http.get('/api/me', other.token)).body.data.role, 'admin', 'unchanged');
});

test('disable, enable and archive are admin-only, not on yourself, and take effect on the next request', async (t) => {
  const { api: http, stack, b } = t.context;
  const owner = await registerAccount(http, 'Team');
  const member = await addMember(stack, owner.accountId, 'user');
  const peer = await addMember(stack, owner.accountId, 'user');
  for (const action of ['disable', 'enable', 'archive']) {
    assertStatus(t, await http.post(`/api/users/${peer.id}/${action}`, undefined, member.token), 403, `${action} by plain user`);
    assertStatus(t, await http.post(`/api/users/${member.id}/${action}`, undefined, b.token), 404, `${action} from another tenant`);
    assertStatus(t, await http.post(`/api/users/abc/${action}`, undefined, owner.token), 404, `${action} malformed id`);
  }
  const selfDisable = await http.post(`/api/users/${owner.userId}/disable`, undefined, owner.token);
  assertStatus(t, selfDisable, 400, 'disable yourself');
  t.is(selfDisable.body.error.message, 'You cannot disable yourself.');
  assertStatus(t, await http.post(`/api/users/${owner.userId}/enable`, undefined, owner.token), 400, 'enable yourself');
  const selfArchive = await http.post(`/api/users/${owner.userId}/archive`, undefined, owner.token);
  assertStatus(t, selfArchive, 403, 'archive yourself');
  t.is(selfArchive.body.error.message, 'You cannot archive yourself.');

  t.is((await http.get('/api/me', member.token)).status, 200);
  const disabled = await http.post(`/api/users/${member.id}/disable`, undefined, owner.token);
  assertStatus(t, disabled, 200, 'disable');
  t.truthy(disabled.body.data.disabled_at);
  const refused = await http.get('/api/me', member.token);
  assertStatus(t, refused, 401, 'the disabled user’s very next request');
  t.is(refused.body.error.message, 'Your account is disabled. Please contact your team admin to enable your account.');
  const login = await http.post('/api/session', { user: { email: member.email, password: member.password } });
  assertStatus(t, login, 401, 'login while disabled');
  t.false(
    (await http.get('/api/users', owner.token)).body.data.some((u: any) => u.id === member.id),
    'disabled users are hidden',
  );
  t.true((await http.get('/api/users?active=false', owner.token)).body.data.some((u: any) => u.id === member.id));
  assertStatus(t, await http.post(`/api/users/${member.id}/enable`, undefined, owner.token), 200, 'enable');
  t.is((await http.get('/api/me', member.token)).status, 200, 'the same session works again');
  const archived = await http.post(`/api/users/${peer.id}/archive`, undefined, owner.token);
  assertStatus(t, archived, 200, 'archive');
  t.false(
    (await http.get('/api/accounts/me', owner.token)).body.data.users.some((u: any) => u.id === peer.id),
    'archived users are hidden from the account',
  );
  assertStatus(t, await http.get('/api/me', peer.token), 401, 'archived user');
});

test('users can delete only themselves, and the last admin cannot leave a team behind', async (t) => {
  const { api: http, stack, b } = t.context;
  const owner = await registerAccount(http, 'Leavers');
  const member = await addMember(stack, owner.accountId, 'user');
  const other = await http.del(`/api/users/${member.id}`, owner.token);
  assertStatus(t, other, 403, 'delete another user');
  t.is(other.body.error.message, 'You cannot delete another user.');
  assertStatus(t, await http.del(`/api/users/${member.id}`, b.token), 403, 'another tenant');
  assertStatus(t, await http.del(`/api/users/${owner.userId}`, owner.token), 422, 'last admin with a team');
  const ok = await http.del(`/api/users/${member.id}`, member.token);
  assertStatus(t, ok, 200, 'delete yourself');
  t.deepEqual(ok.body, { data: { ok: true } });
  assertStatus(t, await http.get('/api/me', member.token), 401, 'session gone with the user');
  assertStatus(t, await http.get(`/api/users/${member.id}`, owner.token), 404, 'user gone');
});

test('profile and user settings are created on first read and edited with validation', async (t) => {
  const { api: http, stack, a } = t.context;
  const member = await addMember(stack, a.accountId, 'user');
  const profile = await http.get('/api/profile', member.token);
  assertStatus(t, profile, 200, 'profile');
  t.is(profile.body.data.id, member.id);
  t.is(profile.body.data.full_name, null);
  t.is(profile.body.data.slack_user_id, null);
  const updated = await http.put(
    '/api/profile',
    { user_profile: { full_name: 'Ada Lovelace', display_name: 'Ada', profile_photo_url: 'https://img.example/a.png' } },
    member.token,
  );
  assertStatus(t, updated, 200, 'update profile');
  t.is(updated.body.data.display_name, 'Ada');
  t.is((await http.get('/api/profile', member.token)).body.data.full_name, 'Ada Lovelace');
  assertStatus(t, await http.put('/api/profile', { full_name: 'x' }, member.token), 400, 'profile without envelope');
  const bad = await http.put('/api/profile', { user_profile: { full_name: 7, profile_photo_url: 'javascript:alert(1)' } }, member.token);
  assertStatus(t, bad, 422, 'profile wrong types');
  t.deepEqual(Object.keys(bad.body.error.errors).sort(), ['full_name', 'profile_photo_url']);

  const settings = await http.get('/api/user_settings', member.token);
  assertStatus(t, settings, 200, 'settings');
  t.like(settings.body.data, {
    object: 'user_settings',
    user_id: member.id,
    email_alert_on_new_message: false,
    email_alert_on_new_conversation: false,
    expo_push_token: null,
  });
  const changed = await http.put(
    '/api/user_settings',
    { user_settings: { email_alert_on_new_message: true, expo_push_token: 'ExponentPushToken[x]' } },
    member.token,
  );
  assertStatus(t, changed, 200, 'update settings');
  t.is(changed.body.data.email_alert_on_new_message, true);
  t.is(changed.body.data.email_alert_on_new_conversation, false);
  assertStatus(
    t,
    await http.put('/api/user_settings', { user_settings: { email_alert_on_new_message: 'yes' } }, member.token),
    422,
    'settings wrong type',
  );
  assertStatus(t, await http.put('/api/user_settings', {}, member.token), 400, 'settings missing envelope');
  // SLA alert emails (docs/sla.md): on by default, switched off and on like the other email alerts.
  t.is(settings.body.data.email_alert_on_sla, true, 'SLA emails are on by default');
  t.is(changed.body.data.email_alert_on_sla, true, 'untouched by an update of other settings');
  const slaOff = await http.put('/api/user_settings', { user_settings: { email_alert_on_sla: false } }, member.token);
  assertStatus(t, slaOff, 200, 'SLA emails off');
  t.is(slaOff.body.data.email_alert_on_sla, false);
  t.is(slaOff.body.data.email_alert_on_new_message, true, 'the other settings stay');
  t.is((await http.get('/api/user_settings', member.token)).body.data.email_alert_on_sla, false, 'stored');
  const slaBad = await http.put('/api/user_settings', { user_settings: { email_alert_on_sla: 'no' } }, member.token);
  assertStatus(t, slaBad, 422, 'SLA setting wrong type');
  t.deepEqual(Object.keys(slaBad.body.error.errors), ['email_alert_on_sla']);
  assertStatus(
    t,
    await http.put('/api/user_settings', { user_settings: { email_alert_on_sla: null } }, member.token),
    422,
    'SLA setting null',
  );
  t.is((await http.get('/api/user_settings', member.token)).body.data.email_alert_on_sla, false, 'refused input changed nothing');
  // Another user's settings are untouched.
  t.is((await http.get('/api/user_settings', a.token)).body.data.email_alert_on_new_message, false);
  t.is((await http.get('/api/user_settings', a.token)).body.data.email_alert_on_sla, true);
});

test('is_outside_working_hours follows the account’s time zone and working hours', async (t) => {
  const { api: http } = t.context;
  const owner = await registerAccount(http, 'Hours');
  const set = (account: Record<string, unknown>) => http.put(`/api/accounts/${owner.accountId}`, { account }, owner.token);
  const always = await set({ time_zone: 'UTC', working_hours: [{ day: 'everyday', start_minute: 0, end_minute: 1440 }] });
  t.is(always.body.data.is_outside_working_hours, false, 'open around the clock');
  const never = await set({ working_hours: [] });
  t.is(never.body.data.is_outside_working_hours, true, 'no entry for today means outside');
  const noZone = await set({ time_zone: null });
  t.is(noZone.body.data.is_outside_working_hours, false, 'no time zone means never outside');
  const widget = await http.get(`/api/widget_settings?account_id=${owner.accountId}`);
  t.is(widget.body.data.account.is_outside_working_hours, false);
});
