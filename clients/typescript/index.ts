/**
 * @module clients/typescript
 * A typed client of the Netia REST API: openapi-fetch over the types that
 * openapi-typescript generates from docs/openapi.json (schema.d.ts, regenerated
 * with `npm run build:client`). Paths, parameters, bodies and responses are checked
 * at compile time against the document; at run time it is `fetch` and nothing else.
 *
 *   const netia = createNetiaClient({ baseUrl: 'https://support.example.com', token });
 *   const { data, error } = await netia.GET('/api/conversations', { params: { query: { status: 'open' } } });
 *
 * Success bodies are in `data` (the API's own `{ "data": … }` envelope included),
 * error bodies (`{ "error": { status, message, errors? } }`) in `error`, typed from
 * the responses each operation documents; `response` is the fetch Response.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, operations, paths } from './schema.js';

export type { components, operations, paths };

/** The API's error body (`components.schemas.Error`). */
export type NetiaError = components['schemas']['Error'];

/** A credential, or a function answering the current one (a session token is renewed). */
type Credential = string | (() => string | undefined);

export interface NetiaClientOptions {
  /** Origin of the gateway, e.g. `https://support.example.com` (the document's paths start with `/api`). */
  baseUrl: string;
  /**
   * An agent session token (`POST /api/session` → `data.token`), sent as the original
   * client does: `Authorization: <token>`, without a `Bearer` prefix.
   */
  token?: Credential;
  /** A personal API key (`POST /api/personal_api_keys`, the `/api/v1` routes), sent as `Authorization: Bearer <key>`. */
  apiKey?: Credential;
  /** The fetch to use (a test's, a proxy's); the global one by default. */
  fetch?: (input: Request) => Promise<Response>;
  /** More headers on every request (e.g. `X-Customer-Token` for a widget). */
  headers?: Record<string, string>;
}

export type NetiaClient = Client<paths>;

const read = (credential: Credential | undefined): string | undefined => (typeof credential === 'function' ? credential() : credential);

/** A client of the API at `baseUrl`, authenticated with an agent session token or a personal API key (not both). */
export function createNetiaClient(options: NetiaClientOptions): NetiaClient {
  if (options.token !== undefined && options.apiKey !== undefined)
    throw new Error('createNetiaClient: give a session token or an API key, not both');
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  });
  client.use({
    onRequest({ request }) {
      const token = read(options.token);
      const key = read(options.apiKey);
      if (token) request.headers.set('Authorization', token);
      else if (key) request.headers.set('Authorization', `Bearer ${key}`);
      return request;
    },
  });
  return client;
}
