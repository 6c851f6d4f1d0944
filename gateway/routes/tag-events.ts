/**
 * @module gateway/routes/tag-events
 * What follows a change of a conversation's tags made through REST (the routes write
 * `conversation_tags` themselves): the account's consoles get the new tag list, and the
 * conversation's workflow a `tagsChanged` signal (its rules' `tag_changed` trigger, its SLA
 * policies' tag condition; docs/automation.md). The write has happened, so failures are logged,
 * not thrown: the workflow then sees the tags at its next event.
 */
import { listConversationTags } from '../../services/conversations/extras.js';
import { presentTag } from '../../services/tags/index.js';
import type { GatewayContext } from '../context.js';
import { accountTopic, EVENTS } from '../protocol/index.js';
import type { ConversationTagsEvent } from '../protocol/wire/index.js';

type TagsChangedInput = Parameters<GatewayContext['conversations']['tagsChanged']>[1];

/** At most this many conversations are told at once when a deleted tag was on many. */
const FANOUT_CONCURRENCY = 8;

/** Tell the account's consoles a conversation's tags changed. */
export async function publishTags(ctx: GatewayContext, accountId: string, conversationId: string): Promise<void> {
  const tags = await listConversationTags(ctx.pool, accountId, conversationId);
  const payload: ConversationTagsEvent = { conversation_id: conversationId, tags: tags.map(presentTag) };
  await ctx.bus
    .publish(accountTopic(accountId), EVENTS.conversationTags, payload)
    .catch((err: unknown) => ctx.log.warn('bus publish failed', { event: EVENTS.conversationTags, conversationId, err }));
}

/** Tell the conversation's workflow a tag was added or removed. */
export async function tellWorkflow(ctx: GatewayContext, conversationId: string, input: TagsChangedInput): Promise<void> {
  await ctx.conversations
    .tagsChanged(conversationId, input)
    .catch((err: unknown) => ctx.log.warn('tag change not signalled to the workflow', { conversationId, err }));
}

/**
 * A deleted tag was on these conversations (the cascade removed it): each one's consoles and
 * workflow hear of the removal, as if it had been removed from each, a few at a time.
 */
export async function tellTagRemoved(
  ctx: GatewayContext,
  conversationIds: readonly string[],
  input: Omit<TagsChangedInput, 'added'>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < conversationIds.length) {
      const id = conversationIds[next++]!;
      await publishTags(ctx, input.accountId, id).catch((err: unknown) =>
        ctx.log.warn('tag list not published', { conversationId: id, err }),
      );
      await tellWorkflow(ctx, id, { ...input, added: false });
    }
  };
  await Promise.all(Array.from({ length: Math.min(FANOUT_CONCURRENCY, conversationIds.length) }, lane));
}
