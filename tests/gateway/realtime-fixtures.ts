/**
 * Shared set-up for the real-time tests (presence, typing, resume, identity,
 * rate limits, two nodes): an account with a customer and a conversation,
 * account flags set in SQL, sockets with a browser Origin, and small waits on
 * recorded events (never on time).
 */
import type { Socket } from 'phoenix';
import { sql } from 'slonik';
import { z } from 'zod';
import { connectSocket, registerAccount, type Api, type JoinedChannel, type Pushed } from '../helpers/api.js';
import type { Stack } from '../helpers/stack.js';

export interface Scene {
  agent: Awaited<ReturnType<typeof registerAccount>>;
  customerId: string;
  customerToken: string;
  conversationId: string;
}

/** A new account with one customer (created as a widget does) and one open conversation. */
export async function createScene(http: Api, company = 'Realtime Co'): Promise<Scene> {
  const agent = await registerAccount(http, company);
  const customer = await http.post('/api/customers', {
    customer: { account_id: agent.accountId, first_seen: '2026-01-01', last_seen: 'x' },
  });
  if (customer.status !== 201) throw new Error(`customer: ${customer.status} ${JSON.stringify(customer.body)}`);
  const conversation = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customer.body.data.id },
  });
  if (conversation.status !== 201) throw new Error(`conversation: ${conversation.status} ${JSON.stringify(conversation.body)}`);
  return {
    agent,
    customerId: customer.body.data.id as string,
    customerToken: customer.body.data.customer_token as string,
    conversationId: conversation.body.data.id as string,
  };
}

const ZAny = z.object({}).passthrough();

/** Set account columns the account routes may not expose (`require_customer_token`, …). */
export async function setAccount(
  stack: Stack,
  accountId: string,
  fields: { require_customer_token?: boolean; require_identity_verification?: boolean; allowed_origins?: string[] },
): Promise<void> {
  if (fields.require_customer_token !== undefined) {
    await stack.pool.query(
      sql.type(ZAny)`UPDATE accounts SET require_customer_token = ${fields.require_customer_token} WHERE id = ${accountId}`,
    );
  }
  if (fields.require_identity_verification !== undefined) {
    await stack.pool.query(
      sql.type(ZAny)`UPDATE accounts SET require_identity_verification = ${fields.require_identity_verification} WHERE id = ${accountId}`,
    );
  }
  if (fields.allowed_origins !== undefined) {
    await stack.pool.query(
      sql.type(ZAny)`UPDATE accounts SET allowed_origins = ${sql.array(fields.allowed_origins, 'text')} WHERE id = ${accountId}`,
    );
  }
}

/** The official client over `ws`, sending a browser `Origin` header. */
export function connectWithOrigin(wsUrl: string, origin: string, params: Record<string, string> = {}): Socket {
  return connectSocket(wsUrl, params, { origin });
}

/** Join refused: resolves with the reason (the helper's `join` rejects with it). */
export async function refusal(joining: Promise<JoinedChannel>): Promise<string | undefined> {
  try {
    const joined = await joining;
    joined.channel.leave();
    return undefined;
  } catch (err) {
    return (err as { reason?: string }).reason ?? `no reason: ${(err as Error).message}`;
  }
}

/** A push refused: resolves with its error response (the helper's `push` rejects with it). */
export async function pushError(joined: JoinedChannel, event: string, payload: object): Promise<Record<string, unknown>> {
  try {
    const ok = await joined.push(event, payload);
    throw new Error(`push ${event} was accepted: ${JSON.stringify(ok)}`);
  } catch (err) {
    const response = (err as { response?: Record<string, unknown> }).response;
    if (!response) throw err;
    return response;
  }
}

/** The `seq`s of the `shout`s a channel received, in arrival order. */
export function shoutSeqs(joined: JoinedChannel): number[] {
  return joined.events.filter((e) => e.event === 'shout').map((e) => e.payload.seq as number);
}

export const isShout =
  (seq: number) =>
  (e: Pushed): boolean =>
    e.event === 'shout' && e.payload.seq === seq;

export const isPresenceDiff =
  (kind: 'joins' | 'leaves', key: string) =>
  (e: Pushed): boolean =>
    e.event === 'presence_diff' && e.payload[kind][key] !== undefined;

/** Close a socket and wait until the client has seen it close. */
export function disconnected(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.disconnect(() => resolve()));
}
