/**
 * Settings → Team in Chromium (issue #18, item 2): every member action asks
 * first in a dialog (Cancel changes nothing): an admin changes a role, disables
 * and enables a teammate, archives one, removes one (the dialog counts their open
 * conversations and reassigns them to a teammate); demoting or removing yourself
 * as the last admin is refused by the server and the dialog says why; an agent
 * sees the list without actions.
 */
import { must, registerAccount, type Api } from '../../helpers/api.js';
import { addMember } from '../../gateway/team.js';
import { consoleSuite, isFocused, openConsole, sessionFor } from '../browser.js';

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

test.serial(
  'an admin manages the team, each action confirmed: role, disable/enable, archive, remove; the last-admin refusals',
  async (t) => {
    const { stack, api: http, browser } = t.context;
    const admin = await registerAccount(http, 'Team Screen');
    const leaving = await addMember(stack, admin.accountId, 'user');
    const heir = await addMember(stack, admin.accountId, 'user');
    const archivee = await addMember(stack, admin.accountId, 'user');
    const held = [await assignedConversation(http, admin, leaving.id), await assignedConversation(http, admin, leaving.id)];
    const leavingName = leaving.email.split('@')[0]!;
    const heirName = heir.email.split('@')[0]!;
    const archiveeName = archivee.email.split('@')[0]!;
    const roleOf = async (id: number): Promise<string> => (await must(await http.get(`/api/users/${id}`, admin.token), 'user')).role;

    const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
    try {
      await page.setViewportSize({ width: 360, height: 740 });
      await page.goto('/settings/team');
      const members = page.getByTestId('team-members');
      await members.getByText(leaving.email).waitFor();
      const dialog = page.getByRole('dialog');
      const dialogError = dialog.getByTestId('team-dialog-error');
      const self = page.getByTestId(`member-${admin.userId}`);

      // The last admin: demoting yourself is confirmed, then refused by the server with the rule in words.
      await self.getByRole('button', { name: /^Make .* an agent$/ }).click();
      await dialog.getByText(/^Make .* an agent\?$/).waitFor();
      await dialog.getByRole('button', { name: /^Make .* an agent$/ }).click();
      await dialogError.getByText(/An account always keeps at least one active admin/).waitFor();
      t.regex((await dialogError.textContent()) ?? '', /last admin of an account cannot be demoted/i, 'the refusal, in words');
      t.is(await roleOf(admin.userId), 'admin', 'still an admin');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });

      // The last admin: removing yourself is refused too, and the dialog says why.
      await self.getByRole('button', { name: /^Remove / }).click();
      await dialog.getByTestId('open-count').waitFor();
      await dialog.getByRole('button', { name: /^Remove / }).click();
      await dialogError.getByText(/An account always keeps at least one active admin/).waitFor();
      t.regex((await dialogError.textContent()) ?? '', /last admin of an account cannot be removed/i);
      t.is((await http.get('/api/me', admin.token)).status, 200, 'still there');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });

      // A role change asks first: Cancel leaves the role as it was, confirming changes it.
      const makeAdmin = page.getByRole('button', { name: `Make ${leavingName} an admin` });
      await makeAdmin.click();
      await dialog.getByText(`Make ${leavingName} an admin?`).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      t.true(await isFocused(makeAdmin), 'focus back on the opener');
      t.is(await roleOf(leaving.id), 'user', 'cancel changes nothing');
      t.is(await page.getByTestId(`member-${leaving.id}`).getByTestId('member-role').textContent(), 'agent');
      await makeAdmin.click();
      await dialog.getByRole('button', { name: `Make ${leavingName} an admin` }).click();
      await page.getByTestId(`member-${leaving.id}`).getByTestId('member-role').getByText('admin').waitFor();
      await page.getByTestId('team-status').getByText(`${leavingName} is now an admin.`).waitFor();
      t.is(await roleOf(leaving.id), 'admin', 'confirm changes it');
      await page.getByRole('button', { name: `Make ${leavingName} an agent` }).click();
      await dialog.getByRole('button', { name: `Make ${leavingName} an agent` }).click();
      await page.getByTestId(`member-${leaving.id}`).getByTestId('member-role').getByText('agent').waitFor();
      t.is(await roleOf(leaving.id), 'user');

      // Disable (Escape cancels a dialog and focus returns), then enable, also confirmed.
      const disable = page.getByRole('button', { name: `Disable ${heirName}` });
      await disable.click();
      await dialog.getByTestId('open-count').waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      t.true(await isFocused(disable), 'focus back on the opener');
      await disable.click();
      await dialog.getByText(`${heirName} holds no open conversations.`).waitFor();
      await dialog.getByRole('button', { name: `Disable ${heirName}` }).click();
      await page.getByTestId(`member-${heir.id}`).getByTestId('member-state').getByText('disabled').waitFor();
      await page.getByRole('button', { name: `Enable ${heirName}` }).click();
      await dialog.getByText(`Enable ${heirName}?`).waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      t.truthy((await must(await http.get(`/api/users/${heir.id}`, admin.token), 'user')).disabled_at, 'cancel leaves them disabled');
      await page.getByRole('button', { name: `Enable ${heirName}` }).click();
      await dialog.getByRole('button', { name: `Enable ${heirName}` }).click();
      await page.getByRole('button', { name: `Disable ${heirName}` }).waitFor();
      t.is((await must(await http.get(`/api/users/${heir.id}`, admin.token), 'user')).disabled_at, null, 'enabled');

      // Archive through the dialog.
      await page.getByRole('button', { name: `Archive ${archiveeName}` }).click();
      await dialog.getByText(`${archiveeName} holds no open conversations.`).waitFor();
      await dialog.getByRole('button', { name: `Archive ${archiveeName}` }).click();
      await page.getByTestId(`member-${archivee.id}`).getByTestId('member-state').getByText('archived').waitFor();
      await page.getByTestId('team-status').getByText(`${archiveeName} was archived.`).waitFor();
      t.truthy((await must(await http.get(`/api/users/${archivee.id}`, admin.token), 'user')).archived_at, 'archived');

      // Remove with reassignment through the dialog.
      await page.getByRole('button', { name: `Remove ${leavingName}` }).click();
      await dialog.getByText(`${leavingName} holds 2 open conversations.`).waitFor();
      await dialog.getByLabel('Teammate to reassign to').selectOption({ label: heirName });
      await dialog.getByRole('radio', { name: 'Reassign to' }).check();
      await dialog.getByRole('button', { name: `Remove ${leavingName}` }).click();
      await page
        .getByTestId('team-status')
        .getByText(`${leavingName} was removed. Their open conversations went to ${heirName}.`)
        .waitFor();
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
  },
);
