/**
 * Settings an admin changes from the console instead of SQL (issue #18, item 1):
 *  1. an inbox's automatic assignment, rotation, members, cap and AI switch
 *     (`GET/PUT /api/inboxes/:id/settings`): admin only, account-scoped,
 *     validated, and honoured by the real assigner workflow (agents online by
 *     their sockets) and by the AI's read of its switch;
 *  2. the account's widget security (`GET/PUT /api/accounts/me/security`) and its
 *     identity secret (reveal, rotate): the server snippets the console shows
 *     (run here with node, python3, ruby and php) produce a user_hash the server accepts,
 *     and rotating makes the old one fail.
 */
import { createHmac } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import type { Activities } from '../../activities/index.js';
import { accountTopic } from '../../gateway/protocol/index.js';
import { getAiSettings } from '../../services/llm/store.js';
import { IDENTITY_SECRET_ENV, IDENTITY_SNIPPETS } from '../../ui/src/pages/settings/identity-snippets.js';
import { api, connectSocket, join, must, Recorder, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember, assertStatus } from './team.js';

interface Choice {
  inboxId: string;
  userId: number | null;
  enabled: boolean;
}
const test = anyTest as TestFn<{ stack: Stack; http: Api; choices: Recorder<Choice> }>;

test.before(async (t) => {
  const choices = new Recorder<Choice>();
  // Observes the assigner's choices (the real activity runs; its answer is recorded, not changed).
  const wrapActivities = (activities: Activities): Activities => ({
    ...activities,
    chooseAssignee: async (input) => {
      const choice = await activities.chooseAssignee(input);
      choices.push({ inboxId: input.inboxId, userId: choice.userId, enabled: choice.enabled });
      return choice;
    },
  });
  const stack = await startStack({ env: { AUTO_ASSIGN_RETRY_MS: '300' }, wrapActivities });
  t.context = { stack, http: api(stack.baseUrl), choices };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

const primaryInbox = async (http: Api, token: string): Promise<string> =>
  (await must(await http.get('/api/inboxes/primary', token), 'primary')).id;

test('inbox settings: every agent reads them, only an admin changes them, another account gets 404', async (t) => {
  const { stack, http } = t.context;
  const admin = await registerAccount(http, 'Inbox Settings Co');
  const agent = await addMember(stack, admin.accountId, 'user');
  const other = await registerAccount(http, 'Other Co');
  const inbox = await primaryInbox(http, admin.token);

  const initial = await must(await http.get(`/api/inboxes/${inbox}/settings`, agent.token), 'agent reads');
  t.like(initial, {
    object: 'inbox_settings',
    inbox_id: inbox,
    auto_assign: false,
    auto_assign_max_open: 0,
    auto_assign_rotation: 'all_agents',
    ai_enabled: null,
    account_ai_enabled: false,
  });
  t.deepEqual(initial.member_ids, [admin.userId], 'registration made the first admin a member of the primary inbox');

  assertStatus(t, await http.get(`/api/inboxes/${inbox}/settings`), 401, 'anonymous');
  assertStatus(t, await http.put(`/api/inboxes/${inbox}/settings`, { settings: { auto_assign: true } }, agent.token), 403, 'agent');
  assertStatus(t, await http.get(`/api/inboxes/${inbox}/settings`, other.token), 404, 'another account reads');
  assertStatus(
    t,
    await http.put(`/api/inboxes/${inbox}/settings`, { settings: { auto_assign: true } }, other.token),
    404,
    'another account',
  );
  assertStatus(t, await http.get(`/api/inboxes/not-a-uuid/settings`, admin.token), 404, 'malformed id');
  t.like(await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'unchanged'), { auto_assign: false });

  const saved = await must(
    await http.put(
      `/api/inboxes/${inbox}/settings`,
      {
        settings: {
          auto_assign: true,
          auto_assign_max_open: 3,
          auto_assign_rotation: 'members',
          member_ids: [agent.id, agent.id],
          ai_enabled: true,
        },
      },
      admin.token,
    ),
    'admin saves',
  );
  t.like(saved, { auto_assign: true, auto_assign_max_open: 3, auto_assign_rotation: 'members', ai_enabled: true });
  t.deepEqual(saved.member_ids, [agent.id], 'member_ids replaces the members (duplicates dropped)');
  t.deepEqual(await must(await http.get(`/api/inboxes/${inbox}/settings`, agent.token), 'read back'), saved);

  // The AI's read of its switch (services/llm/store.ts) follows the inbox, then the account again when null.
  t.deepEqual(await getAiSettings(stack.pool, admin.accountId, inbox), { enabled: true }, 'the inbox turns the AI on');
  await must(await http.put(`/api/inboxes/${inbox}/settings`, { settings: { ai_enabled: null } }, admin.token), 'follow the account');
  t.deepEqual(await getAiSettings(stack.pool, admin.accountId, inbox), { enabled: false }, 'null follows the account (off)');
  t.is((await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'read')).ai_enabled, null);
});

