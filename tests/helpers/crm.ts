/**
 * HubSpot and Intercom in tests: the stack's environment pointing both vendors at their fakes
 * (tests/helpers/fake-crm.ts), and connecting an account through the real OAuth routes.
 */
import type { Api } from './api.js';
import type { FakeCrm } from './fake-crm.js';
import { PUBLIC_URL } from './integrations.js';

export const CRM_REDIRECT_URI = `${PUBLIC_URL}/settings/crm`;

export function crmEnv(hubspot: FakeCrm, intercom: FakeCrm): Record<string, string> {
  return {
    HUBSPOT_CLIENT_ID: hubspot.clientId,
    HUBSPOT_CLIENT_SECRET: hubspot.clientSecret,
    HUBSPOT_API_URL: hubspot.apiUrl,
    HUBSPOT_AUTHORIZE_URL: hubspot.authorizeUrl,
    INTERCOM_CLIENT_ID: intercom.clientId,
    INTERCOM_CLIENT_SECRET: intercom.clientSecret,
    INTERCOM_API_URL: intercom.apiUrl,
    INTERCOM_AUTHORIZE_URL: intercom.authorizeUrl,
    CRM_REDIRECT_URI,
  };
}

/** Connect the account to the fake's vendor through `/api/crm/auth` and `/api/crm/oauth`; returns the connection. */
export async function connectCrm(http: Api, token: string, fake: FakeCrm, code = fake.issueCode()): Promise<Record<string, unknown>> {
  const auth = await http.get(`/api/crm/auth?provider=${fake.vendor}`, token);
  if (auth.status !== 200) throw new Error(`crm auth: ${auth.status} ${JSON.stringify(auth.body)}`);
  const state = new URL(auth.body.data.url as string).searchParams.get('state')!;
  const res = await http.get(`/api/crm/oauth?code=${code}&state=${encodeURIComponent(state)}`, token);
  if (res.status !== 200) throw new Error(`crm oauth: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.connection as Record<string, unknown>;
}
