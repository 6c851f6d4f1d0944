/**
 * Attack: reading webhook signing secrets from the database (a dump, a backup,
 * a read-only SQL hole) to forge signed deliveries to every subscriber. They
 * are now sealed at rest (AES-256-GCM, key derived from NETIA_ENCRYPTION_KEY /
 * SECRET_KEY_BASE, which the database never holds); a plaintext secret from
 * before migration 0015 is sealed when it is next read.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { assertStatus } from '../../gateway/team.js';
import { sharedModuleTest } from '../../helpers/suite.js';

const test = sharedModuleTest<{ stack: Stack; api: Api }>(import.meta.url, async ({ stack }) => {
  return { stack, api: api(stack.baseUrl) };
});

function stored(stack: Stack, id: string): Promise<string | null> {
  return stack.pool.oneFirst(
    sql.type(z.object({ signing_secret: z.string().nullable() }))`SELECT signing_secret FROM event_subscriptions WHERE id = ${id}`,
  );
}

/** The stored value gives nothing of the secret away: not the secret, not its random part. */
function assertSealed(t: { false(v: boolean, m: string): void }, value: string | null, secret: string, label: string): void {
  t.false(value === null || value.includes(secret.replace(/^whsec_/, '')), `${label}: the database holds the plaintext (${value})`);
}

test('the signing secret stored in PostgreSQL is not the plaintext, at creation and after rotation', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Sealed Co');
  const created = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: 'https://hooks.invalid/sealed' } },
    admin.token,
  );
  assertStatus(t, created, 201, 'create');
  const id = created.body.data.id as string;
  t.regex(created.body.data.signing_secret, /^whsec_[0-9a-f]{64}$/);
  assertSealed(t, await stored(stack, id), created.body.data.signing_secret, 'created');

  const rotated = await http.post(`/api/event_subscriptions/${id}/signing_secret`, {}, admin.token);
  assertStatus(t, rotated, 200, 'rotate');
  assertSealed(t, await stored(stack, id), rotated.body.data.signing_secret, 'rotated');
  t.is(
    (await http.get(`/api/event_subscriptions/${id}/signing_secret`, admin.token)).body.data.signing_secret,
    rotated.body.data.signing_secret,
  );
});

test('a plaintext secret left from before the migration is still served, and sealed in place when read', async (t) => {
  const { api: http, stack } = t.context;
  const admin = await registerAccount(http, 'Legacy Co');
  const created = await http.post(
    '/api/event_subscriptions',
    { event_subscription: { webhook_url: 'https://hooks.invalid/legacy' } },
    admin.token,
  );
  const id = created.body.data.id as string;
  const legacy = `whsec_${'ab'.repeat(32)}`;
  await stack.pool.query(sql.unsafe`UPDATE event_subscriptions SET signing_secret = ${legacy} WHERE id = ${id}`);

  const read = await http.get(`/api/event_subscriptions/${id}/signing_secret`, admin.token);
  assertStatus(t, read, 200, 'read');
  t.is(read.body.data.signing_secret, legacy, 'receivers keep their secret');
  assertSealed(t, await stored(stack, id), legacy, 'after the read');
  t.is(
    (await http.get(`/api/event_subscriptions/${id}/signing_secret`, admin.token)).body.data.signing_secret,
    legacy,
    'and it opens to the same secret',
  );
});
