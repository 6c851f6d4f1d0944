/**
 * The console's settings and reporting in headless Chromium against the real
 * stack (gateway serving ui/dist, Temporal worker, PostgreSQL, Redis), with
 * the worker's official `openai` client pointed at a local server speaking the
 * Chat Completions wire format:
 * - an agent changes their notification preferences; a reload and the API
 *   both show them; load and save failures are shown and recoverable;
 * - an admin turns the AI assistant on in Settings → AI and a customer
 *   message gets a bot reply the agent sees live (with the AI typing state);
 *   turned off, the next customer message gets none;
 * - Reporting shows the figures of conversations and messages created
 *   through the API, for two date ranges, and an empty range.
 * Screenshots go to docs/screenshots/.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser } from 'playwright-core';
import { sql } from 'slonik';
import { z } from 'zod';
import { conversationWorkflowId, getConversationQuery } from '../../workflows/conversation/messages.js';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { startFakeOpenAi, type FakeOpenAi } from '../helpers/fake-openai.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot, type OpenedPage } from './browser.js';
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
    ensureUiBuilt().then(() => startStack({ env: { OPENAI_BASE_URL: fake.baseUrl, OPENAI_API_KEY: 'sk-test', LLM_MODEL: 'gpt-test' } })),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, fake };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.fake?.close();
});

const ZVoid = z.object({}).passthrough();

/** A new account whose admin is signed in to a fresh browser context. */
async function signedInAdmin(
  t: { context: Ctx },
  company: string,
): Promise<OpenedPage & { agent: Awaited<ReturnType<typeof registerAccount>> }> {
  const agent = await registerAccount(t.context.api, company);
  const opened = await openConsole(
    t.context.browser,
    t.context.stack.baseUrl,
    await sessionFor(t.context.api, agent.email, agent.password),
  );
  return { ...opened, agent };
}

