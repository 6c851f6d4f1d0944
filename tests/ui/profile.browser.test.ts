/**
 * Settings → Profile (issue #17, item 6) in headless Chromium against the real
 * stack: an agent edits their display name, full name and email signature and
 * uploads a photo, which then is their avatar on their messages; "Log out
 * everywhere" asks first, signs this tab out to /login, and kills a second
 * session of the same agent (its socket is closed by the server and its next
 * load lands on /login). A profile that fails to load says so and loads from
 * "Try again"; names, signature, photo and "Log out everywhere…" (asked, then
 * cancelled) work by keyboard only.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser, FileChooser } from 'playwright-core';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { failGets, launchChromium, openConsole, sessionFor, shot, isFocused, tabTo } from './browser.js';
import { ensureUiBuilt } from './build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() => startStack({ env: { UPLOAD_DIR: `.netia/test/uploads-profile-ui-${process.pid}` } })),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
});

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);

test.serial('an agent edits names, photo and signature; the photo is their avatar on their messages', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Profile Co');
  const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Cy' } })).body.data;
  const conv = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.id },
    message: { body: 'Hi' },
  });
  const conversationId = conv.body.data.id as string;
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await page.goto('/settings/profile');
    await page.getByRole('heading', { name: 'Your profile' }).waitFor({ timeout: 60_000 });
    await page.getByLabel('Display name').fill('Ada');
    await page.getByLabel('Full name').fill('Ada Lovelace');
    await page.getByLabel('Email signature').fill('Ada Lovelace\nProfile Co support');
    await page.getByRole('button', { name: 'Save profile' }).click();
    await page.getByTestId('profile-status').filter({ hasText: 'Profile saved.' }).waitFor();

    await page.setInputFiles('#profile-photo', { name: 'me.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('photo-status').filter({ hasText: 'Photo saved.' }).waitFor();
    const profile = (await http.get('/api/profile', agent.token)).body.data;
    t.like(profile, { display_name: 'Ada', full_name: 'Ada Lovelace', signature: 'Ada Lovelace\nProfile Co support' });
    t.regex(profile.profile_photo_url as string, /^\/api\/files\/[0-9a-f-]+\/me\.png$/);
    await page.screenshot({ path: shot('profile') });

    // A reload shows what was saved.
    await page.reload();
    await page.getByLabel('Display name').waitFor({ timeout: 60_000 });
    t.is(await page.getByLabel('Display name').inputValue(), 'Ada');
    t.is(await page.getByLabel('Email signature').inputValue(), 'Ada Lovelace\nProfile Co support');

    // The photo is the avatar on the agent's messages, and the name is the display name.
    const reply = await http.post('/api/messages', { message: { conversation_id: conversationId, body: 'Hello from Ada' } }, agent.token);
    t.is(reply.status, 201);
    await page.goto(`/inbox/open/${conversationId}`);
    const mine = page.locator('li.msg-agent').filter({ hasText: 'Hello from Ada' });
    await mine.waitFor({ timeout: 60_000 });
    t.is(await mine.locator('.avatar img').getAttribute('src'), profile.profile_photo_url as string);
    t.is(await mine.locator('.msg-author').textContent(), 'Ada');

    // 360 px: the profile still fits.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/settings/profile');
    await page.getByLabel('Email signature').waitFor({ timeout: 60_000 });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('log out everywhere asks first, signs this tab out and kills a second session', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Everywhere UI Co');
  const laptop = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  const phone = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await phone.page.goto('/inbox/open');
    await phone.page.getByTestId('list-empty').waitFor({ timeout: 60_000 });
    const phoneToken = await phone.page.evaluate<string>(`JSON.parse(localStorage.getItem('netia.session')).token`);
    t.is((await http.get('/api/me', phoneToken)).status, 200);

    await laptop.page.goto('/settings/profile');
    await laptop.page.getByRole('button', { name: 'Log out everywhere…' }).click();
    // Asked first; Cancel has the focus and keeps everything as it was.
    const cancel = laptop.page.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    t.true(await isFocused(cancel));
    await laptop.page.screenshot({ path: shot('profile-log-out-everywhere') });
    await cancel.click();
    t.is((await http.get('/api/me', phoneToken)).status, 200, 'cancel revoked nothing');

    await laptop.page.getByRole('button', { name: 'Log out everywhere…' }).click();
    await laptop.page.getByRole('button', { name: 'Yes, log out everywhere' }).click();
    await laptop.page.waitForURL('**/login', { timeout: 30_000 });
    t.is(await laptop.page.evaluate<string | null>(`localStorage.getItem('netia.session')`), null);

    // The phone: its token is dead, the server closed its socket (the console says it is offline), and a reload lands on /login.
    t.is((await http.get('/api/me', phoneToken)).status, 401);
    await phone.page.getByTestId('offline-banner').waitFor({ timeout: 30_000 });
    await phone.page.reload();
    await phone.page.waitForURL('**/login', { timeout: 30_000 });
    t.deepEqual([...laptop.errors, ...phone.errors], []);
  } finally {
    await laptop.context.close();
    await phone.context.close();
  }
});

