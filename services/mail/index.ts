/**
 * @module services/mail
 * Outgoing email over SMTP: settings (`config.ts`), the nodemailer transport
 * (`transport.ts`), exactly-once delivery keyed by an idempotency key
 * (`deliver.ts`), pure templates (`templates.ts`) and the reads that decide
 * whether and to whom an automated email goes (`store.ts`).
 * Must not import: Temporal, gateway/, workflows/, activities/.
 */
export * from './config.js';
export * from './deliver.js';
export * from './store.js';
export * from './templates.js';
export * from './transport.js';