test('inbox settings are validated with field errors', async (t) => {
  const { stack, http } = t.context;
  const admin = await registerAccount(http, 'Validation Co');
  const other = await registerAccount(http, 'Foreign Co');
  const inbox = await primaryInbox(http, admin.token);
  const put = (settings: unknown) => http.put(`/api/inboxes/${inbox}/settings`, { settings }, admin.token);
  const cases: [unknown, string][] = [
    [{ auto_assign_max_open: -1 }, 'auto_assign_max_open'],
    [{ auto_assign_max_open: 1.5 }, 'auto_assign_max_open'],
    [{ auto_assign: 'yes' }, 'auto_assign'],
    [{ auto_assign_rotation: 'everyone' }, 'auto_assign_rotation'],
    [{ ai_enabled: 'maybe' }, 'ai_enabled'],
    [{ member_ids: [other.userId] }, 'member_ids'],
    [{ member_ids: [2_000_000_000] }, 'member_ids'],
    [{ auto_assign_rotation: 'members', member_ids: [] }, 'member_ids'],
  ];
  for (const [settings, field] of cases) {
    const res = await put(settings);
    assertStatus(t, res, 422, JSON.stringify(settings));
    t.truthy(res.body.error?.errors?.[field], `${JSON.stringify(settings)} → errors.${field}: ${JSON.stringify(res.body)}`);
  }
  assertStatus(t, await put({ owner: 1 }), 422, 'an unknown field');
  // A members rotation cannot lose its last member either.
  await must(await put({ auto_assign_rotation: 'members' }), 'members rotation with the seeded admin');
  const emptied = await put({ member_ids: [] });
  assertStatus(t, emptied, 422, 'the last member of a members rotation');
  t.truthy(emptied.body.error.errors.member_ids);
  t.deepEqual(
    (await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'read')).member_ids,
    [admin.userId],
    'nothing changed',
  );
  // An archived member is not shown, so saving what is shown is not refused for it.
  const leaver = await addMember(stack, admin.accountId, 'user');
  await must(await put({ member_ids: [admin.userId, leaver.id] }), 'add the leaver');
  await stack.pool.query(sql.type(z.object({}))`UPDATE users SET archived_at = now() WHERE id = ${leaver.id}`);
  const shown = await must(await http.get(`/api/inboxes/${inbox}/settings`, admin.token), 'after archiving');
  t.deepEqual(shown.member_ids, [admin.userId]);
  t.deepEqual((await must(await put({ member_ids: shown.member_ids, auto_assign: true }), 'save what is shown')).member_ids, [
    admin.userId,
  ]);
  const members = await stack.pool.anyFirst(sql.type(z.object({ user_id: z.number() }))`
    SELECT user_id FROM inbox_members WHERE inbox_id = ${inbox}`);
  t.deepEqual([...members], [admin.userId]);
});

