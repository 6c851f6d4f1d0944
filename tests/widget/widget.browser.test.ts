/**
 * The embeddable widget in headless Chromium against the real stack. The host
 * pages live on another site (`shop.test`, mapped to 127.0.0.1, another port)
 * and embed `/widget.js` with the snippet; the agent side is the API and the
 * socket. Covered: chatting both ways with typing, the unread badge and read
 * receipts, history after a reload, messages written while the connection is
 * down (sent once each, in order), keyboard and mobile use, isolation of
 * styles and globals, every configuration parameter, presence, and identity
 * verification.
 */
import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type BrowserContext, type Frame, type FrameLocator, type Page } from 'playwright-core';
import type { Socket } from 'phoenix';
import { computeUserHash, getOrCreateIdentitySecret } from '../../services/customers/token.js';
import { api, connectSocket, join, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { ensureWidgetBuilt, ROOT } from './build-widget.js';
import { describeChat, typeAndSend } from './chat-frame.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

interface HostSite {
  origin: string;
  pages: Map<string, string>;
  server: Server;
}

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  site: HostSite;
  agent: Agent;
  agentSocket: Socket;
  inbox: JoinedChannel;
  sockets: Socket[];
}

/** The first visitor, shared by the serial tests that follow it (ava clones t.context per test). */
const visitor: { conversationId?: string; context?: BrowserContext; page?: Page } = {};

const test = anyTest as TestFn<Ctx>;
const HOST_NAME = 'shop.test';
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-background-networking',
    '--disable-gpu',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    // The host pages are on another site than the gateway (a real third-party iframe).
    `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1`,
  ],
};

test.before(async (t) => {
  const [stack] = await Promise.all([startStack(), ensureWidgetBuilt()]);
  const http = api(stack.baseUrl);
  const agent = await registerAccount(http, 'Acme Outdoor');
  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  const inbox = await join(agentSocket, `notification:${agent.accountId}`);
  // This Chromium denies third-party frames any storage by default (third-party cookies blocked): the chat page
  // then keeps the visitor through the loader, in the host page's storage. The last test allows it.
  const browser = await chromium.launch(CHROMIUM);
  const site = await startHostSite();
  t.context = { stack, api: http, browser, site, agent, agentSocket, inbox, sockets: [agentSocket] };
});

test.after.always(async (t) => {
  const { browser, site, sockets, stack } = t.context;
  await browser?.close();
  for (const s of sockets ?? []) s.disconnect();
  await new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

function startHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const server = createServer((req, res) => {
    const html = pages.get((req.url ?? '/').split('?')[0]!);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      resolve({ origin: `http://${HOST_NAME}:${port}`, pages, server });
    });
  });
}

