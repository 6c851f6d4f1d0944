/**
 * @module services/integrations/sms-opt-out
 * SMS opt-out keywords (issue #19 item 2), per account and number (migration 0033):
 * a text that is exactly STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT (any case, surrounding
 * blanks and punctuation ignored, as Twilio matches them) opts the number out; START, YES or
 * UNSTOP opts it in again. While a number is opted out, nothing is sent to it: replies, MMS and
 * agent-initiated texts fail with {@link SMS_OPTED_OUT_MESSAGE}. Twilio refusing a send with
 * error 21610 (the number texted STOP to Twilio before) records the opt-out too.
 *
 * HELP (and INFO) are left to Twilio: its default opt-out handling (or Advanced Opt-Out, where
 * configured) answers them and STOP/START with the messaging service's texts, so Netia sends no
 * reply of its own to a keyword (it would be a second answer, and a text to an opted-out number).
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError } from '../errors.js';

const OPT_OUT = new Set(['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT']);
const OPT_IN = new Set(['START', 'YES', 'UNSTOP']);
const HELP = new Set(['HELP', 'INFO']);

/** Twilio's error code for a send to a number that replied STOP ("Attempt to send to unsubscribed recipient"). */
export const TWILIO_UNSUBSCRIBED_RECIPIENT = 21610;

/** The text every refused send shows (console, API answer, delivery log). */
export const SMS_OPTED_OUT_MESSAGE =
  'The recipient opted out of texts (replied STOP): nothing was sent. They can text START to opt in again.';

export type SmsKeyword = { kind: 'opt-out' | 'opt-in' | 'help'; keyword: string };

/** The keyword a text is, or null (a sentence containing "stop" is not one). */
export function smsKeywordOf(body: string): SmsKeyword | null {
  const word = body
    .trim()
    .replace(/^[\s\p{P}]+|[\s\p{P}]+$/gu, '')
    .toUpperCase();
  if (OPT_OUT.has(word)) return { kind: 'opt-out', keyword: word };
  if (OPT_IN.has(word)) return { kind: 'opt-in', keyword: word };
  if (HELP.has(word)) return { kind: 'help', keyword: word };
  return null;
}

const ZVoid = z.object({}).passthrough();

/** Record an opt-out (`isOptedOut`) or an opt-in of the account's number `phone`. Idempotent. */
export async function recordSmsOptOut(
  connection: DatabaseConnection,
  input: { accountId: string; phone: string; isOptedOut: boolean; keyword: string; messageSid: string },
): Promise<void> {
  await connection.query(sql.type(ZVoid)`
    INSERT INTO sms_opt_outs (account_id, phone, opted_out_at, keyword, message_sid)
    VALUES (${input.accountId}, ${input.phone}, ${input.isOptedOut ? sql.fragment`now()` : null}, ${input.keyword}, ${input.messageSid})
    ON CONFLICT ON CONSTRAINT sms_opt_outs_pkey DO UPDATE SET
      opted_out_at = CASE WHEN ${input.isOptedOut}::boolean THEN coalesce(sms_opt_outs.opted_out_at, now()) ELSE NULL END,
      keyword = EXCLUDED.keyword, message_sid = EXCLUDED.message_sid, updated_at = now()`);
}

const ZOptOut = z.object({ keyword: z.string(), opted_out_at: z.number() });

/** When and by which keyword the number opted out of the account's texts; null when it did not (or opted in again). */
export async function getSmsOptOut(
  connection: DatabaseConnection,
  accountId: string,
  phone: string,
): Promise<{ keyword: string; opted_out_at: number } | null> {
  return connection.maybeOne(sql.type(ZOptOut)`
    SELECT keyword, opted_out_at FROM sms_opt_outs
    WHERE account_id = ${accountId} AND phone = ${phone} AND opted_out_at IS NOT NULL`);
}

/** The refusal of a send to an opted-out number: a 422 naming `field`, permanent for deliveries (never retried). */
export function smsOptedOutError(phone: string, field = 'to'): AppError {
  return new AppError('VALIDATION_FAILED', {
    message: `SMS to ${phone} refused: the number opted out (sms_opted_out)`,
    userMessage: SMS_OPTED_OUT_MESSAGE,
    fieldErrors: { [field]: ['has opted out of texts (replied STOP)'] },
  });
}

/** Throw {@link smsOptedOutError} when the number opted out of the account's texts. */
export async function assertSmsAllowed(connection: DatabaseConnection, accountId: string, phone: string, field = 'to'): Promise<void> {
  if (await getSmsOptOut(connection, accountId, phone)) throw smsOptedOutError(phone, field);
}