test.serial('an agent turns an email alert on; a reload and the API show it; load and save failures are recoverable', async (t) => {
  const { api: http } = t.context;
  const { context, page, errors, agent } = await signedInAdmin(t, 'Alerts Co');
  try {
    // Loading fails (network down): an error with a retry, which then loads the form.
    await page.route('**/api/user_settings', (route) => route.abort('internetdisconnected'));
    await page.goto('/settings/notifications');
    await page.getByRole('heading', { name: 'Notifications' }).waitFor();
    await page.getByText('Could not load notification preferences: The server cannot be reached').waitFor();
    await page.unroute('**/api/user_settings');
    await page.getByRole('button', { name: 'Try again' }).click();

    const onConversation = page.getByLabel('A customer starts a new conversation');
    const onMessage = page.getByLabel('A customer sends any new message');
    const saveButton = page.getByRole('button', { name: 'Save preferences' });
    await onConversation.waitFor();
    // The "nothing on" state of a new agent.
    t.false(await onConversation.isChecked());
    t.false(await onMessage.isChecked());
    t.regex((await page.getByTestId('alerts-summary').textContent()) ?? '', /^Email alerts are off/);
    await page.getByTestId('push-none').waitFor();
    t.true(await saveButton.isDisabled(), 'nothing to save before a change');
    t.regex((await page.locator('#alert-new-message-hint').textContent()) ?? '', new RegExp(agent.email.replace(/[.+]/g, '\\$&')));

    // A save that fails keeps the choice and says why; the next one succeeds.
    await onConversation.check();
    await page.getByTestId('unsaved').waitFor();
    await page.route('**/api/user_settings', (route) =>
      route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
    );
    await saveButton.click();
    await page.getByRole('alert').filter({ hasText: 'The server cannot be reached' }).waitFor();
    t.true(await onConversation.isChecked(), 'the failed save keeps the change');
    t.false((await http.get('/api/user_settings', agent.token)).body.data.email_alert_on_new_conversation, 'nothing was saved');
    await page.unroute('**/api/user_settings');
    await saveButton.click();
    await page.getByTestId('notifications-status').filter({ hasText: 'Notification preferences saved.' }).waitFor();
    await page.getByTestId('unsaved').waitFor({ state: 'detached' });
    t.true(await saveButton.isDisabled());
    t.regex((await page.getByTestId('alerts-summary').textContent()) ?? '', /starts a new conversation/);

    // The API returns it…
    const stored = (await http.get('/api/user_settings', agent.token)).body.data;
    t.is(stored.object, 'user_settings');
    t.true(stored.email_alert_on_new_conversation);
    t.false(stored.email_alert_on_new_message);

    // …and a reload shows it.
    await page.reload();
    await onConversation.waitFor();
    t.true(await onConversation.isChecked());
    t.false(await onMessage.isChecked());
    await page.screenshot({ path: shot('notifications') });

    // A phone registered by the mobile app (API) can be removed here.
    t.is(
      (await http.put('/api/user_settings', { user_settings: { expo_push_token: 'ExponentPushToken[test-device]' } }, agent.token)).status,
      200,
    );
    await page.reload();
    await page.getByRole('button', { name: 'Stop push notifications' }).click();
    await page.getByText('Push notifications to your phone are off.').waitFor();
    await page.getByTestId('push-none').waitFor();
    const after = (await http.get('/api/user_settings', agent.token)).body.data;
    t.is(after.expo_push_token, null);
    t.true(after.email_alert_on_new_conversation, 'removing the phone leaves the email alerts alone');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial(
  'the AI switch in Settings changes what the bot does: on, a customer gets a reply the agent sees live; off, none',
  async (t) => {
    const { stack, api: http, fake } = t.context;
    const { context, page, errors, agent } = await signedInAdmin(t, 'Acme Bikes');
    const socket = connectSocket(stack.wsUrl, { account_id: agent.accountId });
    try {
      // 1. The admin turns the AI on and tells it about the business.
      await page.goto('/settings/ai');
      const toggle = page.getByLabel('AI assistant answers customers until an agent takes over');
      await toggle.waitFor();
      t.false(await toggle.isChecked(), 'off by default');
      await toggle.check();
      await page.getByText('The AI assistant now answers new customer messages.').waitFor();
      t.true((await http.get('/api/accounts/me', agent.token)).body.data.ai_enabled);
      await page.getByLabel('Business name').fill('Acme Bikes');
      await page.getByLabel('Description').fill('We repair bikes in Lyon.');
      await page.getByRole('button', { name: 'Save' }).click();
      await page.getByText('Saved.').waitFor();
      await page.screenshot({ path: shot('settings-ai') });

      // 2. A customer writes; the model is held until the agent has seen the AI typing.
      await page.getByRole('link', { name: /^Open/ }).click();
      await page.getByTestId('list-empty').waitFor();
      let release!: () => void;
      fake.enqueue({
        reply: 'Hello Ada! We can look at your bike tomorrow at 10.',
        gate: new Promise<void>((resolve) => (release = resolve)),
      });
      const requestsBefore = fake.requests.length;
      const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Ada Lovelace' } })).body.data;
      const created = await http.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customer.id } });
      t.is(created.status, 201);
      const conversationId = created.body.data.id as string;
      const chat = await join(socket, `conversation:${conversationId}`, { customer_id: customer.id });
      await chat.push('shout', { body: 'My brakes squeak, can you help?', customer_id: customer.id });

      const row = page.locator(`.conv-row[data-conversation-id="${conversationId}"]`);
      await row.waitFor({ timeout: 15_000 });
      await row.click();
      const messages = page.getByTestId('messages');
      await messages.locator('li[data-seq="1"]').getByText('My brakes squeak').waitFor();
      await page.getByTestId('typing').filter({ hasText: 'AI assistant is typing…' }).waitFor({ timeout: 15_000 });
      const request = await fake.waitForRequest(requestsBefore + 1);
      const prompt = JSON.stringify(request.body.messages);
      t.true(
        prompt.includes('Acme Bikes') && prompt.includes('We repair bikes in Lyon.'),
        'the business context saved in the console reaches the model',
      );
      t.true(prompt.includes('My brakes squeak, can you help?'));
      release();

      // 3. The bot's reply arrives live on the agent's screen (and at the customer).
      const botReply = messages.locator('li.msg-bot[data-seq="2"]');
      await botReply.getByText('Hello Ada! We can look at your bike tomorrow at 10.').waitFor({ timeout: 15_000 });
      t.is(await botReply.locator('.msg-author').textContent(), 'AI assistant');
      await chat.events.waitFor((e) => e.event === 'shout' && e.payload.type === 'bot', 'bot reply at the customer', 15_000);
      await page.getByTestId('typing').filter({ hasNotText: 'AI assistant is typing' }).waitFor();
      await page.screenshot({ path: shot('ai-reply') });

      // 4. The admin turns the AI off.
      await page.getByRole('link', { name: 'Settings', exact: true }).click();
      await page.getByRole('link', { name: 'AI assistant' }).click();
      await toggle.waitFor();
      t.true(await toggle.isChecked(), 'the switch shows the saved state');
      await toggle.uncheck();
      await page.getByText('The AI assistant is off.').waitFor();
      t.false((await http.get('/api/accounts/me', agent.token)).body.data.ai_enabled);

      // 5. The next customer message reaches the agent, and the workflow decides about the AI for it: no model call, no bot message.
      await page.goto(`/inbox/open/${conversationId}`);
      await messages.locator('li[data-seq="2"]').waitFor();
      const requestsWhileOff = fake.requests.length;
      await chat.push('shout', { body: 'Is anyone there?', customer_id: customer.id });
      const third = messages.locator('li[data-seq="3"]');
      await third.getByText('Is anyone there?').waitFor({ timeout: 15_000 });
      t.true(await third.evaluate((el) => el.classList.contains('msg-customer')));
      // The decision (AI status checked, reply skipped) is recorded in the workflow: wait for it, not for time.
      const handle = stack.client.workflow.getHandle(conversationWorkflowId(conversationId));
      const deadline = Date.now() + 15_000;
      for (;;) {
        const state = await handle.query(getConversationQuery, {});
        if ((state.actor?.aiAnsweredSeq ?? 0) >= 3) break;
        if (Date.now() > deadline) throw new Error(`the workflow did not settle the AI for seq 3: ${JSON.stringify(state.actor)}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      t.is(fake.requests.length, requestsWhileOff, 'AI off: the model was not called');
      t.is(await messages.locator('li.msg-bot').count(), 1, 'AI off: no new bot message');
      t.is(((await page.getByTestId('typing').textContent()) ?? '').trim(), '');
      t.false(
        chat.events.items.some((e) => e.event === 'shout' && e.payload.type === 'bot' && e.payload.seq > 3),
        'the customer got no bot message',
      );
      t.deepEqual(fake.problems, []);
      t.deepEqual(errors, []);
    } finally {
      socket.disconnect();
      await context.close();
    }
  },
);

test.serial('Reporting shows the figures of conversations created through the API, for the chosen date range', async (t) => {
  const { stack, api: http } = t.context;
  const { context, page, errors, agent } = await signedInAdmin(t, 'Report Co');
  try {
    // Conversations and messages go through the real API and workflows; then the clock is moved back
    // (a test cannot wait days): each conversation starts `days` ago minus 3 h, its messages and
    // first reply / close times keep the given offsets.
    const plan = [
      { source: 'chat', days: 0, replyAfter: 60, closeAfter: 1800 },
      { source: 'chat', days: 0, replyAfter: null, closeAfter: null },
      { source: 'chat', days: 2, replyAfter: 180, closeAfter: 5400 },
      { source: 'email', days: 2, replyAfter: null, closeAfter: null },
      { source: 'api', days: 12, replyAfter: 600, closeAfter: null },
    ] as const;
    const now = Date.now();
    const seeded: { id: string; start: number; replyAt: number | null; source: string; days: number }[] = [];
    for (const [i, p] of plan.entries()) {
      const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name: `Customer ${i}` } })).body.data;
      const conv = await http.post('/api/conversations', {
        conversation: { account_id: agent.accountId, customer_id: customer.id },
        message: { body: `Question ${i}` },
      });
      t.is(conv.status, 201, JSON.stringify(conv.body));
      const id = conv.body.data.id as string;
      if (p.replyAfter !== null)
        t.is((await http.post('/api/messages', { message: { conversation_id: id, body: `Answer ${i}` } }, agent.token)).status, 201);
      if (p.closeAfter !== null)
        t.is((await http.put(`/api/conversations/${id}`, { conversation: { status: 'closed' } }, agent.token)).status, 200);
      const start = now - p.days * 86_400_000 - 3 * 3_600_000;
      const at = (s: number | null): string | null => (s === null ? null : new Date(start + s * 1000).toISOString());
      await stack.pool.query(sql.type(ZVoid)`
        UPDATE conversations SET inserted_at = ${at(0)}::timestamptz, first_replied_at = ${at(p.replyAfter)}::timestamptz,
          closed_at = ${at(p.closeAfter)}::timestamptz, source = ${p.source}
        WHERE id = ${id}`);
      // A widget's conversation is always a chat; the other channels are set here as their integrations would.
      await stack.pool.query(sql.type(ZVoid)`
        UPDATE messages SET inserted_at = CASE WHEN customer_id IS NOT NULL THEN ${at(0)}::timestamptz ELSE ${at(p.replyAfter ?? 0)}::timestamptz END,
          source = ${p.source}
        WHERE conversation_id = ${id}`);
      seeded.push({ id, start, replyAt: p.replyAfter === null ? null : start + p.replyAfter * 1000, source: p.source, days: p.days });
    }
    // What the page must show, from the plan (UTC days, as the server groups them).
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
    const expectedFor = (maxDays: number) => {
      const inRange = seeded.filter((s) => s.days < maxDays);
      const conversations = new Map<string, number>();
      const bySource = new Map<string, number>();
      for (const s of inRange) {
        conversations.set(day(s.start), (conversations.get(day(s.start)) ?? 0) + 1);
        for (const at of [s.start, s.replyAt])
          if (at !== null) bySource.set(`${day(at)} ${s.source}`, (bySource.get(`${day(at)} ${s.source}`) ?? 0) + 1);
      }
      return { conversations, bySource, agentMessages: inRange.filter((s) => s.replyAt !== null).length };
    };

    const sorted = (m: Map<string, number>): [string, number][] => [...m].sort(([a], [b]) => a.localeCompare(b));
    /** Non-zero rows of a chart's table ("date count…" with the source columns). */
    const chartRows = async (id: string): Promise<{ header: string[]; rows: string[][] }> =>
      page.locator(`figure:has([data-testid="${id}-chart"]) table`).evaluate((table) => ({
        header: [...table.querySelectorAll('thead th')].map((th) => th.textContent ?? ''),
        rows: [...table.querySelectorAll('tbody tr')].map((tr) => [...tr.children].map((c) => c.textContent ?? '')),
      }));
    const kpi = (label: string): Promise<string | null> => page.locator('.kpi', { hasText: label }).locator('.kpi-value').textContent();
    const check = async (maxDays: number, figures: Record<string, string>): Promise<void> => {
      const expected = expectedFor(maxDays);
      await page
        .locator('.kpi', { hasText: 'Median first response' })
        .locator('.kpi-value')
        .filter({ hasText: figures['Median first response']! })
        .waitFor();
      for (const [label, value] of Object.entries(figures)) t.is(await kpi(label), value, `${label} over ${maxDays} days`);
      const conv = await chartRows('report-conversations');
      const shownConversations = new Map(conv.rows.filter((r) => r[1] !== '0').map((r) => [r[0]!, Number(r[1])]));
      t.deepEqual(sorted(shownConversations), sorted(expected.conversations), `conversations per day over ${maxDays} days`);
      const msgs = await chartRows('report-messages');
      const sources = msgs.header.slice(1);
      const shownBySource = new Map<string, number>();
      for (const r of msgs.rows)
        sources.forEach((source, i) => r[i + 1] !== '0' && shownBySource.set(`${r[0]} ${source}`, Number(r[i + 1])));
      t.deepEqual(sorted(shownBySource), sorted(expected.bySource), `messages per day by source over ${maxDays} days`);
      const agentRow = page.getByTestId('report-agents').locator('tr', { hasText: agent.email });
      // The agent's first reply assigns an unassigned conversation: one assignment per reply here.
      t.is(await agentRow.locator('td').nth(0).textContent(), String(expected.agentMessages), 'conversations assigned to the agent');
      t.is(await agentRow.locator('td').nth(1).textContent(), String(expected.agentMessages), 'messages sent by the agent');
    };

    await page.goto('/inbox/open');
    await page.getByRole('link', { name: 'Reporting' }).click();
    await page.getByRole('heading', { name: 'Reporting · last 30 days' }).waitFor();
    // First replies after 60, 180 and 600 s; resolutions after 1800 and 5400 s (percentile_cont).
    await check(30, {
      'Median first response': '3m 0s',
      'p90 first response': '8m 36s',
      'Median resolution': '1h 0m',
      'p90 resolution': '1h 24m',
    });
    t.regex((await page.locator('#report-messages-desc').textContent()) ?? '', /^api: 2 messages; chat: 5 messages; email: 1 message$/);
    await page.screenshot({ path: shot('reporting'), fullPage: true });

    // Last 7 days: the API conversation of 12 days ago drops out.
    await page.getByRole('button', { name: 'Last 7 days' }).click();
    await page.getByRole('heading', { name: 'Reporting · last 7 days' }).waitFor();
    await check(7, {
      'Median first response': '2m 0s',
      'p90 first response': '2m 48s',
      'Median resolution': '1h 0m',
      'p90 resolution': '1h 24m',
    });
    t.false((await chartRows('report-messages')).header.includes('api'));

    // A custom range with nothing in it.
    await page.getByLabel('From', { exact: true }).fill(day(now - 100 * 86_400_000));
    await page.getByLabel('To', { exact: true }).fill(day(now - 90 * 86_400_000));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByTestId('report-empty').waitFor();
    // An inverted range is refused before any request.
    await page.getByLabel('From', { exact: true }).fill(day(now - 10 * 86_400_000));
    await page.getByRole('button', { name: 'Apply' }).click();
    await page.getByRole('alert').filter({ hasText: 'The end date must not be before the start date.' }).waitFor();

    // 360 px wide: the page scrolls with the wheel down to the agents table.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    const agents = page.getByTestId('report-agents');
    await agents.waitFor();
    const isInView = async (): Promise<boolean> => {
      const box = await agents.boundingBox();
      return box !== null && box.y + box.height <= 740 && box.y >= 0;
    };
    await page.mouse.move(180, 400);
    for (let i = 0; i < 20 && !(await isInView()); i++) await page.mouse.wheel(0, 300);
    t.true(await isInView(), 'the agents table can be scrolled into view on a phone');
    t.true(await page.evaluate(() => document.documentElement.scrollWidth <= 360), 'nothing is wider than the screen');
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
