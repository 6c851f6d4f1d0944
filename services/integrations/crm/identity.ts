/**
 * @module services/integrations/crm/identity
 * `customer:updated` outbox events (services/outbox) for the CRM contact sync: written in the
 * transaction that changes a customer, only when its identity (email, name, phone, external id)
 * changed and it has an email. Must not import: gateway, Temporal.
 */
import type { DatabaseConnection } from 'slonik';
import { presentCustomer, type CustomerRow } from '../../customers/index.js';
import { enqueueOutboxEvents } from '../../outbox/index.js';

const IDENTITY = ['email', 'name', 'phone', 'external_id'] as const;

/** Outbox ids of the event (none when nothing that identifies the customer changed). */
export async function enqueueIdentityChange(tx: DatabaseConnection, before: CustomerRow | null, after: CustomerRow): Promise<number[]> {
  if (!after.email) return [];
  if (before && IDENTITY.every((k) => (before[k] ?? null) === (after[k] ?? null))) return [];
  return enqueueOutboxEvents(tx, [{ type: 'customer:updated', accountId: after.account_id, customer: presentCustomer(after) }]);
}
