/**
 * @module gateway/routes/browser-sessions
 * Session replay ("Storytime", issue #20; docs/compatibility.md#storytime).
 * Public (the widget's recorder): create a session, finish, restart, identify,
 * exists, with the original's paths and shapes. The original left every one of
 * its routes open (anyone could read or delete any recording by id); here:
 * - the visitor routes refuse (403, `errors.session_replay: ["disabled"]`)
 *   while the account has replay off, act only on sessions of the account the
 *   guard resolved (gateway/widget-guard.ts: rate limits, origin allow-list,
 *   the customer token when the account requires one) and are bounded
 *   (services/browser-sessions/limits.ts);
 * - the agent routes (list, count, show, events, edit, delete) see the
 *   caller's account only: another account's ids are 404.
 * Settings (admin): `GET|PUT /api/accounts/me/session_replay`.
 * Events arrive over the socket (gateway/channels/events.ts), not here.
 */
import { z } from 'zod';
import { getAccount } from '../../services/accounts/index.js';
import {
  browserSessionExists,
  countBrowserSessions,
  createBrowserSession,
  deleteBrowserSession,
  finishBrowserSession,
  getBrowserSession,
  getSessionReplaySettings,
  identifyBrowserSession,
  listBrowserSessions,
  listReplayEvents,
  MAX_METADATA_BYTES,
  presentBrowserSession,
  restartBrowserSession,
  updateBrowserSession,
  updateSessionReplaySettings,
  ZSessionReplaySettingsInput,
  assertReplayEnabled,
  findBrowserSessionOwner,
  type BrowserSessionFilters,
} from '../../services/browser-sessions/index.js';
import { getWidgetSecurity } from '../../services/customers/token.js';
import { AppError } from '../../services/errors.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, jsonBody, NO_CONTENT, ok, publicRoute, ZQueryBool, ZUuidParams } from './define.js';
import {
  BROWSER_SESSIONS_DEFAULT_LIMIT,
  BROWSER_SESSIONS_MAX_LIMIT,
  browserSessionSchema,
  browserSessionWithEventsSchema,
  countSchema,
  REPLAY_MAX_EVENTS_PAGE,
  replayEventsPageSchema,
  sessionReplaySettingsSchema,
} from '../protocol/wire/index.js';

const TAGS = ['Session replay'];

const ZUuid = z.string().refine(isUuid, 'is invalid');
const ZMetadata = z
  .record(z.unknown())
  .refine((m) => Buffer.byteLength(JSON.stringify(m)) <= MAX_METADATA_BYTES, `must be at most ${MAX_METADATA_BYTES} bytes of JSON`);

const ZCreateInput = z.object({
  account_id: z.string().max(64),
  customer_id: ZUuid.nullable().optional(),
  conversation_id: ZUuid.nullable().optional(),
  metadata: ZMetadata.optional(),
  started_at: z.string().datetime({ offset: true }).optional(),
});

const ZIdentifyBody = z.object({ customer_id: ZUuid, customer_token: z.string().max(200).optional() });

const ZUpdateInput = z
  .object({
    metadata: ZMetadata,
    customer_id: ZUuid.nullable(),
    conversation_id: ZUuid.nullable(),
    finished_at: z.string().datetime({ offset: true }).nullable(),
  })
  .partial()
  .strict();

const ZListQuery = z.object({
  customer_id: ZUuid.optional(),
  ids: z.array(ZUuid).max(BROWSER_SESSIONS_MAX_LIMIT).optional(),
  active: ZQueryBool.optional(),
  limit: z.coerce.number().int().min(1).max(BROWSER_SESSIONS_MAX_LIMIT).optional(),
});
const ZCountQuery = ZListQuery.omit({ limit: true });

const ZEventsQuery = z.object({
  after_seq: z.coerce.number().int().min(0).max(2_147_483_647).optional(),
  limit: z.coerce.number().int().min(1).max(REPLAY_MAX_EVENTS_PAGE).optional(),
});

/** Malformed ids are 404, as unknown ones. */
function sessionId(req: Request): string {
  const id = req.params.id;
  if (!isUuid(id)) throw new AppError('NOT_FOUND');
  return id;
}

