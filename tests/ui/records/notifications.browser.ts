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
 *  4. the sound: turned on and off by keyboard in Settings → Notifications,
 *     stored and kept after a reload; with it on a customer message starts the
 *     chime (spied on in the page), with it off the notification is silent;
 *  5. the main screens at 360 px wide (inbox, conversation, the saved-replies
 *     picker, Mentions, issues, an issue, companies, settings: notifications,
 *     tags, saved replies; reporting) do not overflow sideways, checked
 *     element by element and box by box (screenshots docs/screenshots/mobile-*.png).
 */
import type { ExecutionContext } from 'ava';
import type { Page } from 'playwright-core';
import { registerAccount, type Api } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { openConsole, sessionFor, shot, consoleSuite, tabTo, type ConsoleSuite } from '../browser.js';

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

/**
 * Records every sound the page starts: an `<audio>` played, or a Web Audio source started (the console's chime is
 * generated with an oscillator, lib/notifications.ts). A string, like SPY_ON_NOTIFICATIONS.
 */
const SPY_ON_SOUND = `(() => {
  const sounds = [];
  window.__sounds = sounds;
  const play = HTMLAudioElement.prototype.play;
  HTMLAudioElement.prototype.play = function (...args) {
    sounds.push('audio');
    return play.apply(this, args);
  };
  const start = AudioScheduledSourceNode.prototype.start;
  AudioScheduledSourceNode.prototype.start = function (...args) {
    sounds.push('tone');
    return start.apply(this, args);
  };
})();`;

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

