/**
 * Customers, companies and issues for the console (issue #17, item 4): typed
 * calls to the customer, company, issue, note and tag routes over the one REST
 * client's `request`/`parsed` (so sessions renew as for every call), and the
 * framework-free bits of those screens (directory query, field errors, where a
 * conversation lives in the inbox) and "Text them" (`POST /api/twilio/send`).
 * Route shapes: docs/api.md, "Customers", "Companies", "Issues", "Notes", "Tags", "Twilio".
 */
import { z } from 'zod';
import type { ApiClient } from './api.js';
import {
  companySchema,
  customerDetailSchema,
  customerPageSchema,
  customerSchema,
  conversationSchema,
  issueSchema,
  issueWithLinksSchema,
  noteSchema,
  okSchema,
  tagSchema,
  twilioSendResultSchema,
  type Company,
  type Conversation,
  type CustomerDetail,
  type CustomerPage,
  type Issue,
  type IssueWithLinks,
  type Tag,
} from './wire.js';

export type { Company, CustomerDetail, CustomerPage, Issue, IssueWithLinks, Tag };

export const ISSUE_STATES = ['unstarted', 'in_progress', 'in_review', 'done', 'closed'] as const;
export type IssueState = (typeof ISSUE_STATES)[number];
export const ISSUE_STATE_LABELS: Record<IssueState, string> = {
  unstarted: 'Not started',
  in_progress: 'In progress',
  in_review: 'In review',
  done: 'Done',
  closed: 'Closed',
};

/** "Last seen" choices of the directory, in days (none: any time). */
export const LAST_SEEN_CHOICES = [
  { value: '', label: 'Any time' },
  { value: '1', label: 'Last 24 hours' },
  { value: '7', label: 'Last 7 days' },
  { value: '30', label: 'Last 30 days' },
  { value: '-30', label: 'Not in 30 days' },
] as const;

/** What the directory filters by (all optional; empty strings are "no filter"). */
export interface DirectoryQuery {
  q?: string;
  company_id?: string;
  tag_id?: string;
  /** Days: n > 0 seen in the last n days; n < 0 not seen in the last |n| days. */
  last_seen?: string;
  page?: number;
  /** Keyset cursor (the `next` of the page before); `page` then only labels the answer. */
  after?: string;
}

export const PAGE_SIZE = 25;

/** The query string of `GET /api/customers` for a directory query at `now`. */
export function directoryParams(query: DirectoryQuery, now: Date = new Date()): Record<string, string> {
  const out: Record<string, string> = {};
  if (query.q?.trim()) out.q = query.q.trim();
  if (query.company_id) out.company_id = query.company_id;
  if (query.tag_id) out.tag_id = query.tag_id;
  const days = Number(query.last_seen);
  if (query.last_seen && Number.isFinite(days) && days !== 0) {
    const bound = new Date(now.getTime() - Math.abs(days) * 86_400_000).toISOString();
    if (days > 0) out.last_seen_after = bound;
    else out.last_seen_before = bound;
  }
  return out;
}

/** The inbox list a conversation is in, for links to it. */
export function conversationHref(c: Pick<Conversation, 'id' | 'status'>): string {
  const list = c.status === 'closed' ? 'closed' : c.status === 'snoozed' ? 'snoozed' : 'open';
  return `/inbox/${list}/${encodeURIComponent(c.id)}`;
}

/** The first field error of `field` in a failed request, for inline display. */
export function fieldError(errors: Record<string, string[]> | undefined, field: string): string | undefined {
  const list = errors?.[field];
  return list?.length ? `${field === 'base' ? '' : `${field.replace(/_/g, ' ')} `}${list.join(', ')}`.trim() : undefined;
}

export interface CustomerEdit {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  external_id?: string | null;
  /** Replaces the whole object (the customer page's metadata editor). */
  metadata?: Record<string, unknown>;
}

export interface CompanyEdit {
  name: string;
  website_url?: string | null;
  description?: string | null;
  industry?: string | null;
  external_id?: string | null;
}

export interface IssueEdit {
  title?: string;
  body?: string | null;
  state?: IssueState;
  github_issue_url?: string | null;
}

type Requester = Pick<ApiClient, 'parsed' | 'parsedData' | 'request'>;
const enc = encodeURIComponent;

/** Rows per page of the companies and issues lists. */
export const PAGE = 50;
/** `{ data, next }`: a keyset page of the companies and issues lists. */
const keysetOf = <S extends z.ZodTypeAny>(row: S) => z.object({ data: z.array(row), next: z.string().nullable() });