test('automatic assignment honours the rotation (members only, or every agent) and the cap per agent', async (t) => {
  const { stack, http, choices } = t.context;
  const admin = await registerAccount(http, 'Rotation Co');
  const b = await addMember(stack, admin.accountId, 'user');
  const c = await addMember(stack, admin.accountId, 'user');
  t.true(admin.userId < b.id && b.id < c.id, 'ids in the order round-robin visits them');
  const inbox = await primaryInbox(http, admin.token);
  // Only c is in the rotation, at most one open conversation each.
  await must(
    await http.put(
      `/api/inboxes/${inbox}/settings`,
      { settings: { auto_assign: true, auto_assign_max_open: 1, auto_assign_rotation: 'members', member_ids: [c.id] } },
      admin.token,
    ),
    'members rotation',
  );

  const updates = new Recorder<{ id: string; assignee: number | null }>();
  const stop = await stack.bus.subscribe(accountTopic(admin.accountId), (event, payload) => {
    const p = payload as { id: string; updates?: { assignee_id: number | null } };
    if (event === 'conversation:updated' && p.updates) updates.push({ id: p.id, assignee: p.updates.assignee_id });
  });
  // All three are online: presence comes from their sockets.
  const sockets = [admin.token, b.token, c.token].map((token) => connectSocket(stack.wsUrl, { token }));
  try {
    for (const s of sockets) await join(s, `notification:${admin.accountId}`);
    const start = async (body: string): Promise<string> => {
      const customer = await must(await http.post('/api/customers', { customer: { account_id: admin.accountId } }), 'customer');
      const conv = await http.post('/api/conversations', {
        conversation: { account_id: admin.accountId, customer_id: customer.id },
        message: { body },
      });
      return (await must(conv, 'conversation')).id as string;
    };
    const assignedTo = async (id: string): Promise<number | null> =>
      (await updates.waitFor((u) => u.id === id && u.assignee !== null, `${id} assigned`, 15_000)).assignee;

    const c1 = await start('one');
    t.is(await assignedTo(c1), c.id, 'the only member takes it, not the admin with the lowest id');

    // c is at the cap and nobody else is in the rotation: the assigner finds nobody.
    const before = choices.items.length;
    const c2 = await start('two');
    await choices.waitFor(
      (ch) => choices.items.indexOf(ch) >= before && ch.inboxId === inbox && ch.enabled && ch.userId === null,
      'nobody',
      15_000,
    );
    t.is((await must(await http.get(`/api/conversations/${c2}`, admin.token), 'c2')).assignee_id, null, 'c2 waits');
    t.false(updates.items.some((u) => u.id === c2 && u.assignee !== null));

    // b joins the rotation: the waiting conversation goes to b (c is still at the cap).
    await must(await http.put(`/api/inboxes/${inbox}/settings`, { settings: { member_ids: [b.id, c.id] } }, admin.token), 'add b');
    t.is(await assignedTo(c2), b.id);

    // Every agent: the admin, who is not a member, is the only one under the cap.
    await must(await http.put(`/api/inboxes/${inbox}/settings`, { settings: { auto_assign_rotation: 'all_agents' } }, admin.token), 'all');
    const c3 = await start('three');
    t.is(await assignedTo(c3), admin.userId, 'a non-member takes part when every agent is in the rotation');
  } finally {
    for (const s of sockets) s.disconnect();
    await stop();
  }
});

/** How each snippet is run here: the interpreter, the file name, and a line that prints the hash of argv's external id. */
const RUNNERS = {
  node: { bin: process.execPath, file: 'hash.cjs', call: (fn: string) => `\nconsole.log(${fn}(process.argv[2]));\n` },
  python: { bin: 'python3', file: 'hash.py', call: (fn: string) => `\nimport sys\nprint(${fn}(sys.argv[1]))\n` },
  ruby: { bin: 'ruby', file: 'hash.rb', call: (fn: string) => `\nputs ${fn}(ARGV[0])\n` },
  php: { bin: 'php', file: 'hash.php', call: (fn: string) => `\necho ${fn}($argv[1]), "\\n";\n` },
} as const;