function toFilters(q: z.infer<typeof ZCountQuery>): BrowserSessionFilters {
  return { customerId: q.customer_id, ids: q.ids, active: q.active };
}

export function publicBrowserSessionRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;

  /** The session's account (the guard already checked origin and token for it); unknown ids are 404. */
  async function ownerOf(req: Request): Promise<{ id: string; accountId: string }> {
    const id = sessionId(req);
    const owner = await findBrowserSessionOwner(pool, id);
    if (!owner) throw new AppError('NOT_FOUND');
    return { id, accountId: owner.account_id };
  }

  return [
    publicRoute({
      method: 'POST',
      path: '/api/browser_sessions',
      summary:
        "The widget starts recording a session (403 while the account's session replay is off; " +
        'customer_id and its customer token required when the account requires customer tokens)',
      tags: TAGS,
      response: created(data(browserSessionSchema)),
      body: envelope('browser_session', ZCreateInput),
      handler: async ({ req, body }) => {
        const account = isUuid(body.account_id) ? await getAccount(pool, body.account_id) : null;
        if (!account) throw new AppError('NOT_FOUND', { userMessage: 'Account not found' });
        const customerId = body.customer_id ?? null;
        // The guard checked the token of a named customer; an account that requires tokens records identified visitors only.
        if (customerId === null && (await getWidgetSecurity(pool, account.id))?.requireCustomerToken) {
          throw new AppError('UNAUTHENTICATED', { userMessage: 'Customer token required' });
        }
        const row = await createBrowserSession(pool, account.id, {
          customerId,
          conversationId: body.conversation_id ?? null,
          metadata: body.metadata ?? {},
          startedAt: body.started_at ? new Date(body.started_at) : null,
          userAgent: req.headers['user-agent'] ?? null,
        });
        return { status: 201, headers: { location: `/api/browser_sessions/${row.id}` }, body: { data: presentBrowserSession(row) } };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/browser_sessions/:id/finish',
      summary: 'The widget ends its session (the page was left)',
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(browserSessionSchema)),
      handler: async ({ req }) => {
        const { id, accountId } = await ownerOf(req);
        return { body: { data: presentBrowserSession(await finishBrowserSession(pool, accountId, id)) } };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/browser_sessions/:id/restart',
      summary: 'The widget resumes its session (the page came back)',
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(browserSessionSchema)),
      handler: async ({ req }) => {
        const { id, accountId } = await ownerOf(req);
        return { body: { data: presentBrowserSession(await restartBrowserSession(pool, accountId, id)) } };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/browser_sessions/:id/identify',
      summary:
        "The widget names the session's customer (a customer of the session's account, with its token when the account requires one)",
      tags: TAGS,
      params: ZUuidParams,
      body: jsonBody(ZIdentifyBody),
      response: ok(data(browserSessionSchema)),
      handler: async ({ req, body }) => {
        const { id, accountId } = await ownerOf(req);
        return { body: { data: presentBrowserSession(await identifyBrowserSession(pool, accountId, id, body.customer_id)) } };
      },
    }),
    publicRoute({
      method: 'GET',
      path: '/api/browser_sessions/:id/exists',
      summary: 'Whether the session exists (403 while the account has session replay off)',
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(z.boolean())),
      handler: async ({ req }) => {
        const id = req.params.id;
        const owner = isUuid(id) ? await findBrowserSessionOwner(pool, id) : null;
        if (!owner) return { body: { data: false } };
        await assertReplayEnabled(pool, owner.account_id);
        return { body: { data: await browserSessionExists(pool, owner.account_id, id!) } };
      },
    }),
  ];
}

