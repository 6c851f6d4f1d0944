/**
 * The stored widget settings the loader and the chat page honour (issue #18), in headless
 * Chromium against the real stack, on a host site of another origin (`shop.test`), as in
 * widget.browser.test.ts: open by default on a first visit (and not after the visitor closed
 * it), the custom launcher icon and its fallback, the icon variant, the new-messages notice,
 * the chat page override (honoured on the gateway's origin or from the embed code, refused
 * when hostile), and base_url for the chat page's REST and socket calls. The embed code's
 * options win over the stored ones. Then the API's validation of these settings, and the
 * console's Chat widget section that edits them with a launcher preview.
 */
import { createServer, type Server } from 'node:http';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { Socket } from 'phoenix';
import { sql } from 'slonik';
import WebSocket from 'ws';
import { api, connectSocket, join, must, registerAccount, type Api, type JoinedChannel } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { addMember, assertStatus } from '../gateway/team.js';
import { openConsole, sessionFor } from '../ui/browser.js';
import { ensureUiBuilt } from '../ui/build.js';
import { ensureWidgetBuilt } from './build-widget.js';
import { typeAndSend } from './chat-frame.js';

type Agent = Awaited<ReturnType<typeof registerAccount>>;

interface HostSite {
  origin: string;
  evilOrigin: string;
  pages: Map<string, string>;
  /** Every request the site answered: `host path`. */
  hits: string[];
  server: Server;
}

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  site: HostSite;
  sockets: Socket[];
}

const test = anyTest as TestFn<Ctx>;
const HOST_NAME = 'shop.test';
const EVIL_NAME = 'evil.test';
/** A 1×1 PNG. */
const PIXEL_PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

test.before(async (t) => {
  const [stack] = await Promise.all([startStack(), ensureWidgetBuilt(), ensureUiBuilt()]);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-gpu',
      '--disable-component-update',
      '--no-first-run',
      `--host-resolver-rules=MAP ${HOST_NAME} 127.0.0.1, MAP ${EVIL_NAME} 127.0.0.1`,
    ],
  });
  const pages = new Map<string, string>();
  const hits: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    hits.push(`${req.headers.host?.split(':')[0]} ${path}`);
    const html = pages.get(path);
    res.writeHead(html ? 200 : 404, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html ?? 'not found');
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)),
  );
  const site = { origin: `http://${HOST_NAME}:${port}`, evilOrigin: `http://${EVIL_NAME}:${port}`, pages, hits, server };
  t.context = { stack, api: api(stack.baseUrl), browser, site, sockets: [] };
});

test.after.always(async (t) => {
  const { browser, site, sockets, stack } = t.context;
  await browser?.close();
  for (const s of sockets ?? []) s.disconnect();
  await new Promise<void>((resolve) => (site ? site.server.close(() => resolve()) : resolve()));
  await stack?.stop();
});

/** A host page embedding the widget with these script attributes; it records the widget's events. */
function addPage(t: { context: Ctx }, name: string, attrs: Record<string, string>): string {
  const attributes = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`)
    .join('');
  t.context.site.pages.set(
    name,
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
<script>
window.Netia = window.Netia || function () { (Netia.q = Netia.q || []).push(arguments); };
window.__events = [];
['ready', 'open', 'close', 'unread'].forEach(function (name) { Netia('on', name, function (p) { window.__events.push([name, p]); }); });
</script>
<script src="${t.context.stack.baseUrl}/widget.js"${attributes} async></script>
</head><body><h1>Shop</h1><button id="host-button">Buy</button></body></html>`,
  );
  return t.context.site.origin + name;
}

async function newAccount(t: { context: Ctx }, company: string, settings: Record<string, unknown>): Promise<Agent> {
  const agent = await registerAccount(t.context.api, company);
  if (Object.keys(settings).length > 0)
    await must(await t.context.api.put('/api/widget_settings', { widget_settings: settings }, agent.token), 'settings');
  return agent;
}

async function waitForReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__events.some((e: [string]) => e[0] === 'ready'), undefined, { timeout: 40_000 });
}

/** The launcher is shown once the settings are applied. */
async function launcherShown(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const box = document.querySelector('netia-chat-widget')?.shadowRoot?.querySelector('.netia');
      return box !== null && box !== undefined && !box.classList.contains('is-pending');
    },
    undefined,
    { timeout: 20_000 },
  );
}

