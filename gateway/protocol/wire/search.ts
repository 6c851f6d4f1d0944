/**
 * @module gateway/protocol/wire/search
 * `GET /api/search` (issue #17, item 7): message hits (private notes included:
 * only agents search) with their conversation, and customer hits (profile or
 * one of the customer's notes), each with a highlighted snippet and its rank.
 *
 * Highlights are never HTML: a snippet is a list of plain-text segments, `hit`
 * true on the matched words, so a client renders text nodes and a `<script>`
 * in a message body stays text.
 */
import { z } from 'zod';
import { isoTimestampSchema } from './entities.js';

/** A piece of a snippet: plain text, `hit` when it matched the query. */
export const searchSegmentSchema = z.object({ text: z.string(), hit: z.boolean() });
export type SearchSegment = z.infer<typeof searchSegmentSchema>;

/**
 * How the hits were found: `words` full-text (whole words, phrases in quotes,
 * -exclusions), `partial` the trigram fallback for parts of words (used when no
 * whole word matched), `none` nothing to search for.
 */
export const SEARCH_MODES = ['words', 'partial', 'none'] as const;
export type SearchMode = (typeof SEARCH_MODES)[number];

/** The customer a hit is about, briefly. */
export const searchCustomerSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  email: z.string().nullable(),
});

export const searchMessageHitSchema = z.object({
  id: z.string(),
  conversation_id: z.string(),
  seq: z.number().int(),
  type: z.string(),
  private: z.boolean(),
  /** `customer` or `agent` (bots and the system count as agent). */
  author: z.enum(['customer', 'agent']),
  inserted_at: isoTimestampSchema,
  rank: z.number(),
  snippet: z.array(searchSegmentSchema),
  conversation: z.object({
    id: z.string(),
    status: z.string(),
    assignee_id: z.number().int().nullable(),
    inbox_id: z.string().nullable(),
    subject: z.string().nullable(),
    customer: searchCustomerSchema.nullable(),
  }),
});
export type SearchMessageHit = z.infer<typeof searchMessageHitSchema>;

export const searchCustomerHitSchema = z.object({
  /** The customer's id, or the note's id when `matched` is `note`. */
  id: z.string(),
  matched: z.enum(['profile', 'note']),
  rank: z.number(),
  snippet: z.array(searchSegmentSchema),
  customer: searchCustomerSchema,
  /** The customer's most recent conversation (what the console opens), or null. */
  latest_conversation: z.object({ id: z.string(), status: z.string() }).nullable(),
});
export type SearchCustomerHit = z.infer<typeof searchCustomerHitSchema>;

/** One group of hits and the cursor of its next page (null: no more). */
const group = <S extends z.ZodTypeAny>(hit: S) => z.object({ mode: z.enum(SEARCH_MODES), data: z.array(hit), next: z.string().nullable() });

export const searchResultSchema = z.object({
  data: z.object({
    query: z.string(),
    messages: group(searchMessageHitSchema),
    customers: group(searchCustomerHitSchema),
  }),
});
export type SearchResult = z.infer<typeof searchResultSchema>;