export function browserSessionRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/accounts/me/session_replay',
      summary: "Your account's session replay settings (admin only)",
      tags: TAGS,
      admin: true,
      response: ok(data(sessionReplaySettingsSchema)),
      handler: async ({ user }) => ({ body: { data: await getSessionReplaySettings(pool, user.account_id) } }),
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/accounts/me/session_replay',
      summary:
        'Change session replay (admin only): enabled, sample_rate (0..1), excluded_paths (patterns of location.pathname, * as wildcard), ' +
        'notice_text (null = default), max_session_bytes (64 KiB..50 MiB), retention_days (1..365); only the fields given change',
      tags: TAGS,
      admin: true,
      audit: { before: async ({ user }) => getSessionReplaySettings(pool, user.account_id) },
      body: envelope('session_replay', ZSessionReplaySettingsInput),
      response: ok(data(sessionReplaySettingsSchema)),
      handler: async ({ user, body }) => ({ body: { data: await updateSessionReplaySettings(pool, user.account_id, body) } }),
    }),
    // Before `/browser_sessions/:id`: the router takes the first pattern that matches.
    agentRoute(scope, {
      method: 'GET',
      path: '/browser_sessions/count',
      summary: 'How many of your account’s recorded sessions match (customer_id, ids[], active)',
      tags: TAGS,
      query: ZCountQuery,
      response: ok(data(countSchema)),
      handler: async ({ user, query }) => ({
        body: { data: { count: await countBrowserSessions(pool, user.account_id, toFilters(query)) } },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/browser_sessions',
      summary: `Your account's recorded sessions, newest first (customer_id, ids[], active = live now; limit, default ${BROWSER_SESSIONS_DEFAULT_LIMIT})`,
      tags: TAGS,
      query: ZListQuery,
      response: ok(dataList(browserSessionSchema)),
      handler: async ({ user, query }) => {
        const rows = await listBrowserSessions(pool, user.account_id, toFilters(query), query.limit ?? BROWSER_SESSIONS_DEFAULT_LIMIT);
        return { body: { data: rows.map(presentBrowserSession) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/browser_sessions/:id',
      summary: `A recorded session of your account with its first ${REPLAY_MAX_EVENTS_PAGE} events (the rest: /events)`,
      tags: TAGS,
      params: ZUuidParams,
      response: ok(data(browserSessionWithEventsSchema)),
      handler: async ({ req, user }) => {
        const id = sessionId(req);
        const row = await getBrowserSession(pool, user.account_id, id);
        if (!row) throw new AppError('NOT_FOUND');
        const { events } = await listReplayEvents(pool, user.account_id, id, 0, REPLAY_MAX_EVENTS_PAGE);
        return { body: { data: { ...presentBrowserSession(row), browser_replay_events: events } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/browser_sessions/:id/events',
      summary: `A recorded session's events by seq, for the player: after_seq (default 0), limit (at most ${REPLAY_MAX_EVENTS_PAGE})`,
      tags: TAGS,
      params: ZUuidParams,
      query: ZEventsQuery,
      response: ok(replayEventsPageSchema),
      handler: async ({ req, user, query }) => {
        const page = await listReplayEvents(
          pool,
          user.account_id,
          sessionId(req),
          query.after_seq ?? 0,
          query.limit ?? REPLAY_MAX_EVENTS_PAGE,
        );
        return { body: { data: page.events, next_after_seq: page.nextAfterSeq } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/browser_sessions/:id',
      summary: 'Edit a recorded session of your account (metadata, customer_id, conversation_id, finished_at)',
      tags: TAGS,
      params: ZUuidParams,
      body: envelope('browser_session', ZUpdateInput),
      response: ok(data(browserSessionSchema)),
      handler: async ({ req, user, body }) => {
        const row = await updateBrowserSession(pool, user.account_id, sessionId(req), {
          ...(body.metadata !== undefined ? { metadata: body.metadata } : {}),
          ...(body.customer_id !== undefined ? { customer_id: body.customer_id } : {}),
          ...(body.conversation_id !== undefined ? { conversation_id: body.conversation_id } : {}),
          ...(body.finished_at !== undefined ? { finished_at: body.finished_at === null ? null : new Date(body.finished_at) } : {}),
        });
        return { body: { data: presentBrowserSession(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/browser_sessions/:id',
      summary: 'Delete a recorded session of your account and its events',
      tags: TAGS,
      params: ZUuidParams,
      response: NO_CONTENT,
      handler: async ({ req, user }) => {
        await deleteBrowserSession(pool, user.account_id, sessionId(req));
        return { status: 204 };
      },
    }),
  ];
}