test.serial('the profile: a failed load says so and "Try again" loads it; names, signature, photo and sessions by keyboard', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Keyboard Profile Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  // Listened for from the start: Playwright intercepts the chooser only once a listener is in place.
  const chooser = new Promise<FileChooser>((resolve) => page.once('filechooser', resolve));
  try {
    const recover = await failGets(page, (url) => url.pathname === '/api/profile');
    await page.goto('/settings/profile');
    const failure = page.getByRole('alert').filter({ hasText: 'Could not load your profile: Internal server error' });
    await failure.waitFor({ timeout: 60_000 });
    t.is(await page.getByLabel('Display name').count(), 0);
    await recover();
    await failure.getByRole('button', { name: 'Try again' }).click();
    const displayName = page.getByLabel('Display name');
    await displayName.waitFor();
    await failure.waitFor({ state: 'detached' });

    // Names and signature: Tab from field to field, Enter on "Save profile".
    await tabTo(page, displayName);
    await page.keyboard.type('Grace');
    await page.keyboard.press('Tab');
    t.true(await isFocused(page.getByLabel('Full name')));
    await page.keyboard.type('Grace Hopper');
    await page.keyboard.press('Tab');
    t.true(await isFocused(page.getByLabel('Email signature')));
    await page.keyboard.type('Grace Hopper');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Keyboard Profile Co');
    await page.keyboard.press('Tab');
    t.true(await isFocused(page.getByRole('button', { name: 'Save profile' })));
    await page.keyboard.press('Enter');
    await page.getByTestId('profile-status').filter({ hasText: 'Profile saved.' }).waitFor();
    t.like((await http.get('/api/profile', agent.token)).body.data, {
      display_name: 'Grace',
      full_name: 'Grace Hopper',
      signature: 'Grace Hopper\nKeyboard Profile Co',
    });

    // The photo: the file input is reachable, and Space opens the file chooser.
    await tabTo(page, page.locator('#profile-photo'), 'Shift+Tab');
    await page.keyboard.press('Space');
    await (await chooser).setFiles({ name: 'grace.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('photo-status').filter({ hasText: 'Photo saved.' }).waitFor();
    t.regex((await http.get('/api/profile', agent.token)).body.data.profile_photo_url as string, /\/grace\.png$/);

    // "Log out everywhere…" asks with the focus on Cancel; Cancel gives it back and nothing is revoked.
    const everywhere = page.getByRole('button', { name: 'Log out everywhere…' });
    await tabTo(page, everywhere);
    await page.keyboard.press('Enter');
    const cancel = page.getByRole('button', { name: 'Cancel' });
    await cancel.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Cancel');
    await page.keyboard.press('Enter');
    await everywhere.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Log out everywhere…');
    t.is((await http.get('/api/me', agent.token)).status, 200, 'still signed in');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
