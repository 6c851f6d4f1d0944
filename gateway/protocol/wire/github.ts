/**
 * @module gateway/protocol/wire/github
 * GitHub (issue #19 point 4): the connected App installation, repositories it reaches, issues
 * found by search, and the status of an issue being created on GitHub from a conversation.
 */
import { z } from 'zod';
import { isoTimestampSchema, issueWithLinksSchema } from './entities.js';

export const githubConnectionSchema = z.object({
  id: z.string(),
  object: z.literal('github_installation'),
  account_id: z.string(),
  /** GitHub's installation id (a number, as a string). */
  installation_id: z.string(),
  /** The GitHub user or organisation the App is installed on. */
  account_login: z.string(),
  account_type: z.string().nullable(),
  /** `all` or `selected` repositories. */
  repository_selection: z.string().nullable(),
  /** Opt-in: closing a linked GitHub issue as completed tells the customers of its conversations. */
  notify_customer_on_close: z.boolean(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type GithubConnection = z.infer<typeof githubConnectionSchema>;

/** `GET /api/github/authorization`: the installation (or null) and whether the GitHub App is configured on this server. */
export const githubAuthorizationResponseSchema = z.object({ data: githubConnectionSchema.nullable(), configured: z.boolean() });

export const githubRepositorySchema = z.object({ full_name: z.string(), private: z.boolean(), html_url: z.string() });

export const githubIssueSearchResultSchema = z.object({
  url: z.string(),
  title: z.string(),
  state: z.enum(['open', 'closed']),
  number: z.number().int(),
  /** owner/name */
  repo: z.string(),
});

export const githubIssueRequestSchema = z.object({
  issue_id: z.string(),
  object: z.literal('github_issue_request'),
  conversation_id: z.string().nullable(),
  repo: z.string(),
  /** `creating` until the delivery records GitHub's issue; `failed` with `error` when GitHub refused it for good. */
  status: z.enum(['creating', 'created', 'failed']),
  error: z.string().nullable(),
  number: z.number().int().nullable(),
  created_at: isoTimestampSchema,
  updated_at: isoTimestampSchema,
});
export type GithubIssueRequest = z.infer<typeof githubIssueRequestSchema>;

/** An issue with its links and, when it was created from a conversation, its GitHub request. */
export const githubIssueSchema = issueWithLinksSchema.extend({ github: githubIssueRequestSchema.nullable() });
export type GithubIssue = z.infer<typeof githubIssueSchema>;
