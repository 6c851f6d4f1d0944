/**
 * Files in the console (issue #17, item 1) in headless Chromium against the
 * real stack: a visitor's image and PDF show on their message (thumbnail with
 * a keyboard lightbox, download card with name, size and type); the agent
 * attaches by button (with a progress bar on a throttled link), by drag and
 * drop and by paste, removes one before sending, and the customer receives
 * the files; a file over the server's limit, a refused type and an offline
 * upload are refused with a clear message and nothing is sent; a private note
 * carries a file the customer never sees. Files that arrive by a channel
 * (a forwarded email through the signed inbound webhook, a Gmail mail synced
 * from the local fake Google server, an MMS from the local fake Twilio) show
 * the same way.
 */
import anyTest, { type TestFn } from 'ava';
import type { Browser, Page } from 'playwright-core';
import { api, connectSocket, join, registerAccount, type Api } from '../helpers/api.js';
import { uniqueName } from '../helpers/env.js';
import { linkGmailMailbox, startFakeGoogle, type FakeGoogle } from '../helpers/fake-google.js';
import { startFakeTwilio, type FakeTwilio } from '../helpers/fake-twilio.js';
import { createForwardingAddress, deliverInboundEmail, INBOUND_EMAIL_ENV } from '../helpers/inbound-email.js';
import { INTEGRATIONS_ENV } from '../helpers/integrations.js';
import { connectTwilio, mediaParams, newMessageSid, newPhoneNumber, postTwilioForm, signedSms } from '../helpers/sms.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { launchChromium, openConsole, sessionFor, shot } from './browser.js';
import { ensureUiBuilt } from './build.js';
import { threadConversationId } from '../../services/gmail/inbound.js';
import type { GmailSyncWorkflowResult } from '../../workflows/gmail-sync/messages.js';

interface Ctx {
  stack: Stack;
  api: Api;
  browser: Browser;
  twilio: FakeTwilio;
  google: FakeGoogle;
}
const test = anyTest as TestFn<Ctx>;

const MAX_BYTES = 300_000;

test.before(async (t) => {
  const [twilio, google] = await Promise.all([startFakeTwilio(), startFakeGoogle()]);
  const [stack, browser] = await Promise.all([
    ensureUiBuilt().then(() =>
      startStack({
        env: {
          // Forwarded email, Gmail and Twilio (the local fakes) on, so files also arrive by those channels.
          ...INTEGRATIONS_ENV,
          ...INBOUND_EMAIL_ENV,
          ...google.env,
          // Mailboxes are synced by the test (one run), not by the schedule.
          GMAIL_SYNC_INTERVAL_SECONDS: '3600',
          TWILIO_API_URL: twilio.url,
          UPLOAD_MAX_BYTES: String(MAX_BYTES),
          UPLOAD_DIR: `.netia/test/uploads-ui-${process.pid}`,
        },
      }),
    ),
    launchChromium(),
  ]);
  t.context = { stack, api: api(stack.baseUrl), browser, twilio, google };
});
test.after.always(async (t) => {
  await t.context.browser?.close();
  await t.context.stack?.stop();
  await t.context.twilio?.close();
  await t.context.google?.close();
});

/** A 2×2 red PNG (valid, so the thumbnail really renders). */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

async function widgetUpload(stack: Stack, accountId: string, customerId: string, name: string, type: string, data: Buffer) {
  const form = new FormData();
  form.append('account_id', accountId);
  form.append('customer_id', customerId);
  form.append('file', new Blob([new Uint8Array(data)], { type }), name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`upload ${res.status}: ${JSON.stringify(body)}`);
  return body.data.id;
}

/** Drop or paste files built in the page (a string script: tsx's __name helper does not exist in the page). */
async function dispatchFiles(page: Page, kind: 'drop' | 'paste', files: { name: string; type: string; text: string }[]): Promise<void> {
  await page.evaluate(`(() => {
    const files = ${JSON.stringify(files)};
    const dt = new DataTransfer();
    for (const f of files) dt.items.add(new File([f.text], f.name, { type: f.type }));
    if (${JSON.stringify(kind)} === 'drop') {
      const form = document.querySelector('form.composer');
      form.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    } else {
      document.querySelector('#reply').dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }
  })()`);
}