/** A host page: `head` goes before the widget script (stub, hostile CSS), `attrs` onto the script tag. */
function hostPage(
  gateway: string,
  opts: { attrs?: Record<string, string>; head?: string; body?: string; dark?: boolean; init?: string },
): string {
  const attrs = Object.entries(opts.attrs ?? {})
    .map(([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`)
    .join('');
  const palette = opts.dark ? 'background:#0d1117;color:#e6edf3' : 'background:#f7f5f0;color:#1f2328';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Acme Outdoor</title>
<script>window.__before = Object.keys(window);</script>
<style>
body{margin:0;font:16px/1.5 Georgia,serif;${palette}}
header{padding:18px 40px;background:#2f4f3a;color:#fff;font:700 22px/1 system-ui,sans-serif;letter-spacing:.5px}
main{max-width:760px;margin:40px;display:grid;grid-template-columns:1fr 1fr;gap:28px}
.card{border-radius:12px;padding:20px;background:rgba(127,127,127,.12)}
.card h2{margin:0 0 8px;font:600 20px/1.2 system-ui,sans-serif}
.price{font:700 18px system-ui,sans-serif;color:#2f6f4a}
</style>
${opts.head ?? ''}
<script>
window.Netia = window.Netia || function () { (Netia.q = Netia.q || []).push(arguments); };
window.__events = [];
['message', 'unread', 'open', 'close', 'ready'].forEach(function (name) {
  Netia('on', name, function (payload) { window.__events.push([name, payload]); });
});
${opts.init ?? ''}
</script>
<script src="${gateway}/widget.js"${attrs} async></script>
</head><body>
<header>Acme Outdoor</header>
<main>
<div class="card"><h2>Trail tent 2P</h2><p>Three-season, 1.6 kg.</p><p class="price">€249</p><button id="host-button">Add to cart</button></div>
<div class="card"><h2>Down jacket</h2><p>800 fill power, recycled shell.</p><p class="price">€189</p><a href="#details">Details</a></div>
</main>
${opts.body ?? ''}
</body></html>`;
}

function addPage(t: { context: Ctx }, name: string, opts: Parameters<typeof hostPage>[1]): string {
  t.context.site.pages.set(name, hostPage(t.context.stack.baseUrl, opts));
  return t.context.site.origin + name;
}

function chatFrame(page: Page): FrameLocator {
  return page.frameLocator('netia-chat-widget iframe');
}

/** The chat page's frame object, once it has loaded. */
async function chatFrameHandle(page: Page): Promise<Frame> {
  const handle = await page.locator('netia-chat-widget iframe').elementHandle();
  const frame = await handle?.contentFrame();
  await frame!.waitForFunction(() => (window as any).__netiaTest !== undefined);
  return frame!;
}

async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__events.some((e: [string]) => e[0] === 'ready'), undefined, { timeout: 15_000 });
}

/** Poll a condition through the API (the server offers no event for it) until it holds. */
async function eventually<T>(label: string, fn: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await fn();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function agentShouts(ctx: Ctx, body: string) {
  return ctx.inbox.events.filter((e) => e.event === 'shout' && e.payload.body === body);
}

async function send(chat: FrameLocator, text: string): Promise<void> {
  await typeAndSend(chat.getByRole('textbox', { name: 'Message' }), text);
}

test.serial('a visitor on another site chats with an agent in both directions, with typing on both sides', async (t) => {
  const ctx = t.context;
  const url = addPage(t, '/shop', {
    attrs: {
      'data-token': ctx.agent.accountId,
      'data-title': 'Acme support',
      'data-subtitle': 'We usually answer in a few minutes',
      'data-greeting': 'Hi! How can we help you today?',
      'data-test': '1',
    },
  });
  const context = await ctx.browser.newContext({ viewport: { width: 1100, height: 760 } });
  const page = await context.newPage();
  visitor.context = context;
  visitor.page = page;
  await page.goto(url);
  await waitForReady(page);

  const launcher = page.getByRole('button', { name: /^Open chat/ });
  await launcher.click();
  const chat = chatFrame(page);
  await chat.getByRole('heading', { name: 'Acme support' }).waitFor();
  await chat.getByText('Hi! How can we help you today?').waitFor();
  const frame = await chatFrameHandle(page);
  await frame.waitForFunction(() => document.activeElement?.id === 'netia-input');
  t.is(await page.getByRole('button', { name: /^Close chat/ }).getAttribute('aria-expanded'), 'true');

  await send(chat, 'Hi, do you ship to Norway?');
  const atAgent = await ctx.inbox.events.waitFor(
    (e) => e.event === 'shout' && e.payload.body === 'Hi, do you ship to Norway?',
    'visitor message at the agent',
    20_000,
  );
  const conversationId = atAgent.payload.conversation_id as string;
  visitor.conversationId = conversationId;
  t.is(atAgent.payload.user_id, null);
  t.truthy(atAgent.payload.client_message_id, 'sent with a client message id');
  await chat.locator('.msg.from-customer:not(.is-pending)', { hasText: 'ship to Norway' }).waitFor();

  // The visitor types: the agents hear it.
  await chat.getByRole('textbox', { name: 'Message' }).pressSequentially('Al');
  const typingAtAgent = await ctx.inbox.events.waitFor(
    (e) => e.event === 'typing' && e.payload.conversation_id === conversationId,
    'visitor typing at the agent',
    10_000,
  );
  t.true(typingAtAgent.payload.typing);
  await chat.getByRole('textbox', { name: 'Message' }).fill('');

  // The agent types in the conversation: the visitor sees it.
  const agentChat = await join(ctx.agentSocket, `conversation:${conversationId}`);
  await agentChat.push('typing', { typing: true });
  await chat.getByText(/is typing…/).waitFor();

  await ctx.inbox.push('shout', { conversation_id: conversationId, body: 'Yes, we ship to Norway in 3–5 days.' });
  const reply = chat.locator('.msg.from-agent', { hasText: 'Norway in 3–5 days' });
  await reply.waitFor();
  await chat.locator('.typing').waitFor({ state: 'hidden' });
  agentChat.channel.leave();

  // Agent replies on the other side from the visitor's own messages (the original drew both on the right: Q13).
  const own = (await chat.locator('.msg.from-customer .bubble', { hasText: 'ship to Norway' }).boundingBox())!;
  const theirs = (await reply.locator('.bubble').boundingBox())!;
  t.true(theirs.x < own.x, 'agent bubble left of the visitor bubble');
  t.true(own.x + own.width > 1100 - 20 - 400 + 300, 'visitor bubble on the right of the panel');
  t.is(await chat.getByRole('log').getAttribute('aria-live'), 'polite');

  // The host page heard about the agent's message, not about history.
  await page.waitForFunction(() => (window as any).__events.some((e: any) => e[0] === 'message' && e[1].from === 'agent'));
  const hostMessages = await page.evaluate(() =>
    (window as any).__events.filter((e: any) => e[0] === 'message').map((e: any) => [e[1].from, e[1].body]),
  );
  t.deepEqual(hostMessages, [
    ['customer', 'Hi, do you ship to Norway?'],
    ['agent', 'Yes, we ship to Norway in 3–5 days.'],
  ]);

  await send(chat, 'Great, thanks!');
  await chat.locator('.msg.from-customer:not(.is-pending)', { hasText: 'Great, thanks!' }).waitFor();
  const shots = path.join(ROOT, 'docs', 'screenshots');
  mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'widget.png') });
});

