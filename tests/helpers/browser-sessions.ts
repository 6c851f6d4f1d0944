/**
 * Session replay (issue #20) for stack tests: switch an account's recording
 * on through the admin route, and open a browser session through the public
 * route, as the widget's recorder does before it joins `events:<account>:<session>`.
 */
import type { Api } from './api.js';

/** Turn session replay on (and change other settings) for the admin's account; returns the settings. */
export async function enableReplay(http: Api, adminToken: string, settings: Record<string, unknown> = {}): Promise<any> {
  const res = await http.put('/api/accounts/me/session_replay', { session_replay: { enabled: true, ...settings } }, adminToken);
  if (res.status !== 200) throw new Error(`enable session replay: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data;
}

/** Open a browser session for the account (with its customer and token when given); returns its id. */
export async function openBrowserSession(
  http: Api,
  accountId: string,
  opts: { customerId?: string; customerToken?: string; metadata?: Record<string, unknown> } = {},
): Promise<string> {
  const res = await http.post('/api/browser_sessions', {
    browser_session: {
      account_id: accountId,
      ...(opts.customerId ? { customer_id: opts.customerId } : {}),
      metadata: opts.metadata ?? {},
      started_at: new Date().toISOString(),
    },
    ...(opts.customerToken ? { customer_token: opts.customerToken } : {}),
  });
  if (res.status !== 201) throw new Error(`browser session: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.id as string;
}
