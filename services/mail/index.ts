/**
 * @module services/mail
 * Outgoing email: settings (`config.ts`), the transports (`transport.ts`:
 * nodemailer SMTP, or the built-in mailbox when SMTP_URL is unset outside
 * production), exactly-once delivery keyed by an idempotency key
 * (`deliver.ts`), pure templates (`templates.ts`, `account.ts`), the reads
 * that decide whether and to whom an automated email goes (`store.ts`), the
 * outbox of account emails (`outbox.ts`) and the mailbox's reads (`mailbox.ts`).
 * Must not import: Temporal, gateway/, workflows/, activities/.
 */
export * from './account.js';
export * from './config.js';
export * from './deliver.js';
export * from './mailbox.js';
export * from './outbox.js';
export * from './store.js';
export * from './templates.js';
export * from './transport.js';