/** Run the console's snippet for `key` with the secret in its environment; prints the user_hash of `externalId`. */
async function runSnippet(key: keyof typeof RUNNERS, secret: string, externalId: string): Promise<string> {
  const snippet = IDENTITY_SNIPPETS.find((s) => s.key === key)!;
  const runner = RUNNERS[key];
  const dir = await mkdtemp(path.join(tmpdir(), 'netia-snippet-'));
  try {
    const file = path.join(dir, runner.file);
    await writeFile(file, snippet.code + runner.call(snippet.fn));
    const { stdout } = await promisify(execFile)(runner.bin, [file, externalId], {
      env: { PATH: process.env.PATH ?? '', [IDENTITY_SECRET_ENV]: secret },
    }).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT')
        throw new Error(`${runner.bin} is not installed: the ${snippet.label} snippet cannot be run (.ci/run installs it)`);
      throw err;
    });
    return stdout.trim();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the four server snippets the console shows compute the same user_hash for any external id', async (t) => {
  t.deepEqual(
    IDENTITY_SNIPPETS.map((s) => s.key),
    Object.keys(RUNNERS),
    'every snippet shown is run here',
  );
  const secret = 'c2VjcmV0LW9mLXRoZS10ZXN0';
  // Plain, non-ASCII and shell-looking ids: each language hashes the UTF-8 text of the id as given.
  for (const externalId of ['user-42', 'Zoë 😀', '$(id); `x`']) {
    const expected = createHmac('sha256', secret).update(externalId, 'utf8').digest('hex');
    for (const key of Object.keys(RUNNERS) as (keyof typeof RUNNERS)[]) {
      t.is(await runSnippet(key, secret, externalId), expected, `${key}: ${externalId}`);
    }
  }
});

test('widget security: admin only, validated origins, and the saved policy is the one enforced', async (t) => {
  const { http } = t.context;
  const admin = await registerAccount(http, 'Security Co');
  const agent = await addMember(t.context.stack, admin.accountId, 'user');
  const other = await registerAccount(http, 'Elsewhere Co');

  t.like(await must(await http.get('/api/accounts/me/security', admin.token), 'defaults'), {
    object: 'account_security',
    account_id: admin.accountId,
    require_identity_verification: false,
    require_customer_token: false,
    allowed_origins: [],
    identity_verification_secret_set: false,
  });
  assertStatus(t, await http.get('/api/accounts/me/security'), 401, 'anonymous');
  for (const [method, route] of [
    ['GET', '/api/accounts/me/security'],
    ['PUT', '/api/accounts/me/security'],
    ['GET', '/api/accounts/me/identity_verification_secret'],
    ['POST', '/api/accounts/me/identity_verification_secret/rotate'],
  ] as const) {
    const body = method === 'PUT' ? { security: { require_customer_token: true } } : undefined;
    assertStatus(t, await http.call(method, route, body, agent.token), 403, `agent ${method} ${route}`);
  }
  t.like(await must(await http.get('/api/accounts/me/security', admin.token), 'unchanged'), {
    require_customer_token: false,
    identity_verification_secret_set: false,
  });

  const put = (security: unknown) => http.put('/api/accounts/me/security', { security }, admin.token);
  const invalid: [unknown, string][] = [
    [{ allowed_origins: ['https://example.com/shop'] }, 'allowed_origins.0'],
    [{ allowed_origins: ['https://ok.example', 'example.com'] }, 'allowed_origins.1'],
    [{ allowed_origins: ['ftp://example.com'] }, 'allowed_origins.0'],
    [{ allowed_origins: 'https://example.com' }, 'allowed_origins'],
    [{ require_customer_token: 'on' }, 'require_customer_token'],
    [{ require_identity_verification: 1 }, 'require_identity_verification'],
  ];
  for (const [security, field] of invalid) {
    const res = await put(security);
    assertStatus(t, res, 422, JSON.stringify(security));
    t.truthy(res.body.error?.errors?.[field], `${JSON.stringify(security)} → errors.${field}: ${JSON.stringify(res.body)}`);
  }
  assertStatus(t, await put({ identity_verification_secret: 'mine' }), 422, 'the secret is not writable');

  const saved = await must(
    await put({ require_customer_token: true, allowed_origins: ['https://shop.example', 'http://localhost:3000', 'https://shop.example'] }),
    'save',
  );
  t.like(saved, { require_customer_token: true, require_identity_verification: false });
  t.deepEqual(saved.allowed_origins, ['https://shop.example', 'http://localhost:3000']);
  t.deepEqual(await must(await http.get('/api/accounts/me/security', admin.token), 'read back'), saved);
  t.like(await must(await http.get('/api/accounts/me/security', other.token), 'other account'), {
    account_id: other.accountId,
    require_customer_token: false,
    allowed_origins: [],
  });

  // The saved allow-list is enforced for widgets.
  const fromOrigin = (origin: string) =>
    fetch(`${t.context.stack.baseUrl}/api/customers`, {
      method: 'POST',
      headers: { origin, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: { account_id: admin.accountId } }),
    });
  t.is((await fromOrigin('https://evil.example')).status, 403);
  t.is((await fromOrigin('http://localhost:3000')).status, 201);
  // An empty list allows any origin again.
  t.deepEqual((await must(await put({ allowed_origins: [] }), 'clear')).allowed_origins, []);
  t.is((await fromOrigin('https://evil.example')).status, 201);
});

