/**
 * @module gateway/routes/customers
 * Customer routes (docs/compatibility.md#customers). Public creation is scoped to the account
 * named in the body; an agent token forces the agent's own account (the
 * original let the body override it). The response carries `customer_token`,
 * and an account requiring identity verification gets its `user_hash` checked.
 * Issue #16: an `Idempotency-Key` makes a retried create answer with the first
 * customer (scoped to the agent, or for anonymous widgets to the key itself,
 * which must then be unguessable); without a key none is derived (a customer
 * body has no natural unique id: two visitors may send the same fields). The
 * customer and its `customer:created` outbox row commit together, so the
 * webhook survives a Temporal outage.
 */
import { getAccount } from '../../services/accounts/index.js';
import { createCustomer, presentCustomer, ZCustomerInput } from '../../services/customers/index.js';
import { enqueueOutboxEvents } from '../../services/outbox/index.js';
import { dispatchOutboxSoon } from '../outbox-sweeper.js';
import { claimFor, complete, idempotencyKeyOf, replayed } from './idempotency.js';
import { getOrCreateIdentitySecret, getWidgetSecurity, signCustomerToken, verifyUserHash } from '../../services/customers/token.js';
import { AppError, validationError } from '../../services/errors.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { optionalAgent, parseEnvelope } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { created, data } from './define.js';
import { createdCustomerSchema } from '../protocol/wire/index.js';
import { publishRecordChanges } from '../record-events.js';

/** Resolve the account a public request acts for: the agent's, else a valid, existing `account_id`. */
export async function resolvePublicAccount(ctx: GatewayContext, agentAccountId: string | undefined, accountId: unknown): Promise<string> {
  if (agentAccountId) return agentAccountId;
  if (accountId === undefined || accountId === null || accountId === '') throw validationError({ account_id: ["can't be blank"] });
  if (!isUuid(accountId) || !(await getAccount(ctx.pool, accountId))) throw validationError({ account_id: ['does not exist'] });
  return accountId;
}

/**
 * Identity verification: when the account requires it, a widget naming its
 * visitor by `external_id` must send `user_hash` (in `customer` or at the top
 * level) = hex HMAC-SHA256(external_id, the account's identity secret), else
 * 403 "Identity verification failed". Agents are trusted and not asked.
 */
async function verifyIdentity(ctx: GatewayContext, accountId: string, externalId: string, body: unknown, input: object): Promise<void> {
  const security = await getWidgetSecurity(ctx.pool, accountId);
  if (!security?.requireIdentityVerification) return;
  const secret = await getOrCreateIdentitySecret(ctx.pool, accountId);
  const userHash = (input as Record<string, unknown>).user_hash ?? (body as Record<string, unknown>).user_hash;
  if (!verifyUserHash(secret, externalId, userHash)) throw new AppError('FORBIDDEN', { userMessage: 'Identity verification failed' });
}

export function customerRoutes(ctx: GatewayContext): Route[] {
  return [
    {
      method: 'POST',
      path: '/api/customers',
      auth: 'optional',
      cors: true,
      summary: 'Create a customer (public for widgets, scoped to account_id; agents create in their own account)',
      response: created(data(createdCustomerSchema)),
      idempotent: true,
      handler: async (req) => {
        const agent = await optionalAgent(ctx.pool, req);
        const input = parseEnvelope(req, 'customer', ZCustomerInput);
        const key = idempotencyKeyOf(req, { isAnonymous: !agent });
        const accountId = await resolvePublicAccount(ctx, agent?.account_id, (input as Record<string, unknown>).account_id);
        if (!agent && input.external_id) await verifyIdentity(ctx, accountId, input.external_id, req.body, input);
        const caller = agent
          ? { kind: 'agent' as const }
          : {
              kind: 'visitor' as const,
              userHash: (input as Record<string, unknown>).user_hash ?? (req.body as Record<string, unknown>).user_hash,
            };
        const keyScope = key
          ? { accountId, caller: agent ? `user:${agent.id}` : 'visitor', operation: 'customers.create', key }
          : undefined;
        // One transaction: the key's claim (a concurrent duplicate waits on it, then replays), the customer and its outbox row.
        const outcome = await ctx.pool.transaction(async (tx) => {
          if (keyScope) {
            const claim = await claimFor(tx, keyScope, req);
            if (claim.kind === 'replay') return { kind: 'replay' as const, claim };
          }
          const customer = presentCustomer(await createCustomer(tx, accountId, input, req.ip || null, caller));
          const outboxIds = await enqueueOutboxEvents(tx, [{ type: 'customer:created', accountId, customer }]);
          // Stored without the customer token (a credential): a replay signs it again.
          if (keyScope) await complete(tx, keyScope, { status: 201, body: { data: customer } });
          return { kind: 'created' as const, customer, outboxIds };
        });
        if (outcome.kind === 'replay') {
          const response = replayed(outcome.claim);
          const data = (response.body as { data?: { id?: unknown } } | null)?.data;
          if (typeof data?.id !== 'string') return response;
          return {
            ...response,
            body: { data: { ...data, customer_token: signCustomerToken(ctx.config.secretKeyBase, accountId, data.id) } },
          };
        }
        dispatchOutboxSoon(ctx, outcome.outboxIds);
        const customer = outcome.customer;
        await publishRecordChanges(ctx, accountId, [{ kind: 'customer', id: customer.id, action: 'created' }]);
        // Our proof that this client was handed this customer id (socket joins; services/customers/token.ts).
        const customerToken = signCustomerToken(ctx.config.secretKeyBase, accountId, customer.id);
        return { status: 201, body: { data: { ...customer, customer_token: customerToken } } };
      },
    },
  ];
}
