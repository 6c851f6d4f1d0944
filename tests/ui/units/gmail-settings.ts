/**
 * The Gmail settings screen's pure helpers (ui/src/lib/gmail.ts): reading
 * Google's redirect back to the console and describing a mailbox's sync.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import { describeInterval, describeSync, gmailApi, readOAuthReturn } from '../../../ui/src/lib/gmail.js';

const test = unitModuleTest(import.meta.url);

test('the redirect back from Google yields the code and state, a refusal, or nothing', (t) => {
  t.deepEqual(readOAuthReturn('?code=4%2Fabc&state=s1&scope=https://www.googleapis.com/auth/gmail.modify'), {
    kind: 'code',
    code: '4/abc',
    state: 's1',
  });
  t.deepEqual(readOAuthReturn('?error=access_denied&state=s1'), { kind: 'denied', reason: 'Access was not granted on Google’s page.' });
  t.like(readOAuthReturn('?error=admin_policy_enforced'), { kind: 'denied', reason: 'Google answered: admin_policy_enforced.' });
  t.deepEqual(readOAuthReturn('?code=only'), { kind: 'none' }, 'a code without its state is not used');
  t.deepEqual(readOAuthReturn(''), { kind: 'none' });
});

test('a mailbox row says whether it synced, when, or why it fails', (t) => {
  const now = Date.parse('2026-03-01T12:00:00Z');
  t.is(describeSync({ status: 'connected', last_synced_at: null, last_error: null }, now), 'Connected; waiting for the first sync');
  t.is(describeSync({ status: 'syncing', last_synced_at: '2026-03-01T11:59:30Z', last_error: null }, now), 'Synced 30 s ago');
  t.is(describeSync({ status: 'syncing', last_synced_at: '2026-03-01T11:55:00Z', last_error: null }, now), 'Synced 5 min ago');
  t.is(
    describeSync(
      { status: 'error', last_synced_at: '2026-03-01T11:00:00Z', last_error: 'Google revoked access: connect the mailbox again.' },
      now,
    ),
    'Sync failing: Google revoked access: connect the mailbox again.',
  );
});

test('the sync interval reads naturally', (t) => {
  t.is(describeInterval(60), 'every minute');
  t.is(describeInterval(300), 'every 5 minutes');
  t.is(describeInterval(3600), 'every hour');
  t.is(describeInterval(45), 'every 45 seconds');
});

test('the settings client calls the Gmail routes with their query strings', async (t) => {
  const calls: Array<[string, string, unknown, unknown]> = [];
  const request = <T>(method: string, path: string, body?: unknown, query?: unknown): Promise<T> => {
    calls.push([method, path, body, query]);
    return Promise.resolve({ data: { url: 'https://accounts.google.com/o/oauth2/v2/auth?x', connection: { id: 'c1' } } } as T);
  };
  const gmail = gmailApi({ request });
  t.is(await gmail.authorizeUrl('inbox-1'), 'https://accounts.google.com/o/oauth2/v2/auth?x');
  t.like(await gmail.finish('code-1', 'state-1'), { id: 'c1' });
  await gmail.disconnect('c/1');
  t.deepEqual(calls, [
    ['GET', '/api/google/auth', undefined, { client: 'gmail', type: 'support', inbox_id: 'inbox-1' }],
    ['GET', '/api/google/oauth', undefined, { code: 'code-1', state: 'state-1' }],
    ['DELETE', '/api/gmail/connections/c%2F1', undefined, undefined],
  ]);
});