/** Computed `display` of an element inside the widget's shadow root. */
function displayOf(page: Page, selector: string): Promise<string | null> {
  return page.evaluate((sel) => {
    const node = document.querySelector('netia-chat-widget')?.shadowRoot?.querySelector(sel);
    return node ? getComputedStyle(node).display : null;
  }, selector);
}

function iframeSrc(page: Page): Promise<string | null> {
  return page.locator('netia-chat-widget iframe').getAttribute('src');
}

async function withContext<T>(t: { context: Ctx }, fn: (context: BrowserContext, page: Page) => Promise<T>): Promise<T> {
  const context = await t.context.browser.newContext({ viewport: { width: 1000, height: 760 } });
  try {
    return await fn(context, await context.newPage());
  } finally {
    await context.close();
  }
}

test.serial(
  'open by default opens the panel on a first visit without taking focus; after the visitor closes it, it stays closed',
  async (t) => {
    const agent = await newAccount(t, 'Open Co', { is_open_by_default: true });
    const url = addPage(t, '/open', { 'data-token': agent.accountId });
    await withContext(t, async (_context, page) => {
      await page.goto(url);
      const panel = page.locator('netia-chat-widget .panel');
      await panel.waitFor({ state: 'visible' });
      t.is(await page.getByRole('button', { name: /^Close chat/ }).getAttribute('aria-expanded'), 'true');
      t.is(await page.evaluate(() => document.activeElement?.tagName), 'BODY', 'the host page keeps the focus');
      await waitForReady(page);

      await page.getByRole('button', { name: /^Close chat/ }).click();
      await panel.waitFor({ state: 'hidden' });
      await page.reload();
      await waitForReady(page);
      t.true(await panel.isHidden(), 'closed by the visitor: not opened again');
      t.is(await page.getByRole('button', { name: 'Open chat' }).getAttribute('aria-expanded'), 'false');

      // Opening it again forgets the close: the next page opens by itself once more.
      await page.getByRole('button', { name: 'Open chat' }).click();
      await page.reload();
      await panel.waitFor({ state: 'visible' });
    });
    // The embed code wins over the stored setting.
    const closedUrl = addPage(t, '/open-overridden', { 'data-token': agent.accountId, 'data-is-open-by-default': 'false' });
    await withContext(t, async (_context, page) => {
      await page.goto(closedUrl);
      await waitForReady(page);
      t.true(await page.locator('netia-chat-widget .panel').isHidden());
    });
    // Without the setting nothing opens by itself.
    const plain = await newAccount(t, 'Closed Co', {});
    await withContext(t, async (_context, page) => {
      await page.goto(addPage(t, '/not-open', { 'data-token': plain.accountId }));
      await waitForReady(page);
      t.true(await page.locator('netia-chat-widget .panel').isHidden());
    });
  },
);

test.serial('the custom launcher icon is shown with its alt text, and the default icon comes back when it fails to load', async (t) => {
  const agent = await newAccount(t, 'Icon Co', { custom_icon_url: 'https://cdn.icons.test/launcher.png', title: 'Icon Co help' });
  await withContext(t, async (context, page) => {
    await context.route('https://cdn.icons.test/**', (route) =>
      route.request().url().endsWith('/launcher.png')
        ? route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL_PNG })
        : route.fulfill({ status: 404, body: 'missing' }),
    );
    await page.goto(addPage(t, '/icon', { 'data-token': agent.accountId }));
    await launcherShown(page);
    const img = page.locator('netia-chat-widget .launcher img.icon');
    await img.waitFor();
    t.is(await img.getAttribute('src'), 'https://cdn.icons.test/launcher.png');
    t.is(await img.getAttribute('alt'), 'Icon Co help');
    t.is(await img.getAttribute('referrerpolicy'), 'no-referrer');
    await page.waitForFunction(() => {
      const i = document.querySelector('netia-chat-widget')!.shadowRoot!.querySelector<HTMLImageElement>('img.icon');
      return i !== null && i.complete && i.naturalWidth > 0;
    });
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'none', 'the default icon is replaced');
    t.is(await displayOf(page, '.launcher img.icon'), 'block');

    // An icon that does not load: the default icon instead.
    await page.goto(
      addPage(t, '/icon-broken', { 'data-token': agent.accountId, 'data-custom-icon-url': 'https://cdn.icons.test/gone.png' }),
    );
    await launcherShown(page);
    await page.waitForFunction(() => !document.querySelector('netia-chat-widget')!.shadowRoot!.querySelector('img.icon'));
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'block');

    // A javascript: icon from the embed code is refused outright (and no stored icon replaces it).
    await page.goto(addPage(t, '/icon-js', { 'data-token': agent.accountId, 'data-custom-icon-url': 'javascript:alert(1)' }));
    await launcherShown(page);
    t.is(await page.locator('netia-chat-widget img').count(), 0);
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'block');
  });
});