test.serial(
  'sound: turned on by keyboard in Settings → Notifications, stored, kept after a reload; a customer message plays it, and not once it is off',
  async (t) => {
    const { stack, api: http } = t.context;
    const { agent, session } = await signedIn(t, 'Chime Co');
    const { context, page, errors } = await openConsole(t.context.browser, stack.baseUrl, session);
    const sounds = (): Promise<number> => page.evaluate<number>('window.__sounds.length');
    try {
      await context.grantPermissions(['notifications'], { origin: stack.baseUrl });
      await context.addInitScript(SPY_ON_NOTIFICATIONS);
      await context.addInitScript(SPY_ON_SOUND);
      t.false((await http.get('/api/user_settings', agent.token)).body.data.notification_sound, 'off by default');

      // By keyboard only: Tab to the box, Space ticks it, Tab to "Save preferences", Enter.
      await page.goto('/settings/notifications');
      const sound = page.getByLabel('Play a short sound with each notification');
      await sound.waitFor();
      t.false(await sound.isChecked());
      await tabTo(page, sound);
      await page.keyboard.press('Space');
      t.true(await sound.isChecked());
      await page.getByTestId('unsaved').waitFor();
      await tabTo(page, page.getByRole('button', { name: 'Save preferences' }));
      await page.keyboard.press('Enter');
      await page.getByTestId('notifications-status').getByText('Notification preferences saved.').waitFor();
      t.true((await http.get('/api/user_settings', agent.token)).body.data.notification_sound, 'stored');
      await page.reload();
      await sound.waitFor();
      t.true(await sound.isChecked(), 'on after a reload');

      // On: a customer message plays the chime (on the inbox, not looking at that conversation).
      const settingsLoaded = page.waitForResponse((r) => r.url().endsWith('/api/user_settings') && r.request().method() === 'GET');
      await page.goto('/inbox/open');
      await page.getByTestId('list-empty').waitFor();
      await settingsLoaded;
      t.is(await sounds(), 0, 'nothing before the message');
      await customerWrites(http, agent.accountId, 'Is anyone there?');
      await page.waitForFunction('window.__notifications.length === 1', null, { timeout: 15_000 });
      await page.waitForFunction('window.__sounds.length > 0');
      t.true((await sounds()) > 0, 'the chime played');

      // Off (by keyboard again): the next message shows its notification, silently.
      await page.goto('/settings/notifications');
      await sound.waitFor();
      t.true(await sound.isChecked());
      await tabTo(page, sound);
      await page.keyboard.press('Space');
      await tabTo(page, page.getByRole('button', { name: 'Save preferences' }));
      await page.keyboard.press('Enter');
      await page.getByTestId('notifications-status').getByText('Notification preferences saved.').waitFor();
      t.false((await http.get('/api/user_settings', agent.token)).body.data.notification_sound, 'stored off');
      const loadedAgain = page.waitForResponse((r) => r.url().endsWith('/api/user_settings') && r.request().method() === 'GET');
      await page.goto('/inbox/open');
      await page.locator('.conv-row').first().waitFor();
      await loadedAgain;
      await customerWrites(http, agent.accountId, 'Hello again, quietly');
      await page.waitForFunction('window.__notifications.length === 1', null, { timeout: 15_000 });
      t.is(await sounds(), 0, 'no sound with the notification');
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);

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

/**
 * What sticks out sideways at the page's width (a string script: see SPY_ON_NOTIFICATIONS):
 * - `scroll`: the document's own width;
 * - `wide`: visible elements past the right edge, unless a box meant to scroll sideways (the settings tabs, a
 *   table's wrapper, a code block) or an element that clips on purpose (an ellipsis) holds them and fits; the
 *   console's frame (`.main`, `.settings`) clipping them does not count, as that cuts content off;
 * - `scrolling`: boxes that scroll sideways other than those meant to (a page's column that scrolls down would
 *   otherwise hide a too-wide child behind its own horizontal scroll).
 * Off-canvas panels (the sidebar, the customer panel) are left out.
 */
const SIDEWAYS = `(() => {
  const width = document.documentElement.clientWidth;
  const SCROLLERS = '.settings-nav, .table-wrap, .snippet, pre';
  const FRAME = '.main, .settings, .console, body, html';
  const OFF_CANVAS = '.sidebar, .customer-panel, .visually-hidden';
  const shown = (el) => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden' && !el.closest(OFF_CANVAS);
  const name = (el) => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + (el.id ? '#' + el.id : '');
  const held = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (p.getBoundingClientRect().right > width + 1) continue;
      const x = getComputedStyle(p).overflowX;
      if (p.matches(SCROLLERS)) return true;
      if ((x === 'hidden' || x === 'clip') && !p.matches(FRAME)) return true;
    }
    return false;
  };
  const all = [...document.querySelectorAll('body *')].filter(shown);
  const wide = all.filter((el) => el.getBoundingClientRect().right > width + 1 && !held(el)).slice(0, 5).map(name);
  const scrolling = all
    .filter((el) => !el.matches(SCROLLERS) && ['auto', 'scroll'].includes(getComputedStyle(el).overflowX) && el.scrollWidth > el.clientWidth + 1)
    .slice(0, 5)
    .map((el) => name(el) + ' ' + el.scrollWidth + '/' + el.clientWidth);
  return { scroll: document.documentElement.scrollWidth, width, wide, scrolling };
})()`;

test.serial('the main screens fit 360 px', async (t) => {
  const { stack, api: http } = t.context;
  const { agent, session } = await signedIn(t, 'Narrow Co');
  const conversationId = await customerWrites(http, agent.accountId, 'A fairly long first message to see how the row wraps on a phone');
  // Something on every screen: an issue, a company, a tag, a saved reply, and a teammate's note mentioning the agent.
  const issue = (
    await http.post('/api/issues', { issue: { title: 'Checkout button hidden behind the cookie banner on phones' } }, agent.token)
  ).body.data;
  t.is(
    (
      await http.post(
        '/api/companies',
        { company: { name: 'Narrow Gauge Railways Ltd', website_url: 'https://narrow.example' } },
        agent.token,
      )
    ).status,
    201,
  );
  t.is((await http.post('/api/tags', { tag: { name: 'needs-a-callback-before-friday', color: '#2563eb' } }, agent.token)).status, 201);
  t.is(
    (
      await http.post(
        '/api/canned_responses',
        {
          canned_response: {
            name: 'refund',
            content: 'Hi {{customer.name}}, your refund is on its way and should arrive within five working days.',
          },
        },
        agent.token,
      )
    ).status,
    201,
  );
  const mate = await addMember(stack, agent.accountId);
  t.is(
    (
      await http.post(
        '/api/messages',
        {
          message: { conversation_id: conversationId, body: 'Can you look at this one?', type: 'note', mentioned_user_ids: [agent.userId] },
        },
        mate.token,
      )
    ).status,
    201,
  );
  const context = await t.context.browser.newContext({
    viewport: { width: 360, height: 740 },
    baseURL: stack.baseUrl,
    isMobile: true,
    hasTouch: true,
  });
  await context.addInitScript((s) => window.localStorage.setItem('netia.session', s), JSON.stringify(session));
  const page = await context.newPage();
  try {
    const row = page.locator(`.conv-row[data-conversation-id="${conversationId}"]`);
    const screens: Array<[string, string, () => Promise<unknown>]> = [
      ['inbox', '/inbox/open', () => row.waitFor({ timeout: 15_000 })],
      ['conversation', `/inbox/open/${conversationId}`, () => page.getByTestId('messages').locator('li').first().waitFor()],
      [
        'saved-replies-picker',
        `/inbox/open/${conversationId}`,
        async () => {
          const reply = page.getByLabel('Reply to the customer');
          await page.getByTestId('messages').locator('li').first().waitFor();
          await reply.fill('/ref');
          await page.getByRole('option', { name: /\/refund/ }).waitFor();
          await page.getByTestId('saved-reply-preview').waitFor();
        },
      ],
      ['mentions', '/inbox/mentions', () => row.waitFor({ timeout: 15_000 })],
      ['issues', '/issues', () => page.getByTestId('issues-list').getByRole('link').first().waitFor()],
      ['issue', `/issues/${issue.id}`, () => page.getByRole('heading', { level: 1, name: issue.title }).waitFor()],
      ['companies', '/companies', () => page.getByTestId('companies-list').getByRole('link').first().waitFor()],
      ['settings-notifications', '/settings/notifications', () => page.getByTestId('notification-permission').waitFor()],
      ['settings-tags', '/settings/tags', () => page.getByTestId('tag-rows').locator('li').first().waitFor()],
      ['settings-saved-replies', '/settings/saved-replies', () => page.getByTestId('saved-replies').locator('li').first().waitFor()],
      ['settings', '/settings', () => page.locator('.settings-section').first().waitFor()],
      ['reporting', '/reporting', () => page.locator('main h1').first().waitFor()],
    ];
    for (const [name, url, ready] of screens) {
      await page.goto(url);
      await ready();
      const overflow = await page.evaluate<{ scroll: number; width: number; wide: string[]; scrolling: string[] }>(SIDEWAYS);
      t.true(overflow.scroll <= overflow.width, `${name}: page ${overflow.scroll} px wide in ${overflow.width} px`);
      t.deepEqual(overflow.wide, [], `${name}: nothing sticks out`);
      t.deepEqual(overflow.scrolling, [], `${name}: nothing scrolls sideways`);
      await page.screenshot({ path: shot(`mobile-${name}`) });
    }

    // The check catches what it is for: a box too wide for a page's column that scrolls down.
    await page.goto('/issues');
    await page.getByTestId('issues-list').getByRole('link').first().waitFor();
    await page.evaluate(
      `document.querySelector('.people-columns').insertAdjacentHTML('afterbegin', '<div id="too-wide" style="width: 600px">x</div>')`,
    );
    const caught = await page.evaluate<{ wide: string[]; scrolling: string[] }>(SIDEWAYS);
    t.true(caught.wide.includes('div#too-wide'), `caught: ${JSON.stringify(caught)}`);
    t.true(
      caught.scrolling.some((s) => s.startsWith('div.people-page')),
      `the column scrolls sideways: ${JSON.stringify(caught)}`,
    );
  } finally {
    await context.close();
  }
});
