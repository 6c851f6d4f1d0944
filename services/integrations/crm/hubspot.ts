/**
 * @module services/integrations/crm/hubspot
 * HubSpot over its documented REST API (developers.hubspot.com): OAuth v1 (`/oauth/v1/token`
 * for the code and for refreshes, `/oauth/v1/access-tokens/:token` for the portal),
 * CRM v3 contacts (search by email, create, update; a create answered 409 "Contact already
 * exists. Existing ID: n" returns that contact) and notes associated to the contact
 * (association type 202, note → contact). Our notes carry a reference line with the delivery job
 * id; after a crash the note is found again through the notes search (`associations.contact`).
 * Must not import: gateway, Temporal.
 */
import { AppError } from '../../errors.js';
import type { CrmSettings } from './config.js';
import { crmCall, objectBody } from './http.js';
import { splitName, str, type ContactInput, type CrmContact, type CrmSecret, type CrmVendor } from './vendor.js';

export const HUBSPOT_SCOPES = ['oauth', 'crm.objects.contacts.read', 'crm.objects.contacts.write'] as const;

/** Contact properties read back and shown in the customer panel. */
const PROPERTIES = ['email', 'firstname', 'lastname', 'phone', 'lifecyclestage', 'hs_lead_status', 'createdate', 'lastmodifieddate'];
/** HubSpot-defined association type of a note to a contact. */
const NOTE_TO_CONTACT = 202;
/** hs_note_body holds at most 65,536 characters. */
export const HUBSPOT_NOTE_MAX = 65_000;

function requireApp(settings: CrmSettings): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = settings.hubspot;
  if (!clientId || !clientSecret)
    throw new AppError('UNAVAILABLE', {
      userMessage: 'HubSpot is not configured on this server (HUBSPOT_CLIENT_ID and HUBSPOT_CLIENT_SECRET).',
    });
  return { clientId, clientSecret: clientSecret.reveal() };
}

function contactOf(settings: CrmSettings, portal: string, raw: Record<string, unknown>): CrmContact {
  const id = str(raw.id);
  if (!id) throw new AppError('UNAVAILABLE', { message: 'HubSpot answered a contact without an id' });
  const p = (raw.properties ?? {}) as Record<string, unknown>;
  const name = [str(p.firstname), str(p.lastname)].filter((v) => v).join(' ');
  return {
    id,
    url: `${settings.hubspot.appUrl}/contacts/${encodeURIComponent(portal)}/record/0-1/${encodeURIComponent(id)}`,
    fields: {
      Name: name === '' ? null : name,
      Email: str(p.email),
      Phone: str(p.phone),
      'Lifecycle stage': str(p.lifecyclestage),
      'Lead status': str(p.hs_lead_status),
      Created: str(p.createdate),
      Updated: str(p.lastmodifieddate),
    },
  };
}

function properties(input: ContactInput): Record<string, string> {
  const { first, last } = splitName(input.name);
  const out: Record<string, string> = { email: input.email };
  if (first) out.firstname = first;
  if (last) out.lastname = last;
  if (input.phone) out.phone = input.phone;
  return out;
}

async function tokenGrant(settings: CrmSettings, form: Record<string, string>, signal?: AbortSignal): Promise<CrmSecret> {
  const { clientId, clientSecret } = requireApp(settings);
  const res = await crmCall('hubspot', settings.hubspot.apiUrl, '/oauth/v1/token', {
    method: 'POST',
    form: { ...form, client_id: clientId, client_secret: clientSecret },
    signal,
  });
  const body = objectBody('hubspot', res);
  const accessToken = str(body.access_token);
  if (!accessToken) throw new AppError('UNAVAILABLE', { message: 'HubSpot token answer without access_token' });
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : 1800;
  return {
    accessToken,
    ...(str(body.refresh_token) ? { refreshToken: str(body.refresh_token)! } : {}),
    expiresAt: Date.now() + expiresIn * 1000,
  };
}

