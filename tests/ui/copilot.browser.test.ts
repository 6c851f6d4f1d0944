/**
 * The agents' AI copilot (issue #21, item 5) in headless Chromium against the real stack
 * (gateway serving ui/dist, worker, PostgreSQL, Redis), with the gateway's official `openai`
 * client pointed at the local Chat Completions fake:
 * - an agent opens a conversation that was assigned (handed over): the summary for the next
 *   agent is made and shown at the top with when, by whom and up to which message;
 * - "Suggest a reply" fills the reply box (saved-reply placeholders filled in) and nothing is
 *   sent until the agent presses Enter; "Improve → Shorter" replaces the text, Undo brings it back;
 * - a failing model shows its error; a newer customer message offers Refresh, which makes a new summary;
 * - everything is reachable from the keyboard (the Improve menu opens, ↓ moves, Escape closes).
 * Screenshot: docs/screenshots/copilot.png.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, must, registerAccount, type Api } from '../helpers/api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from './browser.js';
import { ensureUiBuilt } from './build.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  fake: FakeOpenAi;
}
const test = anyTest as TestFn<Ctx>;

test.before(async (t) => {
  const fake = await startFakeOpenAi();
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() =>
      startStack({
        env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-test', RATE_LIMIT_COPILOT_BURST: '100' },
      }),
    ),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, fake };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const ZCount = z.object({ n: z.number() });

/** Poll `check` until it holds, at most `ms`; fail with `what`. */
async function until(check: () => Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test.serial(
  'an agent sees the handoff summary, gets a suggested reply and improves it in the box, and nothing is sent until they send it',
  async (t) => {
    const { stack, api: http, fake } = t.context;
    const agent = await registerAccount(http, 'Copilot Cycles');
    await must(
      await http.put(
        '/api/business_context',
        { business_context: { business_name: 'Copilot Cycles', additional_context: 'Repairs take 3 days.' } },
        agent.token,
      ),
      'business context',
    );
    await must(
      await http.post(
        '/api/canned_responses',
        { canned_response: { name: 'ready', content: 'Hi {{customer.name}}, your bike is ready.' } },
        agent.token,
      ),
      'saved reply',
    );
    const customer = await must(await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Ada' } }), 'customer');
    const created = await must(
      await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: 'Hi, is my bike ready? Order 77.' },
      }),
      'conversation',
    );
    const conversationId = created.id as string;
    const fromCustomer = (body: string) =>
      stack.conversations.post(conversationId, {
        accountId: agent.accountId,
        author: { kind: 'customer', customerId: customer.id },
        body,
        sentAt: null,
        clientMessageId: null,
      });
    await fromCustomer('It is the blue one with a basket.');
    await must(
      await http.put(`/api/conversations/${conversationId}`, { conversation: { assignee_id: agent.userId } }, agent.token),
      'assign',
    );
    const messages = (): Promise<number> =>
      stack.pool.oneFirst(
        sql.type(ZCount)`SELECT count(*)::int AS n FROM messages WHERE conversation_id = ${conversationId} AND type <> 'system'`,
      );
    const assignee = (): Promise<number | null> =>
      stack.pool.oneFirst(
        sql.type(z.object({ a: z.number().nullable() }))`SELECT assignee_id AS a FROM conversations WHERE id = ${conversationId}`,
      );
    await until(async () => (await messages()) >= 2 && (await assignee()) === agent.userId, 'the messages and the assignment to be stored');

    const { context, page, errors } = await openConsole(
      t.context.browser,
      stack.baseUrl,
      await sessionFor(http, agent.email, agent.password),
    );
    const shouts: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (f) => typeof f.payload === 'string' && f.payload.includes('"shout"') && shouts.push(f.payload)),
    );
    try {
      // 1. Opening the handed-over conversation makes the summary for the next agent.
      const before = fake.requests.length;
      fake.enqueue({ reply: '- Ada asks whether her bike (order 77) is ready.\n- Nothing answered yet.' });
      await page.goto('/inbox/open');
      await page.locator(`.conv-row[data-conversation-id="${conversationId}"]`).click();
      const summary = page.getByTestId('copilot-summary-text');
      await summary.waitFor({ timeout: 20_000 });
      t.is(await summary.textContent(), '- Ada asks whether her bike (order 77) is ready.\n- Nothing answered yet.');
      const meta = (await page.getByTestId('copilot-summary-meta').textContent()) ?? '';
      t.regex(meta, /^Made at handoff .+ by you · up to message #\d+$/);
      t.is(fake.requests.length, before + 1, 'one summary for the view');

      // 2. Suggest a reply: the draft lands in the box, placeholders filled; nothing is sent.
      const reply = page.getByLabel('Reply to the customer');
      await reply.waitFor();
      let release!: () => void;
      fake.enqueue({
        reply: 'Hi {{customer.name}}, your bike (order 77) will be ready on Thursday.',
        gate: new Promise((r) => (release = r)),
      });
      await page.getByRole('button', { name: 'Suggest a reply' }).click();
      await page.getByTestId('copilot-status').getByText('Writing a suggested reply…').waitFor();
      t.true(await page.getByRole('button', { name: 'Suggest a reply' }).isDisabled(), 'one request at a time');
      const suggestRequest = await fake.waitForRequest(before + 2);
      release();
      await page.getByTestId('copilot-status').getByText('Suggested reply inserted. Review it, then send it yourself.').waitFor();
      t.is(await reply.inputValue(), 'Hi Ada, your bike (order 77) will be ready on Thursday.');
      t.true(suggestRequest.body.messages[0].content.includes('Repairs take 3 days.'), 'grounded in the business context');
      t.true(suggestRequest.body.messages[0].content.includes('<saved_reply name="ready">'), 'and the saved replies');
      await page.screenshot({ path: shot('copilot') });

      // 3. Improve → Shorter, from the keyboard: the menu opens, ↓ moves, Enter picks; Undo restores.
      fake.enqueue({ reply: 'Hi Ada, your bike is ready Thursday.' });
      const improve = page.getByText('Improve ▾');
      await improve.focus();
      await page.keyboard.press('Enter');
      const menu = page.getByRole('menu', { name: 'Improve my reply' });
      await menu.waitFor();
      // Opening the menu puts the focus on its first item. (A string: tsx's __name helper does not exist in the page.)
      await page.waitForFunction(`document.activeElement?.textContent === 'Friendlier'`);
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      t.is(await page.evaluate<string | null | undefined>(`document.activeElement?.textContent`), 'Shorter');
      await page.keyboard.press('Enter');
      await page.getByTestId('copilot-status').getByText('Made shorter.').waitFor();
      t.is(await reply.inputValue(), 'Hi Ada, your bike is ready Thursday.');
      t.is(fake.requests.at(-1)!.body.messages[1].content, '<draft>Hi Ada, your bike (order 77) will be ready on Thursday.</draft>');
      await page.getByTestId('copilot-undo').click();
      t.is(await reply.inputValue(), 'Hi Ada, your bike (order 77) will be ready on Thursday.');
      // Escape closes the menu and gives the focus back.
      await improve.focus();
      await page.keyboard.press('Enter');
      await menu.waitFor();
      await page.keyboard.press('Escape');
      await menu.waitFor({ state: 'hidden' });

      // 4. A failing model: its error, and the box keeps the agent's text.
      fake.enqueue({ status: 500 });
      await page.getByRole('button', { name: 'Suggest a reply' }).click();
      await page.getByTestId('copilot-error').getByText('The AI model failed (HTTP 500). Try again.').waitFor();
      t.is(await reply.inputValue(), 'Hi Ada, your bike (order 77) will be ready on Thursday.');

      // Nothing was sent by the copilot: no shout, no new message.
      t.deepEqual(shouts, [], 'no message pushed');
      t.is(await messages(), 2, 'only the customer messages are stored');

      // 5. The agent sends it themselves (the same detectors see it), then a newer customer message offers Refresh.
      await reply.press('Enter');
      await until(async () => (await messages()) >= 3, 'the agent reply to be stored');
      t.is(shouts.length, 1, "the agent's own Send pushes the message");
      await fromCustomer('Great, thanks!');
      await until(async () => (await messages()) >= 4, 'the customer reply to be stored');
      const refresh = page.getByRole('button', { name: 'Refresh' });
      await refresh.waitFor({ timeout: 20_000 });
      fake.enqueue({ reply: '- Ada was told her bike is ready Thursday; she thanked us.' });
      await refresh.click();
      await summary.getByText('- Ada was told her bike is ready Thursday; she thanked us.').waitFor();
      t.regex((await page.getByTestId('copilot-summary-meta').textContent()) ?? '', /^Made .+ by you · up to message #\d+$/);
      t.is(await refresh.count(), 0, 'up to date again');
      t.deepEqual(fake.problems, []);
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
