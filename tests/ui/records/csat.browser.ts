/**
 * Satisfaction surveys in headless Chromium against the real stack (issue #21 item 2): a visitor
 * chats in the widget (the `/chat` page on its own), the agent resolves the chat, the survey
 * appears in the chat view and the visitor rates it with the keyboard alone (a labelled radio
 * group, arrow keys, Tab to the comment and Send; the result announced in a live region). The
 * console then shows the rating on the conversation, on the customer page and in Reporting, and
 * an admin changes the survey settings in Settings → Satisfaction.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { must, registerAccount } from '../../helpers/api.js';
import { ensureWidgetBuilt } from '../../widget/build-widget.js';
import { consoleSuite, openConsole, sessionFor, shot } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.before(async () => {
  await ensureWidgetBuilt();
});

test.serial('a visitor rates a resolved chat in the widget with the keyboard; the console shows the rating', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Survey Shop');
  await must(await http.put('/api/accounts/me/csat', { csat: { enabled: true, delay_minutes: 0 } }, admin.token), 'csat on');

  const visitor = await browser.newContext({ viewport: { width: 400, height: 700 } });
  const errors: string[] = [];
  try {
    const chat = await visitor.newPage();
    chat.on('pageerror', (e) => errors.push(e.message));
    await chat.goto(`${stack.baseUrl}/chat?token=${admin.accountId}&test=1`);
    const input = chat.getByRole('textbox', { name: 'Message' });
    await input.waitFor({ timeout: WAIT_MS });
    await input.fill('My order never arrived');
    await input.press('Enter');
    // The conversation exists once the server acknowledged the message (polled, bounded).
    let conversationId: string | null = null;
    for (const deadline = Date.now() + WAIT_MS; !conversationId; await delay(100)) {
      const state = await chat.evaluate('window.__netiaTest.state()');
      const v = (state as { visitor: { conversationId: string | null }; outbox: number }).visitor;
      if (v.conversationId && (state as { outbox: number }).outbox === 0) conversationId = v.conversationId;
      else if (Date.now() > deadline) t.fail('the visitor message never reached the server');
    }
    await must(
      await http.post(
        '/api/messages',
        { message: { conversation_id: conversationId, body: 'Sorry! A new one is on its way.' } },
        admin.token,
      ),
      'reply',
    );
    await must(await http.put(`/api/conversations/${conversationId}`, { conversation: { status: 'closed' } }, admin.token), 'close');

    const survey = chat.getByRole('region', { name: 'How did we do?' });
    await survey.waitFor({ timeout: WAIT_MS });
    const group = survey.getByRole('group', { name: 'How would you rate the support you received?' });
    await group.waitFor();
    // Keyboard only: focus the first choice, arrow to "Satisfied" (4), Tab to the comment, then to Send.
    await group.getByRole('radio', { name: 'Very dissatisfied' }).focus();
    for (let i = 0; i < 3; i++) await chat.keyboard.press('ArrowRight');
    t.true(await group.getByRole('radio', { name: 'Satisfied', exact: true }).isChecked());
    await chat.keyboard.press('Tab');
    await chat.keyboard.type('Quick and friendly');
    await chat.keyboard.press('Tab');
    await chat.keyboard.press('Enter');
    await survey.getByRole('status').filter({ hasText: 'Thanks for your feedback!' }).waitFor({ timeout: WAIT_MS });
    await chat.screenshot({ path: shot('csat-widget') });
    const ratings = await must(await http.get(`/api/conversations/${conversationId}/ratings`, admin.token), 'ratings');
    t.like(ratings[0], { score: 4, comment: 'Quick and friendly', channel: 'widget' });

    // The console: the conversation, the customer page and Reporting.
    const {
      context,
      page,
      errors: consoleErrors,
    } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
    try {
      await page.goto(`/conversations/${conversationId}`);
      const badge = page.getByTestId('csat-rating').first();
      await badge.waitFor({ timeout: WAIT_MS });
      t.regex(await badge.innerText(), /Satisfaction: 4\/5/);
      t.regex(await badge.innerText(), /Quick and friendly/);
      await page.screenshot({ path: shot('csat-console-conversation') });

      await page.goto(`/customers/${ratings[0].customer_id}`);
      await page.getByTestId('customer-ratings').getByText('Satisfaction: 4/5').waitFor({ timeout: WAIT_MS });

      await page.goto('/reporting');
      await page.getByRole('heading', { name: 'Customer satisfaction' }).waitFor({ timeout: WAIT_MS });
      await page.getByTestId('csat-average').filter({ hasText: '4.00' }).waitFor({ timeout: WAIT_MS });
      t.is(await page.getByTestId('csat-response-rate').innerText(), '100%');

      // Settings → Satisfaction: thumbs, a 15-minute delay and a question of the admin's own.
      await page.goto('/settings/csat');
      await page.getByRole('heading', { name: 'Satisfaction surveys' }).waitFor({ timeout: WAIT_MS });
      t.true(await page.getByLabel('Send satisfaction surveys').isChecked());
      await page.getByLabel('Scale').selectOption('thumbs');
      await page.getByLabel('Minutes after the close').fill('abc');
      await page.getByRole('button', { name: 'Save surveys' }).click();
      await page.locator('#csat-delay-error').waitFor();
      await page.getByLabel('Minutes after the close').fill('15');
      await page.getByLabel('Question').fill('Did we solve your problem?');
      await page.getByRole('button', { name: 'Save surveys' }).click();
      await page.getByTestId('csat-status').filter({ hasText: 'Survey settings saved.' }).waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: shot('csat-settings') });
      t.deepEqual(await must(await http.get('/api/accounts/me/csat', admin.token), 'settings'), {
        object: 'csat_settings',
        enabled: true,
        scale: 'thumbs',
        delay_minutes: 15,
        question: 'Did we solve your problem?',
      });
      t.deepEqual(consoleErrors, []);
    } finally {
      await context.close();
    }
    t.deepEqual(errors, []);
  } finally {
    await visitor.close();
  }
});