test.serial('the agent sees the visitor’s files and sends files by button, drop and paste, with progress and clear refusals', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Files Co');
  const customer = (await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Vera Visitor' } })).body.data;
  const imageId = await widgetUpload(stack, agent.accountId, customer.id as string, 'screenshot.png', 'image/png', PNG);
  const pdfId = await widgetUpload(stack, agent.accountId, customer.id as string, 'invoice.pdf', 'application/pdf', PDF);
  const created = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.id },
    message: { body: 'Here is what I see', file_ids: [imageId, pdfId] },
  });
  t.is(created.status, 201, JSON.stringify(created.body));
  const conversationId = created.body.data.id as string;
  // The first message is stored by the conversation's workflow: wait until the API shows it with its files (bounded).
  const deadline = Date.now() + 60_000;
  for (;;) {
    const read = await http.get(`/api/conversations/${conversationId}`, agent.token);
    if ((read.body.data?.messages?.[0]?.attachments?.length ?? 0) === 2) break;
    if (Date.now() > deadline) throw new Error(`the first message was not stored within 60 s: ${JSON.stringify(read.body)}`);
  }
  const customerSocket = connectSocket(stack.wsUrl, { account_id: agent.accountId });
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  const uploads: string[] = [];
  page.on('request', (r) => {
    if (r.url().endsWith('/api/upload')) uploads.push(r.method());
  });
  try {
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customer.id });
    await page.goto(`/inbox/open/${conversationId}`);
    const first = page.locator('li[data-seq="1"]');
    await first.locator('[data-testid="attachments"]').waitFor({ timeout: 90_000 });

    // 1. The visitor's files: the image as a thumbnail that really loaded, the PDF as a download card.
    const thumb = first.getByRole('button', { name: /Open image screenshot\.png/ });
    await thumb.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    t.is(await thumb.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), 2);
    const card = first.getByTestId('file-card');
    t.is(await card.locator('.file-name').textContent(), 'invoice.pdf');
    t.regex((await card.textContent()) ?? '', /\d+ bytes · PDF/);
    t.is(await card.getAttribute('href'), `/api/files/${pdfId}/invoice.pdf`);

    // 2. The lightbox: keyboard opens it, focus moves in, Escape closes it and focus returns to the thumbnail.
    await thumb.focus();
    await page.keyboard.press('Enter');
    const dialog = page.getByRole('dialog', { name: 'Image: screenshot.png' });
    await dialog.waitFor();
    await page.waitForFunction(`document.activeElement?.textContent === 'Close'`);
    await page.screenshot({ path: shot('attachments-lightbox') });
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    t.true(await thumb.evaluate((el) => el === document.activeElement), 'focus is back on the thumbnail');

    // 3. Too large and a refused type: refused in words before any upload.
    await page.setInputFiles('#attach-files', { name: 'huge.zip', mimeType: 'application/zip', buffer: Buffer.alloc(MAX_BYTES + 1, 1) });
    const pending = page.getByTestId('pending-files');
    await pending.getByRole('alert').filter({ hasText: '“huge.zip” is too large' }).waitFor();
    t.regex((await pending.getByRole('alert').first().textContent()) ?? '', /the limit is 293 KB/);
    await page.setInputFiles('#attach-files', { name: 'page.html', mimeType: 'text/html', buffer: Buffer.from('<p>x</p>') });
    await pending.getByRole('alert').filter({ hasText: 'text/html files are not accepted' }).waitFor();
    t.deepEqual(uploads, [], 'nothing was uploaded');
    t.true(await page.getByRole('button', { name: 'Send', exact: true }).isDisabled(), 'refused files alone cannot be sent');
    await page.getByRole('button', { name: 'Remove huge.zip' }).click();
    await page.getByRole('button', { name: 'Remove page.html' }).click();
    await pending.waitFor({ state: 'detached' });

    // 4. Offline: refused with a message, nothing sent.
    await context.setOffline(true);
    await page.setInputFiles('#attach-files', { name: 'offline.txt', mimeType: 'text/plain', buffer: Buffer.from('x') });
    await pending.getByRole('alert').filter({ hasText: 'You are offline' }).waitFor();
    await context.setOffline(false);
    await page.getByRole('button', { name: 'Remove offline.txt' }).click();

    // 5. By button on a slow link: a progress bar moves while it uploads.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 60_000 });
    await page.evaluate(`window.__progress = []; window.__sampler = setInterval(() => {
      const p = document.querySelector('[data-testid="pending-files"] progress');
      if (p) window.__progress.push(p.value);
    }, 20);`);
    await page.setInputFiles('#attach-files', { name: 'report.csv', mimeType: 'text/csv', buffer: Buffer.alloc(200_000, 'a,b\n') });
    await pending.locator('li[data-state="done"]').waitFor({ timeout: 30_000 });
    const seen = await page.evaluate<number[]>(`(clearInterval(window.__sampler), window.__progress)`);
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    t.true(
      seen.some((v) => v > 0 && v < 1),
      `progress between 0 and 1 was shown: ${seen.slice(0, 5).join(',')}…`,
    );

    // 6. By drop and by paste; one removed before sending.
    await dispatchFiles(page, 'drop', [{ name: 'dropped.txt', type: 'text/plain', text: 'dropped' }]);
    await dispatchFiles(page, 'paste', [{ name: 'pasted.json', type: 'application/json', text: '{"a":1}' }]);
    await dispatchFiles(page, 'drop', [{ name: 'unwanted.txt', type: 'text/plain', text: 'no' }]);
    await pending.locator('li[data-state="done"]').nth(3).waitFor();
    await page.getByRole('button', { name: 'Remove unwanted.txt' }).click();
    await page.screenshot({ path: shot('attachments-composer') });
    await page.getByLabel('Reply to the customer').fill('Files attached');
    await page.getByRole('button', { name: 'Send', exact: true }).click();
    const atCustomer = await chat.events.waitFor((e) => e.event === 'shout' && e.payload.body === 'Files attached', 'reply', 15_000);
    t.deepEqual(
      (atCustomer.payload.attachments as { filename: string }[]).map((f) => f.filename),
      ['report.csv', 'dropped.txt', 'pasted.json'],
    );
    const sent = page.locator('li[data-seq="2"]');
    await sent.getByTestId('attachments').waitFor();
    t.is(await sent.getByTestId('file-card').count(), 3);
    await pending.waitFor({ state: 'detached' });

    // 7. A private note carries a file too; the customer never receives it.
    await page.getByTestId('note-toggle').click();
    await page.setInputFiles('#attach-files', { name: 'internal.png', mimeType: 'image/png', buffer: PNG });
    await pending.locator('li[data-state="done"]').waitFor();
    await page.locator('form.composer').getByRole('button', { name: 'Add note' }).click();
    const note = page.locator('li.msg-note[data-seq="3"]');
    await note.getByRole('button', { name: /Open image internal\.png/ }).waitFor();
    t.is(await note.locator('.bubble').count(), 0, 'a file-only note has no empty bubble');
    await chat.push('shout', { body: 'marker', customer_id: customer.id });
    await chat.events.waitFor((e) => e.event === 'shout' && e.payload.body === 'marker', 'marker');
    t.false(
      chat.events.filter((e) => e.event === 'shout').some((e) => e.payload.seq === 3),
      'the note did not reach the customer',
    );
    const stored = await http.get(`/api/conversations/${conversationId}`, agent.token);
    const noteJson = (stored.body.data.messages as { seq: number; private: boolean; attachments: { filename: string }[] }[]).find(
      (m) => m.seq === 3,
    );
    t.like(noteJson, { private: true });
    t.deepEqual(
      noteJson?.attachments.map((f) => f.filename),
      ['internal.png'],
    );

    // 8. 360 px: the transcript with files still fits.
    await page.setViewportSize({ width: 360, height: 740 });
    await page.screenshot({ path: shot('attachments-360') });
    t.true(await page.evaluate<boolean>('document.documentElement.scrollWidth <= 360'), 'no horizontal scroll at 360 px');
    t.deepEqual(errors, []);
  } finally {
    customerSocket.disconnect();
    await context.close();
  }
});

