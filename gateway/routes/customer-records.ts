/**
 * @module gateway/routes/customer-records
 * Customer records for agents (docs/compatibility.md#customers): page-paginated search,
 * show, update, delete and CSV export, all scoped to the caller's account; and
 * the public widget lookups identify, exists and metadata
 * (docs/compatibility.md#clients-built-for-the-original).
 * Fixes: an update never moves a customer to another account (Q5); the public
 * metadata route accepts widget-safe fields only and never changes the account
 * (Q3); a customer of another account is 404; bad query parameters are 422.
 * `POST /api/customers` lives in routes/customers.ts; the `/api/v1` scope gets its
 * own create here.
 */
import { z } from 'zod';
import { getAccount } from '../../services/accounts/index.js';
import { presentConversation } from '../../services/conversations/index.js';
import { listCustomerConversationIds } from '../../services/conversations/delete.js';
import { createCustomer, getCustomer, presentCustomer, ZCustomerInput } from '../../services/customers/index.js';
import { enqueueOutboxEvents } from '../../services/outbox/index.js';
import { enqueueIdentityChange } from '../../services/integrations/crm/identity.js';
import { dispatchOutboxSoon } from '../outbox-sweeper.js';
import { claimFor, complete, idempotencyKeyOf, replayed } from './idempotency.js';
import {
  customerExists,
  customersToCsv,
  CUSTOMER_EXACT_FILTERS,
  decodeCustomerCursor,
  CUSTOMER_TEXT_FILTERS,
  deleteCustomer,
  exportCustomers,
  findCustomerById,
  identifyCustomer,
  latestConversations,
  listCustomerConversations,
  listCustomerMessages,
  listCustomers,
  updateCustomer,
  updateCustomerMetadata,
  ZCustomerMetadataInput,
  ZCustomerUpdateInput,
  type CustomerFilters,
} from '../../services/customers/records.js';
import { getCompany, presentCompany } from '../../services/companies/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { listIssues, presentIssue } from '../../services/issues/index.js';
import { presentMessage } from '../../services/messages/index.js';
import { listNotes, presentNotes } from '../../services/notes/index.js';
import { listCustomerTags, presentTag } from '../../services/tags/index.js';
import { isUuid, ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { deletionReason } from '../../temporal/conversation-admin.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, envelope, NO_CONTENT, ok, publicRoute, ZQueryBool, ZUuidParams } from './define.js';
import {
  type CustomerDetail,
  customerDetailSchema,
  customerPageSchema,
  customerSchema,
  identifiedCustomerSchema,
} from '../protocol/wire/index.js';
import { publishRecordChanges } from '../record-events.js';

const TAGS = ['Customers'];
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;
const CSV_MAX_ROWS = 50_000;

const filterText = z.string().max(255).optional();
const positiveInt = z.coerce.number({ invalid_type_error: 'must be a number' }).int().min(1);
const isoDate = z.string().max(64).datetime({ offset: true, message: 'must be an ISO 8601 datetime' });
const uuidList = z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(ZUuid).max(20));

export const ZCustomerListQuery = z.object({
  page: positiveInt.max(1_000_000).default(1),
  after: z.string().max(200).optional().describe('keyset cursor: the `next` of the previous page (then `page` only labels the answer)'),
  page_size: positiveInt.optional(),
  limit: positiveInt.optional(),
  name: filterText,
  email: filterText,
  phone: filterText,
  host: filterText,
  browser: filterText,
  os: filterText,
  current_url: z.string().max(2048).optional(),
  pathname: z.string().max(2048).optional(),
  time_zone: filterText,
  external_id: filterText,
  browser_version: filterText,
  browser_language: filterText,
  company_id: ZUuid.optional(),
  include_anonymous: ZQueryBool.optional(),
  q: z.string().max(500).optional(),
  tag_id: ZUuid.optional(),
  tag_ids: uuidList.optional(),
  last_seen_after: isoDate.optional().describe('ISO 8601 datetime: customers seen at or after it'),
  last_seen_before: isoDate.optional().describe('ISO 8601 datetime: customers last seen before it'),
  format: z.enum(['json', 'csv']).optional(),
});
type CustomerListQuery = z.infer<typeof ZCustomerListQuery>;

