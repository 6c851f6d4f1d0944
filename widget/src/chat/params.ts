/**
 * @module widget/chat/params
 * The `/chat` page's configuration: the original's URL parameters
 * (docs/compatibility.md#the-widget-page), parsed strictly, then merged with the account's
 * widget settings (§2.8) and defaults. URL parameters win, because the embed
 * snippet is what the site owner wrote; settings fill the gaps. The original
 * parsed several of these and ignored them (Q13); every one is used here.
 * Pure: Node tests import it.
 */
import type { AccountBasic, PublicWidgetSettings } from '../../../gateway/protocol/wire/index.js';
import { sanitizeMetadata } from '../shared/bridge.js';
import { field } from './transcript.js';

/** What the URL said; `undefined` means "not given". */
export interface ChatParams {
  accountId: string | undefined;
  inboxId: string | undefined;
  title: string | undefined;
  subtitle: string | undefined;
  primaryColor: string | undefined;
  greeting: string | undefined;
  newMessagePlaceholder: string | undefined;
  showAgentAvailability: boolean | undefined;
  agentAvailableText: string | undefined;
  agentUnavailableText: string | undefined;
  awayMessage: string | undefined;
  requireEmailUpfront: boolean | undefined;
  isBrandingHidden: boolean | undefined;
  companyName: string | undefined;
  baseUrl: string | undefined;
  metadata: Record<string, string | number | boolean | null> | undefined;
  /** Origin of the host page, passed by the loader (checked against the real ancestor). */
  origin: string | undefined;
  /** `?test=1`: expose test hooks. */
  isTest: boolean;
}

/** The text fields of the public widget settings the page reads. */
const SETTINGS_TEXTS = [
  'title',
  'subtitle',
  'color',
  'greeting',
  'new_message_placeholder',
  'agent_available_text',
  'agent_unavailable_text',
  'away_message',
  'email_input_placeholder',
  'base_url',
] as const satisfies readonly (keyof PublicWidgetSettings)[];

/** The switches of the public widget settings the page reads. */
const SETTINGS_FLAGS = [
  'show_agent_availability',
  'require_email_upfront',
  'is_branding_hidden',
] as const satisfies readonly (keyof PublicWidgetSettings)[];

/**
 * The public widget settings (`GET /api/widget_settings`, gateway/protocol/wire `PublicWidgetSettings`) as far as
 * the page uses them; each may be absent (an older server, a field of the wrong type).
 */
export type WidgetSettings = Partial<Pick<PublicWidgetSettings, (typeof SETTINGS_TEXTS)[number] | (typeof SETTINGS_FLAGS)[number]>> & {
  account?: Partial<Pick<AccountBasic, 'company_name' | 'is_outside_working_hours'>> | null;
};

/** The fields of a widget-settings reply the page reads that have their wire type (no zod on this page: see transcript.ts). */
export function readWidgetSettings(value: unknown): WidgetSettings {
  const out: WidgetSettings = {};
  for (const key of SETTINGS_TEXTS) {
    const v = field(value, key);
    if (typeof v === 'string' || v === null) out[key] = v;
  }
  for (const key of SETTINGS_FLAGS) {
    const v = field(value, key);
    if (typeof v === 'boolean') out[key] = v;
  }
  const account = field(value, 'account');
  if (typeof account === 'object' && account !== null) {
    const name = field(account, 'company_name');
    const outside = field(account, 'is_outside_working_hours');
    out.account = {
      ...(typeof name === 'string' ? { company_name: name } : {}),
      ...(typeof outside === 'boolean' ? { is_outside_working_hours: outside } : {}),
    };
  }
  return out;
}

export interface ChatConfig {
  accountId: string;
  inboxId: string | null;
  title: string;
  subtitle: string;
  primaryColor: string;
  greeting: string;
  newMessagePlaceholder: string;
  showAgentAvailability: boolean;
  agentAvailableText: string;
  agentUnavailableText: string;
  awayMessage: string;
  requireEmailUpfront: boolean;
  isBrandingHidden: boolean;
  companyName: string;
  emailPlaceholder: string;
  metadata: Record<string, string | number | boolean | null>;
  /** From the settings' account: outside working hours now (§9.3). */
  isOutsideWorkingHours: boolean;
}