test.serial('the icon variant switches the launcher between the outlined and the filled icon; the embed code wins', async (t) => {
  const agent = await newAccount(t, 'Variant Co', { icon_variant: 'filled' });
  await withContext(t, async (_context, page) => {
    await page.goto(addPage(t, '/filled', { 'data-token': agent.accountId }));
    await launcherShown(page);
    t.is(await displayOf(page, '.launcher svg.i-filled'), 'block');
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'none');

    await page.goto(addPage(t, '/outlined', { 'data-token': agent.accountId, 'data-icon-variant': 'outlined' }));
    await launcherShown(page);
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'block');
    t.is(await displayOf(page, '.launcher svg.i-filled'), 'none');
  });
  // The original's default: outlined.
  const plain = await newAccount(t, 'Default Variant Co', {});
  await withContext(t, async (_context, page) => {
    await page.goto(addPage(t, '/default-variant', { 'data-token': plain.accountId }));
    await launcherShown(page);
    t.is(await displayOf(page, '.launcher svg.i-outlined'), 'block');
    t.is(await displayOf(page, '.launcher svg.i-filled'), 'none');
  });
});

test.serial('an agent message while the panel is closed shows the stored notification text; clicking it opens the chat', async (t) => {
  const { stack } = t.context;
  const agent = await newAccount(t, 'Notice Co', { new_messages_notification_text: 'Your answer is waiting' });
  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  t.context.sockets.push(agentSocket);
  const inbox: JoinedChannel = await join(agentSocket, `notification:${agent.accountId}`);
  await withContext(t, async (_context, page) => {
    await page.goto(addPage(t, '/notice', { 'data-token': agent.accountId }));
    await waitForReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const chat = page.frameLocator('netia-chat-widget iframe');
    const input = chat.getByRole('textbox', { name: 'Message' });
    await typeAndSend(input, 'Is my order on its way?');
    const shout = await inbox.events.waitFor(
      (e) => e.event === 'shout' && e.payload.body === 'Is my order on its way?',
      'visitor message',
      20_000,
    );
    await page.getByRole('button', { name: /^Close chat/ }).click();
    const notice = page.getByRole('button', { name: 'Your answer is waiting' });
    t.true(await notice.isHidden(), 'nothing to say before a message arrives');

    await inbox.push('shout', { conversation_id: shout.payload.conversation_id, body: 'Yes, it ships today.' });
    await notice.waitFor({ state: 'visible' });
    await page.getByRole('button', { name: 'Open chat, 1 unread message' }).waitFor();
    await notice.click();
    await chat.getByText('Yes, it ships today.').waitFor();
    await notice.waitFor({ state: 'hidden' });
    t.true(await page.locator('netia-chat-widget .panel').isVisible());
  });
});

test.serial('the embed code may point the widget at its own chat page; the bridge talks to that page and only to it', async (t) => {
  const { site } = t.context;
  const agent = await newAccount(t, 'Custom Page Co', {});
  // The site owner's own chat page, on the site's origin: it says it is ready and records what the loader sends it.
  site.pages.set(
    '/my-chat',
    `<!doctype html><html><head><meta charset="utf-8"><title>My chat</title><script>
window.__got = [];
var params = new URLSearchParams(location.search);
window.addEventListener('message', function (e) { if (e.source === parent) window.__got.push(e.data.msg); });
parent.postMessage({ netia: 1, msg: { type: 'ready', color: '#123456', title: 'Mine', needsStorage: false } }, params.get('origin'));
</script></head><body>My own chat</body></html>`,
  );
  const override = `${site.origin}/my-chat?theme=dark`;
  await withContext(t, async (_context, page) => {
    await page.goto(addPage(t, '/custom', { 'data-token': agent.accountId, 'data-iframe-url-override': override }));
    await waitForReady(page);
    const src = new URL((await iframeSrc(page))!);
    t.is(src.origin + src.pathname, `${site.origin}/my-chat`);
    t.is(src.searchParams.get('theme'), 'dark', "the override's own parameters are kept");
    t.is(src.searchParams.get('token'), agent.accountId);
    t.is(src.searchParams.get('origin'), site.origin);
    await page.evaluate(() => (window as any).Netia.open());
    const frame = page.frame({ url: /\/my-chat/ })!;
    await frame.waitForFunction(() => (window as any).__got.some((m: { type: string }) => m.type === 'open'));
    const types = await frame.evaluate(() => (window as any).__got.map((m: { type: string }) => m.type));
    t.true(types.includes('context'), 'the page address went to the framed page');
  });
});