export function peopleApi(client: Requester) {
  const { parsed, parsedData, request } = client;
  return {
    // --- Customers
    listCustomers: (query: DirectoryQuery, now?: Date) =>
      parsed(customerPageSchema, 'GET', '/api/customers', undefined, {
        ...directoryParams(query, now),
        page: query.page ?? 1,
        page_size: PAGE_SIZE,
        after: query.after || undefined,
      }),
    /** The CSV export of the directory with the same filters (text/csv). */
    exportCustomers: async (query: DirectoryQuery, now?: Date): Promise<string> => {
      const body = await request<unknown>('GET', '/api/customers', undefined, { ...directoryParams(query, now), format: 'csv' });
      return typeof body === 'string' ? body : '';
    },
    /** A customer with its company, tags, conversations, notes and issues. */
    getCustomer: (id: string) =>
      parsedData(customerDetailSchema, 'GET', `/api/customers/${enc(id)}?expand[]=conversations&expand[]=notes&expand[]=issues`),
    updateCustomer: (id: string, changes: CustomerEdit) =>
      parsedData(customerSchema, 'PUT', `/api/customers/${enc(id)}`, { customer: changes }),
    /** Admins: the customer with its conversations, notes and tags. */
    deleteCustomer: (id: string) => request<unknown>('DELETE', `/api/customers/${enc(id)}`),
    addNote: (customerId: string, body: string) =>
      parsedData(noteSchema, 'POST', '/api/notes', { note: { customer_id: customerId, body } }),
    deleteNote: (id: string) => request<unknown>('DELETE', `/api/notes/${enc(id)}`),
    listTags: () => parsedData(z.array(tagSchema), 'GET', '/api/tags'),
    tagCustomer: (customerId: string, tagId: string) =>
      parsedData(okSchema, 'POST', `/api/customers/${enc(customerId)}/tags`, { tag_id: tagId }),
    untagCustomer: (customerId: string, tagId: string) =>
      parsedData(okSchema, 'DELETE', `/api/customers/${enc(customerId)}/tags/${enc(tagId)}`),
    customerConversations: (customerId: string) =>
      parsed(z.object({ data: z.array(conversationSchema) }), 'GET', '/api/conversations', undefined, {
        customer_id: customerId,
        limit: 20,
      }),
    /** "Text them": an SMS from the account's Twilio number to `to`, recorded in the customer's SMS conversation (its id in the reply). */
    textCustomer: (customerId: string, to: string, body: string) =>
      parsedData(twilioSendResultSchema, 'POST', '/api/twilio/send', { to, body, customer_id: customerId }),

    // --- Companies
    listCompanies: (name?: string) =>
      parsedData(z.array(companySchema), 'GET', '/api/companies', undefined, name?.trim() ? { name: name.trim() } : undefined),
    /** A page of `PAGE` companies by name; `after` is the previous page's `next`. */
    companyPage: (name: string, after?: string) =>
      parsed(keysetOf(companySchema), 'GET', '/api/companies', undefined, {
        ...(name.trim() ? { name: name.trim() } : {}),
        limit: PAGE,
        ...(after ? { after } : {}),
      }),
    getCompany: (id: string) => parsedData(companySchema, 'GET', `/api/companies/${enc(id)}`),
    createCompany: (input: CompanyEdit) => parsedData(companySchema, 'POST', '/api/companies', { company: input }),
    updateCompany: (id: string, input: Partial<CompanyEdit>) =>
      parsedData(companySchema, 'PUT', `/api/companies/${enc(id)}`, { company: input }),
    deleteCompany: (id: string) => request<unknown>('DELETE', `/api/companies/${enc(id)}`),
    setCompany: (companyId: string, customerId: string) =>
      parsedData(okSchema, 'POST', `/api/companies/${enc(companyId)}/customers`, { customer_id: customerId }),
    unsetCompany: (companyId: string, customerId: string) =>
      parsedData(okSchema, 'DELETE', `/api/companies/${enc(companyId)}/customers/${enc(customerId)}`),

    // --- Issues
    listIssues: (filters: { state?: IssueState | ''; q?: string } = {}) =>
      parsedData(z.array(issueSchema), 'GET', '/api/issues', undefined, {
        ...(filters.state ? { state: filters.state } : {}),
        ...(filters.q?.trim() ? { q: filters.q.trim() } : {}),
      }),
    /** A page of `PAGE` issues, newest first; `after` is the previous page's `next`. */
    issuePage: (filters: { state?: IssueState | ''; q?: string }, after?: string) =>
      parsed(keysetOf(issueSchema), 'GET', '/api/issues', undefined, {
        ...(filters.state ? { state: filters.state } : {}),
        ...(filters.q?.trim() ? { q: filters.q.trim() } : {}),
        limit: PAGE,
        ...(after ? { after } : {}),
      }),
    getIssue: (id: string) => parsedData(issueWithLinksSchema, 'GET', `/api/issues/${enc(id)}`),
    createIssue: (input: IssueEdit & { title: string; customer_id?: string }) =>
      parsedData(issueWithLinksSchema, 'POST', '/api/issues', { issue: input }),
    updateIssue: (id: string, changes: IssueEdit) => parsedData(issueWithLinksSchema, 'PUT', `/api/issues/${enc(id)}`, { issue: changes }),
    deleteIssue: (id: string) => request<unknown>('DELETE', `/api/issues/${enc(id)}`),
    linkCustomer: (issueId: string, customerId: string) =>
      parsedData(okSchema, 'POST', `/api/customers/${enc(customerId)}/issues`, { issue_id: issueId }),
    unlinkCustomer: (issueId: string, customerId: string) =>
      parsedData(okSchema, 'DELETE', `/api/customers/${enc(customerId)}/issues/${enc(issueId)}`),
    linkConversation: (issueId: string, conversationId: string) =>
      parsedData(okSchema, 'POST', `/api/conversations/${enc(conversationId)}/issues`, { issue_id: issueId }),
    unlinkConversation: (issueId: string, conversationId: string) =>
      parsedData(okSchema, 'DELETE', `/api/conversations/${enc(conversationId)}/issues/${enc(issueId)}`),
    getConversation: (id: string) => parsedData(conversationSchema, 'GET', `/api/conversations/${enc(id)}`),
  };
}

export type PeopleApi = ReturnType<typeof peopleApi>;
