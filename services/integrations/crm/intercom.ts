/**
 * @module services/integrations/crm/intercom
 * Intercom over its documented REST API (developers.intercom.com, `Intercom-Version: 2.11`):
 * OAuth (`POST /auth/eagle/token` exchanges the code for a token that does not expire;
 * `GET /me` names the admin and the workspace), contacts (`POST /contacts/search` by email,
 * `POST /contacts`, `PUT /contacts/:id`; a create answered 409 "A contact matching those details
 * already exists with id=…" returns that contact) and notes on a contact (`POST` / `GET
 * /contacts/:id/notes`, written as the admin who connected). Must not import: gateway, Temporal.
 */
import { AppError } from '../../errors.js';
import type { CrmSettings } from './config.js';
import { crmCall, objectBody, vendorMessage } from './http.js';
import { str, type ContactInput, type CrmCall, type CrmContact, type CrmVendor } from './vendor.js';

const HEADERS = { 'intercom-version': '2.11' };

function requireApp(settings: CrmSettings): { clientId: string; clientSecret: string } {
  const { clientId, clientSecret } = settings.intercom;
  if (!clientId || !clientSecret)
    throw new AppError('UNAVAILABLE', {
      userMessage: 'Intercom is not configured on this server (INTERCOM_CLIENT_ID and INTERCOM_CLIENT_SECRET).',
    });
  return { clientId, clientSecret: clientSecret.reveal() };
}

const epoch = (v: unknown): string | null => (typeof v === 'number' && v > 0 ? new Date(v * 1000).toISOString() : null);

function contactOf(settings: CrmSettings, app: string, raw: Record<string, unknown>): CrmContact {
  const id = str(raw.id);
  if (!id) throw new AppError('UNAVAILABLE', { message: 'Intercom answered a contact without an id' });
  const location = (raw.location ?? {}) as Record<string, unknown>;
  const place = [str(location.city), str(location.country)].filter((v) => v).join(', ');
  return {
    id,
    url: `${settings.intercom.appUrl}/a/apps/${encodeURIComponent(app)}/users/${encodeURIComponent(id)}/all-conversations`,
    fields: {
      Name: str(raw.name),
      Email: str(raw.email),
      Phone: str(raw.phone),
      Role: str(raw.role),
      Location: place === '' ? null : place,
      Created: epoch(raw.created_at),
      'Last seen': epoch(raw.last_seen_at),
    },
  };
}

function call(settings: CrmSettings, c: CrmCall, path: string, method: 'GET' | 'POST' | 'PUT', json?: unknown) {
  return crmCall('intercom', settings.intercom.apiUrl, path, {
    method,
    token: c.secret.accessToken,
    signal: c.signal,
    headers: HEADERS,
    ...(json === undefined ? {} : { json }),
  });
}

function attributes(input: ContactInput): Record<string, unknown> {
  return {
    role: 'user',
    email: input.email,
    ...(input.name ? { name: input.name } : {}),
    ...(input.phone ? { phone: input.phone } : {}),
    ...(input.externalId ? { external_id: input.externalId } : {}),
  };
}

export const intercom: CrmVendor = {
  provider: 'intercom',

  authorizeUrl(settings, state) {
    const { clientId } = requireApp(settings);
    const url = new URL(settings.intercom.authorizeUrl);
    url.searchParams.set('client_id', clientId);
    url.searchParams.set('state', state);
    url.searchParams.set('redirect_uri', settings.redirectUri);
    return url.toString();
  },

  async exchangeCode(settings, code) {
    const { clientId, clientSecret } = requireApp(settings);
    let accessToken: string | null;
    try {
      const body = objectBody(
        'intercom',
        await crmCall('intercom', settings.intercom.apiUrl, '/auth/eagle/token', {
          method: 'POST',
          form: { code, client_id: clientId, client_secret: clientSecret },
        }),
      );
      accessToken = str(body.access_token) ?? str(body.token);
    } catch (err) {
      if (err instanceof AppError && (err.code === 'BAD_REQUEST' || err.code === 'UNAUTHENTICATED'))
        throw new AppError('UNAUTHENTICATED', { userMessage: `Intercom refused the authorization: ${err.userMessage}`, cause: err });
      throw err;
    }
    if (!accessToken) throw new AppError('UNAVAILABLE', { message: 'Intercom token answer without a token' });
    const me = objectBody('intercom', await crmCall('intercom', settings.intercom.apiUrl, '/me', { token: accessToken, headers: HEADERS }));
    const app = (me.app ?? {}) as Record<string, unknown>;
    const appId = str(app.id_code);
    const adminId = str(me.id);
    if (!appId || !adminId) throw new AppError('UNAVAILABLE', { message: 'Intercom /me without app.id_code or id' });
    return {
      externalAccount: appId,
      settings: { workspace_name: str(app.name), admin_email: str(me.email), admin_name: str(me.name) },
      secret: { accessToken, adminId },
    };
  },

  refresh: () => Promise.resolve(null),
  // Intercom has no token revocation endpoint: the workspace admin removes the app in Intercom.
  revoke: () => Promise.resolve(),

  async findContact(settings, c, email) {
    const body = objectBody(
      'intercom',
      await call(settings, c, '/contacts/search', 'POST', { query: { field: 'email', operator: '=', value: email } }),
    );
    const first = Array.isArray(body.data) ? (body.data[0] as Record<string, unknown> | undefined) : undefined;
    return first ? contactOf(settings, c.externalAccount, first) : null;
  },

  async createContact(settings, c, input) {
    const res = await call(settings, c, '/contacts', 'POST', attributes(input));
    if (res.status === 409) {
      const existing = /id=([A-Za-z0-9]+)/.exec(vendorMessage(res.body))?.[1];
      if (!existing) throw new AppError('CONFLICT', { message: 'Intercom: contact exists, without its id' });
      return intercom.updateContact(settings, c, existing, input);
    }
    return contactOf(settings, c.externalAccount, objectBody('intercom', res));
  },

  async updateContact(settings, c, id, input) {
    const res = await call(settings, c, `/contacts/${encodeURIComponent(id)}`, 'PUT', attributes(input));
    if (res.status === 409) throw new AppError('CONFLICT', { message: `Intercom: ${vendorMessage(res.body)}` });
    return contactOf(settings, c.externalAccount, objectBody('intercom', res));
  },

  async findNote(settings, c, contactId, marker) {
    const body = objectBody('intercom', await call(settings, c, `/contacts/${encodeURIComponent(contactId)}/notes?per_page=50`, 'GET'));
    const notes = Array.isArray(body.data) ? (body.data as Array<Record<string, unknown>>) : [];
    const found = notes.find((n) => (str(n.body) ?? '').includes(marker));
    return found ? str(found.id) : null;
  },

  async createNote(settings, c, contactId, html) {
    if (!c.secret.adminId) throw new AppError('BAD_REQUEST', { message: 'Intercom connection without an admin id: connect again' });
    const res = await call(settings, c, `/contacts/${encodeURIComponent(contactId)}/notes`, 'POST', {
      body: html,
      admin_id: c.secret.adminId,
    });
    const id = str(objectBody('intercom', res).id);
    if (!id) throw new AppError('UNAVAILABLE', { message: 'Intercom answered a note without an id' });
    return id;
  },
};
