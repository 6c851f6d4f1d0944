/**
 * The pure parts of the Gmail channel: reading Gmail message resources,
 * writing replies (threading headers, no header injection), thread-derived
 * conversation ids, token sealing, and the configuration checks.
 */
import test from 'ava';
import { deriveSecretBoxKey, open, seal } from '../../services/crypto/secretbox.js';
import { loadFileStorageSettings } from '../../services/files/config.js';
import { loadGmailSettings } from '../../services/gmail/config.js';
import { threadConversationId } from '../../services/gmail/inbound.js';
import { buildReply, parseAddress, readInboundMail, stripQuoted } from '../../services/gmail/mail.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64url');

function decodeRaw(raw: string): { headers: Record<string, string>; body: string } {
  const text = Buffer.from(raw, 'base64url').toString('utf8');
  const [head, body] = text.split('\r\n\r\n') as [string, string];
  const headers = Object.fromEntries(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]));
  return { headers, body: Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') };
}

test('a reply carries the threading headers, and user text cannot inject headers', (t) => {
  const raw = buildReply({
    from: 'support@shop.example',
    to: 'ada@example.org\r\nBcc: victim@example.org',
    subject: 'Invoice\r\nX-Evil: 1',
    body: 'Thanks!\r\n\r\nBcc: not a header',
    inReplyTo: '<a@mail.example>',
    references: '<z@mail.example>',
    deliveryId: 'gmail-123',
  });
  const { headers, body } = decodeRaw(raw);
  t.is(headers.To, 'ada@example.org Bcc: victim@example.org');
  t.is(headers.Bcc, undefined);
  t.is(headers['X-Evil'], undefined);
  t.is(headers.Subject, 'Re: Invoice X-Evil: 1');
  t.is(headers['In-Reply-To'], '<a@mail.example>');
  t.is(headers.References, '<z@mail.example> <a@mail.example>');
  t.is(headers['X-Netia-Delivery'], 'gmail-123');
  t.is(body, 'Thanks!\r\n\r\nBcc: not a header', 'the body is base64, so it is never read as headers');
  t.is(
    decodeRaw(
      buildReply({ from: 'a@b.c', to: 'd@e.f', subject: 'Re: Déjà vu', body: 'x', inReplyTo: null, references: null, deliveryId: 'j' }),
    ).headers.Subject,
    `=?UTF-8?B?${Buffer.from('Re: Déjà vu').toString('base64')}?=`,
    'non-ASCII subjects are RFC 2047 encoded, not prefixed twice',
  );
});

test('a forwarded-email reply names its sender, sets its own Message-ID and Reply-To, and folds a long References', (t) => {
  const refs = Array.from({ length: 4 }, (_, i) => `<message-${i}-0123456789abcdef@mail.example.com>`);
  const raw = buildReply({
    from: 'support@shop.example',
    fromName: 'Ada "the agent" (Shop)',
    to: 'grace@example.org',
    subject: 'Order',
    body: 'x',
    inReplyTo: refs[3]!,
    references: refs.join(' '),
    messageId: '<abc@in.example>',
    replyTo: 'reply+1@in.example',
    autoSubmitted: true,
    deliveryId: 'gmail-9',
  });
  const head = Buffer.from(raw, 'base64url').toString('utf8').split('\r\n\r\n')[0]!;
  t.true(
    head.split('\r\n').every((l) => l.length <= 78),
    'no header line passes 78 characters',
  );
  const { headers } = decodeRaw(Buffer.from(head.replace(/\r\n(?=[ \t])/g, '') + '\r\n\r\n', 'utf8').toString('base64url'));
  t.is(headers.From, '"Ada \\"the agent\\" (Shop)" <support@shop.example>');
  t.is(headers['Message-ID'], '<abc@in.example>');
  t.is(headers['Reply-To'], 'reply+1@in.example');
  t.is(headers['Auto-Submitted'], 'auto-generated');
  t.is(headers.References, refs.join(' '), 'unfolded, each Message-ID once (In-Reply-To was already listed)');
  t.is(
    decodeRaw(
      buildReply({
        from: 'a@b.c',
        fromName: 'Zoë',
        to: 'd@e.f',
        subject: 's',
        body: 'x',
        inReplyTo: null,
        references: null,
        deliveryId: 'j',
      }),
    ).headers.From,
    `=?UTF-8?B?${Buffer.from('Zoë').toString('base64')}?= <a@b.c>`,
  );
});

