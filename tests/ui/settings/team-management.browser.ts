/**
 * Settings → Team in Chromium (issue #18, item 2): an admin changes a role,
 * disables and enables a teammate, removes one through the confirmation dialog
 * (which counts their open conversations and reassigns them to a teammate), and
 * sees the last-admin refusal in words; an agent sees the list without actions.
 */
import { must, registerAccount, type Api } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { consoleSuite, openConsole, sessionFor } from '../browser.js';

const test = consoleSuite();

async function assignedConversation(http: Api, admin: { token: string; accountId: string }, assigneeId: number): Promise<string> {
  const customer = await must(await http.post('/api/customers', { customer: { account_id: admin.accountId } }), 'customer');
  const created = await must(
    await http.post('/api/conversations', { conversation: { customer_id: customer.id } }, admin.token),
    'conversation',
  );
  await must(await http.put(`/api/conversations/${created.id}`, { conversation: { assignee_id: assigneeId } }, admin.token), 'assign');
  return created.id as string;
}

test.serial('an admin manages the team: role, disable/enable, remove with reassignment, the last-admin refusal', async (t) => {
  const { stack, api: http, browser } = t.context;
  const admin = await registerAccount(http, 'Team Screen');
  const leaving = await addMember(stack, admin.accountId, 'user');
  const heir = await addMember(stack, admin.accountId, 'user');
  const held = [await assignedConversation(http, admin, leaving.id), await assignedConversation(http, admin, leaving.id)];
  const leavingName = leaving.email.split('@')[0]!;
  const heirName = heir.email.split('@')[0]!;

  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto('/settings/team');
    const members = page.getByTestId('team-members');
    await members.getByText(leaving.email).waitFor();

    // The last admin: demoting yourself is refused with the rule in words.
    await page.getByRole('button', { name: /^Make .* an agent$/ }).click();
    await page
      .getByTestId('team-status')
      .getByText(/last admin always|last admin cannot|at least one active admin/)
      .waitFor();
    t.regex((await page.getByTestId('team-status').textContent()) ?? '', /An account always keeps at least one active admin/);

    // Role change.
    await page.getByRole('button', { name: `Make ${leavingName} an admin` }).click();
    await page.getByTestId(`member-${leaving.id}`).getByTestId('member-role').getByText('admin').waitFor();
    t.is((await must(await http.get(`/api/users/${leaving.id}`, admin.token), 'user')).role, 'admin');
    await page.getByRole('button', { name: `Make ${leavingName} an agent` }).click();
    await page.getByTestId(`member-${leaving.id}`).getByTestId('member-role').getByText('agent').waitFor();

    // Disable (keeping the conversations) and enable; Escape cancels a dialog and focus returns.
    const disable = page.getByRole('button', { name: `Disable ${heirName}` });
    await disable.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('open-count').waitFor();
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    t.true(await disable.evaluate((el) => el === document.activeElement), 'focus back on the opener');
    await disable.click();
    await dialog.getByText(`${heirName} holds no open conversations.`).waitFor();
    await dialog.getByRole('button', { name: `Disable ${heirName}` }).click();
    await page.getByTestId(`member-${heir.id}`).getByTestId('member-state').getByText('disabled').waitFor();
    await page.getByRole('button', { name: `Enable ${heirName}` }).click();
    await page.getByRole('button', { name: `Disable ${heirName}` }).waitFor();

    // Remove with reassignment through the dialog.
    await page.getByRole('button', { name: `Remove ${leavingName}` }).click();
    await dialog.getByText(`${leavingName} holds 2 open conversations.`).waitFor();
    await dialog.getByLabel('Teammate to reassign to').selectOption({ label: heirName });
    await dialog.getByRole('radio', { name: 'Reassign to' }).check();
    await dialog.getByRole('button', { name: `Remove ${leavingName}` }).click();
    await page.getByTestId('team-status').getByText(`${leavingName} was removed. Their open conversations went to ${heirName}.`).waitFor();
    await members.getByText(leaving.email).waitFor({ state: 'detached' });
    for (const id of held) {
      t.is((await must(await http.get(`/api/conversations/${id}`, admin.token), 'conversation')).assignee_id, heir.id);
      t.is((await stack.conversations.describe(id)).record.assigneeId, heir.id);
    }
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }

  // An agent sees the list without actions.
  const agentView = await openConsole(browser, stack.baseUrl, await sessionFor(http, heir.email, 'member password 1'));
  try {
    await agentView.page.goto('/settings/team');
    await agentView.page.getByTestId('team-members').getByText(admin.email).waitFor();
    await agentView.page.getByText('Only admins can change roles, disable, archive or remove teammates.').waitFor();
    t.is(await agentView.page.getByRole('button', { name: /^(Remove|Disable|Make) / }).count(), 0);
  } finally {
    await agentView.context.close();
  }
});
