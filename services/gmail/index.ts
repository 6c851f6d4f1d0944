/**
 * @module services/gmail
 * Gmail as a channel (issue #8): a mailbox connected by OAuth and linked to an
 * inbox; a periodic sync turns new mail into conversations by Gmail thread; agent
 * replies go back through the Gmail API in the same thread (the `gmail`
 * outbound destination). Tokens are stored only encrypted.
 * Must not import: gateway, Temporal.
 */
export { GMAIL_SCOPES, loadGmailSettings, type GmailSettings } from './config.js';
export { authorizeUrl, exchangeCode, openGmailSession, tokenKey } from './google.js';
export { fetchNewMail, type FetchedMail } from './sync.js';
export { resolveInboundTarget, threadConversationId, type InboundTarget } from './inbound.js';
export { createGmailDestination, gmailJobId, GMAIL_DESTINATION_KIND } from './destination.js';
export type { InboundMail } from './mail.js';
export * from './store.js';
export { sendGmailMessage, ZGmailSendInput, type GmailSendInput, type GmailSent } from './send.js';
export { storeGmailAttachments, type StoredGmailFiles } from './attachments.js';
