/**
 * Wire JSON samples built from the presenters (services/), for tests that need
 * a whole entity (an outbound event's customer) without a database row.
 */
import type { Customer } from '../../gateway/protocol/wire/index.js';
import { presentCustomer, type CustomerRow } from '../../services/customers/index.js';

/** A customer row with every nullable column null, then `overrides`. */
export function customerRow(overrides: Partial<CustomerRow> & { id: string; account_id: string }): CustomerRow {
  const now = Date.parse('2026-01-02T03:04:05.678Z');
  return {
    email: null,
    name: null,
    phone: null,
    external_id: null,
    profile_photo_url: null,
    company_id: null,
    first_seen: '2026-01-02',
    last_seen_at: now,
    browser: null,
    os: null,
    ip: null,
    current_url: null,
    host: null,
    pathname: null,
    time_zone: null,
    metadata: {},
    email_verified_by: null,
    phone_verified_by: null,
    external_id_verified_by: null,
    inserted_at: now,
    updated_at: now,
    ...overrides,
  };
}

/** `customer.json` of {@link customerRow}. */
export function sampleCustomer(overrides: Partial<CustomerRow> & { id: string; account_id: string }): Customer {
  return presentCustomer(customerRow(overrides));
}
