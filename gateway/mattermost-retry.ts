/**
 * @module gateway/mattermost-retry
 * Mattermost does not resend an outgoing webhook, so a reply whose webhook this or another gateway
 * claimed but could not take in (Temporal or the database unavailable, the process killed half-way)
 * would be lost. Every gateway looks for such claims now and then and takes them in again
 * (services/integrations/mattermost.ts `retryUnprocessedMattermostPosts`; one message per post
 * whichever gateway gets there, by the claim and the message's client id).
 */
import { retryUnprocessedMattermostPosts } from '../services/integrations/index.js';
import type { GatewayContext } from './context.js';

/** Start looking every `MATTERMOST_RETRY_INTERVAL_MS`; returns the function that stops it. One pass at a time. */
export function startMattermostRetry(ctx: Pick<GatewayContext, 'pool' | 'log' | 'config' | 'conversations'>): () => void {
  const { retryAfterMs, retryIntervalMs } = ctx.config.integrations.mattermost;
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    retryUnprocessedMattermostPosts(ctx.pool, ctx.config.integrations, ctx.conversations, ctx.log, { olderThanMs: retryAfterMs })
      .catch((err: unknown) => ctx.log.warn('mattermost: looking for replies to take in again failed', { err }))
      .finally(() => {
        running = false;
      });
  }, retryIntervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
