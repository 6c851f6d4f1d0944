/**
 * @module services/integrations/github-config
 * Settings of the GitHub integration (a GitHub App), parsed once with zod from the environment
 * object an entry point passes in (CONTRIBUTING.md#configuration); part of IntegrationSettings.
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `GITHUB_APP_ID` | unset = GitHub off | the App's id (the `iss` of the JWTs that mint installation tokens) |
 * | `GITHUB_APP_SLUG` | unset | the App's URL name: the install page is `<GITHUB_WEB_URL>/apps/<slug>/installations/new` |
 * | `GITHUB_APP_PRIVATE_KEY` | unset | the App's private key (PEM; `\n` escapes allowed) |
 * | `GITHUB_CLIENT_ID`, `GITHUB_CLIENT_SECRET` | unset | the App's OAuth credentials: the install callback proves the admin can see the installation |
 * | `GITHUB_WEBHOOK_SECRET` | unset = GitHub webhooks refused | verifies `X-Hub-Signature-256` on `/api/github/webhook` |
 * | `GITHUB_API_URL` | `https://api.github.com` | REST base (a local fake in tests) |
 * | `GITHUB_WEB_URL` | `https://github.com` | where the install page and the OAuth code exchange are |
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { Secret } from '../config/secret.js';
import { parseEnv } from '../config/parse-env.js';

export type GithubSettings = Readonly<{
  appId: string | undefined;
  appSlug: string | undefined;
  privateKey: KeyObject | undefined;
  clientId: string | undefined;
  clientSecret: Secret | undefined;
  webhookSecret: Secret | undefined;
  /** Without trailing slash. */
  apiUrl: string;
  /** Without trailing slash. */
  webUrl: string;
}>;

const ZEnv = z.object({
  GITHUB_APP_ID: z
    .string()
    .regex(/^\d{1,12}$/, 'must be the numeric App id')
    .optional(),
  GITHUB_APP_SLUG: z
    .string()
    .regex(/^[a-z0-9-]{1,100}$/, 'must be the App slug')
    .optional(),
  GITHUB_APP_PRIVATE_KEY: z.string().min(1).optional(),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  GITHUB_WEBHOOK_SECRET: z.string().min(8, 'must be at least 8 characters').optional(),
  GITHUB_API_URL: z.string().url().default('https://api.github.com'),
  GITHUB_WEB_URL: z.string().url().default('https://github.com'),
});

/** Parse the GitHub keys; throws ConfigError naming a bad key. */
export function loadGithubSettings(env: NodeJS.ProcessEnv): GithubSettings {
  const e = parseEnv(ZEnv, env);
  let privateKey: KeyObject | undefined;
  if (e.GITHUB_APP_PRIVATE_KEY !== undefined) {
    try {
      privateKey = createPrivateKey(e.GITHUB_APP_PRIVATE_KEY.replace(/\\n/g, '\n'));
    } catch {
      throw new ConfigError('GITHUB_APP_PRIVATE_KEY', 'must be the App private key in PEM');
    }
  }
  return Object.freeze({
    appId: e.GITHUB_APP_ID,
    appSlug: e.GITHUB_APP_SLUG,
    privateKey,
    clientId: e.GITHUB_CLIENT_ID,
    clientSecret: e.GITHUB_CLIENT_SECRET === undefined ? undefined : new Secret(e.GITHUB_CLIENT_SECRET),
    webhookSecret: e.GITHUB_WEBHOOK_SECRET === undefined ? undefined : new Secret(e.GITHUB_WEBHOOK_SECRET),
    apiUrl: e.GITHUB_API_URL.replace(/\/+$/, ''),
    webUrl: e.GITHUB_WEB_URL.replace(/\/+$/, ''),
  });
}
