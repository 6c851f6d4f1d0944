/**
 * The one typed client of the REST API (docs/api.md). Every request goes
 * through `request()`, which sends the session token, renews the session on a
 * 401 (once, then retries) and turns error bodies into `ApiError`. Renewal is
 * single-flight in this tab and serialised across tabs with a Web Lock: the
 * renew token is single-use, so a tab that finds a newer session in storage
 * takes it instead of spending its own (stale) renew token.
 *
 * Framework-free: the session store (stores/session.tsx) subscribes with
 * `onSessionChange` and turns it into Solid state.
 */
import { z } from 'zod';
import type { Account, BusinessContextInput, Conversation, Session, UserSettings, WidgetSettingsInput, WorkingHours } from '../types.js';
import {
  accountSchema,
  aiTestResultSchema,
  emailVerifiedSchema,
  okSchema,
  passwordResetSchema,
  registrationSchema,
  reportSchema,
  sessionSchema,
  type Report,
  type ApiKeyScope,
  apiKeySchema,
  businessContextSchema,
  cannedResponseSchema,
  conversationPageSchema,
  conversationSchema,
  countSchema,
  customerDetailSchema,
  eventSubscriptionSchema,
  expandedConversationSchema,
  inboxSchema,
  invitationSchema,
  mailboxMessageSchema,
  mailboxSummarySchema,
  messagePageSchema,
  meSchema,
  noteSchema,
  parseWire,
  publicWidgetSettingsSchema,
  unreadCountsSchema,
  userSchema,
  userSettingsSchema,
  pushSubscriptionSchema,
  vapidPublicKeySchema,
  widgetSettingsSchema,
} from './wire.js';
import type { AlertPrefs } from './alerts.js';
import { readSession, renewDelay, sessionFromResponse, writeSession, type KeyValueStore } from './session.js';

/** A failed request: HTTP status, the server's message and field errors (`{field: [msg]}`). */
export class ApiError extends Error {
  readonly status: number;
  readonly errors: Record<string, string[]> | undefined;

  constructor(status: number, message: string, errors?: Record<string, string[]>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.errors = errors;
  }

  /** The route does not exist on this server (yet): the UI shows "not available". */
  get isMissingRoute(): boolean {
    return this.status === 404 || this.status === 405;
  }
}

/** Field errors as one readable line ("email: has invalid format"). */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const fields = err.errors
      ? Object.entries(err.errors).map(([k, v]) => `${k === 'base' ? '' : `${k.replace(/_/g, ' ')}: `}${v.join(', ')}`)
      : [];
    return fields.length ? fields.join('; ') : err.message;
  }
  if (err instanceof Error) return err.message === 'Failed to fetch' ? 'The server cannot be reached. Check your connection.' : err.message;
  return 'Something went wrong';
}

/** An error body: `{"error": "…"}`, `{"error": {"message", "errors"}}` or `{"errors": {"detail"} | {field: [msg]}}`. */
const errorBodySchema = z.object({ error: z.unknown().optional(), errors: z.unknown().optional() });
const errorObjectSchema = z.object({ message: z.unknown().optional(), errors: z.unknown().optional() });
const fieldErrorsSchema = z.record(z.array(z.string()));
const detailSchema = z.object({ detail: z.string() });

