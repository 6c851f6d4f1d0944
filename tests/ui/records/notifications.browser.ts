/**
 * "Being told" in headless Chromium against the real stack (issue #17 item 5):
 *  1. with the notification permission granted, a customer message shows a
 *     desktop notification (window.Notification is spied on), the tab title
 *     counts it ("(1) Netia"), clicking the notification opens the
 *     conversation and clears the count; Settings → Notifications persists
 *     across a reload, and with notifications off nothing is shown;
 *  2. without the permission, Settings explains and asks only from a button;
 *     refused, it explains the denied state;
 *  3. the PWA: the manifest and its icons load, the service worker controls
 *     the console at the root scope, and a push delivered to it (CDP
 *     `ServiceWorker.deliverPushMessage`) shows a notification with the
 *     payload's title and tag while no console tab is open;
 *  4. the main screens at 360 px wide do not overflow sideways (screenshots
 *     docs/screenshots/mobile-*.png).
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { registerAccount, type Api } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { openConsole, sessionFor, shot, consoleSuite, type ConsoleSuite } from '../browser.js';

const test = consoleSuite();
type Ctx = ConsoleSuite;

/**
 * Records every `new Notification(...)` of the page (the real one still runs). A string, not a
 * function: the test runner's transpiler would put helpers into a serialized function.
 */
const SPY_ON_NOTIFICATIONS = `(() => {
  const Original = window.Notification;
  const shown = [];
  window.__notifications = shown;
  window.Notification = class extends Original {
    constructor(title, options) {
      super(title, options);
      shown.push({ title, options, instance: this });
    }
  };
})();`;

async function signedIn(t: ExecutionContext<Ctx>, company: string) {
  const agent = await registerAccount(t.context.api, company);
  return { agent, session: await sessionFor(t.context.api, agent.email, agent.password) };
}

async function customerWrites(http: Api, accountId: string, body: string): Promise<string> {
  const customer = (
    await http.post('/api/customers', { customer: { account_id: accountId, name: 'Casey Jones', email: 'casey@example.com' } })
  ).body.data;
  const created = await http.post('/api/conversations', {
    conversation: { account_id: accountId, customer_id: customer.id },
    message: { body },
  });
  if (created.status !== 201) throw new Error(`conversation: ${created.status}`);
  return created.body.data.id as string;
}

const notificationCount = (page: Page): Promise<number> =>
  page.evaluate(() => (window as unknown as { __notifications: unknown[] }).__notifications.length);

