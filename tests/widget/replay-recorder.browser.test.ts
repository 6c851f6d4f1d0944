/**
 * The session-replay recorder (issue #20) in headless Chromium against the real stack. The host
 * pages live on another site (`shop.test`, another port) and embed `/widget.js`; what the
 * recorder sent is read where the server stored it (`browser_replay_events`). Covered: an
 * enabled account's page is recorded (structure yes; typed values, blocked elements and masked
 * text no), the visitor is told (visible and described to screen readers), the session is
 * identified with the customer once the visitor writes; a disabled account and an excluded path
 * load no recorder chunk and store nothing; a hidden tab goes inactive, records nothing while
 * hidden and starts again from a fresh full snapshot; a `busy` answer (the gateway's replay
 * writes backed up) makes the recorder send the same events again, so none is lost.
 */
import { createServer, type Server } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { Socket } from 'phoenix';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, connectSocket, join, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ensureWidgetBuilt } from './build-widget.js';
import { typeAndSend } from './chat-frame.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  site: { origin: string; pages: Map<string, string>; server: Server };
  recording: Agent;
  off: Agent;
  sockets: Socket[];
}

const test = anyTest as TestFn<Ctx>;
const HOST_NAME = 'shop.test';
const WAIT_MS = 30_000;
const TYPED = 'SECRET-4242-typed';
/** rrweb event types (rrweb's EventType): full snapshot, incremental, meta. */
const FULL_SNAPSHOT = 2;
const INCREMENTAL = 3;
const INPUT_SOURCE = 5;

test.before(async (t) => {
  const [stack] = await Promise.all([startStack(), ensureWidgetBuilt()]);
  const http = api(stack.baseUrl);
  const [recording, off] = await Promise.all([registerAccount(http, 'Recorded Outfitters'), registerAccount(http, 'Unrecorded Goods')]);
  const put = await http.put(
    '/api/accounts/me/session_replay',
    { session_replay: { enabled: true, sample_rate: 1, excluded_paths: ['/private/*'] } },
    recording.token,
  );
  if (put.status !== 200) throw new Error(`enabling session replay failed: ${JSON.stringify(put.body)}`);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`,
    ],
  });
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://${HOST_NAME}:${(server.address() as { port: number }).port}`;
  t.context = { stack, api: http, browser, site: { origin, pages, server }, recording, off, sockets: [] };
});