test.serial(
  'a stored chat page override on the gateway is honoured; a hostile one is refused and the visitor stays on the real chat',
  async (t) => {
    const { stack, site } = t.context;
    const agent = await newAccount(t, 'Override Co', { iframe_url_override: `${stack.baseUrl}/chat/` });
    await withContext(t, async (_context, page) => {
      await page.goto(addPage(t, '/stored-override', { 'data-token': agent.accountId }));
      await waitForReady(page);
      t.true((await iframeSrc(page))!.startsWith(`${stack.baseUrl}/chat/?token=${agent.accountId}`));
    });

    // A stored override on another site (written before validation existed, or straight into the database): refused.
    site.pages.set(
      '/steal',
      `<!doctype html><script>parent.postMessage({ netia: 1, msg: { type: 'ready', color: '#000', title: 'x', needsStorage: true } }, '*');</script>`,
    );
    await stack.pool.query(
      sql.unsafe`UPDATE widget_settings SET iframe_url_override = ${`${site.evilOrigin}/steal`} WHERE account_id = ${agent.accountId}`,
    );
    // And in the embed code, a javascript: URL (it would run in the host page) is refused too.
    const attacks: Array<[string, Record<string, string>]> = [
      ['/hostile-stored', {}],
      ['/hostile-js', { 'data-iframe-url-override': 'javascript:parent.__pwned=1' }],
      ['/hostile-data', { 'data-iframe-url-override': 'data:text/html,<script>parent.postMessage(1,"*")</script>' }],
    ];
    for (const [name, attrs] of attacks) {
      await withContext(t, async (_context, page) => {
        await page.goto(addPage(t, name, { 'data-token': agent.accountId, 'data-test': '1', ...attrs }));
        await waitForReady(page);
        const src = (await iframeSrc(page))!;
        t.true(src.startsWith(`${stack.baseUrl}/chat?token=`), `${name}: the gateway's chat page (${src})`);
        t.is(await page.evaluate(() => (window as any).__pwned), undefined, name);
        // The real chat page works.
        await page.getByRole('button', { name: 'Open chat' }).click();
        await page.frameLocator('netia-chat-widget iframe').getByRole('textbox', { name: 'Message' }).waitFor();
      });
    }
    t.false(
      site.hits.some((hit) => hit.startsWith(EVIL_NAME)),
      `the hostile page was never loaded: ${site.hits.join(', ')}`,
    );
  },
);