/** Field errors (`{field: [msg]}`), or undefined when `value` has another shape. */
function fieldErrorsOf(value: unknown): Record<string, string[]> | undefined {
  const parsed = fieldErrorsSchema.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

function errorFrom(status: number, body: unknown): ApiError {
  const failed = `Request failed (${status})`;
  const parsed = errorBodySchema.safeParse(body);
  const { error, errors } = parsed.success ? parsed.data : { error: undefined, errors: undefined };
  if (typeof error === 'string') return new ApiError(status, error);
  const inner = errorObjectSchema.safeParse(error);
  if (inner.success)
    return new ApiError(status, typeof inner.data.message === 'string' ? inner.data.message : failed, fieldErrorsOf(inner.data.errors));
  if (errors && typeof errors === 'object') {
    const detail = detailSchema.safeParse(errors);
    return detail.success ? new ApiError(status, detail.data.detail) : new ApiError(status, 'Unprocessable Entity', fieldErrorsOf(errors));
  }
  return new ApiError(status, status === 0 ? 'The server cannot be reached' : failed);
}

type Query = Record<string, string | number | undefined | null>;

function queryString(query: Query | undefined): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null) params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** `GET /api/reporting` (docs/compatibility.md#reporting-and-onboarding, plus p90s, messages per source and per agent); durations in seconds. */
export type { Report };
export type ReportDateCount = Report['messages_by_date'][number];
export type ReportAgent = Report['per_agent'][number];

export interface ApiClientOptions {
  baseUrl?: string;
  storage?: KeyValueStore;
  fetch?: typeof fetch;
  now?: () => number;
  /** Web Locks (navigator.locks) to serialise renewal across tabs; optional. */
  locks?: { request<T>(name: string, cb: () => Promise<T>): Promise<T> };
}

/** A reply that does not match its schema: logged by `parseWire`, shown as this. */
export class UnexpectedReplyError extends Error {
  constructor(what: string) {
    super(`The server sent an unexpected reply to ${what}`);
    this.name = 'UnexpectedReplyError';
  }
}

export type ApiClient = ReturnType<typeof createApiClient>;

export function createApiClient(opts: ApiClientOptions = {}) {
  const base = opts.baseUrl ?? '';
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const now = opts.now ?? (() => Date.now());
  const memory = new Map<string, string>();
  const storage: KeyValueStore = opts.storage ?? {
    getItem: (k) => memory.get(k) ?? null,
    setItem: (k, v) => void memory.set(k, v),
    removeItem: (k) => void memory.delete(k),
  };
  let current: Session | null = readSession(storage);
  const listeners = new Set<(s: Session | null) => void>();
  let renewing: Promise<Session | null> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function setSession(next: Session | null): void {
    current = next;
    writeSession(storage, next);
    schedule();
    for (const fn of listeners) fn(next);
  }

  /** Renew ahead of expiry, so an agent who works all day is never logged out by surprise. */
  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!current) return;
    const delay = Math.min(renewDelay(current, now()), 2 ** 31 - 1);
    timer = setTimeout(() => {
      void renew().catch(() => undefined);
    }, delay);
    // In Node (tests) a pending renewal must not keep the process alive.
    (timer as { unref?: () => void }).unref?.();
  }

  async function raw(method: string, path: string, body: unknown, token: string | undefined): Promise<{ status: number; body: unknown }> {
    const res = await doFetch(base + path, {
      method,
      headers: {
        accept: 'application/json',
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: token } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed };
  }

  async function renewNow(): Promise<Session | null> {
    const startedWith = current;
    // Another tab may have renewed already: its session is in storage.
    const stored = readSession(storage);
    if (stored && startedWith && stored.renew_token !== startedWith.renew_token) {
      setSession(stored);
      return stored;
    }
    const session = stored ?? startedWith;
    if (!session) return null;
    const res = await raw('POST', '/api/session/renew', undefined, session.renew_token);
    if (res.status === 200) {
      const reply = parseWire(z.object({ data: sessionSchema }), res.body, 'session renewal');
      if (!reply) throw new UnexpectedReplyError('the session renewal');
      const next = sessionFromResponse(reply.data, session, now());
      setSession(next);
      return next;
    }
    if (res.status === 401 || res.status === 403) {
      // A tab that renewed in the meantime wrote a newer session.
      const latest = readSession(storage);
      if (latest && latest.renew_token !== session.renew_token) {
        setSession(latest);
        return latest;
      }
      setSession(null);
      return null;
    }
    throw errorFrom(res.status, res.body);
  }

  /** Renew the session (single-flight). Resolves null when the session is gone (the user must log in). */
  function renew(): Promise<Session | null> {
    renewing ??= (opts.locks ? opts.locks.request('netia-session-renew', renewNow) : renewNow()).finally(() => {
      renewing = null;
    });
    return renewing;
  }

  /** The reply body of a request (unparsed), after renewing the session on a 401. */
  async function send(method: string, path: string, body?: unknown, query?: Query, auth = true): Promise<unknown> {
    const url = path + queryString(query);
    const token = auth ? current?.token : undefined;
    let res = await raw(method, url, body, token);
    if (res.status === 401 && auth && current) {
      const renewed = await renew().catch(() => null);
      if (renewed) res = await raw(method, url, body, renewed.token);
    }
    if (res.status >= 400 || res.status === 0) throw errorFrom(res.status, res.body);
    return res.body;
  }

  /** A request whose reply the caller types itself (routes without a wire schema yet: settings pages, acknowledgements). */
  async function request<T>(method: string, path: string, body?: unknown, query?: Query, auth = true): Promise<T> {
    return (await send(method, path, body, query, auth)) as T;
  }

  /** A request whose reply is parsed with `schema`; a reply that does not match is logged and rejected. */
  async function parsed<T>(
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    auth = true,
  ): Promise<T> {
    const what = `${method} ${path}`;
    const value = parseWire(schema, await send(method, path, body, query, auth), `reply to ${what}`);
    if (value === undefined) throw new UnexpectedReplyError(what);
    return value;
  }

  /** `parsed` for a `{"data": …}` reply: its data. */
  async function parsedData<T>(
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    method: string,
    path: string,
    body?: unknown,
    query?: Query,
    auth = true,
  ): Promise<T> {
    const envelope = await parsed(z.object({ data: z.unknown() }), method, path, body, query, auth);
    const value = parseWire(schema, envelope.data, `reply to ${method} ${path}`);
    if (value === undefined) throw new UnexpectedReplyError(`${method} ${path}`);
    return value;
  }

  const getData = <T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, path: string, query?: Query) =>
    parsedData(schema, 'GET', path, undefined, query);

  /** Adopt a session written by another tab (storage event). */
  function adoptStored(): void {
    const stored = readSession(storage);
    if (stored?.token !== current?.token) {
      current = stored;
      schedule();
      for (const fn of listeners) fn(stored);
    }
  }

  schedule();

  return {
    session: (): Session | null => current,
    onSessionChange(fn: (s: Session | null) => void): () => void {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    adoptStored,
    renew,
    request,
    parsed,
    parsedData,

    // --- Access (§2.2)
    async register(input: {
      email: string;
      password: string;
      password_confirmation: string;
      company_name?: string;
      invite_token?: string;
      full_name?: string;
    }): Promise<Session> {
      const res = await parsedData(registrationSchema, 'POST', '/api/registration', { user: input }, undefined, false);
      const session = sessionFromResponse(res, null, now());
      setSession(session);
      return session;
    },
    async login(email: string, password: string): Promise<Session> {
      const res = await parsedData(sessionSchema, 'POST', '/api/session', { user: { email, password } }, undefined, false);
      const session = sessionFromResponse(res, null, now());
      setSession(session);
      return session;
    },
    async logout(): Promise<void> {
      const token = current?.token;
      setSession(null);
      if (token) await raw('DELETE', '/api/session', undefined, token).catch(() => undefined);
    },
    requestPasswordReset: (email: string) => parsedData(okSchema, 'POST', '/api/reset_password', { email }, undefined, false),
    resetPassword: (token: string, password: string, password_confirmation: string) =>
      parsed(
        z.object({ data: passwordResetSchema }),
        'PUT',
        '/api/reset_password',
        { token, password, password_confirmation },
        undefined,
        false,
      ),
    me: () => getData(meSchema, '/api/me'),
    /** Follow the link of a verification mail (public). 401: unknown token; 410: expired. `message` says when it was verified before. */
    verifyEmail: async (token: string) => parsedData(emailVerifiedSchema, 'POST', '/api/verify_email', { token }, undefined, false),
    /** Send the signed-in agent a new verification mail (rate-limited). */
    resendVerificationEmail: () => parsedData(okSchema, 'POST', '/api/verify_email/resend'),

    // --- Conversations (§2.4) and messages (§2.5)
    listConversations: (query: Record<string, string>, after?: string | null, limit = 50) =>
      parsed(conversationPageSchema, 'GET', '/api/conversations', undefined, { ...query, limit, ...(after ? { after } : {}) }),
    countConversations: (query: Record<string, string>) => getData(countSchema, '/api/conversations/count', query),
    unread: () => getData(unreadCountsSchema, '/api/conversations/unread'),
    getConversation: (id: string) => getData(expandedConversationSchema, `/api/conversations/${encodeURIComponent(id)}`),
    listMessages: (conversationId: string, range: { afterSeq?: number; beforeSeq?: number; limit?: number } = {}) =>
      parsed(messagePageSchema, 'GET', '/api/messages', undefined, {
        conversation_id: conversationId,
        after_seq: range.afterSeq,
        before_seq: range.beforeSeq,
        limit: range.limit,
      }),
    updateConversation: (
      id: string,
      changes: Partial<Pick<Conversation, 'status' | 'priority' | 'assignee_id' | 'snoozed_until' | 'read'>>,
    ) => parsedData(conversationSchema, 'PUT', `/api/conversations/${encodeURIComponent(id)}`, { conversation: changes }),
    handBack: (id: string) => parsedData(conversationSchema, 'POST', `/api/conversations/${encodeURIComponent(id)}/hand_back`),

    // --- People
    listUsers: () => getData(z.array(userSchema), '/api/users'),
    getCustomer: (id: string) => getData(customerDetailSchema, `/api/customers/${encodeURIComponent(id)}`),
    listNotes: (customerId: string) => getData(z.array(noteSchema), '/api/notes', { customer_id: customerId }),
    createNote: (customerId: string, body: string) =>
      parsedData(noteSchema, 'POST', '/api/notes', { note: { customer_id: customerId, body } }),

    // --- Settings (§2.3, §2.7, §2.8, §2.11)
    getAccount: () => getData(accountSchema, '/api/accounts/me'),
    updateAccount: (
      id: string,
      changes: Partial<
        Pick<Account, 'company_name' | 'time_zone' | 'ai_enabled'> & {
          working_hours: WorkingHours[];
          settings: Partial<Account['settings']>;
        }
      >,
    ) => parsedData(accountSchema, 'PUT', `/api/accounts/${encodeURIComponent(id)}`, { account: changes }),
    getUserSettings: () => getData(userSettingsSchema, '/api/user_settings'),
    updateUserSettings: (
      changes: Partial<
        Pick<
          UserSettings,
          | 'email_alert_on_new_message'
          | 'email_alert_on_new_conversation'
          | 'email_alert_on_mention'
          | 'email_alert_on_sla'
          | 'expo_push_token'
        >
      > &
        Partial<AlertPrefs>,
    ) => parsedData(userSettingsSchema, 'PUT', '/api/user_settings', { user_settings: changes }),
    // Web Push (Settings → Notifications): the key to subscribe with and this agent's devices.
    getVapidPublicKey: async () => (await getData(vapidPublicKeySchema, '/api/push/vapid_public_key')).public_key,
    listPushSubscriptions: () => getData(z.array(pushSubscriptionSchema), '/api/push_subscriptions'),
    createPushSubscription: (subscription: PushSubscriptionJSON) =>
      parsedData(pushSubscriptionSchema, 'POST', '/api/push_subscriptions', { push_subscription: subscription }),
    deletePushSubscription: (id: string) => send('DELETE', `/api/push_subscriptions/${encodeURIComponent(id)}`),
    listInboxes: () => getData(z.array(inboxSchema), '/api/inboxes'),
    createInbox: (name: string, description?: string) => parsedData(inboxSchema, 'POST', '/api/inboxes', { inbox: { name, description } }),
    listCannedResponses: () => getData(z.array(cannedResponseSchema), '/api/canned_responses'),
    createCannedResponse: (name: string, content: string) =>
      parsedData(cannedResponseSchema, 'POST', '/api/canned_responses', { canned_response: { name, content } }),
    deleteCannedResponse: (id: string) => send('DELETE', `/api/canned_responses/${encodeURIComponent(id)}`),
    getBusinessContext: () => parsed(businessContextSchema, 'GET', '/api/business_context'),
    saveBusinessContext: (input: BusinessContextInput) =>
      parsed(businessContextSchema, 'PUT', '/api/business_context', { business_context: input }),
    /** Settings → AI test prompt (admin): the assistant's answer to `question` with the saved context, `draft` fields laid over it. Creates no conversation. */
    testAiPrompt: (question: string, draft?: Partial<BusinessContextInput>) =>
      parsedData(aiTestResultSchema, 'POST', '/api/ai/test', { question, ...(draft ? { business_context: draft } : {}) }),
    getWidgetSettings: (accountId: string, inboxId?: string) =>
      parsedData(publicWidgetSettingsSchema, 'GET', '/api/widget_settings', undefined, { account_id: accountId, inbox_id: inboxId }, false),
    saveWidgetSettings: (input: WidgetSettingsInput) =>
      parsedData(widgetSettingsSchema, 'PUT', '/api/widget_settings', { widget_settings: input }),
    listApiKeys: () => getData(z.array(apiKeySchema), '/api/personal_api_keys'),
    createApiKey: (label: string, scope?: ApiKeyScope) =>
      parsedData(apiKeySchema, 'POST', '/api/personal_api_keys', { label, ...(scope ? { scope } : {}) }),
    deleteApiKey: (id: string) => send('DELETE', `/api/personal_api_keys/${encodeURIComponent(id)}`),
    listEventSubscriptions: () => getData(z.array(eventSubscriptionSchema), '/api/event_subscriptions'),
    createEventSubscription: (webhook_url: string, scope?: string) =>
      parsedData(eventSubscriptionSchema, 'POST', '/api/event_subscriptions', {
        event_subscription: { webhook_url, ...(scope ? { scope } : {}) },
      }),
    deleteEventSubscription: (id: string) => send('DELETE', `/api/event_subscriptions/${encodeURIComponent(id)}`),
    listInvitations: () => getData(z.array(invitationSchema), '/api/user_invitations'),
    createInvitation: (email?: string) =>
      parsedData(invitationSchema, 'POST', '/api/user_invitations', {
        user_invitation: email ? { email } : {},
      }),
    /** Create an invitation and email its link to `to_address` (admin). */
    sendInvitationEmail: (to_address: string) => send('POST', '/api/user_invitation_emails', { to_address }),

    // --- Local mailbox (development only: 404 when mail goes out over SMTP; admins)
    listMailbox: () => getData(z.array(mailboxSummarySchema), '/api/dev/mailbox'),
    getMail: (id: string) => getData(mailboxMessageSchema, `/api/dev/mailbox/${encodeURIComponent(id)}`),
    reporting: (from: string, to: string) => getData(reportSchema, '/api/reporting', { from_date: from, to_date: to }),
  };
}
