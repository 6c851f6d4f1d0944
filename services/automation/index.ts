/**
 * @module services/automation
 * Automation rules and macros (issue #21 item 3; docs/automation.md): storage (store.ts), the
 * evaluation of rules against an event (evaluate.ts), regex conditions with a time bound
 * (regex.ts) and the facts conditions read (facts.ts). The conversation workflow runs the
 * actions (workflows/conversation/rules.ts). Must not import: gateway (beyond protocol), Temporal.
 */
export * from './evaluate.js';
export * from './facts.js';
export * from './regex.js';
export * from './store.js';