test.serial("base_url sends the chat page's REST and socket calls through that path on the gateway", async (t) => {
  const { stack } = t.context;
  const prefix = '/edge';
  const agent = await newAccount(t, 'Edge Co', { base_url: `${stack.baseUrl}${prefix}` });
  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  t.context.sockets.push(agentSocket);
  const inbox = await join(agentSocket, `notification:${agent.accountId}`);
  await withContext(t, async (context, page) => {
    // A proxy under the prefix, as a deployment behind one would have: it records what passes and strips the prefix.
    const viaPrefix: string[] = [];
    const direct: string[] = [];
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === stack.baseUrl && url.pathname.startsWith('/api/') && !url.pathname.startsWith('/api/widget_settings')) {
        direct.push(url.pathname);
      }
    });
    await context.route(`${stack.baseUrl}${prefix}/**`, async (route) => {
      const url = new URL(route.request().url());
      viaPrefix.push(url.pathname);
      url.pathname = url.pathname.slice(prefix.length);
      await route.fulfill({ response: await route.fetch({ url: url.href }) });
    });
    const sockets: string[] = [];
    await context.routeWebSocket(new RegExp(`${prefix}/socket/websocket`), (ws) => {
      const url = new URL(ws.url());
      sockets.push(url.pathname);
      url.pathname = url.pathname.slice(prefix.length);
      const upstream = new WebSocket(url.href);
      const early: string[] = [];
      upstream.on('open', () => early.splice(0).forEach((m) => upstream.send(m)));
      upstream.on('message', (data: Buffer) => ws.send(data.toString('utf8')));
      upstream.on('close', () => void ws.close());
      ws.onMessage((m) => (upstream.readyState === WebSocket.OPEN ? upstream.send(String(m)) : early.push(String(m))));
      ws.onClose(() => {
        upstream.close();
      });
    });
    await page.goto(addPage(t, '/edge', { 'data-token': agent.accountId }));
    await waitForReady(page);
    await page.getByRole('button', { name: 'Open chat' }).click();
    const input = page.frameLocator('netia-chat-widget iframe').getByRole('textbox', { name: 'Message' });
    await typeAndSend(input, 'Through the edge');
    await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.body === 'Through the edge', 'message through the prefix', 20_000);
    t.true(viaPrefix.includes(`${prefix}/api/customers`), viaPrefix.join(', '));
    t.true(sockets.length > 0 && sockets.every((p) => p === `${prefix}/socket/websocket`), sockets.join(', '));
    t.deepEqual(direct, [], 'no visitor call bypassed base_url');
  });
});

test.serial('the API validates the widget URLs and the notice text; only admins change the URLs', async (t) => {
  const { stack, api: http } = t.context;
  const admin = await registerAccount(http, 'Validation Co');
  const host = new URL(stack.baseUrl).host;
  const put = (settings: Record<string, unknown>, token = admin.token) =>
    http.put('/api/widget_settings', { widget_settings: settings }, token);
  const refused: Array<[string, Record<string, unknown>]> = [
    ['javascript: icon', { custom_icon_url: 'javascript:alert(1)' }],
    ['data: icon', { custom_icon_url: 'data:image/svg+xml,<svg onload=alert(1)>' }],
    ['plain http icon elsewhere', { custom_icon_url: 'http://cdn.example.com/icon.png' }],
    ['icon with credentials', { custom_icon_url: 'https://user:secret@cdn.example.com/icon.png' }],
    ['javascript: chat page', { iframe_url_override: 'javascript:alert(1)' }],
    ['chat page on another site', { iframe_url_override: 'https://evil.example.com/chat' }],
    ['base_url on another site', { base_url: 'https://evil.example.com' }],
    ['javascript: base_url', { base_url: 'javascript://x' }],
    ['unknown variant', { icon_variant: 'sparkly' }],
    ['notice too long', { new_messages_notification_text: 'x'.repeat(121) }],
  ];
  for (const [label, body] of refused) {
    const res = await put(body);
    assertStatus(t, res, 422, label);
    t.truthy(res.body.error.errors?.[Object.keys(body)[0]!], `${label}: the field is named`);
  }
  const accepted = await put({
    custom_icon_url: 'https://cdn.example.com/icon.png',
    iframe_url_override: `http://${host}/chat/`,
    base_url: `http://${host}/edge`,
    icon_variant: 'filled',
    is_open_by_default: true,
    new_messages_notification_text: 'New reply',
  });
  assertStatus(t, accepted, 200, 'valid settings');
  t.like(accepted.body.data, { custom_icon_url: 'https://cdn.example.com/icon.png', icon_variant: 'filled', is_open_by_default: true });
  // An icon on this server may be plain http (a local deployment); '' clears a URL.
  assertStatus(t, await put({ custom_icon_url: `http://${host}/icon.png` }), 200, 'icon on this server');
  const cleared = await put({ custom_icon_url: '', iframe_url_override: null });
  t.like(cleared.body.data, { custom_icon_url: null, iframe_url_override: null });

  // Visitors see them.
  const visible = await http.get(`/api/widget_settings?account_id=${admin.accountId}`);
  t.like(visible.body.data, { base_url: `http://${host}/edge`, new_messages_notification_text: 'New reply', is_open_by_default: true });

  // An agent who is not an admin edits texts, not URLs.
  const member = await addMember(stack, admin.accountId, 'user');
  assertStatus(t, await put({ custom_icon_url: 'https://cdn.example.com/other.png' }, member.token), 403, 'agent sets an icon');
  assertStatus(t, await put({ base_url: null }, member.token), 403, 'agent clears base_url');
  assertStatus(t, await put({ new_messages_notification_text: 'Agent text' }, member.token), 200, 'agent sets a text');
  assertStatus(t, await http.put('/api/widget_settings', { widget_settings: { is_open_by_default: true } }), 401, 'anonymous');
  const after = await http.get(`/api/widget_settings?account_id=${admin.accountId}`);
  t.like(after.body.data, { base_url: `http://${host}/edge`, new_messages_notification_text: 'Agent text' });
});

