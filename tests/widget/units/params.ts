/**
 * The /chat page's configuration (docs/compatibility.md#the-widget-page, Q13): every original
 * URL parameter is parsed strictly and used; URL beats widget settings beats
 * defaults; the parent origin is trusted only when the browser confirms it.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import {
  DEFAULTS,
  parseChatParams,
  parseColor,
  resolveApiBase,
  resolveConfig,
  resolveParentOrigin,
} from '../../../widget/src/chat/params.js';
import { isAgentAvailable } from '../../../widget/src/chat/availability.js';

const test = unitModuleTest(import.meta.url);

const ACCOUNT = '6f1c2b4e-9f5a-4c1e-8a2b-3c4d5e6f7a8b';
const INBOX = '0b7e1f00-2c3d-4e5f-8a9b-0c1d2e3f4a5b';

const parse = (q: Record<string, string>) => parseChatParams(new URLSearchParams(q));

test('every parameter of the original snippet is read', (t) => {
  const p = parse({
    token: ACCOUNT,
    inbox: INBOX,
    title: 'Support',
    subtitle: 'Ask us anything',
    primaryColor: '#ff6600',
    greeting: 'Hi there!',
    newMessagePlaceholder: 'Write…',
    showAgentAvailability: '1',
    agentAvailableText: 'Online',
    agentUnavailableText: 'Offline',
    awayMessage: 'Back at 9',
    requireEmailUpfront: '1',
    isBrandingHidden: 'true',
    companyName: 'Acme',
    baseUrl: 'https://chat.example.com/netia/',
    metadata: '{"plan":"pro","seats":3,"nested":{"x":1}}',
    origin: 'https://shop.example.com',
    test: '1',
  });
  t.like(p, {
    accountId: ACCOUNT,
    inboxId: INBOX,
    title: 'Support',
    subtitle: 'Ask us anything',
    primaryColor: '#ff6600',
    greeting: 'Hi there!',
    newMessagePlaceholder: 'Write…',
    showAgentAvailability: true,
    agentAvailableText: 'Online',
    agentUnavailableText: 'Offline',
    awayMessage: 'Back at 9',
    requireEmailUpfront: true,
    isBrandingHidden: true,
    companyName: 'Acme',
    baseUrl: 'https://chat.example.com/netia',
    origin: 'https://shop.example.com',
    isTest: true,
  });
  // Only scalar metadata survives; nested objects are dropped.
  t.deepEqual(p.metadata, { plan: 'pro', seats: 3 });
});

test('accountId is accepted for token, and a malformed account id configures nothing', (t) => {
  t.is(parse({ accountId: ACCOUNT.toUpperCase() }).accountId, ACCOUNT);
  t.is(parse({ token: 'not-a-uuid' }).accountId, undefined);
  t.is(resolveConfig(parse({ token: 'undefined' })), undefined);
});

test('the strings the original snippets send for "nothing" count as absent', (t) => {
  const p = parse({ token: ACCOUNT, inbox: 'undefined', title: 'null', showAgentAvailability: 'maybe' });
  t.is(p.inboxId, undefined);
  t.is(p.title, undefined);
  t.is(p.showAgentAvailability, undefined);
  t.false(parse({ token: ACCOUNT, isBrandingHidden: 'false' }).isBrandingHidden!);
  t.false(parse({ token: ACCOUNT, requireEmailUpfront: '0' }).requireEmailUpfront!);
});

test('a colour that could inject CSS is refused; plain colours pass', (t) => {
  t.is(parseColor('#1677ff'), '#1677ff');
  t.is(parseColor('1677ff'), '#1677ff');
  t.is(parseColor('rgb(10, 20, 30)'), 'rgb(10, 20, 30)');
  t.is(parseColor('Teal'), 'teal');
  t.is(parseColor('red;background:url(https://evil.example/x)'), undefined);
  t.is(parseColor('expression(alert(1))'), undefined);
  t.is(parse({ token: ACCOUNT, primaryColor: '#12345' }).primaryColor, undefined);
});

test('invalid metadata JSON becomes an empty object, not an error', (t) => {
  t.deepEqual(parse({ token: ACCOUNT, metadata: '{oops' }).metadata, {});
  t.deepEqual(parse({ token: ACCOUNT, metadata: '[1,2]' }).metadata, {});
  t.is(parse({ token: ACCOUNT }).metadata, undefined);
});

test('origin must be a bare origin and baseUrl an http(s) URL', (t) => {
  t.is(parse({ token: ACCOUNT, origin: 'https://shop.example.com/path' }).origin, undefined);
  t.is(parse({ token: ACCOUNT, origin: 'javascript:alert(1)' }).origin, undefined);
  t.is(parse({ token: ACCOUNT, baseUrl: 'ftp://x.example.com' }).baseUrl, undefined);
});

test('URL parameters win over widget settings, which win over defaults', (t) => {
  const settings = {
    title: 'From settings',
    subtitle: 'Settings subtitle',
    color: '#00aa00',
    greeting: 'Settings greeting',
    new_message_placeholder: 'Settings placeholder',
    show_agent_availability: true,
    agent_available_text: null,
    away_message: 'Settings away',
    require_email_upfront: true,
    is_branding_hidden: true,
    account: { company_name: 'Settings Co', is_outside_working_hours: true },
  };
  const fromUrl = resolveConfig(
    parse({ token: ACCOUNT, title: 'From URL', primaryColor: '#ff0000', subtitle: '', isBrandingHidden: '0' }),
    settings,
  )!;
  t.is(fromUrl.title, 'From URL');
  t.is(fromUrl.primaryColor, '#ff0000');
  t.is(fromUrl.subtitle, '', 'an explicit empty subtitle means none');
  t.false(fromUrl.isBrandingHidden);
  t.is(fromUrl.greeting, 'Settings greeting');
  t.is(fromUrl.newMessagePlaceholder, 'Settings placeholder');
  t.true(fromUrl.showAgentAvailability);
  t.is(fromUrl.agentAvailableText, DEFAULTS.agentAvailableText);
  t.is(fromUrl.awayMessage, 'Settings away');
  t.true(fromUrl.requireEmailUpfront);
  t.is(fromUrl.companyName, 'Settings Co');
  t.true(fromUrl.isOutsideWorkingHours);

  const defaults = resolveConfig(parse({ token: ACCOUNT }))!;
  t.like(defaults, {
    title: DEFAULTS.title,
    primaryColor: DEFAULTS.primaryColor,
    newMessagePlaceholder: DEFAULTS.newMessagePlaceholder,
    showAgentAvailability: false,
    requireEmailUpfront: false,
    isBrandingHidden: false,
    inboxId: null,
    isOutsideWorkingHours: false,
  });
});

test('the parent origin is trusted only when the browser confirms the claim', (t) => {
  const claim = 'https://shop.example.com';
  t.is(resolveParentOrigin(claim, [claim], ''), claim);
  t.is(resolveParentOrigin(claim, ['https://evil.example'], ''), undefined);
  t.is(resolveParentOrigin(claim, undefined, 'https://shop.example.com/cart?x=1'), claim, 'referrer fallback (no ancestorOrigins)');
  t.is(resolveParentOrigin(claim, undefined, ''), undefined);
  t.is(resolveParentOrigin(undefined, [claim], ''), undefined);
});

test("REST goes to baseUrl only on the page's own origin", (t) => {
  t.is(resolveApiBase('https://gw.example.com/netia', 'https://gw.example.com'), 'https://gw.example.com/netia');
  t.is(resolveApiBase('https://other.example.com', 'https://gw.example.com'), 'https://gw.example.com');
  t.is(resolveApiBase(undefined, 'https://gw.example.com'), 'https://gw.example.com');
});

test('agents are available when one is online inside working hours, or when presence is unknown', (t) => {
  t.true(isAgentAvailable({ presenceKeys: ['user:1'], isOutsideWorkingHours: false }));
  t.false(isAgentAvailable({ presenceKeys: ['customer:x'], isOutsideWorkingHours: false }));
  t.false(isAgentAvailable({ presenceKeys: ['user:1'], isOutsideWorkingHours: true }));
  t.true(isAgentAvailable({ presenceKeys: null, isOutsideWorkingHours: false }));
  t.false(isAgentAvailable({ presenceKeys: null, isOutsideWorkingHours: true }));
});
