/**
 * Settings → CRM and the customer page's CRM block (issue #19 point 6) in headless Chromium against
 * the real stack. This suite's stack has no HubSpot or Intercom app configured (the OAuth flow
 * itself runs against the vendors' fakes in tests/integrations/crm.test.ts), so the screen shows
 * how to configure each vendor; a connection and a synced contact written to the database are
 * shown as the API presents them: the connection's last error, the contact's fields and link.
 * Keyboard-reachable, labelled, usable at 360 px; an agent who is not an admin is told who can connect.
 */
import path from 'node:path';
import { sql } from 'slonik';
import { z } from 'zod';
import { addMember } from '../../gateway/team.js';
import { registerAccount } from '../../helpers/api.js';
import { consoleSuite, openConsole, sessionFor, SHOTS } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;
const ZVoid = z.object({}).passthrough();

test.serial(
  'Settings → CRM says how to configure each vendor, shows a connection with its last error, and the customer page shows the CRM contact',
  async (t) => {
    const { stack, api: http, browser } = t.context;
    const admin = await registerAccount(http, 'CRM UI Co');
    const customer = await http.post('/api/customers', {
      customer: { account_id: admin.accountId, name: 'Ines Duarte', email: 'ines@example.com' },
    });
    const customerId = customer.body.data.id as string;
    const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
    try {
      await page.goto('/settings/crm');
      await page.getByRole('heading', { name: 'CRM', exact: true }).waitFor({ timeout: WAIT_MS });
      await page.getByTestId('crm-hubspot-not-configured').filter({ hasText: 'HUBSPOT_CLIENT_ID' }).waitFor();
      await page.getByTestId('crm-intercom-not-configured').filter({ hasText: '/settings/crm' }).waitFor();
      t.is(await page.getByRole('button', { name: /Connect/ }).count(), 0, 'nothing to connect to on this server');

      // A connection whose sync failed (as the delivery records it), and a contact synced for the customer.
      await stack.pool.query(sql.type(ZVoid)`
      INSERT INTO crm_connections (account_id, provider, external_account, settings, secret_box, last_error)
      VALUES (${admin.accountId}, 'intercom', 'abc123xy', ${sql.jsonb({ workspace_name: 'Duarte Workspace', admin_email: 'ops@duarte.example' })},
        'v1:unused', 'Intercom refused our token: Access Token Invalid Connect again in Settings → CRM.')`);
      await stack.pool.query(sql.type(ZVoid)`
      INSERT INTO crm_contacts (customer_id, account_id, provider, contact_id, url, fields)
      VALUES (${customerId}, ${admin.accountId}, 'intercom', '65f0c0ffee', 'https://app.intercom.com/a/apps/abc123xy/users/65f0c0ffee/all-conversations',
        ${sql.jsonb({ Name: 'Ines Duarte', Email: 'ines@example.com', Role: 'user', Location: 'Lisbon, Portugal', Phone: null })})`);
      await page.reload();
      await page.getByTestId('crm-intercom-connected').filter({ hasText: 'Duarte Workspace' }).waitFor({ timeout: WAIT_MS });
      t.regex((await page.getByTestId('crm-intercom-error').textContent()) ?? '', /Access Token Invalid/);

      await page.setViewportSize({ width: 360, height: 740 });
      t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
      await page.screenshot({ path: path.join(SHOTS, 'settings-crm.png'), fullPage: true });
      await page.setViewportSize({ width: 1360, height: 860 });

      await page.goto(`/customers/${customerId}`);
      const block = page.getByTestId('customer-crm');
      await block.getByTestId('crm-contact-intercom').waitFor({ timeout: WAIT_MS });
      t.regex((await block.textContent()) ?? '', /Lisbon, Portugal/);
      t.false(((await block.textContent()) ?? '').includes('Phone'), 'empty fields are not shown');
      const link = block.getByRole('link', { name: 'Open in Intercom' });
      t.is(await link.getAttribute('href'), 'https://app.intercom.com/a/apps/abc123xy/users/65f0c0ffee/all-conversations');
      t.is(await link.getAttribute('rel'), 'noopener noreferrer');
      await link.focus();
      t.true(await link.evaluate((el) => el === document.activeElement), 'the link is keyboard-reachable');
      await page.screenshot({ path: path.join(SHOTS, 'customer-crm.png'), fullPage: true });
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }

    // An agent who is not an admin sees the connection but is told only admins connect.
    const agent = await addMember(stack, admin.accountId, 'user');
    const opened = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
    try {
      await opened.page.goto('/settings/crm');
      await opened.page.getByTestId('crm-intercom-connected').waitFor({ timeout: WAIT_MS });
      t.is(await opened.page.getByRole('button', { name: /Disconnect|Reconnect/ }).count(), 0);
    } finally {
      await opened.context.close();
    }
  },
);
