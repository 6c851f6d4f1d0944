/**
 * What the server sends, parsed before the stores see it. The schemas and their
 * inferred types are defined once, in gateway/protocol/wire (the server's presenters
 * and routes declare the same ones); this module re-exports them and adds one
 * `parseWire` that logs and drops a payload that does not match, so a malformed
 * push or reply is never spread into a store.
 */
import { z } from 'zod';
import { EVENTS } from '../../../gateway/protocol/index.js';
import {
  type accountSchema,
  conversationCreatedEventSchema,
  conversationTagsEventSchema,
  conversationUpdatedEventSchema,
  messagesSeenEventSchema,
  presenceDiffEventSchema,
  presenceStateEventSchema,
  recordChangedEventSchema,
  shoutEventSchema,
  slaAlertEventSchema,
  slaChangedEventSchema,
  typingEventSchema,
  type unreadCountsSchema,
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

// ---- REST replies the console reads ----------------------------------------------------------

/** `GET /api/conversations/unread`. */
export type UnreadCounts = z.infer<typeof unreadCountsSchema>;

// Not yet in gateway/protocol/wire (reported to its owner): the entries of `account.working_hours`, which the
// account schema types as free-form objects.

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
  [EVENTS.conversationTags]: conversationTagsEventSchema,
  [EVENTS.typing]: typingEventSchema,
  [EVENTS.messagesSeen]: messagesSeenEventSchema,
  [EVENTS.presenceState]: presenceStateEventSchema,
  [EVENTS.presenceDiff]: presenceDiffEventSchema,
  [EVENTS.recordChanged]: recordChangedEventSchema,
  [EVENTS.slaChanged]: slaChangedEventSchema,
  [EVENTS.slaAlert]: slaAlertEventSchema,
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
    case EVENTS.conversationTags: {
      const p = parseWire(conversationTagsEventSchema, payload, what);
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
    case EVENTS.recordChanged: {
      const p = parseWire(recordChangedEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.slaChanged: {
      const p = parseWire(slaChangedEventSchema, payload, what);
      return p && { event, payload: p };
    }
    case EVENTS.slaAlert: {
      const p = parseWire(slaAlertEventSchema, payload, what);
      return p && { event, payload: p };
    }
  }
}
