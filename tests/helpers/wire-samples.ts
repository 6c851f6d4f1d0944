/**
 * Wire JSON samples built from the presenters (services/), for tests that need
 * a whole entity (an outbound event's customer) without a database row.
 */
import type { Customer, MessageJson } from '../../gateway/protocol/wire/index.js';
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

/** A stored message's JSON with only what a test names set; the rest as for a new visitor reply. */
export function sampleMessage(overrides: Partial<MessageJson> & { id: string; seq: number }): MessageJson {
  return {
    object: 'message',
    client_message_id: null,
    body: null,
    type: 'reply',
    content_type: 'text/markdown',
    private: false,
    source: 'chat',
    subject: null,
    created_at: '2026-01-02T03:04:05.678Z',
    sent_at: null,
    seen_at: null,
    conversation_id: '00000000-0000-4000-8000-000000000001',
    account_id: '00000000-0000-4000-8000-000000000002',
    customer_id: null,
    user_id: null,
    user: null,
    attachments: [],
    metadata: {},
    ...overrides,
  };
}
