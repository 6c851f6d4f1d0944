/**
 * @module gateway/routes/crm
 * HubSpot and Intercom (docs/integrations/hubspot.md, intercom.md): the vendor's consent URL
 * (`GET /api/crm/auth?provider=`, a single-use state bound to the account, the admin and the
 * vendor), the callback the console calls with the vendor's `code` and `state`
 * (`GET /api/crm/oauth`), the connections shown in settings, disconnect, and a customer's contacts
 * at the connected vendors for the customer panel. Contact sync and transcript notes run as
 * deliveries (services/integrations/crm/sync.ts). Tokens never leave the server.
 */
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import { getCustomer } from '../../services/customers/index.js';
import {
  consumeCrmState,
  createCrmState,
  CRM_VENDORS,
  crmSecretOf,
  deleteCrmConnection,
  isCrmConfigured,
  listCrmConnections,
  listCrmContacts,
  presentCrmConnection,
  presentCrmContact,
  saveCrmConnection,
} from '../../services/integrations/crm/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, data, dataList, NO_CONTENT, ok, queryString, ZUuidParams } from './define.js';
import {
  authorizeUrlSchema,
  crmConnectedSchema,
  crmConnectionListSchema,
  crmContactSchema,
  crmProviderSchema,
} from '../protocol/wire/index.js';

const TAGS = ['CRM'];

const ZCallbackQuery = z.object({
  code: queryString(2048).min(1),
  state: queryString(256).min(1),
});

export function crmRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;
  const integrations = ctx.config.integrations;
  const settings = integrations.crm;
  const scope = agentScope(pool);

  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/crm/connections',
      summary:
        "Your account's HubSpot and Intercom connections, which vendors this server can connect to, and the redirect URI to register",
      tags: TAGS,
      response: ok(crmConnectionListSchema),
      handler: async ({ user }) => ({
        body: {
          data: (await listCrmConnections(pool, user.account_id)).map(presentCrmConnection),
          configured: { hubspot: isCrmConfigured(settings, 'hubspot'), intercom: isCrmConfigured(settings, 'intercom') },
          redirect_uri: settings.redirectUri,
        },
      }),
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/crm/auth',
      summary: "The vendor's consent URL to connect HubSpot or Intercom; the state in it works once, for 10 minutes, for your account",
      tags: TAGS,
      response: ok(data(authorizeUrlSchema)),
      admin: true,
      query: z.object({ provider: crmProviderSchema }),
      handler: async ({ user, query }) => {
        const vendor = CRM_VENDORS[query.provider];
        vendor.authorizeUrl(settings, 'probe'); // 503 before a state is stored when the vendor is not configured
        const state = await createCrmState(pool, { accountId: user.account_id, userId: user.id, provider: query.provider });
        return { body: { data: { url: vendor.authorizeUrl(settings, state), redirect_uri: settings.redirectUri } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/crm/oauth',
      summary:
        'Finish connecting HubSpot or Intercom: the console passes the `code` and `state` the vendor redirected with; a state not issued to your account (or used, or expired) is refused with 403, a code the vendor refuses with 401',
      tags: TAGS,
      response: ok(data(crmConnectedSchema)),
      admin: true,
      audit: { action: 'crm.install', target: 'crm' },
      query: ZCallbackQuery,
      handler: async ({ user, query }) => {
        const provider = await consumeCrmState(pool, query.state, user.account_id);
        if (!provider) {
          ctx.log.warn('crm oauth callback with an unknown state', { accountId: user.account_id, userId: user.id });
          throw new AppError('FORBIDDEN', { userMessage: 'This authorization link is invalid or expired: start connecting again.' });
        }
        const connected = await CRM_VENDORS[provider].exchangeCode(settings, query.code);
        const row = await saveCrmConnection(pool, integrations.encryptionKey, {
          accountId: user.account_id,
          provider,
          externalAccount: connected.externalAccount,
          settings: connected.settings,
          secret: connected.secret,
          userId: user.id,
        });
        ctx.log.info('crm connected', { accountId: user.account_id, provider, externalAccount: row.external_account });
        return { body: { data: { ok: true, connection: presentCrmConnection(row) } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/crm/connections/:id',
      summary:
        'Disconnect HubSpot or Intercom: the token is revoked where the vendor allows it (HubSpot); contacts and notes stay at the vendor',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        const row = (await listCrmConnections(pool, user.account_id)).find((c) => c.id === id);
        if (!row) throw new AppError('NOT_FOUND');
        try {
          await CRM_VENDORS[row.provider].revoke(settings, crmSecretOf(integrations.encryptionKey, row));
        } catch (err) {
          ctx.log.warn('crm token revoke failed; disconnecting anyway', { accountId: user.account_id, provider: row.provider, err });
        }
        await deleteCrmConnection(pool, user.account_id, id);
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/customers/:id/crm',
      summary: "The customer's contacts at the CRMs your account is connected to (HubSpot, Intercom): link and fields as of the last sync",
      tags: TAGS,
      response: ok(dataList(crmContactSchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await getCustomer(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        return { body: { data: (await listCrmContacts(pool, user.account_id, id)).map(presentCrmContact) } };
      },
    }),
  ];
}
