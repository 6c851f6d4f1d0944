/**
 * @module services/integrations
 * Channel integrations (issue #8): Slack (OAuth, reply threads, Events API),
 * SMS through Twilio, inbound email forwarding (SES-style webhook), their
 * storage (secrets encrypted at rest) and their outbound destinations
 * (`slack`, `sms`, registered in services/outbound/destinations.ts).
 * Inbound messages enter conversations only through a `ConversationPort`
 * (the gateway's conversation commands): nothing here writes conversation rows.
 * Must not import: gateway, workflows, activities, Temporal.
 */
export * from './config.js';
export * from './inbound.js';
export * from './slack.js';
export * from './sms.js';
export * from './sms-media.js';
export * from './sms-opt-out.js';
export * from './sms-text.js';
export * from './inbound-email.js';
export * from './store.js';
export { slackClient } from './slack-client.js';
export { handleSlackAction, isSlackResponseUrl, rootBlocks, SLACK_ACTION_IDS, type SlackActionOutcome } from './slack-actions.js';
export * from './agent-sends.js';
export * from './github.js';
export * from './mattermost.js';
