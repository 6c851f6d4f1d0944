/**
 * @module gateway/record-events
 * `record:changed` (docs/realtime.md): after a customer, company or issue is created, edited
 * or deleted, every console of the account hears which one, so directories and record pages
 * stay current without polling. The write has happened when this runs, so a bus failure is
 * logged, never thrown.
 */
import { accountTopic, EVENTS } from './protocol/index.js';
import type { RecordChangedEvent } from './protocol/wire/index.js';
import type { GatewayContext } from './context.js';

export async function publishRecordChanges(
  ctx: Pick<GatewayContext, 'bus' | 'log'>,
  accountId: string,
  changes: readonly RecordChangedEvent[],
): Promise<void> {
  await Promise.all(
    changes.map((change) =>
      ctx.bus
        .publish(accountTopic(accountId), EVENTS.recordChanged, change)
        .catch((err: unknown) => ctx.log.warn('bus publish failed', { event: EVENTS.recordChanged, ...change, err })),
    ),
  );
}