export const hubspot: CrmVendor = {
  provider: 'hubspot',

  authorizeUrl(settings, state) {
    const { clientId } = requireApp(settings);
    const url = new URL(settings.hubspot.authorizeUrl);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('redirect_uri', settings.redirectUri);
    url.searchParams.set('scope', HUBSPOT_SCOPES.join(' '));
    url.searchParams.set('state', state);
    return url.toString();
  },

  async exchangeCode(settings, code) {
    let secret: CrmSecret;
    try {
      secret = await tokenGrant(settings, { grant_type: 'authorization_code', redirect_uri: settings.redirectUri, code });
    } catch (err) {
      // HubSpot answers a bad, used or expired code with 400 BAD_AUTH_CODE.
      if (err instanceof AppError && err.code === 'BAD_REQUEST')
        throw new AppError('UNAUTHENTICATED', { userMessage: `HubSpot refused the authorization: ${err.userMessage}`, cause: err });
      throw err;
    }
    const info = objectBody(
      'hubspot',
      await crmCall('hubspot', settings.hubspot.apiUrl, `/oauth/v1/access-tokens/${encodeURIComponent(secret.accessToken)}`),
    );
    const hubId = str(info.hub_id);
    if (!hubId) throw new AppError('UNAVAILABLE', { message: 'HubSpot token information without hub_id' });
    return {
      externalAccount: hubId,
      settings: {
        hub_domain: str(info.hub_domain),
        user: str(info.user),
        scopes: Array.isArray(info.scopes) ? info.scopes.filter((s) => typeof s === 'string') : [],
      },
      secret,
    };
  },

  async refresh(settings, secret, signal) {
    if (!secret.refreshToken || (secret.expiresAt ?? Infinity) > Date.now() + 60_000) return null;
    const next = await tokenGrant(settings, { grant_type: 'refresh_token', refresh_token: secret.refreshToken }, signal);
    return { ...next, refreshToken: next.refreshToken ?? secret.refreshToken };
  },

  async revoke(settings, secret) {
    if (!secret.refreshToken) return;
    await crmCall('hubspot', settings.hubspot.apiUrl, `/oauth/v1/refresh-tokens/${encodeURIComponent(secret.refreshToken)}`, {
      method: 'DELETE',
    });
  },

  async findContact(settings, call, email) {
    const body = objectBody(
      'hubspot',
      await crmCall('hubspot', settings.hubspot.apiUrl, '/crm/v3/objects/contacts/search', {
        method: 'POST',
        token: call.secret.accessToken,
        signal: call.signal,
        json: { filterGroups: [{ filters: [{ propertyName: 'email', operator: 'EQ', value: email }] }], properties: PROPERTIES, limit: 1 },
      }),
    );
    const first = Array.isArray(body.results) ? (body.results[0] as Record<string, unknown> | undefined) : undefined;
    return first ? contactOf(settings, call.externalAccount, first) : null;
  },

  async createContact(settings, call, input) {
    const res = await crmCall('hubspot', settings.hubspot.apiUrl, '/crm/v3/objects/contacts', {
      method: 'POST',
      token: call.secret.accessToken,
      signal: call.signal,
      json: { properties: properties(input) },
    });
    if (res.status === 409) {
      const existing = /Existing ID:\s*(\d+)/i.exec(str(objectBody('hubspot', res).message) ?? '')?.[1];
      if (!existing) throw new AppError('CONFLICT', { message: 'HubSpot: contact exists, without its id' });
      return hubspot.updateContact(settings, call, existing, input);
    }
    return contactOf(settings, call.externalAccount, objectBody('hubspot', res));
  },

  async updateContact(settings, call, id, input) {
    const res = await crmCall('hubspot', settings.hubspot.apiUrl, `/crm/v3/objects/contacts/${encodeURIComponent(id)}`, {
      method: 'PATCH',
      token: call.secret.accessToken,
      signal: call.signal,
      json: { properties: properties(input) },
    });
    if (res.status === 409) throw new AppError('CONFLICT', { message: 'HubSpot: another contact has this email' });
    return contactOf(settings, call.externalAccount, objectBody('hubspot', res));
  },

  async findNote(settings, call, contactId, marker) {
    const body = objectBody(
      'hubspot',
      await crmCall('hubspot', settings.hubspot.apiUrl, '/crm/v3/objects/notes/search', {
        method: 'POST',
        token: call.secret.accessToken,
        signal: call.signal,
        json: {
          filterGroups: [{ filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactId }] }],
          properties: ['hs_note_body'],
          sorts: [{ propertyName: 'hs_timestamp', direction: 'DESCENDING' }],
          limit: 100,
        },
      }),
    );
    const results = Array.isArray(body.results) ? (body.results as Array<Record<string, unknown>>) : [];
    const found = results.find((r) => (str((r.properties as Record<string, unknown> | undefined)?.hs_note_body) ?? '').includes(marker));
    return found ? str(found.id) : null;
  },

  async createNote(settings, call, contactId, html, at) {
    const res = await crmCall('hubspot', settings.hubspot.apiUrl, '/crm/v3/objects/notes', {
      method: 'POST',
      token: call.secret.accessToken,
      signal: call.signal,
      json: {
        properties: { hs_timestamp: at.toISOString(), hs_note_body: html.slice(0, HUBSPOT_NOTE_MAX) },
        associations: [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_CONTACT }] }],
      },
    });
    const id = str(objectBody('hubspot', res).id);
    if (!id) throw new AppError('UNAVAILABLE', { message: 'HubSpot answered a note without an id' });
    return id;
  },
};
