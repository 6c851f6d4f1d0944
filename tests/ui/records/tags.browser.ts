/**
 * Tags in the console (issue #17, item 2) in headless Chromium against the
 * real stack: an agent tags a conversation from its header (creating a tag on
 * the fly with a colour, then picking an existing one with the keyboard), the
 * list row shows the chips, the sidebar's tag filter narrows the list and is
 * addressable by URL (a reload shows the same list), removing a tag takes the
 * conversation out of the filtered list, and Settings → Tags renames,
 * recolours and deletes (after a confirmation). Every step is checked against
 * the API. A teammate's console sees tags come and go live. Settings → Tags
 * says when the tags cannot be loaded (with "Try again"), and creates, renames
 * and deletes by keyboard only. Screenshot: docs/screenshots/tags.png.
 */
import { registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { failGets, openConsole, sessionFor, shot, consoleSuite, isFocused, tabTo } from '../browser.js';

const test = consoleSuite();

type TagJson = { id: string; name: string; color: string | null };

test.serial('an agent tags a conversation, filters the inbox by tag, and manages tags in Settings', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Tagging Co');
  const conversation = async (name: string, body: string): Promise<string> => {
    const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name } })).body.data;
    const res = await http.post('/api/conversations', {
      conversation: { account_id: agent.accountId, customer_id: customer.id },
      message: { body },
    });
    t.is(res.status, 201);
    return res.body.data.id as string;
  };
  const tagged = await conversation('Grace Hopper', 'My invoice is wrong');
  const other = await conversation('Alan Turing', 'Just saying hi');
  const billing = (await http.post('/api/tags', { tag: { name: 'billing', color: '#2563eb' } }, agent.token)).body.data as TagJson;
  const tagsOf = async (id: string): Promise<TagJson[]> => (await http.get(`/api/conversations/${id}`, agent.token)).body.data.tags;

  const mate = await addMember(stack, agent.accountId);
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  const teammate = await openConsole(t.context.browser, stack.baseUrl, await sessionFor(http, mate.email, mate.password));
  try {
    await teammate.page.goto('/inbox/open');
    const mateRow = teammate.page.locator(`.conv-row[data-conversation-id="${tagged}"]`);
    await mateRow.waitFor({ timeout: 15_000 });
    // The teammate's socket is up (they show online to the agent) before anything is tagged.
    await page.goto('/inbox/open');
    await page.getByTestId('team-online').locator(`[data-user-id="${mate.id}"]`).waitFor({ timeout: 15_000 });
    const row = page.locator(`.conv-row[data-conversation-id="${tagged}"]`);
    await row.waitFor({ timeout: 15_000 });
    await page.locator(`.conv-row[data-conversation-id="${other}"]`).waitFor();
    await row.click();
    const picker = page.getByTestId('tag-picker');
    await picker.waitFor();

    // 1. Create a tag on the fly, with a colour.
    await picker.getByRole('button', { name: '+ Tag' }).click();
    const search = page.getByRole('combobox', { name: 'Search or create a tag' });
    await search.fill('vip');
    await page.getByRole('option', { name: 'Create “vip”' }).waitFor();
    await page.getByRole('radio', { name: 'red' }).check();
    await search.press('Enter');
    await picker.getByRole('button', { name: 'Remove tag vip' }).waitFor();
    const vip = (await tagsOf(tagged)).find((x) => x.name === 'vip');
    t.is(vip?.color, '#dc2626', 'created with the chosen colour and attached');

    // 2. Pick an existing tag with the keyboard only.
    await picker.getByRole('button', { name: '+ Tag' }).focus();
    await page.keyboard.press('Enter');
    await search.waitFor();
    await page.keyboard.type('bil');
    await page.getByRole('option', { name: 'billing' }).waitFor();
    t.deepEqual(
      await page.locator('.tag-pop').getByRole('option').allTextContents(),
      ['billing', 'Create “bil”'],
      'matches first, then an offer to create the typed name',
    );
    t.is(await page.getByRole('option', { name: 'billing' }).getAttribute('aria-selected'), 'true');
    await page.keyboard.type('LING');
    await page.getByRole('option', { name: /Create/ }).waitFor({ state: 'detached' });
    await page.keyboard.press('Enter');
    await picker.getByRole('button', { name: 'Remove tag billing' }).waitFor();
    t.true(await isFocused(picker.getByRole('button', { name: '+ Tag' })), 'focus returns to the button');
    t.deepEqual(
      (await tagsOf(tagged)).map((x) => x.name),
      ['billing', 'vip'],
    );

    // The teammate's list shows them live (conversation:tags on the account topic).
    await mateRow.locator('.tag-chip[data-tag="billing"]').waitFor();
    await mateRow.locator('.tag-chip[data-tag="vip"]').waitFor();

    // 3. The list row shows the chips.
    await row.locator('.tag-chip[data-tag="billing"]').waitFor();
    await row.locator('.tag-chip[data-tag="vip"]').waitFor();
    t.is(await page.locator(`.conv-row[data-conversation-id="${other}"] .tag-chip`).count(), 0);

    // 4. The sidebar's tag filter narrows the list and lives in the URL.
    const filter = page.getByTestId('tag-filter');
    await filter.locator(`[data-tag-id="${billing.id}"]`).click();
    await page.waitForURL(new RegExp(`/inbox/open\\?tag=${billing.id}$`));
    await page.getByTestId('list-total').filter({ hasText: '1' }).waitFor();
    await page.locator(`.conv-row[data-conversation-id="${other}"]`).waitFor({ state: 'detached' });
    t.is(await filter.locator(`[data-tag-id="${billing.id}"]`).getAttribute('aria-current'), 'page');
    await page.screenshot({ path: shot('tags') });
    await page.reload();
    await row.waitFor();
    t.is(await page.locator('.conv-row').count(), 1, 'the filtered list after a reload');
    t.regex(await page.title(), /#billing/);

    // 5. Removing the tag takes the conversation out of the filtered list.
    await row.click();
    await picker.getByRole('button', { name: 'Remove tag billing' }).click();
    await page.getByTestId('list-empty').waitFor();
    t.deepEqual(
      (await tagsOf(tagged)).map((x) => x.name),
      ['vip'],
    );
    await mateRow.locator('.tag-chip[data-tag="billing"]').waitFor({ state: 'detached' });
    t.deepEqual(teammate.errors, []);
    await filter.getByRole('link', { name: 'All conversations' }).click();
    await page.locator(`.conv-row[data-conversation-id="${other}"]`).waitFor();

    // 6. Settings → Tags: rename and recolour, delete after a confirmation.
    await page.goto('/settings/tags');
    await page.getByRole('heading', { name: 'Tags', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Edit tag vip' }).click();
    await page.getByLabel('Name', { exact: true }).fill('VIP customers');
    await page.getByRole('group', { name: 'Colour of vip' }).getByRole('radio', { name: 'green' }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.locator('[data-tag-row="VIP customers"]').waitFor();
    const renamed = (await http.get(`/api/tags/${vip!.id}`, agent.token)).body.data as TagJson;
    t.deepEqual([renamed.name, renamed.color], ['VIP customers', '#16a34a']);
    await page.getByRole('button', { name: 'Delete tag billing' }).click();
    await page.getByText('Delete “billing”? It is removed from every conversation and customer.').waitFor();
    t.is((await http.get(`/api/tags/${billing.id}`, agent.token)).status, 200, 'nothing deleted before the confirmation');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await page.locator('[data-tag-row="billing"]').waitFor({ state: 'detached' });
    t.is((await http.get(`/api/tags/${billing.id}`, agent.token)).status, 404);
    // The sidebar follows at once.
    await filter.locator(`[data-tag-id="${billing.id}"]`).waitFor({ state: 'detached' });
    await filter.getByText('VIP customers').waitFor();
    await page.screenshot({ path: shot('settings-tags') });

    // 7. At 360 px the header's picker still opens and fits.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/inbox/open');
    await row.click();
    await picker.getByRole('button', { name: '+ Tag' }).click();
    const box = await page.locator('.tag-pop').boundingBox();
    t.truthy(box);
    t.true(box!.x >= 0 && box!.x + box!.width <= 360, `popover within the screen: ${JSON.stringify(box)}`);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
    await teammate.context.close();
  }
});

test.serial('Settings → Tags: a failed load says so with "Try again"; create, rename and delete by keyboard only', async (t) => {
  const { api: http, stack } = t.context;
  const agent = await registerAccount(http, 'Keyboard Tags Co');
  const billing = (await http.post('/api/tags', { tag: { name: 'billing', color: '#2563eb' } }, agent.token)).body.data as TagJson;
  const tags = async (): Promise<TagJson[]> => (await http.get('/api/tags', agent.token)).body.data;
  const { context, page, errors } = await openConsole(
    t.context.browser,
    stack.baseUrl,
    await sessionFor(http, agent.email, agent.password),
  );
  try {
    // The account's tags fail to load: said as an alert, and "Try again" loads them.
    const recover = await failGets(page, (url) => url.pathname === '/api/tags');
    await page.goto('/settings/tags');
    const failure = page.getByRole('alert').filter({ hasText: 'Could not load tags: Internal server error' });
    await failure.waitFor();
    t.is(await page.getByTestId('tag-rows').count(), 0);
    await recover();
    await failure.getByRole('button', { name: 'Try again' }).click();
    await page.locator('[data-tag-row="billing"]').waitFor();
    await failure.waitFor({ state: 'detached' });

    // Create: Tab to the name, type, Tab into the colours, an arrow picks the next one, Enter on "Create tag".
    await tabTo(page, page.getByLabel('New tag', { exact: true }));
    await page.keyboard.type('refunds');
    await page.keyboard.press('Tab');
    t.true(await isFocused(page.getByRole('group', { name: 'Colour of the new tag' }).getByRole('radio', { name: 'blue' })));
    await page.keyboard.press('ArrowRight');
    await tabTo(page, page.getByRole('button', { name: 'Create tag' }));
    await page.keyboard.press('Enter');
    await page.locator('[data-tag-row="refunds"]').waitFor();
    const refunds = (await tags()).find((x) => x.name === 'refunds');
    t.is(refunds?.color, '#16a34a', 'created green');

    // Rename: Enter on "Edit" puts the focus in the name; Enter saves; the focus is back on the row's "Edit".
    await tabTo(page, page.getByRole('button', { name: 'Edit tag billing' }), 'Shift+Tab');
    await page.keyboard.press('Enter');
    const name = page.getByLabel('Name', { exact: true });
    await name.waitFor();
    await page.waitForFunction(() => document.activeElement?.id?.endsWith('-name') === true);
    t.true(await isFocused(name), 'the form opens with the focus in the name');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('invoices');
    await page.keyboard.press('Enter');
    await page.locator('[data-tag-row="invoices"]').waitFor();
    t.is((await http.get(`/api/tags/${billing.id}`, agent.token)).body.data.name, 'invoices');
    const editInvoices = page.getByRole('button', { name: 'Edit tag invoices' });
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Edit') === true);
    t.true(await isFocused(editInvoices), 'the focus is back on the row');

    // Delete: the question takes the focus on "Keep it" (which gives it back), then Shift+Tab, "Yes, delete".
    const remove = page.getByRole('button', { name: 'Delete tag refunds' });
    await tabTo(page, remove);
    await page.keyboard.press('Enter');
    const keep = page.getByRole('button', { name: 'Keep it' });
    await keep.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Keep it');
    await page.keyboard.press('Enter');
    await remove.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent?.startsWith('Delete') === true);
    t.true(await isFocused(remove), '"Keep it" gives the focus back to "Delete"');
    t.is((await http.get(`/api/tags/${refunds!.id}`, agent.token)).status, 200, 'kept');
    await page.keyboard.press('Enter');
    await keep.waitFor();
    await page.waitForFunction(() => document.activeElement?.textContent === 'Keep it');
    await page.keyboard.press('Shift+Tab');
    t.true(await isFocused(page.getByRole('button', { name: 'Yes, delete' })));
    await page.keyboard.press('Enter');
    await page.locator('[data-tag-row="refunds"]').waitFor({ state: 'detached' });
    t.is((await http.get(`/api/tags/${refunds!.id}`, agent.token)).status, 404);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
