/**
 * `record:changed` (issue #17, item 4 "live"): every create, edit and delete of a customer,
 * company or issue — by an agent, an API key or a widget — tells the account's consoles which
 * record changed on `notification:<account>`, and never another account's.
 */
import { api, connectSocket, join, must, registerAccount, type Api } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

const test = sharedModuleTest<{ stack: Stack; api: Api; a: Agent; b: Agent }>(import.meta.url, async ({ stack }) => {
  const http = api(stack.baseUrl);
  return { stack, api: http, a: await registerAccount(http, 'Alpha'), b: await registerAccount(http, 'Beta') };
});

test('customers, companies and issues: each change is announced to the account, once, with kind, id and action', async (t) => {
  const { api: http, stack, a, b } = t.context;
  const events = ['record:changed'];
  const mine = connectSocket(stack.wsUrl, { token: a.token });
  const theirs = connectSocket(stack.wsUrl, { token: b.token });
  try {
    const inbox = await join(mine, `notification:${a.accountId}`, {}, events);
    const other = await join(theirs, `notification:${b.accountId}`, {}, events);
    const heard = (kind: string, id: string, action: string) =>
      inbox.events.waitFor(
        (e) => e.event === 'record:changed' && e.payload.kind === kind && e.payload.id === id && e.payload.action === action,
        `${kind} ${id} ${action}`,
      );

    // A widget creates a customer (public route), then reports its details.
    const customer = await must(await http.post('/api/customers', { customer: { account_id: a.accountId, name: 'Vi' } }), 'customer');
    await heard('customer', customer.id, 'created');
    await must(
      await http.put(`/api/customers/${customer.id}/metadata`, { metadata: { current_url: 'https://shop.example/cart' } }),
      'metadata',
    );
    await heard('customer', customer.id, 'updated');
    // An agent edits it, notes it and tags it.
    await must(await http.put(`/api/customers/${customer.id}`, { customer: { name: 'Vi Ola' } }, a.token), 'edit');
    const note = await must(await http.post('/api/notes', { note: { customer_id: customer.id, body: 'VIP' } }, a.token), 'note');
    const tag = await must(await http.post('/api/tags', { tag: { name: 'vip' } }, a.token), 'tag');
    await must(await http.post(`/api/customers/${customer.id}/tags`, { tag_id: tag.id }, a.token), 'tag customer');
    t.is((await http.del(`/api/notes/${note.id}`, a.token)).status, 204);
    await inbox.events.waitForCount(
      (e) => e.payload?.kind === 'customer' && e.payload.id === customer.id && e.payload.action === 'updated',
      5,
      'metadata, edit, note, tag, note deleted',
    );

    // Companies: create, edit, a customer joins and leaves, delete.
    const company = await must(await http.post('/api/companies', { company: { name: 'Acme' } }, a.token), 'company');
    await heard('company', company.id, 'created');
    await must(await http.put(`/api/companies/${company.id}`, { company: { industry: 'Rockets' } }, a.token), 'company edit');
    await must(await http.post(`/api/companies/${company.id}/customers`, { customer_id: customer.id }, a.token), 'join');
    await must(await http.del(`/api/companies/${company.id}/customers/${customer.id}`, a.token), 'leave');
    t.is((await http.del(`/api/companies/${company.id}`, a.token)).status, 204);
    await heard('company', company.id, 'deleted');
    t.is(
      inbox.events.items
        .filter((e) => e.payload?.kind === 'company' && e.payload.id === company.id)
        .map((e) => e.payload.action)
        .join(','),
      'created,updated,updated,updated,deleted',
    );

    // Issues: create for the customer, link state, delete; an API key's change is announced too.
    const issue = await must(
      await http.post('/api/issues', { issue: { title: 'Checkout fails', customer_id: customer.id } }, a.token),
      'issue',
    );
    await heard('issue', issue.id, 'created');
    const key = `Bearer ${(await must(await http.post('/api/personal_api_keys', { label: 'sync' }, a.token), 'key')).value as string}`;
    await must(await http.put(`/api/v1/issues/${issue.id}`, { issue: { state: 'done' } }, key), 'v1 issue edit');
    await heard('issue', issue.id, 'updated');
    await must(await http.del(`/api/customers/${customer.id}/issues/${issue.id}`, a.token), 'unlink');
    t.is((await http.del(`/api/issues/${issue.id}`, a.token)).status, 204);
    await heard('issue', issue.id, 'deleted');

    // A refused change is not announced; the customer's deletion is.
    t.is((await http.put(`/api/companies/${company.id}`, { company: { name: 'Gone' } }, a.token)).status, 404);
    t.is((await http.del(`/api/customers/${customer.id}`, a.token)).status, 204);
    await heard('customer', customer.id, 'deleted');
    t.is(
      inbox.events.items.filter((e) => e.payload?.kind === 'company' && e.payload.id === company.id).length,
      5,
      'nothing after the delete',
    );
    t.deepEqual(other.events.items, [], 'the other account heard nothing');
  } finally {
    mine.disconnect();
    theirs.disconnect();
  }
});
