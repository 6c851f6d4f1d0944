/**
 * @module gateway/routes/widget-settings
 * Widget settings (docs/compatibility.md#widget-settings-and-business-context, #clients-built-for-the-original). The widget reads its
 * settings publicly by account id (created on first read, for the account's
 * primary inbox unless `inbox_id` names another of its inboxes) together with
 * the account's basic JSON and working hours; it reports where it runs through
 * the public metadata route (host, pathname and last_seen_at only). Agents edit
 * their own account's settings.
 */
import { z } from 'zod';
import { getAccount, type AccountRow } from '../../services/accounts/index.js';
import { isOutsideWorkingHours, presentAccountBasic } from '../../services/accounts/manage.js';
import { getSessionReplaySettings, presentPublicSessionReplay } from '../../services/browser-sessions/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { getInbox, getPrimaryInbox } from '../../services/inboxes/index.js';
import { isUuid } from '../../services/validation.js';
import {
  findOrCreateWidgetSettings,
  presentWidgetSettings,
  updateWidgetMetadata,
  updateWidgetSettings,
  WIDGET_URL_FIELDS,
  widgetUrlErrors,
  ZWidgetMetadataInput,
  ZWidgetSettingsInput,
  type WidgetSettingsRow,
} from '../../services/widget-settings/index.js';
import type { DatabasePool } from 'slonik';
import type { GatewayContext } from '../context.js';
import { agentScope, assertAdmin, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, envelope, jsonBody, ok, publicRoute } from './define.js';
import { blankParam } from './customer-records.js';
import { type PublicWidgetSettings, publicWidgetSettingsSchema, widgetSettingsSchema } from '../protocol/wire/index.js';

const TAGS = ['Widget settings'];

async function publicAccount(pool: DatabasePool, accountId: string): Promise<AccountRow> {
  const account = isUuid(accountId) ? await getAccount(pool, accountId) : null;
  if (!account) {
    throw new AppError('NOT_FOUND', { userMessage: `No account found with ID: ${accountId}. Are you pointing at the correct host?` });
  }
  return account;
}

/** The inbox a widget request names (blank, "undefined" or "null" mean the primary inbox); another account's is 404. */
async function resolveInboxId(
  pool: DatabasePool,
  accountId: string,
  inboxId: string | null | undefined,
  notFound: () => AppError,
): Promise<string> {
  if (inboxId === null || blankParam(inboxId)) {
    const primary = await getPrimaryInbox(pool, accountId);
    if (!primary) throw notFound();
    return primary.id;
  }
  if (!isUuid(inboxId) || !(await getInbox(pool, accountId, inboxId))) throw notFound();
  return inboxId;
}

/** What a visitor's browser may see: the settings without where the widget was last seen, and the recorder's settings (issue #20). */
function presentPublic(
  settings: WidgetSettingsRow,
  account: AccountRow,
  replay: PublicWidgetSettings['session_replay'],
): PublicWidgetSettings {
  const { host: _host, pathname: _pathname, last_seen_at: _lastSeen, ...visible } = presentWidgetSettings(settings);
  const now = Date.now();
  return { ...visible, account: presentAccountBasic(account, isOutsideWorkingHours(account, now), now), session_replay: replay };
}

const ZWidgetQuery = z.object({ account_id: z.string().max(64).optional(), inbox_id: z.string().max(64).optional() });

const ZWidgetMetadataBody = z.object({
  account_id: z.string().max(64).optional(),
  inbox_id: z.string().max(64).nullable().optional(),
  metadata: z.unknown().optional(),
});

export function publicWidgetSettingsRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;
  return [
    publicRoute({
      method: 'GET',
      path: '/api/widget_settings',
      summary: "The widget's settings for an account (and inbox), with the account's working hours; created on first read",
      tags: TAGS,
      response: ok(data(publicWidgetSettingsSchema)),
      query: ZWidgetQuery,
      handler: async ({ query }) => {
        if (blankParam(query.account_id)) {
          throw new AppError('VALIDATION_FAILED', { userMessage: 'The account_id is a required parameter' });
        }
        const account = await publicAccount(pool, query.account_id!);
        const inboxId = await resolveInboxId(pool, account.id, query.inbox_id, () => new AppError('NOT_FOUND'));
        const settings = await findOrCreateWidgetSettings(pool, account.id, inboxId);
        const replay = presentPublicSessionReplay(await getSessionReplaySettings(pool, account.id));
        return { body: { data: presentPublic(settings, account, replay) } };
      },
    }),
    publicRoute({
      method: 'PUT',
      path: '/api/widget_settings/metadata',
      summary: 'A widget reports the page it runs on (host, pathname, last_seen_at only)',
      tags: TAGS,
      response: ok(data(widgetSettingsSchema)),
      body: jsonBody(ZWidgetMetadataBody),
      handler: async ({ body }) => {
        const metadata = body.metadata;
        if (blankParam(body.account_id) || metadata === null || typeof metadata !== 'object' || Array.isArray(metadata)) {
          throw new AppError('VALIDATION_FAILED', { userMessage: 'The following parameters are required: account_id, metadata' });
        }
        const account = await publicAccount(pool, body.account_id!);
        const inboxId = await resolveInboxId(pool, account.id, body.inbox_id, () => new AppError('NOT_FOUND'));
        const input = ZWidgetMetadataInput.safeParse(metadata);
        if (!input.success) {
          throw validationError(Object.fromEntries(input.error.issues.map((i) => [`metadata.${i.path.join('.')}`, [i.message]])));
        }
        const settings = await updateWidgetMetadata(pool, account.id, inboxId, input.data);
        return { body: { data: presentWidgetSettings(settings) } };
      },
    }),
  ];
}

export function widgetSettingsRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'PUT',
      path: '/widget_settings',
      summary:
        "Edit your account's widget settings (for inbox_id, else the primary inbox); only the fields given change. " +
        'The URL fields (custom_icon_url: https or this server; iframe_url_override and base_url: this server) are for admins only',
      tags: TAGS,
      audit: {
        before: async ({ user, body }) =>
          presentWidgetSettings(
            await findOrCreateWidgetSettings(
              pool,
              user.account_id,
              await resolveInboxId(pool, user.account_id, body.inbox_id, () => validationError({ inbox_id: ['does not exist'] })),
            ),
          ),
      },
      response: ok(data(widgetSettingsSchema)),
      body: envelope('widget_settings', ZWidgetSettingsInput),
      handler: async ({ req, user, body }) => {
        // What visitors' browsers load and where their messages go: an admin's decision.
        if (WIDGET_URL_FIELDS.some((key) => body[key] !== undefined)) assertAdmin(user);
        const urlErrors = widgetUrlErrors(body, req.headers.host ?? '');
        if (Object.keys(urlErrors).length > 0) throw validationError(urlErrors);
        const inboxId = await resolveInboxId(pool, user.account_id, body.inbox_id, () => validationError({ inbox_id: ['does not exist'] }));
        const settings = await updateWidgetSettings(pool, user.account_id, inboxId, body);
        return { body: { data: presentWidgetSettings(settings) } };
      },
    }),
  ];
}
