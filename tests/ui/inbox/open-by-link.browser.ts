/**
 * Opening a conversation by its address, as an agent does from an alert email,
 * a push or a bookmark, in headless Chromium against the real stack:
 * - before the socket has joined, the console shows the conversation and stays
 *   responsive; it marks the conversation read once the socket joins. (Marking
 *   read goes over the socket; a push refused for want of a connection put
 *   `read` back to false and the view marked it again at once, a loop that froze
 *   the tab.)
 * - `/conversations/:id`, the link of the new-message alert emails
 *   (services/mail/alerts.ts), opens the conversation in the inbox.
 */
import type { WebSocketRoute } from 'playwright-core';
import { registerAccount, type Api } from '../../helpers/api.js';
import { openConsole, sessionFor, consoleSuite } from '../browser.js';

const test = consoleSuite();

async function unreadConversation(http: Api, accountId: string, body: string): Promise<string> {
  const customer = (await http.post('/api/customers', { customer: { account_id: accountId, name: 'Grace Hopper' } })).body.data;
  const created = await http.post('/api/conversations', {
    conversation: { account_id: accountId, customer_id: customer.id },
    message: { body },
  });
  if (created.status !== 201) throw new Error(`conversation not created: ${created.status}`);
  return created.body.data.id as string;
}

/** Polls the API until `check` holds for the conversation (or fails after `ms`). */
async function waitForConversation(
  http: Api,
  token: string,
  id: string,
  check: (c: { read: boolean }) => boolean,
  ms = 20_000,
): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    const res = await http.get(`/api/conversations/${id}`, token);
    if (res.status === 200 && check(res.body.data)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a conversation opened by its address before the socket joins stays responsive and is read once the socket joins', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Offline Open Co');
  const id = await unreadConversation(http, agent.accountId, 'Is anyone there?');
  const { page, context, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    // The socket is held: the browser's WebSocket opens, but nothing reaches the gateway until released.
    let release = false;
    const held: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/socket\/websocket/, (ws) => {
      if (release) ws.connectToServer();
      else held.push(ws);
    });
    await page.goto(`/inbox/open/${id}`);
    await page.locator('.transcript').getByText('Is anyone there?').waitFor({ timeout: 30_000 });
    // A frozen tab answers nothing: evaluate must come back.
    const answered = await Promise.race([
      page.evaluate(() => document.title).then(() => true),
      new Promise<boolean>((r) => setTimeout(() => r(false), 10_000)),
    ]);
    t.true(answered, 'the page answers while the socket has not joined');
    t.true(held.length > 0, 'the console tried to connect');
    t.false((await http.get(`/api/conversations/${id}`, agent.token)).body.data.read, 'still unread on the server while offline');

    // The socket comes back: the console joins and marks the conversation read.
    release = true;
    for (const ws of held) await ws.close();
    t.true(await waitForConversation(http, agent.token, id, (c) => c.read), 'read on the server once the socket joined');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('/conversations/:id (the alert emails’ link) opens the conversation in the inbox', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Alert Link Co');
  const id = await unreadConversation(http, agent.accountId, 'Where is my parcel?');
  const { page, context, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    const res = await page.goto(`/conversations/${id}`);
    t.is(res?.status(), 200, 'the gateway serves the console at the link');
    await page.waitForURL(`**/inbox/open/${id}`);
    await page.locator('.transcript').getByText('Where is my parcel?').waitFor();
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
