/**
 * @module services/csat/config
 * Settings of satisfaction surveys, parsed once from the environment an entry point passes in
 * (CONTRIBUTING.md#configuration):
 *
 * | key | default | meaning |
 * | --- | --- | --- |
 * | `CSAT_RATING_WINDOW_HOURS` | 168 (7 days) | how long a survey link works and a rating may be changed |
 * | `CSAT_MINUTE_MS` | 60000 | one minute of an account's survey delay, in ms (tests shorten it; leave it in production) |
 * | `SECRET_KEY_BASE` | (shared) | signs the rating links (services/crypto/signing.ts, label `csat-rating`) |
 * | `PUBLIC_URL` | (shared) | base of the rating links in emails |
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { z } from 'zod';
import { parseEnv } from '../config/parse-env.js';
import { Secret } from '../config/secret.js';

export type CsatConfig = Readonly<{
  ratingWindowMs: number;
  minuteMs: number;
  secretKeyBase: Secret | undefined;
  publicUrl: string | undefined;
}>;

const ZCsatEnv = z.object({
  CSAT_RATING_WINDOW_HOURS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(168),
  CSAT_MINUTE_MS: z.coerce.number().int().min(1).max(60_000).default(60_000),
  SECRET_KEY_BASE: z.string().min(1).optional(),
  PUBLIC_URL: z.string().url().optional(),
});

export function loadCsatConfig(env: Readonly<Record<string, string | undefined>>): CsatConfig {
  const e = parseEnv(ZCsatEnv, env);
  return Object.freeze({
    ratingWindowMs: e.CSAT_RATING_WINDOW_HOURS * 3600_000,
    minuteMs: e.CSAT_MINUTE_MS,
    secretKeyBase: e.SECRET_KEY_BASE === undefined ? undefined : new Secret(e.SECRET_KEY_BASE),
    publicUrl: e.PUBLIC_URL?.replace(/\/+$/, ''),
  });
}
