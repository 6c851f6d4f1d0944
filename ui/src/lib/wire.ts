/**
 * What the server sends, parsed before the stores see it. The schemas and their
 * inferred types are defined once, in gateway/protocol/wire (the server's presenters
 * return the same types); this module adds the envelopes the console reads them in
 * and one `parseWire` that logs and drops a payload that does not match, so a
 * malformed push or reply is never spread into a store.
 */
import { z } from 'zod';
import { EVENTS } from '../../../gateway/protocol/index.js';
import {
  type accountSchema,
  conversationCreatedEventSchema,
  conversationSchema,
  conversationUpdatedEventSchema,
  customerSchema,
  messageSchema,
  messagesSeenEventSchema,
  presenceDiffEventSchema,
  presenceStateEventSchema,
  shoutEventSchema,
  typingEventSchema,
} from '../../../gateway/protocol/wire/index.js';

export * from '../../../gateway/protocol/wire/index.js';

/**
 * Parse `value` with `schema`; on a mismatch log what was wrong and return undefined.
 * `what` names the payload in the log ("shout", "GET /api/users").
 */
export function parseWire<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, value: unknown, what: string): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  console.warn(`Ignored a malformed ${what} from the server`, result.error.issues);
  return undefined;
}

// ---- REST envelopes and replies the console reads ----------------------------------------------

/** `{"data": …}`, the envelope of most REST replies. */
export function dataOf<S extends z.ZodTypeAny>(schema: S) {
  return z.object({ data: schema });
}

/** A keyset page (`GET /api/conversations`). */
export function pageOf<S extends z.ZodTypeAny>(item: S) {
  return z.object({
    data: z.array(item),
    next: z.string().nullable(),
    previous: z.string().nullable(),
    limit: z.number().int(),
    total: z.number().int(),
  });
}

/** A conversation as lists and `GET /api/conversations/:id` send it: with its customer and messages (lists: the latest only). */
export const conversationListItemSchema = conversationSchema.extend({
  customer: customerSchema.nullable(),
  messages: z.array(messageSchema),
});
export type ConversationListItem = z.infer<typeof conversationListItemSchema>;

/** `GET /api/messages`: one range of a transcript. */
export const messageRangeSchema = z.object({
  data: z.array(messageSchema),
  has_more: z.boolean(),
  last_seq: z.number().int(),
});

// Not yet in gateway/protocol/wire (reported to its owner): the console's own reading of
// `GET /api/me`, `GET /api/conversations/unread` and the entries of `account.working_hours`.

/** `GET /api/me`. `email_verified` is absent on older servers (treated as verified). */
export const meSchema = z.object({
  id: z.number().int(),
  email: z.string(),
  account_id: z.string(),
  role: z.enum(['user', 'admin']),
  email_verified: z.boolean().optional(),
  email_confirmed_at: z.string().nullable().optional(),
});
export type Me = z.infer<typeof meSchema>;

/** `GET /api/conversations/unread`: open conversations per list and per inbox. */
export const unreadCountsSchema = z.object({
  conversations: z.record(z.number()),
  inboxes: z.record(z.number()),
});
export type UnreadCounts = z.infer<typeof unreadCountsSchema>;

/** One entry of `account.working_hours`, as the accounts route validates it on write. */
export const workingHoursSchema = z.object({
  day: z.string(),
  start_minute: z.number().int(),
  end_minute: z.number().int(),
});
export type WorkingHours = z.infer<typeof workingHoursSchema>;

/** The well-formed working-hours entries of an account (the wire schema types them as free-form objects). */
export function workingHoursOf(account: Pick<z.infer<typeof accountSchema>, 'working_hours'>): WorkingHours[] {
  return account.working_hours.flatMap((entry) => {
    const parsed = parseWire(workingHoursSchema, entry, 'working-hours entry');
    return parsed ? [parsed] : [];
  });
}

// ---- Socket events of the agent topic --------------------------------------------------------

/** The schema of each event the console listens to on `notification:<account>`. */
export const accountEventSchemas = {
  [EVENTS.shout]: shoutEventSchema,
  [EVENTS.conversationCreated]: conversationCreatedEventSchema,
  [EVENTS.conversationUpdated]: conversationUpdatedEventSchema,
  [EVENTS.typing]: typingEventSchema,
  [EVENTS.messagesSeen]: messagesSeenEventSchema,
  [EVENTS.presenceState]: presenceStateEventSchema,
  [EVENTS.presenceDiff]: presenceDiffEventSchema,
};

export type AccountEventName = keyof typeof accountEventSchemas;

/** A parsed event of the agent topic: its name and its typed payload. */
export type AccountEvent = {
  [K in AccountEventName]: { event: K; payload: z.infer<(typeof accountEventSchemas)[K]> };
}[AccountEventName];

/** The typed event, or undefined (logged) when the payload does not match its schema. */
export function parseAccountEvent(event: AccountEventName, payload: unknown): AccountEvent | undefined {
  const what = `'${event}' event`;
  switch (event) {
    case EVENTS.shout: {
      const p = parseWire(shoutEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.conversationCreated: {
      const p = parseWire(conversationCreatedEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.conversationUpdated: {
      const p = parseWire(conversationUpdatedEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.typing: {
      const p = parseWire(typingEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.messagesSeen: {
      const p = parseWire(messagesSeenEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.presenceState: {
      const p = parseWire(presenceStateEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.presenceDiff: {
      const p = parseWire(presenceDiffEventSchema, payload, what);
      return p && { event, payload: p };
    }
  }
}
