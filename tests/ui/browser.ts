/**
 * Headless Chromium for the console's browser tests: Debian's `chromium`
 * driven by playwright-core, one context per simulated agent, the console's
 * session handed over through localStorage as the console stores it, and the
 * folder the screenshots of the main screens go to (docs/screenshots/, shown
 * in the README).
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { api, type Api } from '../helpers/api.js';
import { startStack, type Stack, type StackOptions } from '../helpers/stack.js';
import { ensureUiBuilt, ROOT } from './build.js';

export const SHOTS = path.join(ROOT, 'docs', 'screenshots');
const ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-gpu',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launchChromium(): Promise<Browser> {
  const [browser] = await Promise.all([
    chromium.launch({ executablePath: '/usr/bin/chromium', args: ARGS, headless: true }),
    mkdir(SHOTS, { recursive: true }),
  ]);
  return browser;
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Messages of every dialog the page opened (they are dismissed). */
  dialogs: string[];
  /** Uncaught errors in the page, and server payloads the console dropped as malformed (ui/src/lib/wire.ts). */
  errors: string[];
}

/** A fresh browser context on the console, optionally already signed in with `session`. */
export async function openConsole(browser: Browser, baseUrl: string, session?: unknown): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport: { width: 1360, height: 860 }, baseURL: baseUrl });
  if (session) await context.addInitScript((s) => window.localStorage.setItem('netia.session', s), JSON.stringify(session));
  const page = await context.newPage();
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('pageerror', (e) => errors.push(e.message));
  // A reply or push that does not match its wire schema is logged and dropped: a test that expects no errors fails on it.
  page.on('console', (m) => {
    if (m.text().startsWith('Ignored a malformed')) errors.push(m.text());
  });
  return { context, page, dialogs, errors };
}

/** Log in through the API and return the session as the console keeps it in localStorage. */
export async function sessionFor(http: Api, email: string, password: string): Promise<Record<string, unknown>> {
  const res = await http.post('/api/session', { user: { email, password } });
  if (res.status !== 200) throw new Error(`login failed: ${JSON.stringify(res.body)}`);
  const d = res.body.data;
  return {
    token: d.token,
    renew_token: d.renew_token,
    user_id: d.user_id,
    account_id: d.account_id,
    email: d.email,
    issued_at: Date.now(),
  };
}

/** Whether `target` has the keyboard focus. */
export const isFocused = (target: Locator): Promise<boolean> => target.evaluate((el) => el === document.activeElement);

/** Press Tab (or `key`) until `target` has the focus: it is reachable by keyboard in that direction. */
export async function tabTo(page: Page, target: Locator, key = 'Tab', max = 150): Promise<void> {
  for (let i = 0; i < max; i += 1) {
    if (await isFocused(target)) return;
    await page.keyboard.press(key);
  }
  throw new Error(`not reached with ${key} in ${max} presses`);
}

/**
 * Answer the console's GETs matched by `match` with an error (a 500 unless `answer` says otherwise), as a failing or
 * refusing server would, until the returned function lifts it: for the screens' error and no-permission states.
 */
export async function failGets(
  page: Page,
  match: (url: URL) => boolean,
  answer: { status: number; message: string } = { status: 500, message: 'Internal server error' },
): Promise<() => Promise<void>> {
  await page.route(match, (route) =>
    route.request().method() === 'GET'
      ? route.fulfill({
          status: answer.status,
          contentType: 'application/json',
          body: JSON.stringify({ error: answer }),
        })
      : route.continue(),
  );
  return () => page.unroute(match);
}

export function shot(name: string): string {
  return path.join(SHOTS, `${name}.png`);
}

/** What a browser test file of the console shares: one stack and one Chromium. */
export interface ConsoleSuite {
  stack: Stack;
  api: Api;
  browser: Browser;
}

let suite: { test: TestFn<ConsoleSuite>; options: string } | undefined;

/**
 * ava's `test` for a browser test file of the console: before its tests the console is built, a
 * stack started (with `options`) and Chromium launched; after them both are stopped.
 *
 * One suite per test process: later calls return the same `test`, so a test file that imports
 * several browser modules (tests/ui/settings.browser.test.ts imports tests/ui/settings/*.ts) runs
 * them all on one stack and one Chromium instead of paying for a process, a stack and a browser
 * each. The modules must ask for the same options.
 */
export function consoleSuite(options?: StackOptions): TestFn<ConsoleSuite> {
  const key = JSON.stringify(options ?? {});
  if (suite) {
    if (suite.options !== key) throw new Error(`consoleSuite: options ${key} differ from this process's suite (${suite.options})`);
    return suite.test;
  }
  const test = anyTest as TestFn<ConsoleSuite>;
  suite = { test, options: key };
  test.before(async (t) => {
    const [stack, browser] = await Promise.all([ensureUiBuilt().then(() => startStack(options)), launchChromium()]);
    t.context = { stack, api: api(stack.baseUrl), browser };
  });
  test.after.always(async (t) => {
    await t.context.browser?.close();
    await t.context.stack?.stop();
  });
  return test;
}
