/**
 * Settings → Mattermost (issue #19, point 5) in headless Chromium against the real stack, with
 * Mattermost as a local fake speaking REST API v4: an admin's refused token is named, then the
 * connection is made with the keyboard and shows the channel and bot (never a token), usable at
 * 360 px; disconnecting returns to the empty state; a plain agent sees it read-only.
 */
import { addMember } from '../../gateway/team.js';
import { registerAccount } from '../../helpers/api.js';
import { startFakeMattermost } from '../../helpers/fake-mattermost.js';
import { consoleSuite, openConsole, sessionFor, shot } from '../browser.js';

const test = consoleSuite();
const WAIT_MS = 60_000;

test.serial('an admin connects Mattermost (a refused token is named), sees the channel, disconnects; an agent sees no form', async (t) => {
  const { stack, api: http, browser } = t.context;
  const mattermost = await startFakeMattermost();
  const admin = await registerAccount(http, 'Mattermost UI Co');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, admin.email, admin.password));
  try {
    await page.setViewportSize({ width: 360, height: 800 });
    await page.goto('/settings/mattermost');
    await page.getByTestId('mattermost-not-connected').waitFor({ timeout: WAIT_MS });
    await page.getByLabel('Server URL').fill(mattermost.url);
    await page.getByLabel('Bot access token').fill('not-the-right-token');
    await page.getByLabel('Channel ID').fill(mattermost.channel.id);
    await page.getByLabel('Outgoing webhook token').fill('outgoing-hook-token');
    await page.getByRole('button', { name: 'Connect Mattermost' }).click();
    await page
      .getByTestId('mattermost-connect-status')
      .filter({ hasText: 'bot token: is not accepted by this server' })
      .waitFor({ timeout: WAIT_MS });

    // With the keyboard: the right token, then Enter submits.
    const token = page.getByLabel('Bot access token');
    await token.focus();
    await token.fill(mattermost.botToken);
    await token.press('Enter');
    await page.getByTestId('mattermost-connected').waitFor({ timeout: WAIT_MS });
    const shown = (await page.getByTestId('mattermost-connected').textContent()) ?? '';
    t.regex(shown, /~Support/);
    t.regex(shown, /@netia-bot/);
    const html = await page.content();
    t.false(html.includes(mattermost.botToken) || html.includes('outgoing-hook-token'), 'no token on the page');
    t.true(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1), 'no horizontal scroll at 360 px');
    await page.screenshot({ path: shot('settings-mattermost') });
    t.is((await http.get('/api/mattermost/authorization', admin.token)).body.data.channel_id, mattermost.channel.id);

    // A plain agent of the account sees the connection, without the admin's buttons.
    const member = await addMember(stack, admin.accountId, 'user');
    const agentView = await openConsole(browser, stack.baseUrl, await sessionFor(http, member.email, member.password));
    try {
      await agentView.page.goto('/settings/mattermost');
      await agentView.page.getByTestId('mattermost-connected').waitFor({ timeout: WAIT_MS });
      await agentView.page.getByText('Only admins can change the Mattermost integration.').waitFor();
      t.is(await agentView.page.getByRole('button', { name: 'Disconnect' }).count(), 0);
      t.deepEqual(agentView.errors, []);
    } finally {
      await agentView.context.close();
    }

    // openConsole dismisses dialogs; this one is answered yes.
    await page.evaluate(() => {
      window.confirm = () => true;
    });
    await page.getByRole('button', { name: 'Disconnect' }).click();
    await page.getByTestId('mattermost-not-connected').waitFor({ timeout: WAIT_MS });
    t.is((await http.get('/api/mattermost/authorization', admin.token)).body.data, null);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
    await mattermost.close();
  }
});