test.serial('a customer message shows a desktop notification and counts in the title; settings persist', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, session } = await signedIn(t, 'Told Co');
  const { context, page, errors } = await openConsole(t.context.browser, stack.baseUrl, session);
  try {
    await context.grantPermissions(['notifications'], { origin: stack.baseUrl });
    await context.addInitScript(SPY_ON_NOTIFICATIONS);
    const settingsLoaded = page.waitForResponse((r) => r.url().endsWith('/api/user_settings') && r.request().method() === 'GET');
    await page.goto('/inbox/open');
    await page.getByTestId('list-empty').waitFor();
    await settingsLoaded;
    t.is(await page.title(), 'Open · Netia');

    const conversationId = await customerWrites(http, agent.accountId, 'My parcel never arrived');
    await page.waitForFunction(() => (window as unknown as { __notifications: unknown[] }).__notifications.length === 1, null, {
      timeout: 15_000,
    });
    const shown = await page.evaluate(() => {
      const n = (window as unknown as { __notifications: Array<{ title: string; options?: NotificationOptions }> }).__notifications[0]!;
      return { title: n.title, body: n.options?.body, tag: n.options?.tag };
    });
    t.is(shown.title, 'New conversation from Casey Jones');
    t.is(shown.body, 'My parcel never arrived');
    t.regex(shown.tag ?? '', /^netia-message-/);
    await page.waitForFunction(() => document.title === '(1) Open · Netia');

    // A click on the notification opens the conversation; the count clears.
    await page.evaluate(() => {
      const n = (window as unknown as { __notifications: Array<{ instance: Notification }> }).__notifications[0]!.instance;
      n.onclick?.(new Event('click'));
    });
    await page.waitForURL(`**/inbox/open/${conversationId}`);
    await page.waitForFunction(() => !document.title.startsWith('('));

    // Settings → Notifications: the permission is granted; turn notifications off, on with sound; it persists across a reload.
    await page.goto('/settings/notifications');
    await page.getByTestId('notification-permission').waitFor();
    t.is(await page.getByTestId('notification-permission').getAttribute('data-state'), 'granted');
    const desktop = page.getByLabel('Show desktop notifications (and push to my devices)');
    t.true(await desktop.isChecked());
    await page.getByLabel('Teammates mentioning me in a private note').uncheck();
    await desktop.uncheck();
    await page.getByRole('button', { name: 'Save preferences' }).click();
    await page.getByTestId('notifications-status').getByText('Notification preferences saved.').waitFor();
    await page.reload();
    await page.getByLabel('Show desktop notifications (and push to my devices)').waitFor();
    t.false(await page.getByLabel('Show desktop notifications (and push to my devices)').isChecked(), 'off after a reload');
    t.false(await page.getByLabel('Teammates mentioning me in a private note').isChecked());
    t.true(await page.getByLabel('New conversations').isDisabled(), 'events are moot with notifications off');
    // SLA emails (docs/sla.md): on by default, saved as soon as the box is toggled.
    const slaEmails = page.getByLabel('Email me SLA warnings and breaches');
    t.true(await slaEmails.isChecked(), 'SLA emails are on by default');
    await slaEmails.uncheck();
    await page.getByTestId('sla-alerts-status').getByText('SLA emails are off.').waitFor();
    const stored = await http.get('/api/user_settings', agent.token);
    t.like(stored.body.data, {
      desktop_notifications: false,
      notify_on_mention: false,
      notify_on_new_message: true,
      email_alert_on_sla: false,
    });
    await page.screenshot({ path: shot('settings-notifications'), fullPage: true });

    // Off: a customer message shows nothing (it still arrives in the inbox).
    await page.goto('/inbox/open');
    const quietId = await customerWrites(http, agent.accountId, 'Hello again');
    await page.locator(`.conv-row[data-conversation-id="${quietId}"]`).waitFor({ timeout: 15_000 });
    t.is(await notificationCount(page), 0);
    t.is(await page.title(), 'Open · Netia');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('a teammate’s note mentioning me shows a desktop notification; a note without me does not', async (t) => {
  const { stack, api: http } = t.context;
  const { agent: ada } = await signedIn(t, 'Mention Alert Co');
  const bea = await addMember(stack, ada.accountId);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Ada' } }, ada.token)).status, 200);
  const conversationId = await customerWrites(http, ada.accountId, 'Can someone help?');
  const { context, page, errors } = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, bea.email, bea.password));
  try {
    await context.grantPermissions(['notifications'], { origin: stack.baseUrl });
    await context.addInitScript(SPY_ON_NOTIFICATIONS);
    await page.goto('/inbox/open');
    await page.locator(`.conv-row[data-conversation-id="${conversationId}"]`).waitFor();
    const note = (body: string, mentioned: number[], token: string) =>
      http.post(
        '/api/messages',
        { message: { conversation_id: conversationId, body, type: 'note', mentioned_user_ids: mentioned } },
        token,
      );
    t.is((await note('Looking into it', [], ada.token)).status, 201, 'a note without mentions');
    t.is((await note('@Bea can you take this?', [bea.id], ada.token)).status, 201, 'a note mentioning Bea');
    await page.waitForFunction(() => (window as unknown as { __notifications: unknown[] }).__notifications.length >= 1, null, {
      timeout: 15_000,
    });
    // The note without a mention reached Bea first (one conversation's shouts arrive in seq order) and showed nothing.
    const shown = await page.evaluate(() =>
      (window as unknown as { __notifications: Array<{ title: string; options?: NotificationOptions }> }).__notifications.map((n) => ({
        title: n.title,
        body: n.options?.body,
      })),
    );
    t.is(shown.length, 1, 'one notification: the mention');
    t.regex(shown[0]!.title, /Ada mentioned you/);
    t.regex(shown[0]!.body ?? '', /can you take this/);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('without permission, Settings explains, asks only from a button, and explains a refusal', async (t) => {
  const { stack } = t.context;
  const { session } = await signedIn(t, 'Ask Co');
  const { context, page } = await openConsole(t.context.browser, stack.baseUrl, session);
  try {
    await page.goto('/settings/notifications');
    const panel = page.getByTestId('notification-permission');
    await panel.waitFor();
    t.is(await panel.getAttribute('data-state'), 'default', 'nothing asked on load');
    await panel.getByText(/has not been asked yet/).waitFor();
    await panel.getByRole('button', { name: 'Allow notifications in this browser' }).click();
    // Headless Chromium without a grant answers the request with a refusal.
    await page.waitForFunction(
      () => document.querySelector('[data-testid="notification-permission"]')?.getAttribute('data-state') !== 'default',
    );
    t.is(await panel.getAttribute('data-state'), 'denied');
    await panel.getByText(/blocks notifications from Netia/).waitFor();
    t.is(await panel.getByRole('button').count(), 0, 'asked once: no button any more');
  } finally {
    await context.close();
  }
});

test.serial('the PWA: manifest, icons, a service worker at the root scope that shows a push', async (t) => {
  const { stack } = t.context;
  const { session } = await signedIn(t, 'Pwa Co');
  const { context, page } = await openConsole(t.context.browser, stack.baseUrl, session);
  try {
    await context.grantPermissions(['notifications'], { origin: stack.baseUrl });
    await page.goto('/inbox/open');
    await page.getByTestId('list-empty').waitFor();
    const manifestHref = await page.locator('link[rel="manifest"]').getAttribute('href');
    const manifest = await page.evaluate(async (href) => (await fetch(href!)).json(), manifestHref);
    t.like(manifest, {
      name: 'Netia console',
      short_name: 'Netia',
      display: 'standalone',
      start_url: '/inbox/open',
      theme_color: '#2454d6',
    });
    for (const icon of manifest.icons as Array<{ src: string; type: string }>) {
      const res = await page.request.get(icon.src);
      t.is(res.status(), 200, icon.src);
      t.is(res.headers()['content-type'], icon.type, icon.src);
    }
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    t.is(scope, `${stack.baseUrl}/`);

    const cdp = await context.newCDPSession(page);
    const registrations = new Promise<string>((resolve) => {
      cdp.on(
        'ServiceWorker.workerRegistrationUpdated',
        (e: { registrations: Array<{ registrationId: string; scopeURL: string; isDeleted: boolean }> }) => {
          const r = e.registrations.find((x) => x.scopeURL === `${stack.baseUrl}/` && !x.isDeleted);
          if (r) resolve(r.registrationId);
        },
      );
    });
    await cdp.send('ServiceWorker.enable');
    const registrationId = await registrations;
    // No console tab open: leave the origin, then the push arrives.
    await page.goto('about:blank');
    const payload = {
      kind: 'new_message',
      title: 'New message from Casey',
      body: 'Any news?',
      tag: 'netia-message-test',
      url: '/inbox/open/abc',
    };
    await cdp.send('ServiceWorker.deliverPushMessage', { origin: stack.baseUrl, registrationId, data: JSON.stringify(payload) });
    const probe = await context.newPage();
    await probe.goto(`${stack.baseUrl}/manifest.webmanifest`);
    const notifications = await probe.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration('/');
      for (let i = 0; i < 100; i++) {
        const list = (await registration?.getNotifications()) ?? [];
        if (list.length > 0) return list.map((n) => ({ title: n.title, body: n.body, tag: n.tag, data: n.data as unknown }));
        await new Promise((r) => requestAnimationFrame(r));
      }
      return [];
    });
    t.deepEqual(notifications, [
      { title: 'New message from Casey', body: 'Any news?', tag: 'netia-message-test', data: { url: '/inbox/open/abc' } },
    ]);
  } finally {
    await context.close();
  }
});

