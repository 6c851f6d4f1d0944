/**
 * @module gateway/mentions
 * @mentions at the gateway (issue #17 item 3): the `mentioned_user_ids` of a
 * note (socket `shout` or `POST /api/messages`) are checked against the
 * caller's account before the note goes to the conversation workflow (an id of
 * another account or of a disabled agent is a 422, Q3), and once the note is
 * stored each mentioned agent who wants it gets an email through the account
 * email path (gateway/account-emails.ts' accountMail: outbox, account-email
 * workflow, sendOnce), keyed by note and agent so a retried post mails nothing
 * more. The store itself never keeps a self-mention.
 */
import { getConversation } from '../services/conversations/index.js';
import { getCustomer } from '../services/customers/index.js';
import { validationError } from '../services/errors.js';
import { mentionEmail } from '../services/mentions/email.js';
import { MAX_MENTIONS, mentionEmailRecipients, unknownMentionIds } from '../services/mentions/index.js';
import { listRecentConversationMessages } from '../services/messages/index.js';
import { publicBaseUrl } from '../services/config/index.js';
import type { GatewayContext } from './context.js';
import type { MessageJson } from './protocol/wire/index.js';

type Ctx = Pick<GatewayContext, 'config' | 'pool' | 'log' | 'accountMail'>;

/** How many messages of the conversation a mention email shows. */
const EMAIL_MESSAGES = 5;

/**
 * The `mentionedUserIds` of a post from its raw `mentioned_user_ids` (absent,
 * null or empty: none). Throws a 422 when it is not a list of user ids or names
 * anyone who is not an enabled agent of the account.
 */
export async function mentionsOfPost(ctx: Ctx, accountId: string, raw: unknown): Promise<{ mentionedUserIds?: number[] }> {
  if (raw === undefined || raw === null) return {};
  if (!Array.isArray(raw) || raw.length > MAX_MENTIONS || !raw.every((id) => Number.isSafeInteger(id) && (id as number) > 0)) {
    throw validationError({ mentioned_user_ids: [`must be a list of at most ${MAX_MENTIONS} user ids`] });
  }
  const ids = [...new Set(raw as number[])];
  if (ids.length === 0) return {};
  if ((await unknownMentionIds(ctx.pool, accountId, ids)).length > 0) {
    throw validationError({ mentioned_user_ids: ['contains users who are not agents of this account'] });
  }
  return { mentionedUserIds: ids };
}

function authorName(m: MessageJson): string {
  if (m.customer_id) return m.customer?.name ?? m.customer?.email ?? 'Customer';
  if (m.user) return m.user.display_name || m.user.full_name || m.user.email;
  return m.type === 'bot' ? 'Bot' : 'Netia';
}

/**
 * After a note is stored: mail each agent it mentions (still enabled, address
 * verified, "email me when I am mentioned" on). Never fails the caller: a
 * failure is logged. Runs once per stored note; a duplicate post finds the
 * same keys and sends nothing more.
 */
export async function mailMentions(ctx: Ctx, message: MessageJson): Promise<void> {
  if (!message.mentioned_user_ids?.length || !ctx.accountMail) return;
  try {
    const recipients = await mentionEmailRecipients(ctx.pool, message.account_id, message.id);
    if (recipients.length === 0) return;
    const conversation = await getConversation(ctx.pool, message.account_id, message.conversation_id);
    if (!conversation) return;
    const [customer, recent] = await Promise.all([
      getCustomer(ctx.pool, message.account_id, conversation.customer_id),
      listRecentConversationMessages(ctx.pool, conversation.id, { beforeSeq: message.seq + 1, limit: EMAIL_MESSAGES }),
    ]);
    const content = mentionEmail({
      authorName: authorName(message),
      customerName: customer?.name ?? customer?.email ?? 'Anonymous visitor',
      messages: recent.map((m) => ({
        author: m.customer_id ? ('customer' as const) : m.type === 'bot' ? ('bot' as const) : ('agent' as const),
        name: m.customer_id
          ? (m.customer?.name ?? m.customer?.email ?? 'Customer')
          : m.user
            ? m.user.display_name || m.user.full_name || m.user.email
            : 'Bot',
        body: m.body ?? (m.attachments.length ? `(${m.attachments.length} attachment${m.attachments.length > 1 ? 's' : ''})` : ''),
        createdAt: m.inserted_at,
        isNote: m.private,
      })),
      conversationUrl: `${publicBaseUrl(ctx.config)}/inbox/mentions/${conversation.id}`,
    });
    for (const r of recipients) {
      await ctx.accountMail.send({
        idempotencyKey: `account-email:mention:${message.id}:${r.userId}`,
        accountId: message.account_id,
        kind: 'mention',
        to: [r.email],
        ...content,
      });
    }
  } catch (err) {
    ctx.log.error('mention emails could not be started', { messageId: message.id, err });
  }
}
