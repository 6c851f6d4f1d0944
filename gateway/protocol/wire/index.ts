/**
 * @module gateway/protocol/wire
 * One typed home for the wire (issue #15): zod schemas and inferred types of
 * every entity the server sends and of every socket event and webhook payload.
 * Imported by services/ (presenters), the gateway (route response schemas, the
 * OpenAPI document), activities/, workflows/ (`import type` only), ui/ and
 * widget/. It imports only `zod` and files of gateway/protocol.
 */
export * from './entities.js';
export * from './events.js';
export * from './api.js';
export * from './mentions.js';
export * from './search.js';
export * from './push.js';
export * from './me.js';
export * from './audit.js';
export * from './team.js';
export { isPrivateMessage, isCustomerVisible, type MessageVisibility } from '../index.js';
export * from './settings.js';
export * from './copilot.js';
export * from './email.js';
export * from './csat.js';
export * from './sla.js';
export * from './browser-sessions.js';
export * from './github.js';
export * from './scheduled.js';
export * from './crm.js';
export * from './mattermost.js';
export * from './automation.js';