test.serial('a push subscription the browser replaces (pushsubscriptionchange) is registered by the open console tab', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, session } = await signedIn(t, 'Rotate Co');
  const { context, page } = await openConsole(t.context.browser, stack.baseUrl, session);
  try {
    await page.goto('/inbox/open');
    await page.getByTestId('list-empty').waitFor();
    await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    const worker =
      context.serviceWorkers().find((w) => w.url() === `${stack.baseUrl}/sw.js`) ?? (await context.waitForEvent('serviceworker'));
    const endpoint = 'https://fcm.googleapis.com/fcm/send/rotated-by-the-browser';
    t.false((await http.get('/api/push_subscriptions', agent.token)).body.data.some((s: { endpoint: string }) => s.endpoint === endpoint));
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/push_subscriptions');
    // The event as the browser fires it, with the new subscription (headless Chromium has no push service to rotate one).
    // A string script: tsx's __name helper does not exist in the worker.
    await worker.evaluate(`(() => {
      const event = new ExtendableEvent('pushsubscriptionchange');
      const subscription = { toJSON() { return { endpoint: ${JSON.stringify(endpoint)}, keys: { p256dh: 'BAAA', auth: 'AAAA' } }; } };
      Object.defineProperty(event, 'newSubscription', { value: subscription });
      self.dispatchEvent(event);
    })()`);
    t.true((await posted).ok(), 'the console posted the new subscription');
    t.true(
      (await http.get('/api/push_subscriptions', agent.token)).body.data.some((s: { endpoint: string }) => s.endpoint === endpoint),
      'registered for this agent',
    );
  } finally {
    await context.close();
  }
});

