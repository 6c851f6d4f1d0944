/**
 * Session replay in the console (issue #20), end to end in headless Chromium
 * against the real stack: a visitor on a host page of another site
 * (`shop.test`, mapped to 127.0.0.1, another port, as in
 * tests/widget/widget.browser.test.ts) embeds the widget of an account with
 * recording on; the agent sees them in Live visitors, watches live (what they
 * type stays masked), and replays the session afterwards from the customer
 * page. An agent of another account neither lists nor opens it.
 * Screenshots: docs/screenshots/live-visitors.png, session-replay.png.
 */
import { createServer, type Server } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Socket } from 'phoenix';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ensureWidgetBuilt } from '../widget/build-widget.js';
import { ensureUiBuilt } from './build.js';
import { openConsole, sessionFor, shot } from './browser.js';
import { typeAndSend } from '../widget/chat-frame.js';

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
  const stack = await Promise.all([ensureUiBuilt(), ensureWidgetBuilt()]).then(() => startStack());
  const http = api(stack.baseUrl);
  const [agent, other] = await Promise.all([registerAccount(http, 'Acme Outdoor'), registerAccount(http, 'Globex')]);
  const put = await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: true, sample_rate: 1 } }, agent.token);
  if (put.status !== 200) throw new Error(`enabling session replay failed: ${JSON.stringify(put.body)}`);
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
    if (url === '/checkout') {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(checkoutPage(stack.baseUrl, agent.accountId));
    } else res.writeHead(404).end('not found');
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

/** The visitor's checkout page, once the widget said it is ready. */
async function openVisitor(t: { context: Ctx }): Promise<{ page: Page; close: () => Promise<void> }> {
  const context = await t.context.browser.newContext({ viewport: { width: 1100, height: 700 } });
  const page = await context.newPage();
  await page.goto(`${t.context.site.origin}/checkout`);
  await page.waitForFunction(() => (window as unknown as { __events: string[] }).__events.includes('ready'), undefined, { timeout: WAIT });
  return { page, close: () => context.close() };
}

test.serial(
  'a visitor recorded by the widget is watched live with what they type masked, then replayed from the customer page',
  async (t) => {
    const { stack, api: http, browser, agent, other, site } = t.context;
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
      t.regex((await row.textContent()) ?? '', /Active/, 'the visitor is shown as active');
      t.is(await page.getByRole('table', { name: 'One visitor on your site now' }).count(), 1, 'the live list is a labelled table');
      await page.screenshot({ path: shot('live-visitors') });

      // The agent watches (from the keyboard): the page as it is now, then what the visitor does, live.
      await row.getByRole('link', { name: /Watch the visitor .* live/ }).focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/visitors/${sessionId}`, { timeout: WAIT });
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
      await typeAndSend(chat.getByRole('textbox', { name: 'Message' }), 'Where is my order?');
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

test.serial('an agent of another account neither lists nor opens a live session', async (t) => {
  const { stack, api: http, browser, agent, other } = t.context;
  const visitor = await openVisitor(t);
  const otherSession = await sessionFor(http, other.email, other.password);
  const { page, context } = await openConsole(browser, stack.baseUrl, otherSession);
  try {
    const mine = await eventually('the visitor to be recorded', async () => {
      const res = await http.get('/api/browser_sessions?active=true', agent.token);
      return (res.body.data as { id: string }[] | undefined)?.[0]?.id;
    });
    // The socket refuses the other account's agent on the list topic and on the session's.
    const otherSocket = connectSocket(stack.wsUrl, { token: other.token });
    t.context.sockets.push(otherSocket);
    for (const topic of [`events:admin:${agent.accountId}:all`, `events:admin:${agent.accountId}:${mine}`]) {
      const refused = await join(otherSocket, topic).then(
        () => undefined,
        (err: { reason?: string }) => err.reason,
      );
      t.is(refused, 'unauthorized', `${topic} is refused`);
    }
    await page.goto('/visitors');
    await page.getByTestId('visitors-empty').waitFor({ timeout: WAIT });
    t.regex((await page.getByTestId('visitors-empty').textContent()) ?? '', /No one is on your site right now/);
    t.regex((await page.getByTestId('replay-off').textContent()) ?? '', /Session recording is off/, 'their account records nothing');
    t.is(await page.locator(`tr[data-session-id="${mine}"]`).count(), 0, 'not in their list');
    await page.goto(`/visitors/${mine}`);
    await page.getByTestId('replay-not-found').waitFor({ timeout: WAIT });
    t.is(await page.locator('[data-testid=replay-player]').count(), 0, 'no player is shown');
  } finally {
    await context.close();
    await visitor.close();
  }
});

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