test.serial('agent messages while the panel is closed show an unread badge; opening it sends the read receipt', async (t) => {
  const ctx = t.context;
  const page = visitor.page!;
  const chat = chatFrame(page);
  await page.getByRole('button', { name: /^Close chat/ }).click();
  await ctx.inbox.push('shout', { conversation_id: visitor.conversationId, body: 'Anything else I can help with?' });
  const launcher = page.getByRole('button', { name: 'Open chat, 1 unread message' });
  await launcher.waitFor();
  t.is(await page.locator('netia-chat-widget .badge').textContent(), '1');
  await page.waitForFunction(() => (window as any).__events.some((e: any) => e[0] === 'unread' && e[1] === 1));

  await launcher.click();
  await chat.getByText('Anything else I can help with?').waitFor();
  await page.locator('netia-chat-widget .badge').waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: /^Close chat$/ }).waitFor();
  // messages:seen reached the conversation: the agent's messages are marked seen.
  const seen = await eventually('agent messages marked seen', async () => {
    const res = await ctx.api.get(`/api/conversations/${visitor.conversationId}`, ctx.agent.token);
    const agentMessages = (res.body.data.messages as any[]).filter((m) => m.user_id !== null);
    return agentMessages.length === 2 && agentMessages.every((m) => m.seen_at !== null) ? agentMessages : undefined;
  });
  t.is(seen.length, 2);
});

test.serial('a reload restores the visitor and the conversation, its history coming back from the server', async (t) => {
  const ctx = t.context;
  const page = visitor.page!;
  const chat = chatFrame(page);
  await page.reload();
  await waitForReady(page);
  await page.getByRole('button', { name: /^Open chat/ }).click();
  for (const text of [
    'Hi, do you ship to Norway?',
    'Yes, we ship to Norway in 3–5 days.',
    'Great, thanks!',
    'Anything else I can help with?',
  ]) {
    await chat.locator('.msg', { hasText: text }).waitFor();
    t.is(await chat.locator('.msg', { hasText: text }).count(), 1, text);
  }
  t.is(await page.locator('netia-chat-widget .badge').isHidden(), true, 'read messages stay read');

  // Without the local copy, the rejoin (last_seq 0) brings the whole history back from the server.
  const frame = await chatFrameHandle(page);
  await frame.evaluate(() => (window as any).__netiaTest.clearCachedTranscript());
  await page.reload();
  await waitForReady(page);
  await page.getByRole('button', { name: /^Open chat/ }).click();
  await chat.locator('.msg.from-agent', { hasText: 'Anything else I can help with?' }).waitFor();
  t.is(await chat.locator('.msg:not(.greeting)').count(), 4);
  const state = await (await chatFrameHandle(page)).evaluate(() => (window as any).__netiaTest.state());
  t.is(state.visitor.conversationId, visitor.conversationId);
  // No second customer or conversation was created by the reloads.
  const list = await ctx.api.get('/api/customers', ctx.agent.token);
  t.is(list.body.total_entries, 1);
});

