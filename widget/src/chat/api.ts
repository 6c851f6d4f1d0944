/**
 * @module widget/chat/api
 * The public REST routes the chat page uses (docs/compatibility.md#conversations-and-messages, #customers,
 * #clients-built-for-the-original), on the gateway's own origin. Errors carry the HTTP status
 * (0 for a network failure) so callers can tell "retry later" from "refused".
 */
import type { Identity } from '../shared/bridge.js';
import { readWidgetSettings, type WidgetSettings } from './params.js';
import { attachmentsOf, field, type Attachment } from './transcript.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The reply's `Retry-After` (seconds), when it had one: retry no sooner. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }

  /** Worth retrying: offline, timeouts, rate limits and server errors. */
  get isTransient(): boolean {
    return this.status === 0 || this.status === 408 || this.status === 429 || this.status >= 500;
  }
}

export interface CustomerCreated {
  id: string;
  customerToken: string | null;
}

export interface ConversationWithMessages {
  id: string;
  /** The message JSON as sent, for `fromServer` to read. */
  messages: unknown[];
}

type Json = Record<string, unknown>;

export function createApi(base: string) {
  /** The reply body, unread (callers take the fields they need); throws `ApiError` for a failure. */
  async function call(method: string, path: string, body?: unknown, idempotencyKey?: string): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(base + path, {
        method,
        headers: {
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          // A retried create answers with what the first attempt created (issue #16).
          ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        credentials: 'omit',
      });
    } catch (err) {
      throw new ApiError(0, err instanceof Error ? err.message : 'network error');
    }
    let parsed: unknown;
    try {
      parsed = await res.json();
    } catch {
      parsed = undefined;
    }
    if (!res.ok) {
      const message = field(field(parsed, 'error'), 'message');
      const retryAfter = Number(res.headers.get('retry-after') ?? Number.NaN);
      throw new ApiError(
        res.status,
        typeof message === 'string' ? message : res.statusText,
        Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
      );
    }
    return parsed;
  }
  const q = (params: Record<string, string | null | undefined>): string => {
    const s = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v) s.set(k, v);
    return s.toString();
  };

  return {
    /**
     * `POST /api/upload` (multipart). XMLHttpRequest rather than fetch: only it
     * reports upload progress. A refusal (type, size) carries the server's field message.
     */
    upload(
      accountId: string,
      customerId: string | null,
      customerToken: string | null,
      file: File,
      onProgress?: (fraction: number) => void,
    ): Promise<Attachment> {
      return new Promise((resolve, reject) => {
        const form = new FormData();
        form.append('account_id', accountId);
        if (customerId) form.append('customer_id', customerId);
        if (customerId && customerToken) form.append('customer_token', customerToken);
        form.append('file', file, file.name);
        const xhr = new XMLHttpRequest();
        xhr.open('POST', `${base}/api/upload`);
        xhr.withCredentials = false;
        xhr.upload.addEventListener('progress', (e) => {
          if (e.lengthComputable && e.total > 0) onProgress?.(e.loaded / e.total);
        });
        xhr.addEventListener('error', () => reject(new ApiError(0, 'network error')));
        xhr.addEventListener('abort', () => reject(new ApiError(0, 'aborted')));
        xhr.addEventListener('load', () => {
          let parsed: unknown;
          try {
            parsed = JSON.parse(xhr.responseText);
          } catch {
            parsed = undefined;
          }
          if (xhr.status < 200 || xhr.status >= 300) {
            const error = field(parsed, 'error');
            const fieldErrors = field(field(error, 'errors'), 'file');
            const first: unknown = Array.isArray(fieldErrors) ? fieldErrors[0] : undefined;
            const detail = typeof first === 'string' ? first : null;
            const errorMessage = field(error, 'message');
            const message = typeof errorMessage === 'string' ? errorMessage : xhr.statusText || 'upload failed';
            reject(new ApiError(xhr.status, detail ? `${file.name} ${detail}` : message));
            return;
          }
          const [attachment] = attachmentsOf([field(parsed, 'data')]);
          if (attachment) resolve(attachment);
          else reject(new ApiError(500, 'upload without id'));
        });
        xhr.send(form);
      });
    },

    async widgetSettings(accountId: string, inboxId: string | null): Promise<WidgetSettings | null> {
      const res = await call('GET', `/api/widget_settings?${q({ account_id: accountId, inbox_id: inboxId })}`);
      const data = field(res, 'data');
      return data === undefined || data === null ? null : readWidgetSettings(data);
    },

    /** false when the server forgot the customer (the client must forget it too, docs/compatibility.md#clients-built-for-the-original). */
    async customerExists(customerId: string, accountId: string, customerToken: string | null): Promise<boolean> {
      const res = await call(
        'GET',
        `/api/customers/${encodeURIComponent(customerId)}/exists?${q({ account_id: accountId, customer_token: customerToken })}`,
      );
      return field(res, 'data') === true;
    },

    /**
     * The customer known for an external id in this account (with its token when the identity was verified), or null.
     * `customerToken` (of the visitor's current customer) is what accounts requiring customer tokens ask for; without
     * one they answer 401, taken as "not known" (the widget then carries on with a customer of its own).
     */
    async identify(accountId: string, identity: Identity, customerToken: string | null): Promise<CustomerCreated | null> {
      if (!identity.external_id) return null;
      let res: unknown;
      try {
        res = await call(
          'GET',
          `/api/customers/identify?${q({
            account_id: accountId,
            external_id: identity.external_id,
            email: identity.email,
            user_hash: identity.user_hash,
            customer_token: customerToken,
          })}`,
        );
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
      const data = field(res, 'data');
      const id = field(data, 'customer_id');
      const token = field(data, 'customer_token');
      if (typeof id !== 'string') return null;
      return { id, customerToken: typeof token === 'string' ? token : null };
    },

    /** `idempotencyKey`: the same for every retry of one creation (a random UUID), so a retry never makes a second customer. */
    async createCustomer(accountId: string, fields: Json, userHash?: string, idempotencyKey?: string): Promise<CustomerCreated> {
      const res = await call(
        'POST',
        '/api/customers',
        {
          customer: { account_id: accountId, ...fields, ...(userHash ? { user_hash: userHash } : {}) },
          ...(userHash ? { user_hash: userHash } : {}),
        },
        idempotencyKey,
      );
      const data = field(res, 'data');
      const id = field(data, 'id');
      if (typeof id !== 'string') throw new ApiError(500, 'customer without id');
      const token = field(data, 'customer_token') ?? field(res, 'customer_token');
      return { id, customerToken: typeof token === 'string' ? token : null };
    },

    async updateCustomer(
      customerId: string,
      accountId: string,
      fields: Json,
      userHash?: string,
      customerToken?: string | null,
    ): Promise<void> {
      await call('PUT', `/api/customers/${encodeURIComponent(customerId)}/metadata`, {
        account_id: accountId,
        metadata: fields,
        ...(userHash ? { user_hash: userHash } : {}),
        ...(customerToken ? { customer_token: customerToken } : {}),
      });
    },

    /** `idempotencyKey`: as for `createCustomer`, so a retry never makes a second conversation. */
    async createConversation(
      accountId: string,
      customerId: string,
      inboxId: string | null,
      customerToken: string | null,
      idempotencyKey?: string,
    ): Promise<string> {
      const res = await call(
        'POST',
        '/api/conversations',
        {
          conversation: { account_id: accountId, customer_id: customerId, ...(inboxId ? { inbox_id: inboxId } : {}) },
          ...(customerToken ? { customer_token: customerToken } : {}),
        },
        idempotencyKey,
      );
      const id = field(field(res, 'data'), 'id');
      if (typeof id !== 'string') throw new ApiError(500, 'conversation without id');
      return id;
    },

    /**
     * The customer's conversations with their messages, newest first
     * (`GET /api/conversations/customer`), or null when this server has no
     * such route (then history comes from the rejoin's catch-up).
     */
    async customerConversations(
      customerId: string,
      accountId: string,
      customerToken: string | null,
    ): Promise<ConversationWithMessages[] | null> {
      try {
        const res = await call(
          'GET',
          `/api/conversations/customer?${q({ customer_id: customerId, account_id: accountId, customer_token: customerToken })}`,
        );
        const data = field(res, 'data');
        const list: unknown[] = Array.isArray(data) ? data : [];
        return list.flatMap((c) => {
          const id = field(c, 'id');
          const messages = field(c, 'messages');
          const items: unknown[] = Array.isArray(messages) ? messages : [];
          return typeof id === 'string' ? [{ id, messages: items }] : [];
        });
      } catch (err) {
        // Servers without the route: 404/405/406, or 401 where `/api/conversations/:id` (agents only) takes the path.
        if (err instanceof ApiError && [401, 404, 405, 406].includes(err.status)) return null;
        throw err;
      }
    },

    /**
     * Public messages of one conversation with `seq` below `beforeSeq`, the
     * newest `limit` of them (`GET /api/conversations/customer` with
     * conversation_id and before_seq): what fills a gap in the live stream.
     */
    async messagesBefore(
      customerId: string,
      accountId: string,
      customerToken: string | null,
      conversationId: string,
      beforeSeq: number,
      limit: number,
    ): Promise<unknown[]> {
      const res = await call(
        'GET',
        `/api/conversations/customer?${q({
          customer_id: customerId,
          account_id: accountId,
          customer_token: customerToken,
          conversation_id: conversationId,
          before_seq: String(beforeSeq),
          limit: String(limit),
        })}`,
      );
      const list: unknown = field(res, 'data');
      const conversations: readonly unknown[] = Array.isArray(list) ? list : [];
      const messages: unknown = field(
        conversations.find((c) => field(c, 'id') === conversationId),
        'messages',
      );
      return Array.isArray(messages) ? (messages as unknown[]) : [];
    },
  };
}

export type Api = ReturnType<typeof createApi>;
