/**
 * Inbound email as the forwarding Lambda delivers it: the SES webhook payload,
 * signed with the shared secret (`X-Netia-Signature: t=<ts>,v1=<hex HMAC-SHA256
 * of "<ts>.<body>">`, an implementation written here), and forwarding
 * addresses created through the real route.
 */
import { createHmac } from 'node:crypto';
import type { Api } from './api.js';
import type { Stack } from './stack.js';

export const INBOUND_EMAIL_SECRET = 'inbound-email-secret-for-tests-0123';
export const INBOUND_EMAIL_DOMAIN = 'in.netia.example.test';
/** The stack env that turns inbound email on. */
export const INBOUND_EMAIL_ENV: Readonly<Record<string, string>> = Object.freeze({ INBOUND_EMAIL_SECRET, INBOUND_EMAIL_DOMAIN });

export function signInboundEmail(body: string, secret = INBOUND_EMAIL_SECRET, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * POST a payload to `/api/ses/webhook`, signed unless `signature` is given (null: no signature);
 * `raw` sends other bytes than the payload (a body altered after signing).
 */
export function deliverInboundEmail(stack: Stack, payload: unknown, signature?: string | null, raw?: string): Promise<Response> {
  const body = raw ?? JSON.stringify(payload);
  const sig = signature === undefined ? signInboundEmail(body) : signature;
  return fetch(`${stack.baseUrl}/api/ses/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(sig === null ? {} : { 'x-netia-signature': sig }) },
    body,
  });
}

/** A forwarding address of the agent's account (`…@INBOUND_EMAIL_DOMAIN`). */
export async function createForwardingAddress(http: Api, token: string): Promise<string> {
  const res = await http.post('/api/forwarding_addresses', { forwarding_address: { description: 'support@' } }, token);
  if (res.status !== 201) throw new Error(`forwarding address: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.data.forwarding_email_address as string;
}
