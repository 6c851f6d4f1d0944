/**
 * @module services/integrations/crm/vendor
 * What the shared CRM logic (connect.ts, sync.ts) needs from a vendor: OAuth (consent URL, code
 * exchange, refresh), contacts (find by email, create, update) and notes on a contact (create,
 * find by our marker after a crash). hubspot.ts and intercom.ts implement it over their REST APIs.
 * Must not import: gateway, Temporal.
 */
import type { CrmProvider, CrmSettings } from './config.js';

/** What we know of a customer, as sent to the vendor. */
export interface ContactInput {
  email: string;
  name: string | null;
  phone: string | null;
  /** Our customer's external id (the widget's identify), when there is one. */
  externalId: string | null;
}

/** A vendor contact: its id, the link to it, and the fields the customer panel shows. */
export interface CrmContact {
  id: string;
  url: string;
  fields: Record<string, string | null>;
}

/** Sealed in crm_connections.secret_box. `expiresAt`: epoch ms; absent = the token does not expire (Intercom). */
export interface CrmSecret {
  accessToken: string;
  refreshToken?: string;
  expiresAt?: number;
  /** Intercom: the admin notes are written as. */
  adminId?: string;
}

export interface CrmConnected {
  externalAccount: string;
  /** Safe to show. */
  settings: Record<string, unknown>;
  secret: CrmSecret;
}

/** Per call: the token, the connection's account id at the vendor (for links), abort. */
export interface CrmCall {
  secret: CrmSecret;
  externalAccount: string;
  signal?: AbortSignal | undefined;
}

export interface CrmVendor {
  provider: CrmProvider;
  authorizeUrl(settings: CrmSettings, state: string): string;
  exchangeCode(settings: CrmSettings, code: string): Promise<CrmConnected>;
  /** A new secret when the access token expires within a minute (HubSpot); null when it needs none. */
  refresh(settings: CrmSettings, secret: CrmSecret, signal?: AbortSignal): Promise<CrmSecret | null>;
  /** Best effort, on disconnect. */
  revoke(settings: CrmSettings, secret: CrmSecret): Promise<void>;
  findContact(settings: CrmSettings, call: CrmCall, email: string): Promise<CrmContact | null>;
  /** Creates the contact; when the vendor says it already exists, returns that one. */
  createContact(settings: CrmSettings, call: CrmCall, input: ContactInput): Promise<CrmContact>;
  updateContact(settings: CrmSettings, call: CrmCall, id: string, input: ContactInput): Promise<CrmContact>;
  /** The id of a note on this contact whose body contains `marker`, if any (recovery after a crash). */
  findNote(settings: CrmSettings, call: CrmCall, contactId: string, marker: string): Promise<string | null>;
  createNote(settings: CrmSettings, call: CrmCall, contactId: string, html: string, at: Date): Promise<string>;
}

/** First and last name from one name (HubSpot keeps them apart). */
export function splitName(name: string | null): { first: string | null; last: string | null } {
  const parts = (name ?? '')
    .trim()
    .split(/\s+/)
    .filter((p) => p !== '');
  if (parts.length === 0) return { first: null, last: null };
  return { first: parts[0] ?? null, last: parts.length > 1 ? parts.slice(1).join(' ') : null };
}

export function str(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}
