/**
 * The agent's own profile (issue #17, item 6): the email signature is stored
 * trimmed and bounded, a photo uploaded through `POST /api/upload` becomes the
 * avatar (`profile_photo_url`) of the agent everywhere the user JSON goes, only
 * from an image of the caller's own account; and `GET /api/upload/limits` tells
 * the console what the upload route enforces.
 */
import anyTest, { type TestFn } from 'ava';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({
    worker: false,
    env: { UPLOAD_MAX_BYTES: '4096', UPLOAD_DIR: `.netia/test/uploads-profile-${process.pid}` },
  });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

async function upload(stack: Stack, token: string, name: string, type: string, data: Buffer): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { authorization: token } });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

test('the signature is saved without trailing blanks, cleared when blank, and refused past 1,000 characters', async (t) => {
  const { http } = t.context;
  const a = await registerAccount(http, 'Sig Co');
  t.is((await http.get('/api/profile', a.token)).body.data.signature, null);
  const saved = await http.put('/api/profile', { user_profile: { signature: 'Ada Lovelace\r\nSupport, Sig Co  \n\n' } }, a.token);
  t.is(saved.status, 200, JSON.stringify(saved.body));
  t.is(saved.body.data.signature, 'Ada Lovelace\nSupport, Sig Co');
  t.is((await http.get('/api/profile', a.token)).body.data.signature, 'Ada Lovelace\nSupport, Sig Co');
  const long = await http.put('/api/profile', { user_profile: { signature: 'x'.repeat(1001) } }, a.token);
  t.is(long.status, 422);
  t.truthy(long.body.errors?.signature ?? long.body.error?.errors?.signature, JSON.stringify(long.body));
  t.is((await http.put('/api/profile', { user_profile: { signature: '  ' } }, a.token)).body.data.signature, null);
});

test('an uploaded image of the own account becomes the profile photo; another account’s file or a non-image is refused', async (t) => {
  const { stack, http } = t.context;
  const a = await registerAccount(http, 'Photo A');
  const b = await registerAccount(http, 'Photo B');
  const mine = await upload(stack, a.token, 'me.png', 'image/png', PNG);
  const theirs = await upload(stack, b.token, 'them.png', 'image/png', PNG);
  const text = await upload(stack, a.token, 'me.txt', 'text/plain', Buffer.from('hi'));

  const saved = await http.put(
    '/api/profile',
    { user_profile: { profile_photo_file_id: mine, display_name: 'Ada', full_name: 'Ada Lovelace' } },
    a.token,
  );
  t.is(saved.status, 200, JSON.stringify(saved.body));
  t.is(saved.body.data.profile_photo_url, `/api/files/${mine}/me.png`);
  t.like(saved.body.data, { display_name: 'Ada', full_name: 'Ada Lovelace' });
  // Everywhere the user JSON goes (the team list the console names and draws agents from).
  const users = (await http.get('/api/users', a.token)).body.data as { id: number; profile_photo_url: string | null }[];
  t.is(users.find((u) => u.id === a.userId)?.profile_photo_url, `/api/files/${mine}/me.png`);
  const photo = await fetch(stack.baseUrl + (saved.body.data.profile_photo_url as string));
  t.is(photo.status, 200);
  t.is(photo.headers.get('content-type'), 'image/png');

  for (const [id, why] of [
    [theirs, 'another account’s file'],
    [text, 'not an image'],
    ['00000000-0000-4000-8000-000000000000', 'no such file'],
  ] as const) {
    const refused = await http.put('/api/profile', { user_profile: { profile_photo_file_id: id } }, a.token);
    t.is(refused.status, 422, why);
  }
  t.is((await http.get('/api/profile', a.token)).body.data.profile_photo_url, `/api/files/${mine}/me.png`, 'unchanged by refusals');
});

test('GET /api/upload/limits says what the upload route enforces, to agents only', async (t) => {
  const { http } = t.context;
  const a = await registerAccount(http, 'Limits Co');
  const res = await http.get('/api/upload/limits', a.token);
  t.is(res.status, 200);
  t.is(res.body.data.max_bytes, 4096);
  t.true((res.body.data.content_types as string[]).includes('image/png'));
  t.false((res.body.data.content_types as string[]).includes('text/html'));
  t.is(res.body.data.max_files_per_message, 10);
  t.is((await http.get('/api/upload/limits')).status, 401);
});
