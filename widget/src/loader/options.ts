/**
 * @module widget/loader/options
 * What the embedding page may configure, from `data-*` attributes of the
 * script tag or `Netia.init({...})`, and the `/chat` URL built from it (the
 * original's parameter names, docs/compatibility.md#the-widget-page). Pure: Node tests import it.
 */
import type { Identity } from '../shared/bridge.js';

export interface NetiaOptions {
  /** Account id (the original's `token`); `accountId` is accepted too. */
  token?: string;
  accountId?: string;
  inbox?: string;
  title?: string;
  subtitle?: string;
  primaryColor?: string;
  greeting?: string;
  newMessagePlaceholder?: string;
  showAgentAvailability?: boolean;
  agentAvailableText?: string;
  agentUnavailableText?: string;
  awayMessage?: string;
  requireEmailUpfront?: boolean;
  isBrandingHidden?: boolean;
  companyName?: string;
  /** Launcher icon: `outlined` (the original's default) or `filled`; overrides the stored `icon_variant`. */
  iconVariant?: string;
  /** An image for the launcher (https, or the host page's or the gateway's own origin); overrides `custom_icon_url`. */
  customIconUrl?: string;
  /** Another chat page to frame instead of `/chat` (https, or the host page's or the gateway's own origin); overrides `iframe_url_override`. */
  iframeUrlOverride?: string;
  /** Shown next to the launcher when an agent writes while the panel is closed; overrides `new_messages_notification_text`. */
  newMessagesNotificationText?: string;
  /** Open the panel on a visitor's first visit (until they close it); overrides `is_open_by_default`. */
  isOpenByDefault?: boolean;
  /** Where the chat page is served (default: the origin `widget.js` came from). */
  baseUrl?: string;
  metadata?: Record<string, unknown>;
  /** Identify the visitor at once (same as calling `Netia.identify`). */
  customer?: Identity;
  /** No launcher button: the page opens the chat with `Netia.open()`. */
  hideLauncher?: boolean;
  /** Open the panel as soon as it is ready. */
  open?: boolean;
  /** Expose the chat page's test hooks (tests only). */
  test?: boolean;
}

/** URL parameters of `/chat`, in the original's spelling; `token` is filled from token/accountId. */
export const CHAT_PARAMS = [
  'inbox',
  'title',
  'subtitle',
  'primaryColor',
  'greeting',
  'newMessagePlaceholder',
  'showAgentAvailability',
  'agentAvailableText',
  'agentUnavailableText',
  'awayMessage',
  'requireEmailUpfront',
  'isBrandingHidden',
  'companyName',
  'iconVariant',
] as const;

/** Options of the loader itself (not passed to `/chat`). */
const LOADER_OPTIONS = [
  'token',
  'accountId',
  'baseUrl',
  'customIconUrl',
  'iframeUrlOverride',
  'newMessagesNotificationText',
  'isOpenByDefault',
];

const BOOLEAN_OPTIONS = new Set([
  'showAgentAvailability',
  'requireEmailUpfront',
  'isBrandingHidden',
  'isOpenByDefault',
  'hideLauncher',
  'open',
  'test',
]);

function toBool(v: string): boolean {
  return ['1', 'true', 'yes', 'on', ''].includes(v.trim().toLowerCase());
}

/**
 * Options from a script tag's dataset (`data-token`, `data-primary-color`,
 * `data-show-agent-availability="1"`, `data-metadata='{"plan":"pro"}'`…).
 * Unknown attributes are ignored.
 */
export function optionsFromDataset(dataset: Record<string, string | undefined>): NetiaOptions {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dataset)) {
    if (value === undefined) continue;
    if (LOADER_OPTIONS.includes(key) || (CHAT_PARAMS as readonly string[]).includes(key)) {
      out[key] = BOOLEAN_OPTIONS.has(key) ? toBool(value) : value;
    } else if (BOOLEAN_OPTIONS.has(key)) {
      out[key] = toBool(value);
    } else if (key === 'metadata') {
      try {
        const parsed = JSON.parse(value) as unknown;
        if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) out.metadata = parsed;
      } catch {
        /* ignored: not JSON */
      }
    }
  }
  return out;
}

/** The chat page's base URL (no trailing slash): `baseUrl` when valid, else where the script came from. */
export function chatBase(opts: NetiaOptions, scriptSrc: string | undefined, pageHref: string): string {
  for (const candidate of [opts.baseUrl, scriptSrc]) {
    if (!candidate) continue;
    try {
      const u = new URL(candidate, pageHref);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') continue;
      // A script URL names a file: its folder is not the base, its origin is.
      return candidate === opts.baseUrl ? (u.origin + u.pathname).replace(/\/+$/, '') : u.origin;
    } catch {
      /* try the next */
    }
  }
  return new URL(pageHref).origin;
}

/**
 * The `/chat` URL for these options, embedded in `hostOrigin`; `page` replaces `${base}/chat`
 * (an `iframe_url_override`, already checked by `chatPage`). Undefined when no account is named.
 */
export function buildChatUrl(opts: NetiaOptions, base: string, hostOrigin: string, page?: string): string | undefined {
  const account = (opts.token ?? opts.accountId ?? '').trim();
  if (!account) return undefined;
  const url = new URL(page ?? `${base}/chat`);
  const q = url.searchParams;
  q.set('token', account);
  const values = opts as Record<string, unknown>;
  for (const key of CHAT_PARAMS) {
    const v = values[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'boolean') q.set(key, v ? '1' : '0');
    else if (typeof v === 'string' || typeof v === 'number') q.set(key, String(v));
  }
  if (opts.metadata && typeof opts.metadata === 'object') q.set('metadata', JSON.stringify(opts.metadata));
  if (opts.baseUrl) q.set('baseUrl', base);
  q.set('origin', hostOrigin);
  if (opts.test) q.set('test', '1');
  return url.href;
}

/**
 * `value` as an absolute URL the widget may load: https, or plain http only on one of
 * `origins` (the host page's, the gateway's), never with credentials. Anything else
 * (`javascript:`, `data:`, a relative path, `http:` elsewhere) is undefined.
 */
export function safeUrl(value: unknown, origins: readonly string[]): string | undefined {
  if (typeof value !== 'string' || !value.trim()) return undefined;
  try {
    const u = new URL(value.trim());
    if (u.username || u.password) return undefined;
    if (u.protocol === 'https:' || (u.protocol === 'http:' && origins.includes(u.origin))) return u.href;
  } catch {
    /* not a URL */
  }
  return undefined;
}

/**
 * The chat page to frame, or undefined for the gateway's `/chat`. The embed code's
 * `iframeUrlOverride` is the site owner's own choice (https, or their page's or the gateway's
 * origin). A stored `iframe_url_override` arrives over the network and any admin of the account
 * may change it, so it is honoured only on the gateway's own origin: a setting must never hand
 * the visitor's messages, identity or token to a page on another site.
 */
export function chatPage(embed: unknown, stored: unknown, gatewayOrigin: string, hostOrigin: string): string | undefined {
  if (embed !== undefined && embed !== null && embed !== '') return safeUrl(embed, [hostOrigin, gatewayOrigin]);
  const url = safeUrl(stored, [gatewayOrigin]);
  return url && new URL(url).origin === gatewayOrigin ? url : undefined;
}
