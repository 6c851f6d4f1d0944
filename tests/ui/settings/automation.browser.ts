/**
 * Settings → Automation and the conversation's Macros menu (issue #21 item 3) in headless
 * Chromium against the real stack (worker included): an admin starts from the empty state, is
 * told what is missing, saves a rule that the API then lists, tests it against a conversation
 * (the preview says it would run), saves a macro with a shortcut, and runs it in the
 * conversation with Alt+key (the conversation's workflow closes it). A plain agent sees the
 * rules read-only. Keyboard-reachable, labelled, and usable at 360 px.
 */
import { addMember } from '../../gateway/team.js';
import { must, registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.serial('an admin saves and previews a rule, saves a macro and runs it with its shortcut; an agent sees rules read-only', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Automation UI Co');
  const customer = await must(await http.post('/api/customers', { customer: { account_id: admin.accountId } }), 'customer');
  const conv = await must(
    await http.post('/api/conversations', { conversation: { account_id: admin.accountId, customer_id: customer.id } }),
    'conversation',
  );
  await must(
    await http.post(
      '/api/messages',
      { message: { conversation_id: conv.id, customer_id: customer.id, body: 'I want a refund' } },
      admin.token,
    ),
    'message',
  );
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.goto('/settings/automation');
    await page.getByTestId('rules-empty').waitFor({ timeout: WAIT_MS });

    // Nothing named: told, nothing saved.
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page.getByTestId('rule-error').filter({ hasText: 'Give the rule a name.' }).waitFor();
    t.deepEqual((await http.get('/api/automation/rules', admin.token)).body.data, []);

    // A rule entered with the keyboard.
    await page.getByLabel('Rule name').fill('Refund note');
    await page.getByLabel('When').selectOption('message_created');
    await page.getByLabel('Only if the message contains (optional)').fill('refund');
    await page.getByLabel('Then').selectOption('add_note');
    await page.getByLabel('Text', { exact: true }).fill('Refund requested');
    await page.getByLabel('Rule name').press('Enter');
    await page.getByTestId('rule-row').filter({ hasText: 'Refund note' }).waitFor({ timeout: WAIT_MS });
    const rules = (await http.get('/api/automation/rules', admin.token)).body.data;
    t.is(rules.length, 1);
    t.like(rules[0], { name: 'Refund note', trigger: { type: 'message_created', author: 'customer' } });
    t.deepEqual(rules[0].conditions, [{ type: 'text_contains', value: 'refund', case_sensitive: false }]);

    // Tested against the conversation: it would run for its last message, not for another text.
    await page.getByLabel('Conversation id').fill(conv.id);
    await page.getByRole('button', { name: 'Test rules' }).click();
    await page.getByTestId('preview-result').filter({ hasText: 'Refund note: would run' }).waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Message text (optional: the last message otherwise)').fill('hello');
    await page.getByRole('button', { name: 'Test rules' }).click();
    await page.getByTestId('preview-result').filter({ hasText: 'Refund note: would not run' }).waitFor({ timeout: WAIT_MS });

    // A macro with a shortcut.
    await page.getByLabel('Macro name').fill('Close it');
    await page.getByLabel('Shortcut key (optional)').fill('k');
    await page.getByLabel('Action', { exact: true }).selectOption('close');
    await page.getByRole('button', { name: 'Save macro' }).click();
    await page.getByTestId('macro-row').filter({ hasText: 'Close it (Alt+K)' }).waitFor({ timeout: WAIT_MS });

    // 360 px: the section still fits.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await page.getByTestId('rule-row').first().waitFor({ timeout: WAIT_MS });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    await page.setViewportSize({ width: 1280, height: 800 });

    // The macro from the conversation, by its shortcut: the workflow closes the conversation.
    await page.goto(`/conversations/${conv.id}`);
    await page.getByTestId('macros-menu').waitFor({ timeout: WAIT_MS });
    await page.keyboard.press('Alt+KeyK');
    await page.getByTestId('macro-status').filter({ hasText: 'Close it done.' }).waitFor({ timeout: WAIT_MS });
    const after = await http.get(`/api/conversations/${conv.id}`, admin.token);
    t.is(after.body.data.status, 'closed');
    const log = (await http.get(`/api/conversations/${conv.id}/automation_log`, admin.token)).body.data as Array<{ name: string }>;
    t.true(log.some((e) => e.name === 'Close it'));
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  const agent = await addMember(stack, admin.accountId, 'user');
  const viewer = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await viewer.page.goto('/settings/automation');
    await viewer.page.getByText('Only admins can change automation rules.').waitFor({ timeout: WAIT_MS });
    t.is(await viewer.page.getByTestId('rule-row').count(), 1);
    t.is(await viewer.page.getByRole('button', { name: 'Save rule' }).count(), 0);
  } finally {
    await viewer.context.close();
  }
});
