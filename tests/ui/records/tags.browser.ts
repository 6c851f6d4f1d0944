/**
 * Tags in the console (issue #17, item 2) in headless Chromium against the
 * real stack: an agent tags a conversation from its header (creating a tag on
 * the fly with a colour, then picking an existing one with the keyboard), the
 * list row shows the chips, the sidebar's tag filter narrows the list and is
 * addressable by URL (a reload shows the same list), removing a tag takes the
 * conversation out of the filtered list, and Settings → Tags renames,
 * recolours and deletes (after a confirmation). Every step is checked against
 * the API. A teammate's console sees tags come and go live. Screenshot: docs/screenshots/tags.png.
 */
import { registerAccount } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { openConsole, sessionFor, shot, consoleSuite } from '../browser.js';

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
    t.true(
      await picker.getByRole('button', { name: '+ Tag' }).evaluate((el) => el === document.activeElement),
      'focus returns to the button',
    );
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
