/**
 * The offline outbox: what the visitor wrote survives a dropped connection and
 * a reload, leaves in the order it was written, and keeps the client message
 * id it was given (the server deduplicates by it).
 */
import { unitModuleTest } from '../../helpers/modules.js';
import { MemoryStore, newClientId, Outbox } from '../../../widget/src/chat/outbox.js';

const test = unitModuleTest(import.meta.url);

const KEY = 'netia:v1:acct:outbox';

test('queued messages persist and come back in write order after a reload', (t) => {
  const store = new MemoryStore();
  const box = new Outbox(store, KEY);
  box.enqueue('first', 'c1', '2026-01-01T00:00:00.000Z');
  box.enqueue('second', 'c2', '2026-01-01T00:00:01.000Z');
  const reloaded = new Outbox(store, KEY);
  t.deepEqual(
    reloaded.list().map((e) => [e.clientMessageId, e.body]),
    [
      ['c1', 'first'],
      ['c2', 'second'],
    ],
  );
  t.is(reloaded.peek()?.clientMessageId, 'c1');
});

test('only an acknowledged message leaves the queue, and an unknown id changes nothing', (t) => {
  const store = new MemoryStore();
  const box = new Outbox(store, KEY);
  box.enqueue('a', 'c1', 't1');
  box.enqueue('b', 'c2', 't2');
  t.is(box.remove('nope'), undefined);
  t.is(box.remove('c1')?.body, 'a');
  t.is(box.peek()?.clientMessageId, 'c2');
  box.remove('c2');
  t.is(box.size, 0);
  t.is(store.getItem(KEY), null, 'an empty queue leaves nothing in storage');
});

test('an unanswered push keeps the entry first in line with the same client id', (t) => {
  const store = new MemoryStore();
  const box = new Outbox(store, KEY);
  box.enqueue('a', 'c1', 't1');
  box.enqueue('b', 'c2', 't2');
  box.markAttempt('c1');
  box.markAttempt('c1');
  const reloaded = new Outbox(store, KEY);
  t.is(reloaded.peek()?.clientMessageId, 'c1');
  t.is(reloaded.peek()?.attempts, 2);
});

test('corrupt or foreign storage content yields an empty queue instead of an error', (t) => {
  const store = new MemoryStore();
  store.setItem(KEY, '{not json');
  t.is(new Outbox(store, KEY).size, 0);
  store.setItem(KEY, JSON.stringify([{ body: 'no id' }, { clientMessageId: 'c1', body: 'ok', sentAt: 't' }, 42]));
  t.deepEqual(
    new Outbox(store, KEY).list().map((e) => e.clientMessageId),
    ['c1'],
  );
});

test('the queue is bounded, dropping the oldest first', (t) => {
  const box = new Outbox(new MemoryStore(), KEY);
  for (let i = 0; i < 105; i++) box.enqueue(`m${i}`, `c${i}`, 't');
  t.is(box.size, 100);
  t.is(box.peek()?.body, 'm5');
});

test('a storage that throws (quota, privacy mode) does not break sending', (t) => {
  const broken = {
    getItem: () => null,
    setItem: () => {
      throw new Error('QuotaExceededError');
    },
    removeItem: () => undefined,
  };
  const box = new Outbox(broken, KEY);
  box.enqueue('still works', 'c1', 't');
  t.is(box.peek()?.body, 'still works');
});

test('client message ids are RFC 4122 version 4 UUIDs and unique', (t) => {
  const ids = new Set(Array.from({ length: 200 }, () => newClientId()));
  t.is(ids.size, 200);
  for (const id of ids) t.regex(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('uploaded attachments stay with their queued message across reloads', (t) => {
  const store = new MemoryStore();
  const file = { id: 'f1', filename: 'a.pdf', content_type: 'application/pdf', size: 10, file_url: '/api/files/f1' };
  new Outbox(store, 'k').enqueue('', 'c1', '2026-01-01T00:00:00.000Z', [file]);
  const [entry] = new Outbox(store, 'k').list();
  t.deepEqual(entry?.attachments, [file]);
  t.is(entry?.body, '');
});
