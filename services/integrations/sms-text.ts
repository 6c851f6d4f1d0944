/**
 * @module services/integrations/sms-text
 * Agent-initiated texts (`POST /api/twilio/send`, and the console's "Text them" on a customer's
 * page; issue #19 item 2): the number is E.164 (./agent-sends.ts `ZTwilioSendInput`), never one
 * that opted out (./sms-opt-out.ts); the text is sent once per request (the route runs this in
 * the transaction that claims its `Idempotency-Key`, and the send is recorded under its job id,
 * counted in the account's SMS budget), then recorded in the customer's SMS conversation (their
 * latest open one in the integration's inbox, or a new one) as the agent's message, so the
 * customer's answer continues it. The customer is the one given, or the account's customer with
 * that verified number, or a new one (the number verified by the agent who typed it).
 *
 * The text is sent before it is recorded: if recording fails (Temporal unreachable), the text is
 * not sent again, the answer says `conversation_id: null` and the failure is logged, rather than
 * the customer getting it twice on a retry.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { ZTwilioSendInput, sendAdHocSms } from './agent-sends.js';
import type { IntegrationSettings } from './config.js';
import { deliverInbound, primaryInboxId, type ConversationPort } from './inbound.js';
import { isUnsubscribedRecipient, latestSmsConversation, rememberSmsNumber } from './sms.js';
import { assertSmsAllowed, recordSmsOptOut, smsOptedOutError, TWILIO_UNSUBSCRIBED_RECIPIENT } from './sms-opt-out.js';
import { getIntegration } from './store.js';

/** Body of `POST /api/twilio/send`: the original's `{to, body}`, and optionally the customer it is for. */
export const ZTextCustomerInput = ZTwilioSendInput.extend({ customer_id: z.string().uuid().optional() });
export type TextCustomerInput = z.infer<typeof ZTextCustomerInput>;

export interface TextCustomerResult {
  sid: string;
  status: string | null;
  to: string;
  from: string;
  customer_id: string;
  conversation_id: string | null;
}

const ZId = z.object({ id: z.string() });
const ZVoid = z.object({}).passthrough();

/** The customer the text is for: the given one (of the account), or the one with that verified number, or a new one. */
async function customerFor(pool: DatabasePool, accountId: string, phone: string, customerId: string | undefined): Promise<string> {
  if (customerId) {
    // A transaction of its own: slonik refuses a bare pool query inside the caller's transaction.
    const found = await pool.transaction((c) =>
      c.maybeOne(sql.type(ZId)`SELECT id FROM customers WHERE id = ${customerId} AND account_id = ${accountId}`),
    );
    if (!found)
      throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown customer', fieldErrors: { customer_id: ['does not exist'] } });
    return found.id;
  }
  return pool.transaction(async (tx) => {
    // The same lock as an inbound text from that number (./sms.ts), so the two cannot make two customers.
    await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`sms-customer:${accountId}:${phone}`}, 0))`);
    const found = await tx.maybeOne(sql.type(ZId)`
      SELECT id FROM customers WHERE account_id = ${accountId} AND phone = ${phone} AND phone_verified_by IS NOT NULL
      ORDER BY inserted_at LIMIT 1`);
    if (found) return found.id;
    return (
      await tx.one(sql.type(ZId)`
        INSERT INTO customers (account_id, phone, name, phone_verified_by) VALUES (${accountId}, ${phone}, ${phone}, 'agent') RETURNING id`)
    ).id;
  });
}

/** Text a customer from the account's Twilio number and record it in their SMS conversation (see the module comment). */
export async function textCustomer(
  tx: DatabaseConnection,
  pool: DatabasePool,
  port: ConversationPort,
  settings: IntegrationSettings,
  input: TextCustomerInput & { accountId: string; userId: number; jobId: string },
  log: Logger,
  /** Runs the recording outside `tx`'s context: it opens its own transactions on `pool` (slonik refuses them inside). */
  outside: <T>(fn: () => Promise<T>) => Promise<T> = (fn) => fn(),
): Promise<TextCustomerResult> {
  const { accountId } = input;
  const row = await getIntegration(tx, accountId, 'twilio');
  if (!row?.phone_number) throw new AppError('VALIDATION_FAILED', { userMessage: 'Missing Twilio integration' });
  await assertSmsAllowed(tx, accountId, input.to);
  const customerId = await customerFor(pool, accountId, input.to, input.customer_id);
  let sent: Awaited<ReturnType<typeof sendAdHocSms>>;
  try {
    sent = await sendAdHocSms(tx, settings, accountId, { to: input.to, body: input.body }, input.jobId);
  } catch (err) {
    if (!(err instanceof AppError) || !isUnsubscribedRecipient(err.cause)) throw err;
    // Twilio knows the number texted STOP (perhaps before this integration): remember it (outside the failing transaction).
    await pool.transaction((c) =>
      recordSmsOptOut(c, {
        accountId,
        phone: input.to,
        isOptedOut: true,
        keyword: 'STOP',
        messageSid: `twilio-${TWILIO_UNSUBSCRIBED_RECIPIENT}`,
      }),
    );
    throw smsOptedOutError(input.to);
  }
  let conversationId: string | null = null;
  try {
    const inboxId = row.inbox_id ?? (await outside(() => primaryInboxId(pool, accountId)));
    const outcome = await outside(() =>
      deliverInbound(pool, port, {
        lockKey: `sms:${accountId}:${input.to}`,
        message: {
          accountId,
          author: { kind: 'agent', userId: input.userId },
          body: input.body,
          clientMessageId: input.jobId,
          source: 'sms',
          // `twilio_send_job`: the sms destination does not send it again (./sms.ts planSms).
          metadata: { twilio_send_job: input.jobId, twilio_message_sid: sent.sid, from: sent.from, to: sent.to },
        },
        find: (c) => latestSmsConversation(c, accountId, customerId, inboxId),
        open: { customerId, inboxId, subject: null },
      }),
    );
    conversationId = outcome.conversationId;
    await outside(() =>
      rememberSmsNumber(pool, { conversationId: outcome.conversationId, accountId, phone: input.to, messageSid: sent.sid }),
    );
    await tx.query(sql.type(ZVoid)`
      UPDATE integration_deliveries SET conversation_id = ${conversationId}, message_id = ${outcome.messageId}
      WHERE job_id = ${input.jobId}`);
  } catch (err) {
    log.error('sms sent but not recorded in a conversation', { accountId, jobId: input.jobId, sid: sent.sid, err });
  }
  return { ...sent, customer_id: customerId, conversation_id: conversationId };
}
