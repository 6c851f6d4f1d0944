/**
 * @module activities/scheduled
 * The projection write of scheduled sends and follow-ups (issue #21 point 4): the conversation
 * workflow stores each state of a scheduled message (services/scheduled-messages, guarded by its
 * revision, so a retry is a no-op), then tells the account's consoles (`record:changed`, kind
 * `scheduled_messages`, id = the conversation), which fetch the list again.
 * Must not import: gateway/ (beyond protocol), workflows/.
 */
import type { DatabasePool } from 'slonik';
import type { Bus } from '../services/bus/index.js';
import type { Logger } from '../services/log.js';
import { storeScheduledMessage, type ScheduledMessageRecord } from '../services/scheduled-messages/index.js';
import { accountTopic, EVENTS } from '../gateway/protocol/index.js';
import type { RecordChangedEvent } from '../gateway/protocol/wire/index.js';
import { adapt } from './adapt.js';

// eslint-disable-next-line @typescript-eslint/explicit-module-boundary-types -- the activity map's type is inferred on purpose: workflows proxy `ReturnType<typeof createActivities>` (docs/architecture.md#activities).
export function createScheduledActivities(deps: { pool: DatabasePool; bus: Bus; log: Logger }) {
  const { pool, bus } = deps;
  return {
    storeScheduledMessage: (record: ScheduledMessageRecord): Promise<{ stored: boolean }> =>
      adapt(async () => {
        const stored = await storeScheduledMessage(pool, record);
        if (!stored) {
          deps.log.warn('scheduled message of a deleted conversation dropped', { conversationId: record.conversationId, id: record.id });
          return { stored };
        }
        const change: RecordChangedEvent = { kind: 'scheduled_messages', id: record.conversationId, action: 'updated' };
        await bus.publish(accountTopic(record.accountId), EVENTS.recordChanged, change);
        return { stored };
      }),
  };
}
