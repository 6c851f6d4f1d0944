/**
 * @module gateway/protocol/wire/crm
 * HubSpot and Intercom (issue #19 point 6): a connection as the settings screen shows it (never a
 * token), the list with which vendors this server has an OAuth app for, and a customer's contacts
 * at the connected vendors with the fields the customer panel shows.
 */
import { z } from 'zod';

export const crmProviderSchema = z.enum(['hubspot', 'intercom']);
export type CrmProviderName = z.infer<typeof crmProviderSchema>;

export const crmConnectionSchema = z.object({
  id: z.string(),
  object: z.literal('crm_connection'),
  provider: crmProviderSchema,
  /** HubSpot portal (hub) id, Intercom workspace id. */
  external_account: z.string(),
  /** Hub domain or workspace name. */
  name: z.string().nullable(),
  /** Who connected it at the vendor (HubSpot user, Intercom admin email). */
  connected_as: z.string().nullable(),
  /** The last sync failure (a revoked token, a vendor refusing), cleared by the next success. */
  last_error: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CrmConnection = z.infer<typeof crmConnectionSchema>;

export const crmConnectionListSchema = z.object({
  data: z.array(crmConnectionSchema),
  /** Per vendor: whether this server has its OAuth app (HUBSPOT_CLIENT_ID…, INTERCOM_CLIENT_ID…). */
  configured: z.object({ hubspot: z.boolean(), intercom: z.boolean() }),
  /** The redirect URI to register with both apps. */
  redirect_uri: z.string(),
});

export const crmConnectedSchema = z.object({ ok: z.literal(true), connection: crmConnectionSchema });

export const crmContactSchema = z.object({
  object: z.literal('crm_contact'),
  provider: crmProviderSchema,
  contact_id: z.string(),
  /** The contact's page at the vendor. */
  url: z.string().nullable(),
  /** Label → value, as the vendor answered at the last sync. */
  fields: z.record(z.string().nullable()),
  synced_at: z.string(),
});
export type CrmContactView = z.infer<typeof crmContactSchema>;
