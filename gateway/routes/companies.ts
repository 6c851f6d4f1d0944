/**
 * @module gateway/routes/companies
 * Companies (docs/compatibility.md#account-records; also `/api/v1`): the standard account-scoped
 * CRUD with the original's `{"company": {...}}` envelope and `company.json`
 * shape (`name` required), plus putting a customer in a company and taking it
 * out (both must be the caller's). Another account's company or customer is
 * a 404 and nothing changes; deleting a company leaves its customers without one.
 */
import { z } from 'zod';
import {
  createCompany,
  deleteCompany,
  getCompany,
  listCompanies,
  pageCompanies,
  ZCompanyCursor,
  presentCompany,
  removeCustomerFromCompany,
  setCustomerCompany,
  updateCompany,
  ZCompanyInput,
  ZCompanyUpdateInput,
} from '../../services/companies/index.js';
import { AppError } from '../../services/errors.js';
import { isUuid, ZUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam, type AuthScope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, envelope, jsonBody, NO_CONTENT, ok, queryString, ZUuidParams } from './define.js';
import { companySchema, okSchema } from '../protocol/wire/index.js';
import { keysetList, keysetPage, ZKeysetQuery } from './keyset.js';
import { publishRecordChanges } from '../record-events.js';

const TAGS = ['Companies'];

const ZCompanyListQuery = ZKeysetQuery.extend({
  name: queryString().optional().describe('case-insensitive part of the name'),
  external_id: queryString().optional(),
  slack_channel_id: queryString(64).optional(),
});

const ZCompanyCustomerInput = z.object({ customer_id: ZUuid });

export function companyRoutes(ctx: GatewayContext, scope: AuthScope = agentScope(ctx.pool)): Route[] {
  const { pool } = ctx;
  return [
    agentRoute(scope, {
      method: 'GET',
      path: '/companies',
      summary: "Your account's companies, by name (filters: name, external_id, slack_channel_id; keyset pages with limit and after)",
      tags: TAGS,
      response: ok(keysetList(companySchema)),
      query: ZCompanyListQuery,
      handler: async ({ user, query }) => {
        const { limit: _limit, after: _after, ...filters } = query;
        const page = keysetPage(query, ZCompanyCursor);
        const { rows, next } = page
          ? await pageCompanies(pool, user.account_id, filters, page)
          : { rows: await listCompanies(pool, user.account_id, filters), next: null };
        return { body: { data: rows.map(presentCompany), next } };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/companies',
      summary: 'Create a company (name required)',
      tags: TAGS,
      response: created(data(companySchema)),
      body: envelope('company', ZCompanyInput),
      handler: async ({ user, body }) => {
        const company = await createCompany(pool, user.account_id, body);
        ctx.log.info('company created', { companyId: company.id, accountId: user.account_id, userId: user.id });
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'company', id: company.id, action: 'created' }]);
        return { status: 201, body: { data: presentCompany(company) } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/companies/:id',
      summary: 'A company of your account',
      tags: TAGS,
      response: ok(data(companySchema)),
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const company = await getCompany(pool, user.account_id, uuidParam(req, 'id'));
        if (!company) throw new AppError('NOT_FOUND');
        return { body: { data: presentCompany(company) } };
      },
    }),
    agentRoute(scope, {
      method: 'PUT',
      path: '/companies/:id',
      summary: 'Edit a company of your account (its account never changes)',
      tags: TAGS,
      response: ok(data(companySchema)),
      params: ZUuidParams,
      body: envelope('company', ZCompanyUpdateInput),
      handler: async ({ req, user, body }) => {
        const company = await updateCompany(pool, user.account_id, uuidParam(req, 'id'), body);
        if (!company) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'company', id: company.id, action: 'updated' }]);
        return { body: { data: presentCompany(company) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/companies/:id',
      summary: 'Delete a company of your account (204); its customers stay, without a company',
      tags: TAGS,
      response: NO_CONTENT,
      params: ZUuidParams,
      handler: async ({ req, user }) => {
        const id = uuidParam(req, 'id');
        if (!(await deleteCompany(pool, user.account_id, id))) throw new AppError('NOT_FOUND');
        ctx.log.info('company deleted', { companyId: id, accountId: user.account_id, userId: user.id });
        await publishRecordChanges(ctx, user.account_id, [{ kind: 'company', id, action: 'deleted' }]);
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/companies/:id/customers',
      summary: 'Put a customer of your account in this company (it leaves its previous company)',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: ZUuidParams,
      body: jsonBody(ZCompanyCustomerInput),
      handler: async ({ req, user, body }) => {
        const companyId = uuidParam(req, 'id');
        if (!(await setCustomerCompany(pool, user.account_id, body.customer_id, companyId))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [
          { kind: 'customer', id: body.customer_id, action: 'updated' },
          { kind: 'company', id: companyId, action: 'updated' },
        ]);
        return { body: { data: { ok: true } } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/companies/:id/customers/:customer_id',
      summary: 'Take a customer of your account out of this company',
      tags: TAGS,
      response: ok(data(okSchema)),
      params: z.object({ id: z.string().uuid(), customer_id: z.string().uuid() }),
      handler: async ({ req, user }) => {
        const companyId = uuidParam(req, 'id');
        const customerId = req.params.customer_id;
        if (!isUuid(customerId) || !(await getCompany(pool, user.account_id, companyId))) throw new AppError('NOT_FOUND');
        if (!(await removeCustomerFromCompany(pool, user.account_id, customerId, companyId))) throw new AppError('NOT_FOUND');
        await publishRecordChanges(ctx, user.account_id, [
          { kind: 'customer', id: customerId, action: 'updated' },
          { kind: 'company', id: companyId, action: 'updated' },
        ]);
        return { body: { data: { ok: true } } };
      },
    }),
  ];
}
