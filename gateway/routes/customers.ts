/**
 * @module gateway/routes/customers
 * Customer routes (netia-api.md §2.6). Public creation is scoped to the account
 * named in the body; an agent token forces the agent's own account (the
 * original let the body override it).
 */
import { getAccount } from '../../services/accounts/index.js';
import { createCustomer, presentCustomer, ZCustomerInput } from '../../services/customers/index.js';
import { validationError } from '../../services/errors.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { optionalAgent, parseEnvelope } from '../http/auth.js';
import type { Route } from '../http/router.js';

/** Resolve the account a public request acts for: the agent's, else a valid, existing `account_id`. */
export async function resolvePublicAccount(ctx: GatewayContext, agentAccountId: string | undefined, accountId: unknown): Promise<string> {
  if (agentAccountId) return agentAccountId;
  if (accountId === undefined || accountId === null || accountId === '') throw validationError({ account_id: ["can't be blank"] });
  if (!isUuid(accountId) || !(await getAccount(ctx.pool, accountId))) throw validationError({ account_id: ['does not exist'] });
  return accountId;
}

export function customerRoutes(ctx: GatewayContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/customers',
      cors: true,
      summary: 'Create a customer (public for widgets, scoped to account_id; agents create in their own account)',
      handler: async (req) => {
        const agent = await optionalAgent(ctx.pool, req);
        const input = parseEnvelope(req, 'customer', ZCustomerInput);
        const accountId = await resolvePublicAccount(ctx, agent?.account_id, (input as Record<string, unknown>).account_id);
        const customer = await createCustomer(ctx.pool, accountId, input, req.ip || null);
        return { status: 201, body: { data: presentCustomer(customer) } };
      },
    },
  ];
}
