/**
 * @module services/csat
 * Satisfaction surveys (issue #21 item 2): settings (`settings.ts`), the signed rating token
 * (`token.ts`), surveys and ratings (`surveys.ts`), the survey email (`email.ts`), the outbound
 * hook that starts a survey per resolution (`destination.ts`) and the report (`report.ts`).
 * The survey's timer is a workflow of its own (workflows/csat), started by the hook.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
export * from './config.js';
export * from './destination.js';
export * from './email.js';
export * from './report.js';
export * from './settings.js';
export * from './surveys.js';
export * from './token.js';