test.serial('messages written while the connection is down are sent after it returns, each exactly once and in order', async (t) => {
  const ctx = t.context;
  const page = visitor.page!;
  const chat = chatFrame(page);
  const frame = await chatFrameHandle(page);

  // The first push reaches the server, but its reply is lost with the connection: its outcome is unknown to the page.
  await frame.evaluate(() => (window as any).__netiaTest.dropAfterNextPush());
  await send(chat, 'Offline 1');
  await ctx.inbox.events.waitFor((e) => e.event === 'shout' && e.payload.body === 'Offline 1', 'Offline 1 stored', 20_000);
  await chat.getByText(/Reconnecting/).waitFor();

  await send(chat, 'Offline 2');
  await send(chat, 'Offline 3');
  await chat.locator('.msg.is-pending', { hasText: 'Offline 2' }).waitFor();
  await chat.locator('.msg.is-pending', { hasText: 'Offline 3' }).waitFor();
  const state = await frame.evaluate(() => (window as any).__netiaTest.state());
  t.is(state.outbox, 3, 'all three wait in the outbox, the unacknowledged one first');
  t.not(state.storage, 'memory', 'the outbox is persisted');
  t.log(`visitor storage: ${state.storage}`);

  await frame.evaluate(() => (window as any).__netiaTest.connect());
  for (const body of ['Offline 2', 'Offline 3']) {
    await ctx.inbox.events.waitFor((e) => e.event === 'shout' && e.payload.body === body, `${body} at the agent`, 20_000);
  }
  await chat.locator('.msg.is-pending').first().waitFor({ state: 'detached' });
  await chat.getByText(/Reconnecting/).waitFor({ state: 'hidden' });

  const bodies = ['Offline 1', 'Offline 2', 'Offline 3'];
  const stored = await ctx.api.get(`/api/conversations/${visitor.conversationId}`, ctx.agent.token);
  const offline = (stored.body.data.messages as any[]).filter((m) => m.body.startsWith('Offline'));
  t.deepEqual(
    offline.map((m) => m.body),
    bodies,
    'stored once each, in the order written',
  );
  t.deepEqual(
    offline.map((m) => m.seq),
    [...offline.map((m) => m.seq)].sort((a, b) => a - b),
  );
  for (const body of bodies) {
    t.is(agentShouts(ctx, body).length, 1, `${body} reached the agent once`);
    t.is(await chat.locator('.msg', { hasText: body }).count(), 1, `${body} shown once`);
  }
  const order = bodies.map((b) => ctx.inbox.events.items.findIndex((e) => e.event === 'shout' && e.payload.body === b));
  t.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
    'the agent received them in order',
  );

  // A message written offline survives a reload: the next page sends it.
  await frame.evaluate(() => (window as any).__netiaTest.disconnect());
  await chat.getByText(/Reconnecting/).waitFor();
  await send(chat, 'Offline 4');
  await chat.locator('.msg.is-pending', { hasText: 'Offline 4' }).waitFor();
  await page.reload();
  await ctx.inbox.events.waitFor((e) => e.event === 'shout' && e.payload.body === 'Offline 4', 'Offline 4 after the reload', 20_000);
  const after = await ctx.api.get(`/api/conversations/${visitor.conversationId}`, ctx.agent.token);
  t.is((after.body.data.messages as any[]).filter((m) => m.body === 'Offline 4').length, 1);
  t.is(agentShouts(ctx, 'Offline 4').length, 1);
});

test.serial('on a phone the panel fills the screen; the keyboard opens it, stays inside it and Esc closes it', async (t) => {
  const ctx = t.context;
  const url = addPage(t, '/dark', { attrs: { 'data-token': ctx.agent.accountId, 'data-test': '1' }, dark: true });
  const context = await ctx.browser.newContext({ viewport: { width: 390, height: 760 }, colorScheme: 'dark' });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitForReady(page);
    const launcher = page.getByRole('button', { name: 'Open chat' });
    t.deepEqual(await launcher.boundingBox(), { x: 390 - 20 - 60, y: 760 - 20 - 60, width: 60, height: 60 });
    await launcher.focus();
    await page.keyboard.press('Enter');
    const panel = page.locator('netia-chat-widget .panel');
    await panel.waitFor();
    t.deepEqual(await panel.boundingBox(), { x: 0, y: 0, width: 390, height: 760 });
    const frame = await chatFrameHandle(page);
    await frame.waitForFunction(() => document.activeElement?.id === 'netia-input');
    // The chat page follows the dark scheme.
    t.is(await frame.evaluate(() => getComputedStyle(document.body).backgroundColor), 'rgb(22, 25, 29)');

    for (let i = 0; i < 6; i++) {
      await page.keyboard.press('Tab');
      t.is(await page.evaluate(() => document.activeElement?.tagName), 'NETIA-CHAT-WIDGET', `focus stays in the panel after ${i + 1} Tab`);
      t.true(await frame.evaluate(() => document.hasFocus() && document.activeElement !== document.body));
    }
    await page.keyboard.press('Shift+Tab');
    t.true(await frame.evaluate(() => document.hasFocus()));

    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });
    t.is(await page.evaluate(() => document.activeElement?.shadowRoot?.activeElement?.className), 'launcher', 'focus back on the launcher');
    t.is(await launcher.getAttribute('aria-expanded'), 'false');
  } finally {
    await context.close();
  }
});

