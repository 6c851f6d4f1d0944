/**
 * @module services/sla
 * SLA policies and clocks (issue #21 item 1; docs/sla.md).
 */
export * from './alerts.js';
export * from './clock.js';
export * from './policies.js';
export * from './report.js';
export * from './targets.js';
export * from './working-time.js';
