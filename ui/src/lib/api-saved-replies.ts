/**
 * Saved replies for the console beyond what lib/api.ts has (list, create,
 * delete): editing one, over the one REST client's `parsedData` (so sessions
 * renew as for every call). Route shapes: docs/api.md, "Canned responses".
 */
import type { ApiClient } from './api.js';
import { cannedResponseSchema } from './wire.js';

type Requester = Pick<ApiClient, 'parsedData'>;

export function savedRepliesApi(client: Requester) {
  const { parsedData } = client;
  return {
    update: (id: string, changes: { name?: string; content?: string }) =>
      parsedData(cannedResponseSchema, 'PUT', `/api/canned_responses/${encodeURIComponent(id)}`, { canned_response: changes }),
  };
}
export type SavedRepliesApi = ReturnType<typeof savedRepliesApi>;
