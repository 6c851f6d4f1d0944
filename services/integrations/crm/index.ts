/**
 * @module services/integrations/crm
 * HubSpot and Intercom (issue #19 point 6; docs/integrations/hubspot.md, intercom.md): OAuth
 * connect with single-use states, contact sync and transcript notes through the delivery
 * workflow (sync.ts), presenters for the console. Must not import: gateway, Temporal.
 */
import type { CrmConnection, CrmContactView } from '../../../gateway/protocol/wire/index.js';
import { iso, stringOrNull } from '../../validation.js';
import type { CrmConnectionRow, CrmContactRow } from './store.js';

export * from './config.js';
export * from './store.js';
export { CRM_VENDORS, createCrmDestination, contactJobId, noteJobId, noteMarker } from './sync.js';
export { enqueueIdentityChange } from './identity.js';
export type { CrmVendor, CrmSecret } from './vendor.js';

export function presentCrmConnection(row: CrmConnectionRow): CrmConnection {
  const s = row.settings;
  return {
    id: row.id,
    object: 'crm_connection',
    provider: row.provider,
    external_account: row.external_account,
    name: stringOrNull(s.hub_domain) ?? stringOrNull(s.workspace_name),
    connected_as: stringOrNull(s.user) ?? stringOrNull(s.admin_email),
    last_error: row.last_error,
    created_at: iso(row.inserted_at),
    updated_at: iso(row.updated_at),
  };
}

export function presentCrmContact(row: CrmContactRow): CrmContactView {
  return {
    object: 'crm_contact',
    provider: row.provider,
    contact_id: row.contact_id,
    url: row.url,
    fields: row.fields,
    synced_at: iso(row.synced_at),
  };
}
