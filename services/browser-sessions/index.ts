/**
 * @module services/browser-sessions
 * Session replay ("Storytime", issue #20): the account's replay settings,
 * recorded browser sessions, their rrweb events (stored by seq, acked, capped
 * per session) and their retention. The gateway's public routes, agent routes
 * and `events:*` topics, and the housekeeping activity, call these.
 * Must not import: gateway, Temporal.
 */
export * from './settings.js';
export * from './sessions.js';
export * from './events.js';
export * from './retention.js';
export * from './limits.js';
export * from './config.js';
export * from './write-queue.js';
