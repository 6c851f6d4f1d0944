/**
 * HubSpot and Intercom data for the console: the routes of gateway/routes/crm.ts, kept
 * framework-free (like lib/gmail.ts) so Node tests load it as is.
 */
import type { z } from 'zod';
import type {
  authorizeUrlSchema,
  crmConnectedSchema,
  crmConnectionListSchema,
  CrmConnection,
  CrmProviderName,
} from '../../../gateway/protocol/wire/index.js';
import { readOAuthCallback, type OAuthReturn } from './oauth.js';

export type { CrmConnection, CrmProviderName };
export type CrmOverview = z.infer<typeof crmConnectionListSchema>;

type Requester = { request: <T>(method: string, path: string, body?: unknown, query?: Record<string, string>) => Promise<T> };

export const CRM_NAMES: Record<CrmProviderName, string> = { hubspot: 'HubSpot', intercom: 'Intercom' };

export function crmApi(client: Requester) {
  const { request } = client;
  return {
    overview: () => request<CrmOverview>('GET', '/api/crm/connections'),
    authorizeUrl: async (provider: CrmProviderName) =>
      (await request<{ data: z.infer<typeof authorizeUrlSchema> }>('GET', '/api/crm/auth', undefined, { provider })).data.url,
    finish: async (code: string, state: string) =>
      (await request<{ data: z.infer<typeof crmConnectedSchema> }>('GET', '/api/crm/oauth', undefined, { code, state })).data.connection,
    disconnect: (id: string) => request<unknown>('DELETE', `/api/crm/connections/${encodeURIComponent(id)}`),
  };
}

/** What the vendor put on the redirect back to Settings → CRM: a code to finish with, a refusal, or nothing. */
export function readCrmReturn(search: string): OAuthReturn {
  return readOAuthCallback(search, (error, description) => `The CRM did not grant access (${description ?? error}).`);
}