/**
 * `ZCustomerInput` with screen sizes bounded: an unbounded integer (1e308) would
 * overflow the integer column and fail the insert with a 500.
 */
const screenSize = z.coerce.number().int().min(0).max(100_000).nullable().optional().catch(null);
const ZCustomerCreateInput = ZCustomerInput.extend({ screen_height: screenSize, screen_width: screenSize });

/** An agent's edit: an email it sets becomes a verified identity for inbound channels, so it must look like one. */
const ZAgentCustomerUpdateInput = ZCustomerUpdateInput.superRefine((v, ctx) => {
  if (typeof v.email === 'string' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.email)) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['email'], message: 'has invalid format' });
  }
});

const EXPANDABLE = ['conversations', 'notes', 'tags', 'company', 'messages', 'issues'] as const;
const ZCustomerShowQuery = z.object({
  expand: z.preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(z.enum(EXPANDABLE)).max(EXPANDABLE.length)).optional(),
});

function filtersOf(query: CustomerListQuery): CustomerFilters {
  const tagIds = [...(query.tag_ids ?? []), ...(query.tag_id ? [query.tag_id] : [])];
  return {
    text: Object.fromEntries(CUSTOMER_TEXT_FILTERS.map((f) => [f, query[f]])),
    exact: Object.fromEntries(CUSTOMER_EXACT_FILTERS.map((f) => [f, query[f]])),
    ...(query.include_anonymous === false ? { includeAnonymous: false } : {}),
    ...(query.q ? { q: query.q } : {}),
    ...(tagIds.length ? { tagIds } : {}),
    ...(query.last_seen_after ? { lastSeenAfter: query.last_seen_after } : {}),
    ...(query.last_seen_before ? { lastSeenBefore: query.last_seen_before } : {}),
  };
}

/** Strings widget clients send for "no value" (`inbox_id=undefined`, docs/compatibility.md#clients-built-for-the-original). */
export function blankParam(value: string | undefined): boolean {
  return value === undefined || value === '' || value === 'null' || value === 'undefined';
}

const ZIdentifyQuery = z.object({
  external_id: z.string().max(255).optional(),
  account_id: z.string().max(64).optional(),
  email: z.string().max(320).optional(),
  host: z.string().max(255).optional(),
});

const ZExistsQuery = z.object({ account_id: z.string().max(64).optional() });

/** Public customer routes; registered before the agent ones so `/identify` is not taken for an id. */
export function publicCustomerRoutes(ctx: GatewayContext): Route[] {
  const { pool } = ctx;
  return [
    publicRoute({
      method: 'GET',
      path: '/api/customers/identify',
      summary: 'Find the customer id of a known external id in an account (widgets)',
      tags: TAGS,
      response: ok(data(identifiedCustomerSchema)),
      query: ZIdentifyQuery,
      handler: async ({ query }) => {
        if (blankParam(query.external_id) || blankParam(query.account_id)) {
          throw new AppError('VALIDATION_FAILED', { userMessage: 'The following parameters are required: external_id, account_id' });
        }
        const accountId = query.account_id!;
        if (!isUuid(accountId) || !(await getAccount(pool, accountId))) {
          throw new AppError('NOT_FOUND', { userMessage: `No account found with ID: ${accountId}. Are you pointing at the correct host?` });
        }
        const customerId = await identifyCustomer(pool, accountId, {
          externalId: query.external_id!,
          email: blankParam(query.email) ? undefined : query.email,
          host: blankParam(query.host) ? undefined : query.host,
        });
        return { body: { data: { customer_id: customerId } } };
      },
    }),
    publicRoute({
      method: 'GET',
      path: '/api/customers/:id/exists',
      auth: 'customer',
      summary: 'Whether a customer id still exists (in account_id when given); widgets forget ids answered false',
      tags: TAGS,
      response: ok(data(z.boolean())),
      params: ZUuidParams,
      query: ZExistsQuery,
      handler: async ({ req, query }) => {
        const id = req.params.id;
        const accountId = blankParam(query.account_id) ? null : query.account_id!;
        if (!isUuid(id) || (accountId !== null && !isUuid(accountId))) return { body: { data: false } };
        return { body: { data: await customerExists(pool, id, accountId) } };
      },
    }),
    publicRoute({
      method: 'PUT',
      path: '/api/customers/:id/metadata',
      auth: 'customer',
      summary: "A widget reports its visitor's details; the customer id is the capability. Widget-safe fields only.",
      tags: TAGS,
      response: ok(data(customerSchema)),
      params: ZUuidParams,
      body: envelope('metadata', ZCustomerMetadataInput),
      handler: async ({ req, body }) => {
        const id = uuidParam(req, 'id');
        const customer = await findCustomerById(pool, id);
        if (!customer) throw new AppError('NOT_FOUND');
        // A widget that names its account must name the customer's (never a way across tenants).
        const claimed = (req.body as Record<string, unknown>).account_id;
        if (typeof claimed === 'string' && !blankParam(claimed) && claimed !== customer.account_id) throw new AppError('NOT_FOUND');
        const account = await getAccount(pool, customer.account_id);
        // The change and its `customer:updated` outbox row (CRM contact sync) commit together.
        const [updated, outboxIds] = await pool.transaction(async (tx) => {
          const row = await updateCustomerMetadata(tx, id, body, { lockIdentity: account?.require_identity_verification ?? false });
          return [row, row ? await enqueueIdentityChange(tx, customer, row) : []] as const;
        });
        if (!updated) throw new AppError('NOT_FOUND');
        dispatchOutboxSoon(ctx, outboxIds);
        await publishRecordChanges(ctx, updated.account_id, [{ kind: 'customer', id, action: 'updated' }]);
        return { body: { data: presentCustomer(updated) } };
      },
    }),
  ];
}

