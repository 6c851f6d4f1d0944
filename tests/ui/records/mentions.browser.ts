/**
 * @mentions in the console (issue #17 item 3), two agents of one account in
 * headless Chromium against the real stack: Ada writes a private note, types
 * `@Be`, picks Bea from the suggestions with the keyboard (the chosen mention
 * shows as a chip) and sends it; Bea's "Mentions" count goes up live and a
 * notice announces it, without a reload; Bea opens the conversation from the
 * Mentions list and the count clears (on the server too). The Mentions list
 * that fails to load says so and loads again from "Try again". Screenshots:
 * docs/screenshots/mentions.png (the suggestions while typing),
 * mentions-inbox.png (the Mentions list).
 */
import { registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { failGets, openConsole, sessionFor, shot, consoleSuite } from '../browser.js';

const test = consoleSuite();

test('Ada mentions Bea in a note: Bea’s Mentions count goes up live, and opening the conversation clears it', async (t) => {
  const { stack, api: http, browser } = t.context;
  const ada = await registerAccount(http, 'Mention Co');
  const bea = await addMember(stack, ada.accountId);
  const cal = await addMember(stack, ada.accountId);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Ada' } }, ada.token)).status, 200);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Bea' } }, bea.token)).status, 200);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Cal' } }, cal.token)).status, 200);
  const customer = (await http.post('/api/customers', { customer: { account_id: ada.accountId, name: 'Grace Hopper' } })).body.data;
  const created = await http.post('/api/conversations', {
    conversation: { account_id: ada.accountId, customer_id: customer.id },
    message: { body: 'My order is late' },
  });
  t.is(created.status, 201);
  const conversationId = created.body.data.id as string;

  const adaPage = await openConsole(browser, stack.baseUrl, await sessionFor(http, ada.email, ada.password));
  const beaPage = await openConsole(browser, stack.baseUrl, await sessionFor(http, bea.email, bea.password));
  try {
    // Bea is in her inbox; no mention yet.
    const { page: b } = beaPage;
    await b.goto('/inbox/open');
    const beaMentions = b.locator('a.nav-item[data-list="mentions"]');
    await beaMentions.waitFor();
    await b.locator(`.conv-row[data-conversation-id="${conversationId}"]`).waitFor();
    t.is(await beaMentions.locator('.badge').count(), 0, 'no mention yet');

    // Ada writes a note and mentions Bea with the keyboard.
    const { page: a } = adaPage;
    await a.goto(`/inbox/open/${conversationId}`);
    await a.getByTestId('note-toggle').click();
    const note = a.getByLabel('Private note (only your team sees it)');
    await note.click();
    await note.pressSequentially('@b');
    const list = a.getByRole('listbox', { name: 'Mention a teammate' });
    await list.waitFor();
    const options = await list.getByRole('option').allTextContents();
    t.is(options[0], `@Bea ${bea.email}`, 'the name that starts with "b" comes first');
    t.false(
      options.some((o) => o.includes(ada.email)),
      'never Ada herself',
    );
    await note.press('Backspace');
    t.is(await list.getByRole('option').count(), 2, 'an empty query lists every teammate but me');
    await note.pressSequentially('Bea');
    await list.getByRole('option', { name: /@Bea/ }).waitFor();
    t.is(await list.getByRole('option').count(), 1, 'filtered as one types');
    const active = await note.getAttribute('aria-activedescendant');
    t.truthy(active, 'the textarea names the highlighted option');
    t.is(await a.locator(`[id="${active}"]`).getAttribute('aria-selected'), 'true');
    t.is(await note.getAttribute('aria-expanded'), 'true');
    await a.screenshot({ path: shot('mentions') });
    await note.press('Enter'); // chooses, does not send
    await list.waitFor({ state: 'detached' });
    t.is(await note.inputValue(), '@Bea ');
    await a.getByTestId('mention-chips').getByText('@Bea').waitFor();
    // Escape closes the list without choosing.
    await note.pressSequentially('@c');
    await list.waitFor();
    await note.press('Escape');
    await list.waitFor({ state: 'detached' });
    await note.press('Backspace');
    await note.press('Backspace');
    await note.pressSequentially('can you check the order?');
    await note.press('Enter');
    // The stored note (not the optimistic copy) shows whom it mentions.
    const sent = a.locator('.msg-note:not(.pending)', { hasText: 'can you check the order?' });
    await sent.locator('[data-testid="note-mentions"]', { hasText: '@Bea' }).waitFor();
    const transcript = await http.get(`/api/messages?conversation_id=${conversationId}`, ada.token);
    const stored = transcript.body.data.find((m: { body: string }) => m.body === '@Bea can you check the order?');
    t.deepEqual(stored?.mentioned_user_ids, [bea.id], 'the note was sent with Bea’s id');

    // Bea: the count goes up and a notice says who, live.
    await beaMentions.locator('.badge', { hasText: '1' }).waitFor();
    t.is(await beaMentions.locator('.badge').getAttribute('aria-label'), '1 unread Mentions');
    const toast = b.getByTestId('mention-toast');
    await toast.waitFor();
    t.regex((await toast.textContent()) ?? '', /Ada mentioned you: @Bea can you check the order\?/);
    t.is(await b.getByTestId('mention-toasts').getAttribute('aria-live'), 'polite');

    // Bea opens the Mentions list, then the conversation: seen, the count clears.
    await beaMentions.click();
    await b.waitForURL('**/inbox/mentions');
    const row = b.locator(`.conv-row[data-conversation-id="${conversationId}"]`);
    await row.waitFor();
    await row.click();
    await b.waitForURL(`**/inbox/mentions/${conversationId}`);
    await b.locator('.msg-note [data-testid="note-mentions"] .mention-chip.me').waitFor();
    await beaMentions.locator('.badge').waitFor({ state: 'detached' });
    const unread = await http.get('/api/conversations/unread', bea.token);
    t.is(unread.body.data.mentioned, 0, 'seen on the server');
    const seen = await http.get('/api/conversations?mentioning=me&has_seen_mention=true', bea.token);
    t.deepEqual(
      seen.body.data.map((c: { id: string }) => c.id),
      [conversationId],
    );
    t.deepEqual(adaPage.errors, []);
    t.deepEqual(beaPage.errors, []);
  } finally {
    await adaPage.context.close();
    await beaPage.context.close();
  }
});

