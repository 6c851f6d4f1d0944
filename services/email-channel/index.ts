/**
 * @module services/email-channel
 * Email as a channel of its own (issue #19 item 1): replies in email conversations go out over
 * SMTP (`destination.ts`, the `email` outbound destination), threaded and with a reply address
 * that brings the customer's answer back; addresses that bounced or complained are suppressed
 * (`suppressions.ts`, fed by SES notifications in `notifications.ts` and by SMTP refusals).
 * Inbound mail is services/integrations/inbound-email.ts.
 * Must not import: gateway, Temporal.
 */
export * from './destination.js';
export * from './suppressions.js';
export * from './start.js';
export * from './notifications.js';
