/**
 * @module gateway/context
 * What every route and channel handler receives: configuration, the database
 * pool, the event bus, the conversation command facade and a logger. Built once
 * by the gateway entry point.
 */
import type { DatabasePool } from 'slonik';
import type { AppConfig } from '../services/config/index.js';
import type { Bus } from '../services/bus/index.js';
import type { Logger } from '../services/log.js';
import type { DispatchOutbound } from '../services/outbound/dispatch.js';
import type { AccountMailer } from '../temporal/account-mailer.js';
import type { ConversationAdmin } from '../temporal/conversation-admin.js';
import type { ConversationCommands } from '../temporal/conversation-client.js';
import type { GmailScheduler } from '../temporal/gmail-client.js';

export interface GatewayContext {
  config: AppConfig;
  pool: DatabasePool;
  /** Where `pool` connects (a thread of the process opens its own pool there: gateway/replay-ingest); undefined when unknown. */
  databaseUrl: string | undefined;
  bus: Bus;
  conversations: ConversationCommands;
  /** Ending conversation workflows before their rows are deleted (temporal/conversation-admin.ts). */
  conversationAdmin: ConversationAdmin;
  log: Logger;
  /** Unique per gateway process (logs, presence). */
  nodeId: string;
  /** Outbound deliveries of events the gateway itself commits (`customer:created`); absent = none are sent. */
  dispatchOutbound?: DispatchOutbound;
  /** Starts account-email workflows (password reset, invitation, welcome, verification…); absent = those emails are only logged. */
  accountMail?: AccountMailer;
  /** The Temporal Schedules of linked Gmail mailboxes (temporal/gmail-client.ts); absent = Gmail routes answer 503. */
  gmailScheduler?: GmailScheduler;
}
