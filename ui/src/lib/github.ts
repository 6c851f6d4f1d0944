/**
 * The GitHub issue calls of the console (gateway/routes/github.ts; issue #19 point 4): whether
 * GitHub is connected, the installation's repositories, issue search, linking a GitHub issue to
 * a conversation, creating one from a conversation and following its creation status.
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import {
  githubAuthorizationResponseSchema,
  githubIssueRequestSchema,
  githubIssueSchema,
  githubIssueSearchResultSchema,
  githubRepositorySchema,
} from './wire.js';

type Requester = Pick<ApiClient, 'parsed' | 'parsedData'>;
const enc = encodeURIComponent;
const requestReplySchema = z.object({ data: githubIssueRequestSchema.nullable() });

export type GithubSearchResult = z.infer<typeof githubIssueSearchResultSchema>;

export function githubIssuesApi(client: Requester) {
  const { parsed, parsedData } = client;
  return {
    status: () => parsed(githubAuthorizationResponseSchema, 'GET', '/api/github/authorization'),
    repositories: () => parsedData(z.array(githubRepositorySchema), 'GET', '/api/github/repositories'),
    search: (q: string) => parsedData(z.array(githubIssueSearchResultSchema), 'GET', '/api/github/issues/search', undefined, { q }),
    link: (input: { url: string; conversation_id?: string; customer_id?: string }) =>
      parsedData(githubIssueSchema, 'POST', '/api/github/issues/link', input),
    create: (conversationId: string, input: { repo: string; title: string; body: string | null }) =>
      parsedData(githubIssueSchema, 'POST', `/api/conversations/${enc(conversationId)}/github_issues`, input),
    creation: async (issueId: string) => (await parsed(requestReplySchema, 'GET', `/api/issues/${enc(issueId)}/github`)).data,
  };
}
export type GithubIssuesApi = ReturnType<typeof githubIssuesApi>;

/** `owner/name#number` of a GitHub issue URL (any host), or the URL itself. */
export function githubIssueLabel(url: string): string {
  const m = /^https?:\/\/[^/]+\/([^/]+\/[^/]+)\/issues\/(\d+)/.exec(url);
  return m ? `${m[1]}#${m[2]}` : url;
}

/** Does the text look like a URL (pasted) rather than search words? */
export const looksLikeUrl = (text: string): boolean => /^https?:\/\//i.test(text.trim());

/** The delay before the next status poll: 1 s, growing by half up to 5 s. */
export const nextPollDelay = (previous: number): number => Math.min(5000, Math.round(previous * 1.5));