test('an inbound mail is read from its text part, else its HTML, without the quoted history', (t) => {
  const headers = [
    { name: 'From', value: '"Lovelace, Ada" <Ada@Example.org>' },
    { name: 'Subject', value: 'Hello' },
    { name: 'Message-ID', value: '<m1@mail.example>' },
  ];
  const plain = readInboundMail(
    {
      id: 'g1',
      threadId: 't1',
      internalDate: '1700000000000',
      payload: {
        mimeType: 'multipart/alternative',
        headers,
        parts: [
          { mimeType: 'text/plain', body: { data: b64('Hi there\n\nOn Mon, 1 Jan 2026, Support <s@shop.example> wrote:\n> old') } },
          { mimeType: 'text/html', body: { data: b64('<p>Hi there</p>') } },
        ],
      },
    },
    1000,
  );
  t.like(plain, {
    gmailId: 'g1',
    threadId: 't1',
    fromAddress: 'ada@example.org',
    fromName: 'Lovelace, Ada',
    subject: 'Hello',
    rfcMessageId: '<m1@mail.example>',
    body: 'Hi there',
    receivedAt: 1700000000000,
  });
  const html = readInboundMail(
    {
      id: 'g2',
      threadId: 't2',
      payload: { mimeType: 'text/html', headers, body: { data: b64('<div>Line &amp; one<br>two<script>x()</script></div>') } },
    },
    1000,
  );
  t.is(html?.body, 'Line & one\ntwo');
  const long = readInboundMail(
    { id: 'g3', threadId: 't3', payload: { mimeType: 'text/plain', headers, body: { data: b64('x'.repeat(50)) } } },
    10,
  );
  t.is(long?.body.length, 10, 'capped to the conversation’s body limit');
  t.is(readInboundMail({ id: 'g4', threadId: 't4', payload: { headers: [{ name: 'Subject', value: 'no sender' }] } }, 100), null);
  t.is(stripQuoted('> only a quote'), '> only a quote', 'a mail that is all quote keeps its text');
  t.deepEqual(parseAddress('bob@example.org'), { name: null, address: 'bob@example.org' });
});

test('a thread maps to a stable, version-5-shaped conversation id per mailbox', (t) => {
  const a = threadConversationId('c1', 'thread-1');
  t.is(a, threadConversationId('c1', 'thread-1'));
  t.not(a, threadConversationId('c2', 'thread-1'));
  t.regex(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('tokens are sealed with AES-GCM: unreadable without the key, tamper-evident', (t) => {
  const key = deriveSecretBoxKey('x'.repeat(40), 'gmail-tokens');
  const box = seal(key, '1//refresh-token');
  t.false(box.includes('refresh'));
  t.not(box, seal(key, '1//refresh-token'), 'a fresh IV each time');
  t.is(open(key, box), '1//refresh-token');
  t.throws(() => open(deriveSecretBoxKey('y'.repeat(40), 'gmail-tokens'), box), { message: /cannot decrypt/ });
  t.throws(() => open(deriveSecretBoxKey('x'.repeat(40), 'other-purpose'), box), { message: /cannot decrypt/ });
  // One bit of the ciphertext flipped (a fixed replacement of its last characters left it unchanged 1 time in 256).
  const [v, iv, tag, data] = box.split(':');
  const flipped = Buffer.from(data!, 'base64url');
  flipped[0] = flipped[0]! ^ 1;
  t.throws(() => open(key, [v, iv, tag, flipped.toString('base64url')].join(':')), { message: /cannot decrypt/ });
});

test('configuration refuses half-set Gmail or S3 settings, naming the key', (t) => {
  t.throws(() => loadGmailSettings({ GOOGLE_CLIENT_ID: 'id' }), { message: /GOOGLE_CLIENT_SECRET/ });
  t.throws(() => loadGmailSettings({ NETIA_ENCRYPTION_KEY: 'short' }), { message: /NETIA_ENCRYPTION_KEY/ });
  t.like(loadGmailSettings({ PUBLIC_URL: 'https://support.example.com/' }), {
    enabled: false,
    redirectUri: 'https://support.example.com/settings/gmail',
    syncIntervalSeconds: 60,
  });
  t.throws(() => loadFileStorageSettings({ FILES_STORAGE: 's3' }), { message: /S3_BUCKET/ });
  t.throws(() => loadFileStorageSettings({ S3_BUCKET: 'netia', S3_ACCESS_KEY_ID: 'k' }), { message: /S3_SECRET_ACCESS_KEY/ });
  const s3 = loadFileStorageSettings({
    FILES_STORAGE: 's3',
    S3_BUCKET: 'netia',
    S3_ENDPOINT: 'http://127.0.0.1:9000',
    S3_SECRET_ACCESS_KEY: 'secret',
    S3_ACCESS_KEY_ID: 'k',
  });
  t.like(s3, { backend: 's3', s3: { bucket: 'netia', forcePathStyle: true, region: 'us-east-1' } });
  t.is(JSON.stringify(s3).includes('secret"'), false, 'the secret key prints as [secret]');
});
