/**
 * The loader's pure parts: script-tag attributes and `Netia.init` options
 * become the original's /chat URL parameters, and the postMessage bridge
 * accepts only its own well-formed envelopes.
 */
import test from 'ava';
import { buildChatUrl, chatBase, optionsFromDataset } from '../../widget/src/loader/options.js';
import { readChatMessage, readHostMessage, sanitizeIdentity, wrap } from '../../widget/src/shared/bridge.js';
import { textColorOn } from '../../widget/src/shared/color.js';

const ACCOUNT = '6f1c2b4e-9f5a-4c1e-8a2b-3c4d5e6f7a8b';

test('data-* attributes map to options, booleans included', (t) => {
  const opts = optionsFromDataset({
    token: ACCOUNT,
    primaryColor: '#ff6600',
    showAgentAvailability: '1',
    isBrandingHidden: 'false',
    hideLauncher: '',
    metadata: '{"plan":"pro"}',
    unrelated: 'ignored',
  });
  t.deepEqual(opts, {
    token: ACCOUNT,
    primaryColor: '#ff6600',
    showAgentAvailability: true,
    isBrandingHidden: false,
    hideLauncher: true,
    metadata: { plan: 'pro' },
  });
});

test('the chat URL carries the original parameter names, the host origin and nothing undefined', (t) => {
  const url = new URL(
    buildChatUrl(
      { accountId: ACCOUNT, title: 'Help', requireEmailUpfront: true, isBrandingHidden: false, metadata: { a: 1 } },
      'https://gw.example.com',
      'https://shop.example.com',
    )!,
  );
  t.is(url.origin + url.pathname, 'https://gw.example.com/chat');
  t.is(url.searchParams.get('token'), ACCOUNT);
  t.is(url.searchParams.get('title'), 'Help');
  t.is(url.searchParams.get('requireEmailUpfront'), '1');
  t.is(url.searchParams.get('isBrandingHidden'), '0');
  t.is(url.searchParams.get('metadata'), '{"a":1}');
  t.is(url.searchParams.get('origin'), 'https://shop.example.com');
  t.false(url.searchParams.has('subtitle'));
  t.false(url.searchParams.has('test'));
  t.is(buildChatUrl({}, 'https://gw.example.com', 'https://shop.example.com'), undefined);
});

test('the chat page lives where widget.js came from unless baseUrl says otherwise', (t) => {
  t.is(chatBase({}, 'https://gw.example.com/widget.js?v=2', 'https://shop.example.com/p'), 'https://gw.example.com');
  t.is(
    chatBase({ baseUrl: 'https://gw.example.com/netia/' }, 'https://cdn.example.com/widget.js', 'https://shop.example.com/'),
    'https://gw.example.com/netia',
  );
  t.is(
    chatBase({ baseUrl: 'javascript:alert(1)' }, 'https://gw.example.com/widget.js', 'https://shop.example.com/'),
    'https://gw.example.com',
  );
});

test('the bridge ignores messages that are not its own envelopes', (t) => {
  t.is(readHostMessage({ type: 'open' }), undefined, 'no envelope');
  t.is(readHostMessage({ netia: 2, msg: { type: 'open' } }), undefined, 'other version');
  t.is(readHostMessage(wrap({ type: 'evil' })), undefined, 'unknown type');
  t.is(readHostMessage('open'), undefined);
  t.deepEqual(readHostMessage(wrap({ type: 'open' })), { type: 'open' });
  t.deepEqual(readChatMessage(wrap({ type: 'unread', count: 2 })), { type: 'unread', count: 2 });
  t.is(readChatMessage(wrap({ type: 'open' })), undefined, 'host messages are not chat messages');
  t.is(readHostMessage(wrap({ type: 'context', url: 'javascript:alert(1)' })), undefined);
});

test('identify keeps only known, sane fields', (t) => {
  t.deepEqual(
    sanitizeIdentity({
      email: ' a@b.co ',
      external_id: 42,
      name: 'undefined',
      user_hash: 'ab'.repeat(32),
      role: 'admin',
      metadata: { plan: 'pro', deep: { x: 1 } },
    }),
    { email: 'a@b.co', external_id: '42', user_hash: 'ab'.repeat(32), metadata: { plan: 'pro' } },
  );
  t.is(sanitizeIdentity({ role: 'admin' }), undefined);
  t.is(sanitizeIdentity(null), undefined);
  t.deepEqual(readHostMessage(wrap({ type: 'identify', identity: { email: 'x@y.z' } })), {
    type: 'identify',
    identity: { email: 'x@y.z' },
  });
});

test('text on the brand colour stays readable', (t) => {
  t.is(textColorOn('#1677ff'), '#fff');
  t.is(textColorOn('#ffdd00'), '#111');
  t.is(textColorOn('#fff'), '#111');
  t.is(textColorOn('teal'), '#fff');
});