test('identity secret: the console snippets make a user_hash the server accepts; rotating makes the old one fail', async (t) => {
  const { http } = t.context;
  const admin = await registerAccount(http, 'Identity Co');
  const other = await registerAccount(http, 'Identity Elsewhere');
  await must(await http.put('/api/accounts/me/security', { security: { require_identity_verification: true } }, admin.token), 'require');

  const revealed = await http.get('/api/accounts/me/identity_verification_secret', admin.token);
  const first = (await must(revealed, 'reveal')).secret as string;
  t.regex(first, /^[0-9a-f]{64}$/);
  t.is(revealed.headers.get('cache-control'), 'no-store', 'never cached');
  t.is((await must(await http.get('/api/accounts/me/identity_verification_secret', admin.token), 'again')).secret, first, 'stable');
  t.true((await must(await http.get('/api/accounts/me/security', admin.token), 'set')).identity_verification_secret_set);
  const otherSecret = (await must(await http.get('/api/accounts/me/identity_verification_secret', other.token), 'other')).secret;
  t.not(otherSecret, first, 'each account has its own secret');

  const identify = (externalId: string, userHash: string) =>
    http.post('/api/customers', { customer: { account_id: admin.accountId, external_id: externalId, user_hash: userHash } });

  const nodeHash = await runSnippet('node', first, 'user-42');
  const pythonHash = await runSnippet('python', first, 'user-42');
  t.regex(nodeHash, /^[0-9a-f]{64}$/);
  t.is(pythonHash, nodeHash, 'the Python snippet computes the same user_hash');
  assertStatus(t, await identify('user-42', nodeHash), 201, 'the Node snippet’s hash is accepted');
  assertStatus(t, await identify('user-43', nodeHash), 403, 'a hash signs one external id only');
  assertStatus(t, await identify('user-42', await runSnippet('node', otherSecret, 'user-42')), 403, 'another account’s secret');

  const rotated = await http.post('/api/accounts/me/identity_verification_secret/rotate', undefined, admin.token);
  const second = (await must(rotated, 'rotate')).secret as string;
  t.regex(second, /^[0-9a-f]{64}$/);
  t.not(second, first);
  t.is(rotated.headers.get('cache-control'), 'no-store');
  t.is((await must(await http.get('/api/accounts/me/identity_verification_secret', admin.token), 'reveal new')).secret, second);
  t.is(
    (await must(await http.get('/api/accounts/me/identity_verification_secret', other.token), 'other')).secret,
    otherSecret,
    'other account untouched',
  );

  assertStatus(t, await identify('user-42', nodeHash), 403, 'the old user_hash fails after rotation');
  const newHash = await runSnippet('python', second, 'user-42');
  t.is(newHash, await runSnippet('node', second, 'user-42'));
  assertStatus(t, await identify('user-42', newHash), 201, 'the new secret’s hash passes');
});
