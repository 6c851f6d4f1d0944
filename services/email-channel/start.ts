/**
 * @module services/email-channel/start
 * An agent starts an email conversation (`POST /api/conversations` with `source: "email"`): the
 * customer is named by id or by address (found among the account's customers, else created with
 * the address marked as given by an agent), and the account must have an address to send from.
 * The first message then goes out through the `email` destination like any reply.
 * Must not import: gateway, Temporal.
 */
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { validationError } from '../errors.js';
import { EMAIL_PATTERN } from '../mail/config.js';
import { findEmailSender } from './destination.js';
import { findSuppression } from './suppressions.js';

const ZCustomer = z.object({ id: z.string(), email: z.string().nullable() });

/**
 * The customer of a new email conversation, checked: VALIDATION_FAILED when the account has no
 * forwarding address (no channel to send from), the customer has no valid address, or the
 * address is suppressed (it bounced or complained).
 */
export async function prepareEmailConversation(
  pool: DatabasePool,
  input: { accountId: string; inboxId: string | null; customerId: string | null; customerEmail: string | null },
): Promise<{ customerId: string }> {
  if (!(await findEmailSender(pool, input.accountId, input.inboxId))) {
    throw validationError(
      { source: ['email needs a forwarding address to send from (POST /api/forwarding_addresses)'] },
      'This account has no email channel yet',
    );
  }
  let customer: z.infer<typeof ZCustomer> | null = null;
  if (input.customerId) {
    customer = await pool.maybeOne(sql.type(ZCustomer)`
      SELECT id, email FROM customers WHERE account_id = ${input.accountId} AND id = ${input.customerId}`);
    if (!customer) throw validationError({ customer_id: ['does not exist'] });
  } else if (input.customerEmail) {
    const address = input.customerEmail.trim().toLowerCase();
    if (!EMAIL_PATTERN.test(address)) throw validationError({ customer_email: ['has invalid format'] });
    customer = await pool.transaction(async (tx) => {
      await tx.query(sql.type(z.object({}).passthrough())`
        SELECT pg_advisory_xact_lock(hashtextextended(${`email-customer:${input.accountId}:${address}`}, 0))`);
      const found = await tx.maybeOne(sql.type(ZCustomer)`
        SELECT id, email FROM customers WHERE account_id = ${input.accountId} AND lower(email) = ${address}
        ORDER BY (email_verified_by IS NOT NULL) DESC, inserted_at LIMIT 1`);
      return (
        found ??
        tx.one(sql.type(ZCustomer)`
          INSERT INTO customers (account_id, email, email_verified_by) VALUES (${input.accountId}, ${address}, 'agent')
          RETURNING id, email`)
      );
    });
  } else {
    throw validationError({ customer_id: ["can't be blank"] });
  }
  const email = customer.email?.trim().toLowerCase() ?? '';
  if (!EMAIL_PATTERN.test(email)) throw validationError({ customer_id: ['has no valid email address'] });
  const suppressed = await findSuppression(pool, input.accountId, email);
  if (suppressed) throw validationError({ customer_email: [`is suppressed (${suppressed.reason}): mail to it is not sent`] });
  return { customerId: customer.id };
}