test.serial('the widget adds one global and no styles to the host page, and hostile host styles do not reach it', async (t) => {
  const ctx = t.context;
  const hostile = `<style>
*{box-sizing:content-box!important;font-family:"Comic Sans MS",cursive!important}
button{background:rgb(255,0,0)!important;width:300px!important;height:10px!important;border-radius:0!important;display:block!important}
iframe{border:10px solid rgb(0,255,0)!important;width:10px!important}
div{padding:50px!important}
netia-chat-widget{display:none!important;position:absolute!important;transform:scale(0)!important}
</style>`;
  const url = addPage(t, '/hostile', {
    attrs: { 'data-token': ctx.agent.accountId, 'data-primary-color': '#0a7d4f', 'data-test': '1' },
    head: hostile,
  });
  const context = await ctx.browser.newContext({ viewport: { width: 1000, height: 760 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    const sheetsBefore = await page.evaluate(() => document.styleSheets.length);
    await waitForReady(page);
    const added = await page.evaluate(() =>
      Object.keys(window).filter((k) => !(window as any).__before.includes(k) && !k.startsWith('__')),
    );
    t.deepEqual(added, ['Netia']);
    t.is(await page.evaluate(() => document.styleSheets.length), sheetsBefore, 'no stylesheet added to the document');
    t.is(await page.evaluate(() => typeof (window as any).Netia.open), 'function');

    const launcher = page.getByRole('button', { name: 'Open chat' });
    t.deepEqual(await launcher.boundingBox(), { x: 1000 - 80, y: 760 - 80, width: 60, height: 60 });
    t.is(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(10, 125, 79)');
    await launcher.click();
    const iframe = page.locator('netia-chat-widget iframe');
    await iframe.waitFor();
    t.is(await iframe.evaluate((el) => getComputedStyle(el).borderTopWidth), '0px');
    t.deepEqual(await page.locator('netia-chat-widget .panel').boundingBox(), {
      x: 1000 - 20 - 400,
      y: 760 - 90 - 600,
      width: 400,
      height: 600,
    });
    // The host's own button keeps the host's styles.
    t.is(await page.locator('#host-button').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 0, 0)');
    // The chat page accepts host messages only in its envelope, from its parent window and origin.
    const frame = await chatFrameHandle(page);
    const emailOf = (): Promise<string | null> => frame.evaluate(() => (window as any).__netiaTest.state().visitor.email);
    await page.evaluate(() => {
      const chatWindow = document.querySelector('netia-chat-widget')!.shadowRoot!.querySelector('iframe')!.contentWindow!;
      chatWindow.postMessage({ type: 'identify', identity: { email: 'bare@example.com' } }, '*');
      // Same origin as the host, but another window: a script in an ad frame, say.
      const other = document.createElement('iframe');
      document.body.append(other);
      (other.contentWindow as any).eval(`parent.document.querySelector('netia-chat-widget').shadowRoot.querySelector('iframe').contentWindow
        .postMessage({ netia: 1, msg: { type: 'identify', identity: { email: 'sibling@example.com' } } }, '*')`);
    });
    await page.evaluate(() => (window as any).Netia.identify({ email: 'real@example.com' }));
    await frame.waitForFunction(() => (window as any).__netiaTest.state().visitor.email !== null);
    t.is(await emailOf(), 'real@example.com');
  } finally {
    await context.close();
  }
});

test.serial('every configuration parameter does what it says, and availability follows agent presence', async (t) => {
  const ctx = t.context;
  const owner = await registerAccount(ctx.api, 'Config Co');
  const ownerSocket = connectSocket(ctx.stack.wsUrl, { token: owner.token });
  ctx.sockets.push(ownerSocket);
  const ownerInbox = await join(ownerSocket, `notification:${owner.accountId}`);
  const url = addPage(t, '/configured', {
    attrs: {
      'data-token': owner.accountId,
      'data-title': 'Config Co help',
      'data-subtitle': 'Subtitle here',
      'data-primary-color': '#ffdd00',
      'data-greeting': 'Welcome to Config Co',
      'data-new-message-placeholder': 'Ask Config Co…',
      'data-show-agent-availability': '1',
      'data-agent-available-text': 'Team online',
      'data-agent-unavailable-text': 'Team offline',
      'data-away-message': 'We reply within a day',
      'data-require-email-upfront': '1',
      'data-is-branding-hidden': '1',
      'data-company-name': 'Config Co',
      'data-metadata': '{"plan":"pro"}',
      'data-test': '1',
    },
  });
  const context = await ctx.browser.newContext({ viewport: { width: 1000, height: 760 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitForReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = chatFrame(page);
    await chat.getByRole('heading', { name: 'Config Co help' }).waitFor();
    await chat.getByText('Subtitle here').waitFor();
    await chat.getByText('Welcome to Config Co').waitFor();
    t.is(await chat.locator('.header').evaluate((el) => getComputedStyle(el).backgroundColor), 'rgb(255, 221, 0)');
    t.is(
      await chat.locator('.header').evaluate((el) => getComputedStyle(el).color),
      'rgb(17, 17, 17)',
      'dark text on a light brand colour',
    );
    t.true(await chat.getByText('Powered by').isHidden(), 'branding hidden');

    // Presence: the owner's agent is online.
    await chat.getByText('Team online').waitFor();
    t.is(await chat.getByText('We reply within a day').isVisible(), false);

    // Email up front: no composer until a valid email is given.
    t.false(await chat.getByRole('textbox', { name: 'Message' }).isVisible());
    const email = chat.getByLabel('Enter your email to start chatting');
    await email.fill('not-an-email');
    await email.press('Enter');
    t.false(await chat.getByRole('textbox', { name: 'Message' }).isVisible());
    await email.fill('visitor@example.com');
    await email.press('Enter');
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.waitFor();
    t.is(await input.getAttribute('placeholder'), 'Ask Config Co…');
    await send(chat, 'Hello from the configured widget');
    const shout = await ownerInbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.body === 'Hello from the configured widget',
      'message at the owner',
      20_000,
    );
    const customer = await ctx.api.get(`/api/customers/${shout.payload.customer_id}`, owner.token);
    t.is(customer.body.data.email, 'visitor@example.com');
    t.like(customer.body.data.metadata, { plan: 'pro' });
    t.is(customer.body.data.host, `${HOST_NAME}:${new URL(ctx.site.origin).port}`);

    // The agent goes offline: presence says so, and the away message appears.
    ownerSocket.disconnect();
    await chat.getByText('Team offline').waitFor({ timeout: 15_000 });
    await chat.getByText('We reply within a day').waitFor();
  } finally {
    await context.close();
  }
});

test.serial('identity verification: a wrong user_hash is refused, the right one is accepted', async (t) => {
  const ctx = t.context;
  const owner = await registerAccount(ctx.api, 'Verified Co');
  const put = await ctx.api.put(`/api/accounts/${owner.accountId}`, { account: { require_identity_verification: true } }, owner.token);
  t.is(put.status, 200, JSON.stringify(put.body));
  const ownerSocket = connectSocket(ctx.stack.wsUrl, { token: owner.token });
  ctx.sockets.push(ownerSocket);
  const ownerInbox = await join(ownerSocket, `notification:${owner.accountId}`);
  const secret = await getOrCreateIdentitySecret(ctx.stack.pool, owner.accountId);

  const visit = async (name: string, userHash: string): Promise<{ page: Page; context: BrowserContext }> => {
    const customer = JSON.stringify({ external_id: 'user-42', email: 'known@example.com', name: 'Known User', user_hash: userHash });
    const url = addPage(t, name, { init: `Netia('init', { token: '${owner.accountId}', test: true, customer: ${customer} });` });
    const context = await ctx.browser.newContext();
    const page = await context.newPage();
    await page.goto(url);
    await waitForReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    return { page, context };
  };

  const wrong = await visit('/verified-wrong', 'f'.repeat(64));
  try {
    const chat = chatFrame(wrong.page);
    await send(chat, 'Am I who I say I am?');
    await chat.getByText(/could not verify your identity/).waitFor();
    await chat.locator('.msg.is-pending', { hasText: 'Am I who I say I am?' }).waitFor();
    const found = await ctx.api.get('/api/customers?external_id=user-42', owner.token);
    t.is(found.body.total_entries, 0, 'no customer was created with the unverified identity');
  } finally {
    await wrong.context.close();
  }

  const right = await visit('/verified-right', computeUserHash(secret, 'user-42'));
  try {
    await send(chatFrame(right.page), 'Verified hello');
    const shout = await ownerInbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.body === 'Verified hello',
      'verified message',
      20_000,
    );
    const customer = await ctx.api.get(`/api/customers/${shout.payload.customer_id}`, owner.token);
    t.like(customer.body.data, { external_id: 'user-42', email: 'known@example.com', name: 'Known User' });
  } finally {
    await right.context.close();
  }
  t.is(ownerInbox.events.filter((e) => e.event === 'shout' && e.payload.body === 'Am I who I say I am?').length, 0);
});

test.serial(
  "where the browser allows third-party storage, the visitor lives in the chat origin's storage, out of the host page's reach",
  async (t) => {
    const ctx = t.context;
    const url = addPage(t, '/profile', { attrs: { 'data-token': ctx.agent.accountId, 'data-test': '1' } });
    // A profile whose user allowed third-party cookies (this Chromium blocks them, and with them frame storage, by default).
    const dir = mkdtempSync(path.join(tmpdir(), 'netia-chromium-'));
    mkdirSync(path.join(dir, 'Default'));
    writeFileSync(
      path.join(dir, 'Default', 'Preferences'),
      JSON.stringify({ profile: { cookie_controls_mode: 0, block_third_party_cookies: false } }),
    );
    const context = await chromium.launchPersistentContext(dir, { ...CHROMIUM, viewport: { width: 1000, height: 760 } });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(url);
      await waitForReady(page);
      await page.getByRole('button', { name: 'Open chat' }).click();
      const chat = chatFrame(page);
      await send(chat, 'Sent from a regular profile');
      await ctx.inbox.events.waitFor(
        (e) => e.event === 'shout' && e.payload.body === 'Sent from a regular profile',
        'message at the agent',
        20_000,
      );
      await chat.locator('.msg.from-customer:not(.is-pending)', { hasText: 'regular profile' }).waitFor();
      const state = await (await chatFrameHandle(page)).evaluate(() => (window as any).__netiaTest.state());
      t.is(state.storage, 'local');
      t.deepEqual(
        await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith('netia:'))),
        [],
        'nothing in the host page storage',
      );

      await page.reload();
      await waitForReady(page);
      await page.getByRole('button', { name: 'Open chat' }).click();
      await chat.locator('.msg.from-customer', { hasText: 'regular profile' }).waitFor();
      const after = await (await chatFrameHandle(page)).evaluate(() => (window as any).__netiaTest.state());
      t.is(after.visitor.customerId, state.visitor.customerId, 'the same visitor after a reload');
      t.true(after.visitor.messages.length > 0, 'with a local copy of the transcript');
    } finally {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
);

/** A 1×1 transparent PNG. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test.serial('a visitor attaches a picture and the agent sends a file back: both show in the transcript', async (t) => {
  const ctx = t.context;
  const url = addPage(t, '/attachments', { attrs: { 'data-token': ctx.agent.accountId, 'data-test': '1' } });
  const context = await ctx.browser.newContext({ viewport: { width: 1000, height: 760 } });
  try {
    const page = await context.newPage();
    await page.goto(url);
    await waitForReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = chatFrame(page);
    const attach = chat.getByRole('button', { name: 'Attach a file' });
    await attach.waitFor();

    // A refused type: clear error text, nothing uploaded.
    const fileInput = chat.locator('input[type="file"]');
    await fileInput.setInputFiles({ name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<b>hi</b>') });
    await chat.getByRole('alert').filter({ hasText: 'page.html: this type of file cannot be sent' }).waitFor();

    // The visitor attaches a small PNG and sends it without text.
    await fileInput.setInputFiles({ name: 'pixel.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await chat.locator('.draft.is-ready', { hasText: 'pixel.png' }).waitFor();
    t.true(await chat.locator('.upload-error').isHidden(), 'the earlier error is cleared');
    await chat.getByRole('button', { name: 'Send message' }).click();
    const atAgent = await ctx.inbox.events.waitFor(
      (e) =>
        e.event === 'shout' &&
        Array.isArray(e.payload.attachments) &&
        e.payload.attachments.some((a: { filename: string }) => a.filename === 'pixel.png'),
      'attachment at the agent',
      20_000,
    );
    const [sent] = atAgent.payload.attachments as Array<{ id: string; content_type: string; size: number; file_url: string }>;
    t.like(sent, { content_type: 'image/png', size: PIXEL_PNG.length });
    t.is(atAgent.payload.body, '');
    const stored = await fetch(ctx.stack.baseUrl + sent!.file_url);
    t.deepEqual(Buffer.from(await stored.arrayBuffer()), PIXEL_PNG);
    const thumb = chat.locator('.msg.from-customer:not(.is-pending) img[alt="pixel.png"]');
    await thumb.waitFor();
    await t.notThrowsAsync(
      thumb.evaluate((img: HTMLImageElement) => img.decode()),
      'the thumbnail loads from the gateway',
    );
    t.is(await chat.locator('.tray').isHidden(), true, 'the tray is emptied once sent');

    // The agent replies with a text file: a download link in the widget.
    const conversationId = atAgent.payload.conversation_id as string;
    const form = new FormData();
    form.append('file', new Blob([new TextEncoder().encode('Order #42: shipped')], { type: 'text/plain' }), 'receipt.txt');
    const up = await fetch(`${ctx.stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { authorization: ctx.agent.token } });
    const upBody = (await up.json()) as { data: { id: string } };
    t.is(up.status, 201, JSON.stringify(upBody));
    await ctx.inbox.push('shout', { conversation_id: conversationId, body: 'Here is your receipt', file_ids: [upBody.data.id] });
    const link = chat.locator('.msg.from-agent a', { hasText: 'receipt.txt' });
    await link.waitFor();
    t.is(await link.getAttribute('rel'), 'noopener');
    const href = (await link.getAttribute('href'))!;
    t.true(href.startsWith(ctx.stack.baseUrl), href);
    t.is(await (await fetch(href)).text(), 'Order #42: shipped');

    // Offline at attach time: an error, nothing queued.
    await context.setOffline(true);
    await fileInput.setInputFiles({ name: 'later.png', mimeType: 'image/png', buffer: PIXEL_PNG });
    await chat.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor();
    t.is(await chat.locator('.draft').count(), 0);
    await context.setOffline(false);
  } finally {
    await context.close();
  }
});

test.serial('a message sent while the chat is still starting is sent once it has started, once, not lost', async (t) => {
  const ctx = t.context;
  const url = addPage(t, '/early', { attrs: { 'data-token': ctx.agent.accountId, 'data-test': '1' } });
  const context = await ctx.browser.newContext();
  // The chat page's settings request is held until the visitor has sent: the session starts only after it answers.
  let releaseSettings!: () => void;
  const settingsReleased = new Promise<void>((resolve) => (releaseSettings = resolve));
  let onHeld!: () => void;
  const held = new Promise<void>((resolve) => (onHeld = resolve));
  await context.route(/\/api\/widget_settings/, async (route) => {
    if (new URL(route.request().frame().url()).pathname.startsWith('/chat')) {
      onHeld();
      await settingsReleased;
    }
    await route.continue();
  });
  try {
    const page = await context.newPage();
    // What the chat page did, said if the message never shows: its loads, its console and its requests.
    const seen: string[] = [];
    page.on('framenavigated', (frame) => {
      if (frame !== page.mainFrame()) seen.push(`navigated ${new URL(frame.url()).pathname}`);
    });
    page.on('console', (msg) => seen.push(`console.${msg.type()} ${msg.text().slice(0, 200)}`));
    page.on('requestfinished', (request) => {
      void request.response().then((res) => seen.push(`${request.method()} ${new URL(request.url()).pathname} ${res?.status() ?? '-'}`));
    });
    page.on('requestfailed', (request) =>
      seen.push(`${request.method()} ${new URL(request.url()).pathname} failed ${request.failure()?.errorText ?? ''}`),
    );
    page.on('crash', () => seen.push('page crashed'));
    await page.goto(url);
    await page.getByRole('button', { name: /^Open chat/ }).click();
    await held;
    const chat = chatFrame(page);
    const body = 'Typed while the chat was starting';
    await send(chat, body);
    t.is(await chat.getByRole('textbox', { name: 'Message' }).inputValue(), '', 'the box is emptied as for any send');
    releaseSettings();
    // Generous: on a loaded machine the first create (customer, then conversation through Temporal) may be refused
    // with Retry-After and resent. On failure, say what the widget shows (still pending, failed with a reason, a notice).
    await chat
      .locator('.msg.from-customer:not(.is-pending)', { hasText: body })
      .waitFor({ timeout: 60_000 })
      .catch(async (err: unknown) => {
        throw new Error(
          `${err instanceof Error ? err.message.split('\n')[0] : String(err)}; the widget: ${await describeChat(page)}; ` +
            `the page saw ${JSON.stringify(seen)}`,
        );
      });
    const atAgent = await ctx.inbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.body === body,
      'the message at the agent',
      20_000,
    );
    const conversation = await ctx.api.get(`/api/conversations/${atAgent.payload.conversation_id as string}`, ctx.agent.token);
    const messages = conversation.body.data.messages as Array<{ body: string }>;
    t.is(messages.filter((m) => m.body === body).length, 1, 'stored once');
  } finally {
    releaseSettings();
    await context.close();
  }
});