test('Settings → Notifications: an agent turns mention emails off and on; the API and a reload agree; a failed save puts the box back', async (t) => {
  const { stack, api: http, browser } = t.context;
  const owner = await registerAccount(http, 'Quiet Co');
  const opened = await openConsole(browser, stack.baseUrl, await sessionFor(http, owner.email, owner.password));
  const { page, context, errors } = opened;
  try {
    await page.goto('/settings/notifications');
    const box = page.getByLabel('Email me when a teammate mentions me in a note');
    await box.waitFor();
    t.true(await box.isChecked(), 'on by default');
    await box.uncheck();
    await page.getByTestId('mention-alerts-status').filter({ hasText: 'Mention emails are off.' }).waitFor();
    t.false((await http.get('/api/user_settings', owner.token)).body.data.email_alert_on_mention);
    await page.reload();
    await box.waitFor();
    t.false(await box.isChecked(), 'kept after a reload');

    await page.route('**/api/user_settings', (route) =>
      route.request().method() === 'PUT' ? route.abort('internetdisconnected') : route.continue(),
    );
    // click, not check: the refused save may put the box back before Playwright looks at it.
    await box.click();
    await page.getByRole('alert').filter({ hasText: 'The server cannot be reached' }).waitFor();
    t.false(await box.isChecked(), 'the failed save is undone');
    await page.unroute('**/api/user_settings');
    await box.check();
    await page.getByTestId('mention-alerts-status').filter({ hasText: 'You will be emailed when a teammate mentions you.' }).waitFor();
    t.true((await http.get('/api/user_settings', owner.token)).body.data.email_alert_on_mention);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the Mentions list: a failed load says so with "Try again", which loads the conversations mentioning me', async (t) => {
  const { stack, api: http, browser } = t.context;
  const ada = await registerAccount(http, 'Mention List Co');
  const bea = await addMember(stack, ada.accountId);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Ada' } }, ada.token)).status, 200);
  t.is((await http.put('/api/profile', { user_profile: { display_name: 'Bea' } }, bea.token)).status, 200);
  const conversation = async (name: string, body: string): Promise<string> => {
    const customer = (await http.post('/api/customers', { customer: { account_id: ada.accountId, name } })).body.data;
    const created = await http.post('/api/conversations', {
      conversation: { account_id: ada.accountId, customer_id: customer.id },
      message: { body },
    });
    t.is(created.status, 201);
    return created.body.data.id as string;
  };
  const mentioned = [
    await conversation('Grace Hopper', 'The invoice shows the wrong VAT number'),
    await conversation('Alan Turing', 'Two-factor codes arrive after they expire'),
  ];
  const notMentioned = await conversation('Edsger Dijkstra', 'Just saying thanks');
  for (const [i, id] of mentioned.entries()) {
    const note = await http.post(
      '/api/messages',
      {
        message: {
          conversation_id: id,
          body: `@Bea ${i === 0 ? 'billing question for you' : 'can you check the SMS provider?'}`,
          type: 'note',
          mentioned_user_ids: [bea.id],
        },
      },
      ada.token,
    );
    t.is(note.status, 201);
  }
  const { page, context, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, bea.email, bea.password));
  try {
    const recover = await failGets(page, (url) => url.pathname === '/api/conversations' && url.searchParams.get('mentioning') === 'me');
    await page.goto('/inbox/mentions');
    const failure = page.getByRole('alert').filter({ hasText: 'Conversations could not be loaded: Internal server error' });
    await failure.waitFor();
    t.is(await page.locator('.conv-row').count(), 0);
    await recover();
    await failure.getByRole('button', { name: 'Try again' }).click();
    for (const id of mentioned) await page.locator(`.conv-row[data-conversation-id="${id}"]`).waitFor();
    await failure.waitFor({ state: 'detached' });
    t.is(await page.locator(`.conv-row[data-conversation-id="${notMentioned}"]`).count(), 0, 'only the conversations mentioning Bea');
    await page.locator('a.nav-item[data-list="mentions"] .badge', { hasText: '2' }).waitFor();
    await page.screenshot({ path: shot('mentions-inbox') });
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