test.after.always(async (t) => {
  const { browser, site, stack, sockets } = t.context;
  for (const s of sockets ?? []) s.disconnect();
  await browser?.close();
  await new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

/** A checkout page of the host site embedding the widget of `accountId`. */
function addPage(ctx: Ctx, pathname: string, accountId: string): string {
  ctx.site.pages.set(
    pathname,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Checkout</title>
<script>window.__events = []; window.Netia = window.Netia || function () { (Netia.q = Netia.q || []).push(arguments); };
Netia('on', 'ready', function () { window.__events.push('ready'); });</script>
<script src="${ctx.stack.baseUrl}/widget.js" data-token="${accountId}" data-test="1" async></script>
</head><body>
<h1>Checkout form</h1>
<form id="checkout"><label for="card">Card number</label><input id="card" name="card" autocomplete="off">
<label for="note">Delivery note</label><textarea id="note" name="note"></textarea></form>
<div data-netia-block id="loyalty" style="width:240px;height:40px">Loyalty code BLOCKED-7731</div>
<p id="address" class="netia-mask">Ship to Jane Roe, 12 Hidden Lane</p>
<p id="status">Step 1 of 2</p>
</body></html>`,
  );
  return ctx.site.origin + pathname;
}

/** A page that records which scripts it loaded. */
async function openPage(ctx: Ctx, url: string): Promise<{ page: Page; recorderRequests: string[]; close: () => Promise<void> }> {
  const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  const recorderRequests: string[] = [];
  page.on('request', (r) => {
    if (/\/widget\/assets\/recorder-[^/]+\.js$/.test(r.url())) recorderRequests.push(r.url());
  });
  await page.goto(url);
  await page.waitForFunction(() => (window as any).__events.includes('ready'), undefined, { timeout: WAIT_MS });
  return { page, recorderRequests, close: () => context.close() };
}

const ZEvent = z.object({ seq: z.number(), event: z.any() });
const ZSession = z.object({ id: z.string(), customer_id: z.string().nullable() });

async function sessionsOf(ctx: Ctx, accountId: string): Promise<readonly z.infer<typeof ZSession>[]> {
  return ctx.stack.pool.any(sql.type(ZSession)`
    SELECT id::text, customer_id::text FROM browser_sessions WHERE account_id = ${accountId} ORDER BY started_at`);
}

async function eventsOf(ctx: Ctx, sessionId: string): Promise<Array<{ seq: number; event: any }>> {
  const rows = await ctx.stack.pool.any(sql.type(ZEvent)`
    SELECT seq, event FROM browser_replay_events WHERE browser_session_id = ${sessionId} ORDER BY seq`);
  return rows.map((r) => ({ seq: r.seq, event: r.event }));
}

/** Poll a condition (the server offers the test no event for it) until it holds. */
async function eventually<T>(label: string, fn: () => Promise<T | undefined>, ms = WAIT_MS): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

/** The only session of `accountId` recorded since `before` sessions existed. */
async function newSession(ctx: Ctx, accountId: string, before: number): Promise<string> {
  return eventually('the recorder to create its session', async () => (await sessionsOf(ctx, accountId))[before]?.id);
}

test.serial('an enabled account records the page on another site without the typed values, blocked elements or masked text', async (t) => {
  const ctx = t.context;
  const before = (await sessionsOf(ctx, ctx.recording.accountId)).length;
  const { page, recorderRequests, close } = await openPage(ctx, addPage(ctx, '/checkout', ctx.recording.accountId));
  try {
    // The visitor is told, visibly and to screen readers (inside the widget's live region; the launcher is described by it).
    const notice = page.getByTestId('netia-recording-notice');
    await notice.waitFor({ timeout: WAIT_MS });
    t.regex(await notice.innerText(), /This page may be recorded to help us support you\./);
    t.is(await page.getByRole('button', { name: /^Open chat/ }).getAttribute('aria-describedby'), 'netia-rec');
    t.is(await notice.evaluate((el) => el.parentElement?.getAttribute('aria-live')), 'polite');
    t.is(recorderRequests.length, 1, 'the recorder chunk is loaded once');

    const sessionId = await newSession(ctx, ctx.recording.accountId, before);
    await page.locator('#card').click();
    await page.keyboard.type(TYPED);
    await page.locator('#note').click();
    await page.keyboard.type(`${TYPED} in the note`);
    await page.evaluate(() => {
      document.getElementById('status')!.textContent = 'Step 2 of 2';
    });

    // Wait for the typing to be stored: input events whose text is as long as what was typed.
    const events = await eventually('the typed input to be stored', async () => {
      const rows = await eventsOf(ctx, sessionId);
      const inputs = rows.filter((r) => r.event.type === INCREMENTAL && r.event.data?.source === INPUT_SOURCE);
      const typedCard = inputs.some((r) => typeof r.event.data.text === 'string' && r.event.data.text.length === TYPED.length);
      const mutated = JSON.stringify(rows).includes('Step 2 of 2');
      return typedCard && mutated ? rows : undefined;
    });
    const json = JSON.stringify(events);
    t.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
      'seqs from 1 without gaps',
    );
    t.true(
      events.some((e) => e.event.type === FULL_SNAPSHOT),
      'a full snapshot',
    );
    // The structure is there…
    for (const visible of ['Checkout form', 'Card number', 'Delivery note', 'Step 1 of 2', 'Step 2 of 2', '"card"']) {
      t.true(json.includes(visible), `the recording has ${visible}`);
    }
    // …what the visitor typed, the blocked element's content and the masked text are not.
    for (const secret of [TYPED, 'SECRET-4242', 'BLOCKED-7731', 'Loyalty code', 'Jane Roe', 'Hidden Lane']) {
      t.false(json.includes(secret), `the recording has no ${secret}`);
    }
    t.true(json.includes('*'.repeat(TYPED.length)), 'the typed value is recorded masked, as its length in *');
    t.true(json.includes('rr_width'), 'the blocked element is recorded as a placeholder of its size');

    // The visitor writes in the chat: the session is identified with the customer the chat created.
    await page.getByRole('button', { name: /^Open chat/ }).click();
    const chat = page.frameLocator('netia-chat-widget iframe');
    const input = chat.getByRole('textbox', { name: 'Message' });
    await typeAndSend(input, 'Where is my order?');
    const customerId = await eventually('the session to be identified', async () => {
      const session = (await sessionsOf(ctx, ctx.recording.accountId)).find((s) => s.id === sessionId);
      return session?.customer_id ?? undefined;
    });
    const customers = await ctx.stack.pool.anyFirst(sql.type(z.object({ id: z.string() }))`
      SELECT id::text FROM customers WHERE account_id = ${ctx.recording.accountId}`);
    t.deepEqual([...customers], [customerId]);
    t.false(JSON.stringify(await eventsOf(ctx, sessionId)).includes('Where is my order?'), 'the chat itself is not recorded');
  } finally {
    await close();
  }
});

test.serial('a disabled account and an excluded path load no recorder chunk and store nothing', async (t) => {
  const ctx = t.context;
  const offPage = await openPage(ctx, addPage(ctx, '/shop', ctx.off.accountId));
  try {
    t.deepEqual(offPage.recorderRequests, []);
    t.is(await offPage.page.locator('script[src*="/widget/assets/recorder-"]').count(), 0);
    t.is(await offPage.page.getByTestId('netia-recording-notice').count(), 0, 'no recording notice');
    await offPage.page.locator('#card').fill('typed on a page that is not recorded');
  } finally {
    await offPage.close();
  }
  t.deepEqual(await sessionsOf(ctx, ctx.off.accountId), []);

  const before = (await sessionsOf(ctx, ctx.recording.accountId)).length;
  const excluded = await openPage(ctx, addPage(ctx, '/private/orders', ctx.recording.accountId));
  try {
    t.deepEqual(excluded.recorderRequests, [], 'the excluded page loads no recorder');
    t.is(await excluded.page.getByTestId('netia-recording-notice').count(), 0);
  } finally {
    await excluded.close();
  }
  t.is((await sessionsOf(ctx, ctx.recording.accountId)).length, before, 'no session for the excluded page');
});

test.serial('a hidden tab goes inactive and records nothing until it is shown again, from a fresh full snapshot', async (t) => {
  const ctx = t.context;
  const agentSocket = connectSocket(ctx.stack.wsUrl, { token: ctx.recording.token });
  ctx.sockets.push(agentSocket);
  const live: JoinedChannel = await join(agentSocket, `events:admin:${ctx.recording.accountId}:all`);
  const before = (await sessionsOf(ctx, ctx.recording.accountId)).length;
  const { page, close } = await openPage(ctx, addPage(ctx, '/checkout-2', ctx.recording.accountId));
  try {
    const sessionId = await newSession(ctx, ctx.recording.accountId, before);
    const first = await eventually('the first full snapshot', async () => {
      const rows = await eventsOf(ctx, sessionId);
      return rows.find((r) => r.event.type === FULL_SNAPSHOT);
    });
    // A string, not a function: tsx would wrap the getters in a helper the page does not have.
    const setVisibility = (state: 'hidden' | 'visible'): Promise<void> =>
      page.evaluate(`(() => {
        Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => '${state}' });
        Object.defineProperty(document, 'hidden', { configurable: true, get: () => ${state === 'hidden'} });
        document.dispatchEvent(new Event('visibilitychange'));
      })()`);
    const presence = (active: boolean) => (e: { event: string; payload: any }) =>
      e.event === 'presence_diff' &&
      Object.values<any>(e.payload.joins ?? {}).some((entry) =>
        entry.metas.some((m: any) => m.session_id === sessionId && m.active === active),
      );

    await setVisibility('hidden');
    await live.events.waitFor(presence(false), 'the session to go inactive', WAIT_MS);
    await page.evaluate(() => {
      document.getElementById('status')!.textContent = 'Changed while hidden';
    });
    await setVisibility('visible');
    await live.events.waitFor(presence(true), 'the session to be active again', WAIT_MS);

    const rows = await eventually('a second full snapshot', async () => {
      const all = await eventsOf(ctx, sessionId);
      return all.some((r) => r.event.type === FULL_SNAPSHOT && r.seq > first.seq) ? all : undefined;
    });
    const resumed = rows.find((r) => r.event.type === FULL_SNAPSHOT && r.seq > first.seq)!;
    t.false(
      rows.filter((r) => r.seq < resumed.seq).some((r) => JSON.stringify(r.event).includes('Changed while hidden')),
      'nothing was recorded while the tab was hidden',
    );
    t.true(JSON.stringify(resumed.event).includes('Changed while hidden'), 'the fresh snapshot shows the page as it is now');
  } finally {
    await close();
  }
});

test.serial('a busy answer makes the recorder send the same events again a moment later, and none is lost', async (t) => {
  const ctx = t.context;
  const before = (await sessionsOf(ctx, ctx.recording.accountId)).length;
  const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 760 } });
  /** Seqs of every replay:events push the page sent, in order. */
  const pushes: number[][] = [];
  // Between the page and the gateway: the first replay:events push is answered busy (and never reaches the server).
  await context.routeWebSocket(/\/socket\/websocket/, (ws) => {
    const server = ws.connectToServer();
    ws.onMessage((message) => {
      const frame = typeof message === 'string' ? (JSON.parse(message) as unknown[]) : null;
      if (frame && frame[3] === 'replay:events') {
        pushes.push((frame[4] as { events: Array<{ seq: number }> }).events.map((e) => e.seq));
        if (pushes.length === 1) {
          ws.send(JSON.stringify([frame[0], frame[1], frame[2], 'phx_reply', { status: 'error', response: { reason: 'busy' } }]));
          return;
        }
      }
      server.send(message);
    });
  });
  try {
    const page = await context.newPage();
    await page.goto(addPage(ctx, '/busy', ctx.recording.accountId));
    await page.waitForFunction(() => (window as any).__events.includes('ready'), undefined, { timeout: WAIT_MS });
    const sessionId = await newSession(ctx, ctx.recording.accountId, before);
    await eventually('a push after the busy one', async () => (pushes.length >= 2 ? true : undefined));
    const refused = pushes[0]!;
    t.true(refused.length > 0 && refused[0] === 1, `the first push starts at seq 1: ${JSON.stringify(refused)}`);
    t.is(pushes[1]![0], 1, 'the next push starts again from the refused events');
    await page.evaluate(() => {
      document.getElementById('status')!.textContent = 'Step 2 of 2';
    });
    const events = await eventually('the refused events and the later change to be stored', async () => {
      const rows = await eventsOf(ctx, sessionId);
      return JSON.stringify(rows).includes('Step 2 of 2') ? rows : undefined;
    });
    t.deepEqual(
      events.map((e) => e.seq),
      events.map((_, i) => i + 1),
      'seqs from 1 without gaps: nothing of the refused push was dropped',
    );
    t.true(events.length >= refused.length);
    t.true(
      events.some((e) => e.event.type === FULL_SNAPSHOT),
      'the first full snapshot (in the refused push) is stored',
    );
  } finally {
    await context.close();
  }
});
