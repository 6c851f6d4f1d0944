/**
 * Session replay in the console (issue #20): Live visitors and the player,
 * in headless Chromium against the real stack. The visitor is a host page on
 * another site (`shop.test`, mapped to 127.0.0.1, another port, as in
 * tests/widget/widget.browser.test.ts) that records itself with rrweb; its
 * events reach the gateway on the visitor topic `events:<account>:<session>`
 * as a recorder sends them, and the agent watches in the console. An agent
 * of another account is refused. Screenshots: docs/screenshots/live-visitors.png,
 * session-replay.png.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Socket } from 'phoenix';
import { api, connectSocket, join, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ensureWidgetBuilt } from '../widget/build-widget.js';
import { ensureUiBuilt, ROOT } from './build.js';
import { openConsole, sessionFor, shot } from './browser.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  site: { origin: string; server: Server };
  agent: Agent;
  other: Agent;
  sockets: Socket[];
}

const test = anyTest as TestFn<Ctx>;
const HOST_NAME = 'shop.test';
const WAIT = 60_000;

/** A product page that records itself with rrweb and hands each event to `window.__emit` (the test's visitor socket). */
const HOST_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Acme Outdoor</title>
<style>body{margin:0;font:16px/1.5 Georgia,serif;background:#f7f5f0;color:#1f2328}
header{padding:18px 40px;background:#2f4f3a;color:#fff;font:700 22px/1 system-ui,sans-serif}
main{max-width:760px;margin:40px;display:grid;grid-template-columns:1fr 1fr;gap:28px}
.card{border-radius:12px;padding:20px;background:rgba(127,127,127,.12)}</style>
<script src="/rrweb.js"></script></head><body>
<header>Acme Outdoor</header>
<main>
<div class="card"><h2>Trail tent 2P</h2><p>Three-season, 1.6 kg.</p><p>€249</p>
<button id="add" onclick="document.getElementById('cart').textContent='1 item in your cart'">Add to cart</button>
<p id="cart">Your cart is empty</p></div>
<div class="card"><h2>Down jacket</h2><p>800 fill power, recycled shell.</p><p>€189</p></div>
</main>
<script>
window.__stop = rrweb.record({ emit: function (event) { window.__emit(event); }, maskAllInputs: true });
</script>
</body></html>`;

const TYPED = 'SECRET-4242-typed';

/** A checkout page embedding the widget of `accountId` (which records it when the account has replay on). */
function checkoutPage(gateway: string, accountId: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script>window.__events = []; window.Netia = window.Netia || function () { (Netia.q = Netia.q || []).push(arguments); };
Netia('on', 'ready', function () { window.__events.push('ready'); });</script>
<script src="${gateway}/widget.js" data-token="${accountId}" async></script>
</head><body>
<h1>Checkout form</h1>
<form id="checkout"><label for="card">Card number</label><input id="card" name="card" autocomplete="off"></form>
<p id="status">Step 1 of 2</p>
</body></html>`;
}

test.before(async (t) => {
  const [stack, rrwebJs] = await Promise.all([
    Promise.all([ensureUiBuilt(), ensureWidgetBuilt()]).then(() => startStack()),
    readFile(path.join(ROOT, 'node_modules', 'rrweb', 'dist', 'rrweb.umd.cjs'), 'utf8'),
  ]);
  const http = api(stack.baseUrl);
  const [agent, other] = await Promise.all([registerAccount(http, 'Acme Outdoor'), registerAccount(http, 'Globex')]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`,
    ],
  });
  const server = createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0];
    if (url === '/rrweb.js') {
      res.writeHead(200, { 'content-type': 'text/javascript; charset=utf-8' });
      res.end(rrwebJs);
    } else if (url === '/tent') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(HOST_PAGE);
    } else if (url === '/checkout') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(checkoutPage(stack.baseUrl, agent.accountId));
    } else {
      res.writeHead(404).end('not found');
    }
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  t.context = { stack, api: http, browser, site: { origin: `http://${HOST_NAME}:${port}`, server }, agent, other, sockets: [] };
});

test.after.always(async (t) => {
  const { browser, site, sockets, stack } = t.context;
  await browser?.close();
  for (const s of sockets ?? []) s.disconnect();
  await new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

/**
 * A visitor on the host page: its own socket on the visitor topic (Origin: the host site), the page's
 * rrweb events forwarded as `replay:event:emitted`, and a full snapshot again whenever an agent starts
 * watching (the watcher's presence on the visitor topic), as a recorder does.
 */
async function openVisitor(t: {
  context: Ctx;
}): Promise<{ page: Page; sessionId: string; channel: JoinedChannel; close: () => Promise<void> }> {
  const { stack, agent, browser, site } = t.context;
  const sessionId = randomUUID();
  const socket = connectSocket(stack.wsUrl, {}, { origin: site.origin });
  t.context.sockets.push(socket);
  const channel = await join(socket, `events:${agent.accountId}:${sessionId}`, {}, ['presence_state', 'presence_diff']);
  channel.channel.on('presence_diff', (diff: { joins?: Record<string, { metas: { admin?: boolean }[] }> }) => {
    const watcher = Object.values(diff.joins ?? {}).some((j) => j.metas.some((m) => m.admin === true));
    if (watcher)
      void page.evaluate(() => (window as unknown as { rrweb: { record: { takeFullSnapshot(): void } } }).rrweb.record.takeFullSnapshot());
  });
  const context = await browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  await page.exposeFunction('__emit', (event: unknown) => {
    // No reply to this event (as the original): fire and forget.
    channel.channel.push('replay:event:emitted', { event: event as object });
  });
  await page.goto(`${site.origin}/tent`);
  return {
    page,
    sessionId,
    channel,
    close: async () => {
      await context.close();
      socket.disconnect();
    },
  };
}

test.serial('an agent sees a visitor in Live visitors and watches their page live as it changes', async (t) => {
  const { stack, api: http, browser, agent } = t.context;
  const visitor = await openVisitor(t);
  const agentSession = await sessionFor(http, agent.email, agent.password);
  const { page, errors, context } = await openConsole(browser, stack.baseUrl, agentSession);
  try {
    await page.goto('/visitors');
    await page.getByRole('link', { name: 'Live visitors' }).waitFor({ timeout: WAIT });
    const row = page.locator(`[data-testid=visitors-live] tr[data-session-id="${visitor.sessionId}"]`);
    await row.waitFor({ timeout: WAIT });
    t.regex((await row.textContent()) ?? '', /Active/, 'the visitor is shown as active');
    t.is(await page.getByRole('table', { name: /visitor on your site now/ }).count(), 1, 'the live list is a labelled table');
    await page.screenshot({ path: shot('live-visitors') });

    // Keyboard: the row's "Watch live" link is reachable and opens the player.
    const watch = row.getByRole('link', { name: /Watch the visitor .* live/ });
    await watch.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/visitors/${visitor.sessionId}`, { timeout: WAIT });
    await page.locator('[data-testid=replay-player][data-mode=live]').waitFor({ timeout: WAIT });
    const frame = page.frameLocator('[data-testid=replay-live] iframe');
    await frame.getByText('Trail tent 2P').waitFor({ timeout: WAIT });
    t.true(await frame.getByText('Your cart is empty').isVisible(), 'the replayed page shows the host page');

    // The visitor acts; the agent sees it without reloading.
    await visitor.page.click('#add');
    await frame.getByText('1 item in your cart').waitFor({ timeout: WAIT });
    t.pass('the change on the visitor page reached the live view');
    await page.screenshot({ path: shot('session-replay') });
    t.deepEqual(errors, [], 'no page errors and no malformed payloads');
  } finally {
    await context.close();
    await visitor.close();
  }
});

test.serial('an agent of another account neither lists nor opens the session', async (t) => {
  const { stack, api: http, browser, agent, other } = t.context;
  const visitor = await openVisitor(t);
  const otherSession = await sessionFor(http, other.email, other.password);
  const { page, context } = await openConsole(browser, stack.baseUrl, otherSession);
  try {
    // The socket refuses the other account's agent on both topics.
    const otherSocket = connectSocket(stack.wsUrl, { token: other.token });
    t.context.sockets.push(otherSocket);
    for (const topic of [`events:admin:${agent.accountId}:all`, `events:admin:${agent.accountId}:${visitor.sessionId}`]) {
      const refused = await join(otherSocket, topic).then(
        () => undefined,
        (err: { reason?: string }) => err.reason,
      );
      t.is(refused, 'unauthorized', `${topic} is refused`);
    }
    await page.goto('/visitors');
    await page.getByTestId('visitors-empty').waitFor({ timeout: WAIT });
    t.regex((await page.getByTestId('visitors-empty').textContent()) ?? '', /No one is on your site right now/);
    t.is(await page.locator(`tr[data-session-id="${visitor.sessionId}"]`).count(), 0, 'not in their list');
    await page.goto(`/visitors/${visitor.sessionId}`);
    await page.getByTestId('replay-not-found').waitFor({ timeout: WAIT });
    t.is(await page.locator('[data-testid=replay-live] iframe').count(), 0, 'no replay is shown');
  } finally {
    await context.close();
    await visitor.close();
  }
});

test.serial(
  'a visitor recorded by the widget is watched live with what they type masked, then replayed from the customer page',
  async (t) => {
    const { stack, api: http, browser, agent, other, site } = t.context;
    const put = await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: true, sample_rate: 1 } }, agent.token);
    t.is(put.status, 200, 'session replay is on for the account');
    const agentSession = await sessionFor(http, agent.email, agent.password);
    const { page, errors, context } = await openConsole(browser, stack.baseUrl, agentSession);
    const visitorContext = await browser.newContext({ viewport: { width: 1100, height: 700 } });
    try {
      await page.goto('/visitors');
      await page.getByTestId('recorded-sessions').or(page.getByTestId('recorded-empty')).waitFor({ timeout: WAIT });

      // The visitor arrives on the host site: the agent's list shows them without a reload.
      const visitor = await visitorContext.newPage();
      await visitor.goto(`${site.origin}/checkout`);
      await visitor.waitForFunction(() => (window as unknown as { __events: string[] }).__events.includes('ready'), undefined, {
        timeout: WAIT,
      });
      const row = page.locator('[data-testid=visitors-live] tr', { hasText: `${HOST_NAME}` }).filter({ hasText: '/checkout' });
      await row.waitFor({ timeout: WAIT });
      const sessionId = (await row.getAttribute('data-session-id'))!;
      t.truthy(sessionId, 'the row names its session');

      // The agent watches: the page as it is now, then what the visitor does, live.
      await row.getByRole('link', { name: /Watch the visitor .* live/ }).click();
      await page.locator('[data-testid=replay-player][data-mode=live]').waitFor({ timeout: WAIT });
      const live = page.frameLocator('[data-testid=replay-live] iframe');
      await live.getByText('Checkout form').waitFor({ timeout: WAIT });
      await visitor.locator('#card').click();
      await visitor.keyboard.type(TYPED);
      await visitor.evaluate(() => {
        document.getElementById('status')!.textContent = 'Step 2 of 2';
      });
      await live.getByText('Step 2 of 2').waitFor({ timeout: WAIT });
      const masked = await page.waitForFunction(
        (length) => {
          const frame = document.querySelector<HTMLIFrameElement>('[data-testid=replay-live] iframe');
          const input = frame?.contentDocument?.querySelector<HTMLInputElement>('#card');
          return input && input.value.length === length ? input.value : false;
        },
        TYPED.length,
        { timeout: WAIT },
      );
      t.is(await masked.jsonValue(), '*'.repeat(TYPED.length), 'the typed value is shown masked');
      const liveHtml = await page.evaluate(() => {
        const doc = document.querySelector<HTMLIFrameElement>('[data-testid=replay-live] iframe')?.contentDocument;
        return doc ? doc.documentElement.outerHTML + [...doc.querySelectorAll('input')].map((i) => i.value).join('|') : '';
      });
      t.false(liveHtml.includes(TYPED), 'the typed value never reaches the agent');

      // The visitor writes in the chat (which identifies the session with a customer) and leaves.
      await visitor.getByRole('button', { name: /^Open chat/ }).click();
      const chat = visitor.frameLocator('netia-chat-widget iframe');
      await chat.getByRole('textbox', { name: 'Message' }).fill('Where is my order?');
      await chat.getByRole('textbox', { name: 'Message' }).press('Enter');
      const customerId = await eventually('the session to be linked to its customer', async () => {
        const res = await http.get(`/api/browser_sessions/${sessionId}`, agent.token);
        return res.status === 200 && typeof res.body.data?.customer_id === 'string' ? (res.body.data.customer_id as string) : undefined;
      });
      await visitorContext.close();
      await page.locator('[data-testid=replay-player][data-mode=recorded]').waitFor({ timeout: WAIT });

      // Afterwards, from the customer page: their session, replayed with its timeline.
      await page.goto(`/customers/${customerId}`);
      const link = page.getByTestId('customer-sessions').locator(`li[data-session-id="${sessionId}"] a`);
      await link.waitFor({ timeout: WAIT });
      await link.click();
      await page.waitForURL(`**/visitors/${sessionId}`, { timeout: WAIT });
      await page.locator('[data-testid=replay-player][data-mode=recorded]').waitFor({ timeout: WAIT });
      const recorded = page.frameLocator('[data-testid=replay-recorded] iframe');
      await recorded.getByText('Checkout form').waitFor({ timeout: WAIT });
      await page.locator('.rr-controller').waitFor({ timeout: WAIT });
      await page.screenshot({ path: shot('session-replay') });
      const replayHtml = await page.evaluate(() => {
        const doc = document.querySelector<HTMLIFrameElement>('[data-testid=replay-recorded] iframe')?.contentDocument;
        return doc ? doc.documentElement.outerHTML + [...doc.querySelectorAll('input')].map((i) => i.value).join('|') : '';
      });
      t.false(replayHtml.includes(TYPED), 'the recording has no typed value either');
      t.deepEqual(errors, [], 'no page errors and no malformed payloads');

      // Another account's agent can neither list nor open it over the API.
      const listed = await http.get(`/api/browser_sessions?customer_id=${customerId}`, other.token);
      t.deepEqual(listed.status === 200 ? listed.body.data : [], [], 'not in their list');
      t.is((await http.get(`/api/browser_sessions/${sessionId}`, other.token)).status, 404);
      t.is((await http.get(`/api/browser_sessions/${sessionId}/events`, other.token)).status, 404);
    } finally {
      await context.close();
      await visitorContext.close().catch(() => undefined);
    }
  },
);

/** Poll a condition the server offers no event for (a session's customer link), with a bound. */
async function eventually<T>(label: string, fn: () => Promise<T | undefined>, ms = WAIT): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
