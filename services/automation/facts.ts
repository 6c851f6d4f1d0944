/**
 * @module services/automation/facts
 * What the engine reads from the database for an event: the facts the account's conditions
 * need (conversation tags, customer fields, working hours), the round-robin choice of the
 * `assign_round_robin` action, and a worker-local cache of each account's enabled rules keyed
 * by the account's automation version (one indexed read per event when nothing changed).
 */
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { AutomationRule } from '../../gateway/protocol/wire/index.js';
import { getAccount } from '../accounts/index.js';
import { isOutsideWorkingHours } from '../accounts/working-hours.js';
import { listCandidates, listInboxCandidates, pickRoundRobin } from '../assignment/index.js';
import type { LoadedFacts } from './evaluate.js';
import { neededFacts } from './evaluate.js';
import { getAutomationVersion, loadEnabledRules } from './store.js';

/** The facts `rules` need about this conversation at `now` (unneeded ones are null, not read). */
export async function loadFacts(
  connection: DatabaseConnection,
  rules: readonly Pick<AutomationRule, 'conditions'>[],
  target: { accountId: string; conversationId: string; customerId: string },
  now: number,
): Promise<LoadedFacts> {
  return (await readFacts(connection, rules, target, now, false)).facts;
}

/**
 * The facts `rules` need and, in the same statement, the account's automation version: the
 * engine's per-event read when it already holds rules from an earlier event (RuleCache.peek),
 * one round trip instead of two. If the version moved, the facts are for rules the caller no
 * longer runs and it reads again.
 */
export async function loadFactsAtVersion(
  connection: DatabaseConnection,
  rules: readonly Pick<AutomationRule, 'conditions'>[],
  target: { accountId: string; conversationId: string; customerId: string },
  now: number,
): Promise<{ version: number; facts: LoadedFacts }> {
  const { version, facts } = await readFacts(connection, rules, target, now, true);
  return { version: version ?? 0, facts };
}

async function readFacts(
  connection: DatabaseConnection,
  rules: readonly Pick<AutomationRule, 'conditions'>[],
  target: { accountId: string; conversationId: string; customerId: string },
  now: number,
  withVersion: boolean,
): Promise<{ version: number | null; facts: LoadedFacts }> {
  const need = neededFacts(rules);
  const facts: LoadedFacts = { tagIds: null, customer: null, insideWorkingHours: null };
  let version: number | null = null;
  if (need.tags || need.customer || withVersion) {
    // One round trip for all of it (read on every matching event): the tags as an array, the customer by a left join
    // that yields a row whether or not the customer exists, and the automation version when asked.
    const row = await connection.one(sql.type(
      z.object({
        version: z.number().int().nullable(),
        tag_ids: z.array(z.string()).nullable(),
        has_customer: z.boolean(),
        email: z.string().nullable(),
        name: z.string().nullable(),
        phone: z.string().nullable(),
        external_id: z.string().nullable(),
        company_name: z.string().nullable(),
      }),
    )`
      SELECT
        CASE WHEN ${withVersion} THEN coalesce(
          (SELECT v.version FROM automation_versions v WHERE v.account_id = ${target.accountId}), 0
        ) END AS version,
        CASE WHEN ${need.tags} THEN (
          SELECT coalesce(array_agg(t.tag_id::text), '{}') FROM conversation_tags t
          WHERE t.account_id = ${target.accountId} AND t.conversation_id = ${target.conversationId}
        ) END AS tag_ids,
        c.id IS NOT NULL AS has_customer, c.email, c.name, c.phone, c.external_id, co.name AS company_name
      FROM (SELECT 1) AS one
      LEFT JOIN customers c ON ${need.customer} AND c.id = ${target.customerId} AND c.account_id = ${target.accountId}
      LEFT JOIN companies co ON co.id = c.company_id AND co.account_id = c.account_id`);
    version = row.version;
    if (need.tags) facts.tagIds = row.tag_ids ?? [];
    if (need.customer && row.has_customer) {
      const { email, name, phone, external_id, company_name } = row;
      facts.customer = { email, name, phone, external_id, company_name };
    }
  }
  if (need.workingHours) {
    const account = await getAccount(connection, target.accountId);
    facts.insideWorkingHours = account ? !isOutsideWorkingHours(account, now) : true;
  }
  return { version, facts };
}

/** The account's enabled rules at its current version; reuses the rules read at that version before. */
export class RuleCache {
  private readonly byAccount = new Map<string, { version: number; rules: AutomationRule[] }>();
  constructor(
    private readonly pool: DatabasePool,
    private readonly maxAccounts = 5000,
  ) {}

  /** The rules read last for the account, at the version they were read at (no database read; may be stale). */
  peek(accountId: string): { version: number; rules: AutomationRule[] } | undefined {
    return this.byAccount.get(accountId);
  }

  async get(accountId: string): Promise<{ version: number; rules: AutomationRule[] }> {
    const version = await getAutomationVersion(this.pool, accountId);
    const cached = this.byAccount.get(accountId);
    if (cached && cached.version === version) return cached;
    const loaded = await loadEnabledRules(this.pool, accountId);
    if (this.byAccount.size >= this.maxAccounts) this.byAccount.clear();
    this.byAccount.set(accountId, loaded);
    return loaded;
  }
}

/**
 * `assign_round_robin`: the enabled agent after the account's last round-robin choice (by id,
 * wrapping), among the inbox's rotation when the conversation has an inbox. Online or not
 * (unlike the inbox assigner): a rule assigns work, the agent sees it when back. Null: nobody.
 */
export async function chooseRoundRobin(pool: DatabasePool, accountId: string, inboxId: string | null): Promise<number | null> {
  return pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`
      INSERT INTO automation_versions (account_id) VALUES (${accountId}) ON CONFLICT (account_id) DO NOTHING`);
    const last = await tx.oneFirst(sql.type(z.object({ last: z.number().int().nullable() }))`
      SELECT round_robin_last_user_id AS last FROM automation_versions WHERE account_id = ${accountId} FOR UPDATE`);
    const ids = await tx.anyFirst(sql.type(z.object({ id: z.number().int() }))`
      SELECT id FROM users WHERE account_id = ${accountId} AND disabled_at IS NULL AND archived_at IS NULL`);
    const candidates = inboxId === null ? await listCandidates(tx, accountId, ids) : await listInboxCandidates(tx, accountId, inboxId, ids);
    const picked = pickRoundRobin(candidates, last, 0);
    if (picked !== null) {
      await tx.query(sql.unsafe`UPDATE automation_versions SET round_robin_last_user_id = ${picked} WHERE account_id = ${accountId}`);
    }
    return picked;
  });
}