test.serial('the main screens fit 360 px', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, session } = await signedIn(t, 'Narrow Co');
  const conversationId = await customerWrites(http, agent.accountId, 'A fairly long first message to see how the row wraps on a phone');
  const context = await t.context.browser.newContext({
    viewport: { width: 360, height: 740 },
    baseURL: stack.baseUrl,
    isMobile: true,
    hasTouch: true,
  });
  await context.addInitScript((s) => window.localStorage.setItem('netia.session', s), JSON.stringify(session));
  const page = await context.newPage();
  try {
    const screens: Array<[string, string, () => Promise<unknown>]> = [
      ['inbox', '/inbox/open', () => page.locator(`.conv-row[data-conversation-id="${conversationId}"]`).waitFor({ timeout: 15_000 })],
      ['conversation', `/inbox/open/${conversationId}`, () => page.getByTestId('messages').locator('li').first().waitFor()],
      ['settings-notifications', '/settings/notifications', () => page.getByTestId('notification-permission').waitFor()],
      ['settings', '/settings', () => page.locator('.settings-section').first().waitFor()],
      ['reporting', '/reporting', () => page.locator('main h1').first().waitFor()],
    ];
    for (const [name, url, ready] of screens) {
      await page.goto(url);
      await ready();
      const overflow = await page.evaluate(() => {
        const width = document.documentElement.clientWidth;
        const wide = [...document.querySelectorAll<HTMLElement>('body *')]
          .filter(
            (el) =>
              el.getBoundingClientRect().right > width + 1 &&
              el.getClientRects().length > 0 &&
              getComputedStyle(el).visibility !== 'hidden',
          )
          // Off-canvas panels, and what scrolls inside its own box (the settings tabs), do not widen the page.
          .filter((el) => !el.closest('.sidebar, .customer-panel'))
          .filter((el) => {
            for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
              if (
                ['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX) &&
                p.getBoundingClientRect().right <= width + 1
              )
                return false;
            }
            return true;
          })
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}.${el.className}`);
        return { scroll: document.documentElement.scrollWidth, width, wide };
      });
      t.true(overflow.scroll <= overflow.width, `${name}: page ${overflow.scroll} px wide in ${overflow.width} px`);
      t.deepEqual(overflow.wide, [], `${name}: nothing sticks out`);
      await page.screenshot({ path: shot(`mobile-${name}`) });
    }
  } finally {
    await context.close();
  }
});