test.serial("the console's Chat widget section edits each setting, checks the URLs before saving and previews the launcher", async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Console Widget Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await context.route('https://cdn.icons.test/**', (route) => route.fulfill({ status: 200, contentType: 'image/png', body: PIXEL_PNG }));
    await page.goto('/settings/widget');
    const preview = page.getByTestId('launcher-preview');
    await preview.waitFor();
    t.is(await preview.getByRole('img').getAttribute('aria-label'), 'Launcher preview: outlined icon');
    t.true((await preview.textContent())!.includes('View new messages'));

    await page.getByLabel("Open the chat on a visitor's first visit (until they close it)").check();
    await page.getByRole('radio', { name: 'Filled' }).check();
    t.is(await preview.getByRole('img').getAttribute('aria-label'), 'Launcher preview: filled icon');
    await page.getByLabel('New messages notice').fill('A reply is waiting');
    t.true((await preview.textContent())!.includes('A reply is waiting'));

    // A plain-http icon elsewhere is flagged at its field and nothing is saved.
    const icon = page.getByLabel('Custom launcher icon (image URL)');
    await icon.fill('http://cdn.example.com/icon.png');
    t.is(await icon.getAttribute('aria-invalid'), 'true');
    await page.locator('#w-custom_icon_url-error', { hasText: 'Use an https:// address' }).waitFor();
    const chatPage = page.getByLabel('Chat page override');
    await chatPage.fill('https://evil.example.com/chat');
    await page.locator('#w-iframe_url_override-error', { hasText: 'Must be on this server' }).waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    t.is((await http.get(`/api/widget_settings?account_id=${admin.accountId}`)).body.data.is_open_by_default, false, 'not saved');

    await icon.fill('https://cdn.icons.test/launcher.png');
    await chatPage.fill('');
    await page.getByLabel('API base URL').fill(`${stack.baseUrl}/edge`);
    t.is(await icon.getAttribute('aria-invalid'), null);
    await preview.locator('img[src="https://cdn.icons.test/launcher.png"]').waitFor();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = (await http.get(`/api/widget_settings?account_id=${admin.accountId}`)).body.data;
    t.like(saved, {
      is_open_by_default: true,
      icon_variant: 'filled',
      new_messages_notification_text: 'A reply is waiting',
      custom_icon_url: 'https://cdn.icons.test/launcher.png',
      iframe_url_override: null,
      base_url: `${stack.baseUrl}/edge`,
    });

    // On a phone-sized screen the fields stay reachable.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByLabel('API base URL').scrollIntoViewIfNeeded();
    t.true(await page.getByLabel('API base URL').isVisible());
  } finally {
    await context.close();
  }
  t.deepEqual(errors, []);

  // An agent who is not an admin sees the URL fields but cannot change them.
  const member = await addMember(stack, admin.accountId, 'user');
  const other = await openConsole(browser, stack.baseUrl, await sessionFor(http, member.email, member.password));
  try {
    await other.page.goto('/settings/widget');
    await other.page.getByText('Only admins can change the icon image and the URLs.').waitFor();
    t.true(await other.page.getByLabel('Custom launcher icon (image URL)').isDisabled());
    await other.page.getByLabel('New messages notice').fill('From an agent');
    await other.page.getByRole('button', { name: 'Save' }).click();
    await other.page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    t.like((await http.get(`/api/widget_settings?account_id=${admin.accountId}`)).body.data, {
      new_messages_notification_text: 'From an agent',
      custom_icon_url: 'https://cdn.icons.test/launcher.png',
    });
  } finally {
    await other.context.close();
  }
});