export const DEFAULTS = Object.freeze({
  title: 'Chat',
  subtitle: '',
  primaryColor: '#1677ff',
  greeting: '',
  newMessagePlaceholder: 'Type your message...',
  agentAvailableText: "We're online and ready to help!",
  agentUnavailableText: "We're away right now. Leave a message and we'll get back to you.",
  emailPlaceholder: 'you@example.com',
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_TEXT = 500;

/** Absent for missing values and the strings the original's snippets produce for "none". */
function text(value: string | null): string | undefined {
  if (value === null) return undefined;
  const s = value.trim();
  if (s === 'undefined' || s === 'null') return undefined;
  return s.slice(0, MAX_TEXT);
}

function bool(value: string | null): boolean | undefined {
  if (value === null) return undefined;
  const s = value.trim().toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(s)) return true;
  if (['0', 'false', 'no', 'off', ''].includes(s)) return false;
  return undefined;
}

function uuid(value: string | null): string | undefined {
  const s = text(value);
  return s && UUID.test(s) ? s.toLowerCase() : undefined;
}

/**
 * A CSS colour we are willing to put into a custom property: hex, rgb()/hsl()
 * with plain numbers, or a keyword. Anything else (`red;background:url(...)`)
 * is refused, so a crafted URL cannot inject CSS.
 */
export function parseColor(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = value.trim();
  if (/^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/i.test(s)) return s;
  if (/^(?:rgb|rgba|hsl|hsla)\(\s*[\d.%\s,/deg-]+\)$/i.test(s)) return s;
  if (/^[a-z]{3,20}$/i.test(s)) return s.toLowerCase();
  // The original's snippets sometimes drop the leading # (`primaryColor=1677ff`).
  if (/^(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(s)) return `#${s}`;
  return undefined;
}

function httpUrl(value: string | null): string | undefined {
  const s = text(value);
  if (!s) return undefined;
  try {
    const u = new URL(s);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href.replace(/\/+$/, '') : undefined;
  } catch {
    return undefined;
  }
}

function origin(value: string | null): string | undefined {
  const s = httpUrl(value);
  if (!s) return undefined;
  const o = new URL(s).origin;
  return o === s ? o : undefined;
}

function metadata(value: string | null): ChatParams['metadata'] {
  if (value === null) return undefined;
  try {
    return sanitizeMetadata(JSON.parse(value) as unknown) ?? {};
  } catch {
    return {};
  }
}

/** Parse the `/chat` query string (`token` or `accountId` names the account). */
export function parseChatParams(query: URLSearchParams): ChatParams {
  return {
    accountId: uuid(query.get('token')) ?? uuid(query.get('accountId')),
    inboxId: uuid(query.get('inbox')),
    title: text(query.get('title')),
    subtitle: text(query.get('subtitle')),
    primaryColor: parseColor(query.get('primaryColor')),
    greeting: text(query.get('greeting')),
    newMessagePlaceholder: text(query.get('newMessagePlaceholder')),
    showAgentAvailability: bool(query.get('showAgentAvailability')),
    agentAvailableText: text(query.get('agentAvailableText')),
    agentUnavailableText: text(query.get('agentUnavailableText')),
    awayMessage: text(query.get('awayMessage')),
    requireEmailUpfront: bool(query.get('requireEmailUpfront')),
    isBrandingHidden: bool(query.get('isBrandingHidden')),
    companyName: text(query.get('companyName')),
    baseUrl: httpUrl(query.get('baseUrl')),
    metadata: metadata(query.get('metadata')),
    origin: origin(query.get('origin')),
    isTest: query.get('test') === '1',
  };
}

function pick(...values: (string | null | undefined)[]): string | undefined {
  for (const v of values) if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

/**
 * The effective configuration: URL parameter, else the account's widget
 * setting, else the default. Undefined when the URL names no valid account.
 */
export function resolveConfig(params: ChatParams, settings: WidgetSettings | null = null): ChatConfig | undefined {
  if (!params.accountId) return undefined;
  const s = settings ?? {};
  return {
    accountId: params.accountId,
    inboxId: params.inboxId ?? null,
    title: pick(params.title, s.title) ?? DEFAULTS.title,
    // An explicit empty subtitle/greeting in the URL means "none", so only absence falls through.
    subtitle: params.subtitle ?? pick(s.subtitle) ?? DEFAULTS.subtitle,
    primaryColor: params.primaryColor ?? parseColor(s.color) ?? DEFAULTS.primaryColor,
    greeting: params.greeting ?? pick(s.greeting) ?? DEFAULTS.greeting,
    newMessagePlaceholder: pick(params.newMessagePlaceholder, s.new_message_placeholder) ?? DEFAULTS.newMessagePlaceholder,
    showAgentAvailability: params.showAgentAvailability ?? s.show_agent_availability ?? false,
    agentAvailableText: pick(params.agentAvailableText, s.agent_available_text) ?? DEFAULTS.agentAvailableText,
    agentUnavailableText: pick(params.agentUnavailableText, s.agent_unavailable_text) ?? DEFAULTS.agentUnavailableText,
    awayMessage: params.awayMessage ?? pick(s.away_message) ?? '',
    requireEmailUpfront: params.requireEmailUpfront ?? s.require_email_upfront ?? false,
    isBrandingHidden: params.isBrandingHidden ?? s.is_branding_hidden ?? false,
    companyName: pick(params.companyName, s.account?.company_name) ?? '',
    emailPlaceholder: pick(s.email_input_placeholder) ?? DEFAULTS.emailPlaceholder,
    metadata: params.metadata ?? {},
    isOutsideWorkingHours: s.account?.is_outside_working_hours === true,
  };
}

/**
 * The host page's origin, trusted only when the browser confirms it: the
 * loader's `origin` parameter must equal the real parent (`ancestorOrigins`
 * where the browser has it, else the referrer's origin). Undefined when the
 * page is not framed or the claim does not match; then the page never posts
 * to its parent.
 */
export function resolveParentOrigin(
  claimed: string | undefined,
  ancestorOrigins: readonly string[] | undefined,
  referrer: string,
): string | undefined {
  if (!claimed) return undefined;
  const actual = ancestorOrigins && ancestorOrigins.length > 0 ? ancestorOrigins[0] : originOf(referrer);
  return actual === claimed ? claimed : undefined;
}

function originOf(url: string): string | undefined {
  try {
    return url ? new URL(url).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Where REST and socket calls go: the URL's `baseUrl`, else the stored `base_url`, honoured
 * when it is on the page's own origin (e.g. a path prefix behind a proxy): the page's CSP
 * allows no other origin, which is what keeps the visitor's socket and storage on ours.
 */
export function resolveApiBase(baseUrl: string | null | undefined, pageOrigin: string): string {
  try {
    const u = new URL(baseUrl ?? '');
    if (u.origin === pageOrigin) return (u.origin + u.pathname).replace(/\/+$/, '');
  } catch {
    /* absent or not a URL */
  }
  return pageOrigin;
}
