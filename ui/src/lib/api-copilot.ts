/**
 * The agents' AI copilot (issue #21, item 5) over the one REST client's `parsedData` (so
 * sessions renew as for every call): the account's switch, a conversation's summary, a
 * suggested reply and "improve my reply". Route shapes: docs/api.md, "AI copilot". Nothing here
 * posts a message: suggestions and improved texts go into the reply box for the agent to send.
 */
import type { ApiClient } from './api.js';
import {
  conversationSummaryStateSchema,
  copilotSettingsSchema,
  improvedTextSchema,
  replySuggestionSchema,
  type ImproveMode,
} from './wire.js';

export type { ConversationSummaryState, CopilotSettings, ImproveMode, ImprovedText, ReplySuggestion } from './wire.js';

type Requester = Pick<ApiClient, 'parsedData'>;

/** The "Improve" menu, in order: the mode, its menu label and what the status line says once done. */
export const IMPROVE_MODES: readonly { mode: ImproveMode; label: string; done: string }[] = Object.freeze([
  { mode: 'friendlier', label: 'Friendlier', done: 'Made friendlier.' },
  { mode: 'more_formal', label: 'More formal', done: 'Made more formal.' },
  { mode: 'shorter', label: 'Shorter', done: 'Made shorter.' },
  { mode: 'fix_grammar', label: 'Fix spelling & grammar', done: 'Spelling and grammar fixed.' },
  { mode: 'translate', label: "Translate to the customer's language", done: 'Translated.' },
]);

export function copilotApi(client: Requester) {
  const { parsedData } = client;
  const conv = (id: string): string => `/api/conversations/${encodeURIComponent(id)}`;
  return {
    settings: () => parsedData(copilotSettingsSchema, 'GET', '/api/accounts/me/copilot'),
    setEnabled: (enabled: boolean) => parsedData(copilotSettingsSchema, 'PUT', '/api/accounts/me/copilot', { copilot: { enabled } }),
    summary: (conversationId: string) => parsedData(conversationSummaryStateSchema, 'GET', `${conv(conversationId)}/summary`),
    summarize: (conversationId: string, trigger: 'manual' | 'handoff' = 'manual') =>
      parsedData(conversationSummaryStateSchema, 'POST', `${conv(conversationId)}/copilot/summary`, { trigger }),
    suggest: (conversationId: string) => parsedData(replySuggestionSchema, 'POST', `${conv(conversationId)}/copilot/suggest`, {}),
    improve: (text: string, mode: ImproveMode, conversationId: string | null) =>
      parsedData(improvedTextSchema, 'POST', '/api/copilot/improve', { text, mode, conversation_id: conversationId }),
  };
}
export type CopilotApi = ReturnType<typeof copilotApi>;

/** The newest message seq known for a conversation: what the server said, the conversation record, the loaded transcript. */
export function latestSeq(...seqs: readonly (number | null | undefined)[]): number {
  let max = 0;
  for (const s of seqs) if (typeof s === 'number' && Number.isFinite(s) && s > max) max = s;
  return max;
}
