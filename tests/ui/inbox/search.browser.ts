/**
 * The search page (issue #17, item 7) in headless Chromium against the real
 * stack: reached from the inbox's search box and the sidebar, grouped hits with
 * the matched words marked (a `<script>` body stays text and never runs),
 * keyboard navigation, "Load more" by cursor, filters, the partial-word
 * fallback, loading / empty / error states and the 360 px layout.
 */
import { randomUUID } from 'node:crypto';
import type { Route } from 'playwright-core';
import { upsertConversation } from '../../../services/conversations/index.js';
import { insertMessage } from '../../../services/messages/index.js';
import { registerAccount } from '../../helpers/api.js';
import { conversationRecord } from '../../helpers/records.js';
import type { Stack } from '../../helpers/stack.js';
import { openConsole, sessionFor, shot, consoleSuite } from '../browser.js';

const WAIT_MS = 30_000;
const test = consoleSuite();

async function seed(stack: Stack, accountId: string, customerId: string, userId: number, bodies: Array<[string, boolean?]>) {
  const c = conversationRecord(accountId, customerId, { lastSeq: bodies.length });
  await upsertConversation(stack.pool, c);
  for (const [i, [body, note]] of bodies.entries()) {
    await insertMessage(stack.pool, {
      id: randomUUID(),
      conversationId: c.id,
      accountId,
      seq: i + 1,
      clientMessageId: null,
      body,
      type: note ? 'note' : 'reply',
      private: note === true,
      source: 'chat',
      contentType: 'text',
      subject: null,
      customerId: note ? null : customerId,
      userId: note ? userId : null,
      sentAt: null,
      clientSentAt: null,
      metadata: {},
      createdAt: c.createdAt - (bodies.length - i) * 1000,
    });
  }
  return c.id;
}

test.serial('an agent searches from the inbox box, reads safe highlights, moves by keyboard, loads more and filters', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Search UI');
  const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Rosalind Hopper' } })).body.data.id;
  const convId = await seed(stack, agent.accountId, customer, agent.userId, [
    ['<script>window.__pwned = 1</script><img src=x onerror="window.__pwned=2"> I need a refund'],
    ['internal: goodwill refund approved', true],
    ['my pineapplejuice order never came'],
    ...Array.from({ length: 24 }, (_, i): [string] => [`invoice ${i} is attached`]),
  ]);
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    await page.goto('/inbox/open');
    await page.locator('#search').fill('refund');
    await page.getByTestId('search-everything').click();
    await page.waitForURL(/\/search\?q=refund/, { timeout: WAIT_MS });
    const messages = page.getByTestId('search-messages');
    await messages.waitFor({ timeout: WAIT_MS });
    const hits = messages.locator('a.search-hit');
    t.is(await hits.count(), 2);
    t.deepEqual(await messages.locator('mark').allTextContents(), ['refund', 'refund']);
    const texts = await hits.allTextContents();
    t.true(
      texts.some((x) => x.includes('<script>window.__pwned = 1</script>')),
      'the markup is shown as text',
    );
    t.is(await page.getByTestId('search-results').locator('script, img').count(), 0, 'nothing from a body became an element');
    t.is(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined, 'nothing ran');
    t.is(await messages.getByText('Private note').count(), 1, 'the private note is marked');
    t.is(await hits.first().getAttribute('href'), `/inbox/open/${convId}`);

    // Keyboard: ↓ from the box to the first hit, ↓ to the next, Escape back to the box.
    await page.locator('#search-everything').focus();
    await page.keyboard.press('ArrowDown');
    t.is(await page.evaluate(() => document.activeElement?.getAttribute('data-hit-id')), await hits.nth(0).getAttribute('data-hit-id'));
    await page.keyboard.press('ArrowDown');
    t.is(await page.evaluate(() => document.activeElement?.getAttribute('data-hit-id')), await hits.nth(1).getAttribute('data-hit-id'));
    await page.keyboard.press('Escape');
    t.is(await page.evaluate(() => document.activeElement?.id), 'search-everything');

    // Loading state held until seen, then "Load more" by cursor.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    const hold = async (route: Route): Promise<void> => {
      await held;
      await route.continue();
    };
    await page.route('**/api/search?**', hold);
    await page.locator('#search-everything').fill('invoice');
    await page.keyboard.press('Enter');
    await page.getByRole('status').filter({ hasText: 'Searching…' }).waitFor({ timeout: WAIT_MS });
    release();
    await page.locator('a.search-hit').nth(19).waitFor({ timeout: WAIT_MS });
    await page.unroute('**/api/search?**', hold);
    t.is(await page.locator('a.search-hit').count(), 20);
    await page.getByRole('button', { name: 'Load more messages' }).click();
    await page.locator('a.search-hit').nth(23).waitFor({ timeout: WAIT_MS });
    t.is(await page.locator('a.search-hit').count(), 24);
    t.is(await page.getByRole('button', { name: 'Load more messages' }).count(), 0, 'no more pages');

    // A filter that matches nothing: the empty state.
    await page.getByLabel('Status').selectOption('closed');
    await page.getByTestId('search-empty').waitFor({ timeout: WAIT_MS });
    t.regex((await page.getByTestId('search-empty').textContent()) ?? '', /with these filters/);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await page.locator('a.search-hit').first().waitFor({ timeout: WAIT_MS });

    // Part of a word: the trigram fallback.
    await page.locator('#search-everything').fill('pineap');
    await page.keyboard.press('Enter');
    await page.getByText('(parts of words)').waitFor({ timeout: WAIT_MS });
    t.deepEqual(await page.getByTestId('search-messages').locator('mark').allTextContents(), ['pineap']);

    // Customers group.
    await page.locator('#search-everything').fill('hopper');
    await page.keyboard.press('Enter');
    await page.getByTestId('search-customers').waitFor({ timeout: WAIT_MS });
    t.is(await page.getByTestId('search-customers').locator('a.search-hit').first().getAttribute('href'), `/inbox/open/${convId}`);

    // A failing server: the error state, then Try again.
    const fail = (route: Route) => route.fulfill({ status: 500, contentType: 'application/json', body: '{"error":{"message":"boom"}}' });
    await page.route('**/api/search?**', fail);
    await page.locator('#search-everything').fill('refund approved');
    await page.keyboard.press('Enter');
    await page.getByRole('alert').filter({ hasText: 'Search failed' }).waitFor({ timeout: WAIT_MS });
    await page.unroute('**/api/search?**', fail);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.locator('a.search-hit').first().waitFor({ timeout: WAIT_MS });

    // 360 px: nothing wider than the screen; the sidebar link reaches the page too.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/search?q=refund');
    await page.locator('a.search-hit').first().waitFor({ timeout: WAIT_MS });
    t.true(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'no horizontal scroll at 360 px');
    await page.screenshot({ path: shot('search-360') });
    await page.setViewportSize({ width: 1360, height: 860 });
    await page.goto('/inbox/open');
    await page.getByTestId('nav-search').click();
    await page.waitForURL(/\/search$/, { timeout: WAIT_MS });
    await page.locator('#search-everything').fill('refund');
    await page.keyboard.press('Enter');
    await page.locator('a.search-hit').first().waitFor({ timeout: WAIT_MS });
    await page.screenshot({ path: shot('search') });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
