/**
 * Saved replies with variables (issue #17, item 8) in headless Chromium
 * against the real stack: typing `/` in the reply box lists the account's
 * saved replies with a preview of the picked one, its `{{customer.name}}`,
 * `{{customer.email}}`, `{{agent.name}}` and `{{account.company_name}}` filled
 * in for the open conversation; an unknown variable is flagged and inserted as
 * written; a customer without a name or email gets the fallbacks; the inserted
 * text is what the customer receives; Settings → Saved replies edits one
 * (variable buttons, a preview with sample values) and deletes after a
 * confirmation, and says when the list cannot be loaded (with "Try again").
 * Screenshots: docs/screenshots/saved-replies.png, settings-saved-replies.png.
 */
import { registerAccount } from '../../helpers/api.js';
import { failGets, openConsole, sessionFor, shot, consoleSuite } from '../browser.js';

const test = consoleSuite();

test.serial('a saved reply is previewed and inserted with its variables filled in, fallbacks and unknown ones flagged', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Replies & Co');
  const agentName = agent.email.split('@')[0]!;
  const start = async (customer: Record<string, string>): Promise<string> => {
    const c = (await http.post('/api/customers', { customer: { account_id: agent.accountId, ...customer } })).body.data;
    const res = await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: c.id },
      message: { body: 'Hello?' },
    });
    t.is(res.status, 201);
    return res.body.data.id as string;
  };
  const known = await start({ name: 'Grace Hopper', email: 'grace@example.com' });
  const anonymous = await start({});
  const saved = async (name: string, content: string): Promise<void> => {
    t.is((await http.post('/api/canned_responses', { canned_response: { name, content } }, agent.token)).status, 201);
  };
  await saved('greet', 'Hi {{customer.name}}, {{agent.name}} from {{account.company_name}} here. Ref {{order.id}}');
  await saved('mail', 'We will write to {{ customer.email }}, {{customer.name|friend}}.');

  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    // 1. A known customer: every variable filled in; the unknown one is flagged in the preview.
    // Rows are clicked rather than opened by URL: a conversation opened by URL before the socket is up can hang the
    // page (markRead's failed push flips `read` back at once and the view marks it read again, in microtasks).
    await page.goto('/inbox/open');
    await page.locator(`.conv-row[data-conversation-id="${known}"]`).click();
    const reply = page.getByLabel('Reply to the customer');
    await reply.waitFor();
    await page.getByTestId('messages').locator('li[data-seq="1"]').waitFor({ timeout: 15_000 });
    await reply.fill('/gre');
    const preview = page.getByTestId('saved-reply-preview');
    const filledGreet = `Hi Grace Hopper, ${agentName} from Replies & Co here. Ref {{order.id}}`;
    await preview.locator('.reply-preview-text').filter({ hasText: filledGreet }).waitFor();
    await page.getByTestId('saved-reply-unknown').filter({ hasText: '{{order.id}}' }).waitFor();
    t.is(await preview.locator('.reply-unknown').textContent(), '{{order.id}}');
    t.is(await page.getByTestId('saved-reply-missing').count(), 0);
    await page.screenshot({ path: shot('saved-replies') });
    await reply.press('Enter');
    t.is(await reply.inputValue(), filledGreet, 'inserted as previewed, the unknown variable left visible');

    // The reply goes out as it reads in the box.
    await reply.fill(`${filledGreet.replace(' Ref {{order.id}}', '')}`);
    await reply.press('Enter');
    await page.getByTestId('messages').locator('li[data-seq="2"]').waitFor({ timeout: 15_000 });
    const stored = (await http.get(`/api/messages?conversation_id=${known}`, agent.token)).body.data as { body: string }[];
    t.is(stored.at(-1)?.body, `Hi Grace Hopper, ${agentName} from Replies & Co here.`);

    // 2. The arrow keys move the pick, and the preview follows.
    await reply.fill('/');
    await page.getByRole('option', { name: /\/greet/ }).waitFor();
    await reply.press('ArrowDown');
    await preview.locator('.reply-preview-text').filter({ hasText: 'We will write to grace@example.com, Grace Hopper.' }).waitFor();
    await reply.press('Tab');
    t.is(await reply.inputValue(), 'We will write to grace@example.com, Grace Hopper.');

    // 3. A customer without a name or email: fallbacks, said so in the preview.
    await page.locator(`.conv-row[data-conversation-id="${anonymous}"]`).click();
    await page.getByTestId('messages').locator('li[data-seq="1"]').waitFor({ timeout: 15_000 });
    await reply.fill('/mail');
    await preview.locator('.reply-preview-text').filter({ hasText: 'We will write to your email address, friend.' }).waitFor();
    await page.getByTestId('saved-reply-missing').filter({ hasText: '{{customer.email}}, {{customer.name}}' }).waitFor();
    await reply.press('Enter');
    t.is(await reply.inputValue(), 'We will write to your email address, friend.');
    await reply.fill('/greet');
    await preview
      .locator('.reply-preview-text')
      .filter({ hasText: `Hi there, ${agentName} from Replies & Co here.` })
      .waitFor();

    // 4. Settings → Saved replies: edit one with the variable buttons and a sample preview; delete after a confirmation.
    await page.goto('/settings/saved-replies');
    await page.getByRole('button', { name: 'Edit /mail' }).click();
    const text = page.getByLabel('Text').first();
    await text.fill('Thanks for writing to ');
    await page.getByRole('group', { name: 'Insert a variable' }).first().getByRole('button', { name: '{{account.company_name}}' }).click();
    t.is(await text.inputValue(), 'Thanks for writing to {{account.company_name}}');
    await page
      .getByTestId('saved-reply-preview')
      .locator('.reply-preview-text')
      .filter({ hasText: 'Thanks for writing to your company' })
      .waitFor();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved reply updated.').waitFor();
    const list = (await http.get('/api/canned_responses', agent.token)).body.data as { name: string; content: string }[];
    t.is(list.find((r) => r.name === 'mail')?.content, 'Thanks for writing to {{account.company_name}}');
    await page.getByRole('button', { name: 'Delete /greet' }).click();
    t.is((await http.get('/api/canned_responses', agent.token)).body.data.length, 2, 'nothing deleted before the confirmation');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('[data-saved-reply="greet"]').waitFor({ state: 'detached' });
    t.deepEqual(
      (await http.get('/api/canned_responses', agent.token)).body.data.map((r: { name: string }) => r.name),
      ['mail'],
    );
    await page.screenshot({ path: shot('settings-saved-replies') });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial('Settings → Saved replies: a failed load says so, and "Try again" loads the list', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Replies Down Co');
  t.is(
    (await http.post('/api/canned_responses', { canned_response: { name: 'thanks', content: 'Thanks for writing!' } }, agent.token)).status,
    201,
  );
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    const recover = await failGets(page, (url) => url.pathname === '/api/canned_responses');
    await page.goto('/settings/saved-replies');
    const failure = page.getByRole('alert').filter({ hasText: 'Could not load saved replies: Internal server error' });
    await failure.waitFor();
    t.is(await page.getByTestId('saved-replies').count(), 0, 'no list under the error');
    t.is(await page.getByRole('button', { name: 'Add' }).count(), 0, 'no form either');
    await recover();
    await failure.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-saved-reply="thanks"]').waitFor();
    await failure.waitFor({ state: 'detached' });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