test.serial('files of an email message (as a channel or an import stores them) show on it the same way', async (t) => {
  const { stack, api: http, browser } = t.context;
  const agent = await registerAccount(http, 'Mail Files Co');
  const customer = (
    await http.post('/api/customers', { customer: { account_id: agent.accountId, email: 'erin@example.com', name: 'Erin' } })
  ).body.data;
  const imageId = await widgetUpload(stack, agent.accountId, customer.id as string, 'receipt.png', 'image/png', PNG);
  const pdfId = await widgetUpload(stack, agent.accountId, customer.id as string, 'contract.pdf', 'application/pdf', PDF);
  const conversation = await http.post(
    '/api/conversations',
    { conversation: { customer_id: customer.id, subject: 'My order' } },
    agent.token,
  );
  t.is(conversation.status, 201, JSON.stringify(conversation.body));
  const conversationId = conversation.body.data.id as string;
  // An email from the customer with two attachments, posted as the customer (POST /api/messages with customer_id).
  const posted = await http.post(
    '/api/messages',
    {
      message: {
        conversation_id: conversationId,
        customer_id: customer.id,
        source: 'email',
        subject: 'Re: My order',
        body: 'Receipt and contract attached.',
        file_ids: [imageId, pdfId],
      },
    },
    agent.token,
  );
  t.is(posted.status, 201, JSON.stringify(posted.body));
  t.is(posted.body.data.source, 'email');
  const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
  try {
    await page.goto(`/inbox/open/${conversationId}`);
    const message = page.locator('li[data-seq="1"]', { hasText: 'Receipt and contract attached.' });
    await message.locator('[data-testid="attachments"]').waitFor();
    const thumb = message.getByRole('button', { name: /Open image receipt\.png/ });
    await thumb.locator('img').evaluate((img: HTMLImageElement) => img.decode());
    t.is(await message.getByTestId('file-card').getAttribute('href'), `/api/files/${pdfId}/contract.pdf`);
    t.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test.serial(
  'files that arrive by forwarded email, by a synced Gmail mail and by MMS show on their messages as a visitor’s do',
  async (t) => {
    const { stack, api: http, browser, twilio, google } = t.context;
    const agent = await registerAccount(http, 'Channel Files Co');

    // A Gmail mailbox linked by OAuth (the fake Google's consent), one mail with an image and a PDF
    // in it, synced by the mailbox's sync workflow (users.messages.attachments.get for each file).
    const mailbox = `files-${crypto.randomUUID().slice(0, 8)}@shop.example`;
    const connectionId = (await linkGmailMailbox(http, agent, google, mailbox)).id;
    const gmail = google.deliver(mailbox, {
      from: 'Gus Gmail <gus@example.org>',
      subject: 'Cracked lens',
      text: 'Lens photo and warranty attached.',
      attachments: [
        { filename: 'lens.png', mimeType: 'image/png', data: PNG },
        { filename: 'warranty.pdf', mimeType: 'application/pdf', data: PDF },
      ],
    });
    const synced: GmailSyncWorkflowResult = await stack.client.workflow.execute('gmailSyncWorkflow', {
      taskQueue: stack.taskQueue,
      workflowId: uniqueName('gmail-sync-ui'),
      args: [{ connectionId }],
    });
    t.like(synced, { posted: 1 });
    const gmailConversationId = threadConversationId(connectionId, gmail.threadId);
    t.true(
      google.requests.some((r) => r.method === 'GET' && /\/attachments\//.test(r.path)),
      'the files were fetched from Gmail',
    );

    // A forwarded email with an image and a PDF, through the signed inbound webhook (the channels' own path).
    const address = await createForwardingAddress(http, agent.token);
    const mailed = await deliverInboundEmail(stack, {
      message_id: `${crypto.randomUUID()}@mail.example.com`,
      from_address: ['dana@example.com'],
      to_addresses: [address],
      subject: 'Broken zipper',
      text: 'Photo and receipt attached.',
      attachments: [
        { filename: 'zipper.png', content_type: 'image/png', content: PNG.toString('base64') },
        { filename: 'receipt.pdf', content_type: 'application/pdf', content: PDF.toString('base64') },
      ],
    });
    t.is(mailed.status, 200);
    // An MMS with a photo, signed as Twilio signs it; the medium is fetched from the fake's media URL.
    const number = await connectTwilio({ api: http, twilio }, agent);
    const sms = signedSms(
      twilio,
      number,
      newPhoneNumber(),
      'The tent pole',
      newMessageSid(),
      mediaParams([{ url: twilio.addMedia('image/png', PNG), contentType: 'image/png' }]),
    );
    t.is((await postTwilioForm(stack, '/api/twilio/webhook', sms.params, sms.signature)).status, 200);

    const listed = (await http.get('/api/conversations', agent.token)).body.data as Array<{ id: string; source: string }>;
    const emailConversation = listed.find((c) => c.source === 'email' && c.id !== gmailConversationId);
    const smsConversation = listed.find((c) => c.source === 'sms');
    t.truthy(emailConversation && smsConversation, JSON.stringify(listed));

    const { context, page, errors } = await openConsole(browser, stack.baseUrl, await sessionFor(http, agent.email, agent.password));
    try {
      await page.goto(`/inbox/open/${emailConversation!.id}`);
      const mail = page.locator('li[data-seq="1"]', { hasText: 'Photo and receipt attached.' });
      await mail.locator('[data-testid="attachments"]').waitFor({ timeout: 60_000 });
      const thumb = mail.getByRole('button', { name: /Open image zipper\.png/ });
      await thumb.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      t.is(await thumb.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), 2, 'the mailed image really loads');
      const card = mail.getByTestId('file-card');
      t.is(await card.locator('.file-name').textContent(), 'receipt.pdf');
      t.regex((await card.textContent()) ?? '', /\d+ bytes · PDF/);

      await page.goto(`/inbox/open/${smsConversation!.id}`);
      const text = page.locator('li[data-seq="1"]', { hasText: 'The tent pole' });
      await text.locator('[data-testid="attachments"]').waitFor({ timeout: 60_000 });
      const photo = text.getByRole('button', { name: /Open image mms-1\.png/ });
      await photo.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      t.is(await photo.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), 2, 'the MMS photo really loads');
      // Same lightbox as a visitor's image.
      await photo.focus();
      await page.keyboard.press('Enter');
      const lightbox = page.getByRole('dialog', { name: 'Image: mms-1.png' });
      await lightbox.waitFor();
      await page.keyboard.press('Escape');
      await lightbox.waitFor({ state: 'detached' });

      // The Gmail mail: its image as a thumbnail that really loads (served from the stored copy), its PDF as a card.
      await page.goto(`/inbox/open/${gmailConversationId}`);
      const synced = page.locator('li[data-seq="1"]', { hasText: 'Lens photo and warranty attached.' });
      await synced.locator('[data-testid="attachments"]').waitFor({ timeout: 60_000 });
      const lens = synced.getByRole('button', { name: /Open image lens\.png/ });
      await lens.locator('img').evaluate((img: HTMLImageElement) => img.decode());
      t.is(await lens.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth), 2, 'the Gmail image really loads');
      const warranty = synced.getByTestId('file-card');
      t.is(await warranty.locator('.file-name').textContent(), 'warranty.pdf');
      t.regex((await warranty.textContent()) ?? '', /\d+ bytes · PDF/);
      t.regex((await warranty.getAttribute('href')) ?? '', /^\/api\/files\/[^/]+\/warranty\.pdf$/);
      await lens.focus();
      await page.keyboard.press('Enter');
      const gmailLightbox = page.getByRole('dialog', { name: 'Image: lens.png' });
      await gmailLightbox.waitFor();
      await page.keyboard.press('Escape');
      await gmailLightbox.waitFor({ state: 'detached' });
      t.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  },
);