export function customerRecordRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  const create: Route[] =
    scope.kind === 'api_key'
      ? [
          agentRoute(scope, {
            method: 'POST',
            path: '/customers',
            summary: 'Create a customer in your account',
            tags: TAGS,
            response: created(data(customerSchema)),
            idempotent: true,
            body: envelope('customer', ZCustomerCreateInput),
            handler: async ({ req, user, body }) => {
              const key = idempotencyKeyOf(req, { isAnonymous: false });
              const keyScope = key
                ? { accountId: user.account_id, caller: `user:${user.id}`, operation: 'customers.create', key }
                : undefined;
              // The customer, its `customer:created` outbox row and the key's answer commit together (issue #16).
              const outcome = await pool.transaction(async (tx) => {
                if (keyScope) {
                  const claim = await claimFor(tx, keyScope, req);
                  if (claim.kind === 'replay') return { kind: 'replay' as const, claim };
                }
                const customer = presentCustomer(await createCustomer(tx, user.account_id, body, req.ip || null, { kind: 'agent' }));
                const outboxIds = await enqueueOutboxEvents(tx, [{ type: 'customer:created', accountId: user.account_id, customer }]);
                if (keyScope) await complete(tx, keyScope, { status: 201, body: { data: customer } });
                return { kind: 'created' as const, customer, outboxIds };
              });
              if (outcome.kind === 'replay') return replayed(outcome.claim);
              dispatchOutboxSoon(ctx, outcome.outboxIds);
              await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: outcome.customer.id, action: 'created' }]);
              return { status: 201, body: { data: outcome.customer } };
            },
          }),
        ]
      : [];
  return [
    ...create,
    agentRoute(scope, {
      method: 'GET',
      path: '/customers',
      summary: `Your customers, most recently seen first, each with its tags and latest conversation: page pagination (page, page_size or limit; default ${DEFAULT_PAGE_SIZE}, max ${MAX_PAGE_SIZE}) or keyset (after = the previous page's next), filters, format=csv`,
      tags: TAGS,
      response: ok(customerPageSchema, 200, 'A page of customers; with format=csv, text/csv instead'),
      query: ZCustomerListQuery,
      handler: async ({ user, query }) => {
        const q = query;
        const filters = filtersOf(q);
        if (q.format === 'csv') {
          const rows = await exportCustomers(pool, user.account_id, filters, CSV_MAX_ROWS);
          return {
            raw: customersToCsv(rows.map(presentCustomer)),
            contentType: 'text/csv; charset=utf-8',
            headers: { 'content-disposition': 'attachment; filename="customers.csv"' },
          };
        }
        const size = Math.min(q.page_size ?? q.limit ?? DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
        const after = q.after ? decodeCustomerCursor(q.after) : undefined;
        if (after === null) throw validationError({ after: ['is not a cursor of this list'] });
        const { rows, total, next } = await listCustomers(pool, user.account_id, filters, { number: q.page, size, after });
        const ids = rows.map((r) => r.id);
        // One query each for the whole page: the latest conversations and the tags.
        const [latest, tags] = await Promise.all([
          latestConversations(pool, user.account_id, ids),
          listCustomerTags(pool, user.account_id, ids),
        ]);
        return {
          body: {
            data: rows.map((c) => {
              const conversation = latest.get(c.id);
              return {
                ...presentCustomer(c),
                tags: (tags.get(c.id) ?? []).map(presentTag),
                conversations: conversation ? [presentConversation(conversation)] : [],
              };
            }),
            page_number: q.page,
            page_size: size,
            total_pages: Math.max(1, Math.ceil(total / size)),
            total_entries: total,
            next,
          },
        };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/customers/:id',
      summary:
        'A customer of your account with its tags and company (always); expand[]=conversations|notes|issues|messages adds those (messages: the newest 100 it sent)',
      tags: TAGS,
      response: ok(data(customerDetailSchema)),
      params: ZUuidParams,
      query: ZCustomerShowQuery,
      handler: async ({ req, user, query }) => {
        const customer = await getCustomer(pool, user.account_id, uuidParam(req, 'id'));
        if (!customer) throw new AppError('NOT_FOUND');
        const expand = new Set(query.expand ?? []);
        const tags = (await listCustomerTags(pool, user.account_id, [customer.id])).get(customer.id) ?? [];
        const company = customer.company_id ? await getCompany(pool, user.account_id, customer.company_id) : null;
        const data: CustomerDetail = {
          ...presentCustomer(customer),
          tags: tags.map(presentTag),
          company: company ? presentCompany(company) : null,
        };
        if (expand.has('conversations')) {
          data.conversations = (await listCustomerConversations(pool, user.account_id, customer.id)).map(presentConversation);
        }
        if (expand.has('notes')) {
          data.notes = await presentNotes(pool, user.account_id, await listNotes(pool, user.account_id, { customer_id: customer.id }));
        }
        if (expand.has('issues')) {
          data.issues = (await listIssues(pool, user.account_id, { customer_id: customer.id })).map(presentIssue);
        }
        if (expand.has('messages')) {
          data.messages = (await listCustomerMessages(pool, user.account_id, customer.id)).map(presentMessage);
        }
        return { body: { data } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/customers/:id',
      summary: 'Edit a customer of your account (its account never changes)',
      tags: TAGS,
      response: ok(data(customerSchema)),
      params: ZUuidParams,
      body: envelope('customer', ZAgentCustomerUpdateInput),
      handler: async ({ req, user, body }) => {
        const id = uuidParam(req, 'id');
        const [updated, outboxIds] = await pool.transaction(async (tx) => {
          const before = await getCustomer(tx, user.account_id, id);
          const row = before ? await updateCustomer(tx, user.account_id, id, body) : null;
          return [row, row ? await enqueueIdentityChange(tx, before, row) : []] as const;
        });
        if (!updated) throw new AppError('NOT_FOUND');
        dispatchOutboxSoon(ctx, outboxIds);
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id: updated.id, action: 'updated' }]);
        return { body: { data: presentCustomer(updated) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/customers/:id',
      summary:
        'Delete a customer of your account with its conversations (their workflows are terminated first), notes and tags (admin only)',
      tags: TAGS,
      // The audit log keeps the customer as it was (the row is gone afterwards).
      audit: {
        before: async ({ req, user }) => {
          const customer = await getCustomer(pool, user.account_id, uuidParam(req, 'id'));
          return customer && presentCustomer(customer);
        },
      },
      response: NO_CONTENT,
      // Issue #13: a hard delete of account-wide records (admins; an API key acts as its user).
      admin: true,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await getCustomer(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        // The conversations' workflows first: they are the only writers of their rows (temporal/conversation-admin.ts).
        await ctx.conversationAdmin.terminateConversations(
          await listCustomerConversationIds(pool, user.account_id, id),
          deletionReason(`Customer ${id}`, { userId: user.id, email: user.email }),
        );
        if (!(await deleteCustomer(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'customer', id, action: 'deleted' }]);
        return { status: 204 };
      },
    }),
  ];
}
