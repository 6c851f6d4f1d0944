/**
 * @module services/integrations/crm/config
 * HubSpot and Intercom settings, parsed once with zod from the environment object an entry point
 * passes in (CONTRIBUTING.md#configuration); part of the integration settings
 * (services/integrations/config.ts `crm`). A vendor is off unless its OAuth app is configured.
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `HUBSPOT_CLIENT_ID`, `HUBSPOT_CLIENT_SECRET` | unset = HubSpot off | the HubSpot public app's OAuth credentials |
 * | `HUBSPOT_API_URL` | `https://api.hubapi.com` | REST base: OAuth token, CRM v3 contacts and notes (a local fake in tests) |
 * | `HUBSPOT_AUTHORIZE_URL` | `https://app.hubspot.com/oauth/authorize` | HubSpot's consent page |
 * | `HUBSPOT_APP_URL` | `https://app.hubspot.com` | where contact links in the customer panel point |
 * | `INTERCOM_CLIENT_ID`, `INTERCOM_CLIENT_SECRET` | unset = Intercom off | the Intercom app's OAuth credentials |
 * | `INTERCOM_API_URL` | `https://api.intercom.io` | REST base: token exchange (`/auth/eagle/token`), contacts and notes |
 * | `INTERCOM_AUTHORIZE_URL` | `https://app.intercom.com/oauth` | Intercom's consent page |
 * | `INTERCOM_APP_URL` | `https://app.intercom.com` | where contact links in the customer panel point |
 * | `CRM_REDIRECT_URI` | `<PUBLIC_URL>/settings/crm` | the OAuth redirect URI registered with both apps: the console page that finishes the connection |
 */
import { z } from 'zod';
import { ConfigError } from '../../config/config-error.js';
import { Secret } from '../../config/secret.js';
import { parseEnv } from '../../config/parse-env.js';

export type CrmProvider = 'hubspot' | 'intercom';
export const CRM_PROVIDERS: readonly CrmProvider[] = Object.freeze(['hubspot', 'intercom'] as const);

export type CrmVendorSettings = Readonly<{
  clientId: string | undefined;
  clientSecret: Secret | undefined;
  /** Without trailing slash. */
  apiUrl: string;
  authorizeUrl: string;
  /** Without trailing slash. */
  appUrl: string;
}>;

export type CrmSettings = Readonly<{
  hubspot: CrmVendorSettings;
  intercom: CrmVendorSettings;
  redirectUri: string;
}>;

const ZUrl = z
  .string()
  .url()
  .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL');

const ZEnv = z.object({
  HUBSPOT_CLIENT_ID: z.string().min(1).optional(),
  HUBSPOT_CLIENT_SECRET: z.string().min(1).optional(),
  HUBSPOT_API_URL: ZUrl.default('https://api.hubapi.com'),
  HUBSPOT_AUTHORIZE_URL: ZUrl.default('https://app.hubspot.com/oauth/authorize'),
  HUBSPOT_APP_URL: ZUrl.default('https://app.hubspot.com'),
  INTERCOM_CLIENT_ID: z.string().min(1).optional(),
  INTERCOM_CLIENT_SECRET: z.string().min(1).optional(),
  INTERCOM_API_URL: ZUrl.default('https://api.intercom.io'),
  INTERCOM_AUTHORIZE_URL: ZUrl.default('https://app.intercom.com/oauth'),
  INTERCOM_APP_URL: ZUrl.default('https://app.intercom.com'),
  CRM_REDIRECT_URI: ZUrl.optional(),
  PUBLIC_URL: z.string().optional(),
  HOST: z.string().optional(),
  PORT: z.string().optional(),
});

const trim = (url: string): string => url.replace(/\/+$/, '');

function vendor(
  prefix: 'HUBSPOT' | 'INTERCOM',
  id: string | undefined,
  secret: string | undefined,
  urls: [string, string, string],
): CrmVendorSettings {
  if ((id === undefined) !== (secret === undefined)) {
    throw new ConfigError(
      id === undefined ? `${prefix}_CLIENT_ID` : `${prefix}_CLIENT_SECRET`,
      `set both ${prefix}_CLIENT_ID and ${prefix}_CLIENT_SECRET, or neither`,
    );
  }
  return {
    clientId: id,
    clientSecret: secret === undefined ? undefined : new Secret(secret),
    apiUrl: trim(urls[0]),
    authorizeUrl: urls[1],
    appUrl: trim(urls[2]),
  };
}

/** Parse the CRM settings; throws ConfigError naming the first bad key (never its value). */
export function loadCrmSettings(env: Readonly<Record<string, string | undefined>>): CrmSettings {
  const e = parseEnv(ZEnv, env);
  const base = trim(e.PUBLIC_URL ?? `http://${e.HOST ?? '127.0.0.1'}:${e.PORT ?? '4000'}`);
  return Object.freeze({
    hubspot: vendor('HUBSPOT', e.HUBSPOT_CLIENT_ID, e.HUBSPOT_CLIENT_SECRET, [
      e.HUBSPOT_API_URL,
      e.HUBSPOT_AUTHORIZE_URL,
      e.HUBSPOT_APP_URL,
    ]),
    intercom: vendor('INTERCOM', e.INTERCOM_CLIENT_ID, e.INTERCOM_CLIENT_SECRET, [
      e.INTERCOM_API_URL,
      e.INTERCOM_AUTHORIZE_URL,
      e.INTERCOM_APP_URL,
    ]),
    redirectUri: e.CRM_REDIRECT_URI ?? `${base}/settings/crm`,
  });
}

/** Whether this server has the vendor's OAuth app. */
export function isCrmConfigured(settings: CrmSettings, provider: CrmProvider): boolean {
  return settings[provider].clientId !== undefined;
}
