/**
 * @module services/integrations/slack-client
 * The Slack Web API client (`@slack/web-api`) as Netia uses it: pointed at
 * `SLACK_API_URL` (a local fake in tests), SDK retries off (Temporal and the
 * vendor's own event retries own retrying: CONTRIBUTING.md#retries), rate-limited calls
 * rejected instead of waited out inside an activity. Slack errors are mapped to
 * AppErrors: permanent ones (revoked token, unknown channel) stop retries.
 * Must not import: gateway, Temporal.
 */
import { ErrorCode, LogLevel, WebClient, type WebAPICallError } from '@slack/web-api';
import { AppError } from '../errors.js';
import type { IntegrationSettings } from './config.js';

/** Slack `error` codes after which retrying cannot help. */
const PERMANENT_SLACK_ERRORS = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'msg_too_long',
  'no_text',
  'invalid_code',
  'code_already_used',
  'bad_redirect_uri',
  'invalid_client_id',
  'bad_client_secret',
  'user_not_found',
]);

export function slackClient(settings: IntegrationSettings, token?: string): WebClient {
  return new WebClient(token, {
    slackApiUrl: settings.slack.apiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    logLevel: LogLevel.ERROR,
    timeout: 10_000,
  });
}

/** The Slack `error` string of a platform error, if it is one. */
export function slackErrorCode(err: unknown): string | undefined {
  const e = err as WebAPICallError & { data?: { error?: string } };
  return e?.code === ErrorCode.PlatformError ? e.data?.error : undefined;
}

/**
 * Map a Slack call failure: a permanent platform error becomes an AppError
 * (BAD_REQUEST, so activities stop retrying); anything else (HTTP 5xx, network,
 * rate limits) is UNAVAILABLE and retried.
 */
export function slackFailure(err: unknown, what: string): AppError {
  const code = slackErrorCode(err);
  if (code && PERMANENT_SLACK_ERRORS.has(code)) {
    return new AppError('BAD_REQUEST', {
      message: `Slack ${what}: ${code}`,
      userMessage: `Slack refused the request: ${code}`,
      cause: err,
    });
  }
  return new AppError('UNAVAILABLE', {
    message: `Slack ${what} failed: ${code ?? (err as Error)?.message}`,
    userMessage: 'Slack is unavailable, try again',
    cause: err,
  });
}
