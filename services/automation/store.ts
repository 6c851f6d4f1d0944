/**
 * @module services/automation/store
 * Automation rules, macros, the account's automation version and the rule log in PostgreSQL
 * (migrations/0038_automation.sql). Every change to rules or macros bumps the account's
 * version in the same transaction; the worker's engine reads rules with their version.
 * Ids of another account are "not found". Must not import: gateway (beyond protocol), Temporal.
 */
import { sql, UniqueIntegrityConstraintViolationError, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import {
  AUTOMATION_MAX_RULES,
  automationActionSchema,
  automationConditionSchema,
  automationTriggerSchema,
  type AutomationAction,
  type AutomationActionOutcome,
  type AutomationCondition,
  type AutomationLogEntry,
  type AutomationMacro,
  type AutomationMacroInput,
  type AutomationRule,
  type AutomationRuleInput,
} from '../../gateway/protocol/wire/index.js';
import { AppError, validationError } from '../errors.js';
import { iso } from '../validation.js';
import { regexError } from './regex.js';

const ZRuleRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  position: z.number().int(),
  trigger: z.unknown(),
  conditions: z.unknown(),
  actions: z.unknown(),
  created_at: z.number(),
  updated_at: z.number(),
});
type RuleRow = z.infer<typeof ZRuleRow>;

const ZMacroRow = z.object({
  id: z.string(),
  account_id: z.string(),
  name: z.string(),
  shortcut: z.string().nullable(),
  actions: z.unknown(),
  created_at: z.number(),
  updated_at: z.number(),
});
type MacroRow = z.infer<typeof ZMacroRow>;

const ruleColumns = sql.fragment`id, account_id, name, enabled, position, trigger, conditions, actions, created_at, updated_at`;
const macroColumns = sql.fragment`id, account_id, name, shortcut, actions, created_at, updated_at`;

/** A stored rule as the API and the engine see it (stored JSON is parsed again: a bad row is skipped by the engine). */
export function presentRule(row: RuleRow): AutomationRule {
  return {
    object: 'automation_rule',
    id: row.id,
    name: row.name,
    enabled: row.enabled,
    position: row.position,
    trigger: automationTriggerSchema.parse(row.trigger),
    conditions: z.array(automationConditionSchema).parse(row.conditions),
    actions: z.array(automationActionSchema).parse(row.actions),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

export function presentMacro(row: MacroRow): AutomationMacro {
  return {
    object: 'automation_macro',
    id: row.id,
    name: row.name,
    shortcut: row.shortcut,
    actions: z.array(automationActionSchema).parse(row.actions),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  };
}

/** 422 for a regex condition that does not compile. */
export function checkRuleInput(input: AutomationRuleInput): void {
  input.conditions.forEach((c, i) => {
    if (c.type !== 'text_regex') return;
    const error = regexError(c.pattern);
    if (error) throw validationError({ [`conditions.${i}.pattern`]: [`is not a valid regular expression: ${error}`] });
  });
}

async function bumpVersion(tx: DatabaseConnection, accountId: string): Promise<void> {
  await tx.query(sql.unsafe`
    INSERT INTO automation_versions (account_id, version) VALUES (${accountId}, 1)
    ON CONFLICT (account_id) DO UPDATE SET version = automation_versions.version + 1`);
}

/** The account's automation version (0 before any rule or macro was saved). */
export async function getAutomationVersion(connection: DatabaseConnection, accountId: string): Promise<number> {
  const v = await connection.maybeOneFirst(sql.type(z.object({ version: z.number().int() }))`
    SELECT version FROM automation_versions WHERE account_id = ${accountId}`);
  return v ?? 0;
}

export async function listRules(connection: DatabaseConnection, accountId: string): Promise<AutomationRule[]> {
  const rows = await connection.any(sql.type(ZRuleRow)`
    SELECT ${ruleColumns} FROM automation_rules WHERE account_id = ${accountId} ORDER BY position, id`);
  return rows.map(presentRule);
}

export async function getRule(connection: DatabaseConnection, accountId: string, id: string): Promise<AutomationRule | null> {
  const row = await connection.maybeOne(sql.type(ZRuleRow)`
    SELECT ${ruleColumns} FROM automation_rules WHERE account_id = ${accountId} AND id = ${id}`);
  return row ? presentRule(row) : null;
}

export async function createRule(pool: DatabasePool, accountId: string, input: AutomationRuleInput): Promise<AutomationRule> {
  checkRuleInput(input);
  return pool.transaction(async (tx) => {
    const count = await tx.oneFirst(sql.type(z.object({ n: z.number().int() }))`
      SELECT count(*)::int AS n FROM automation_rules WHERE account_id = ${accountId}`);
    if (count >= AUTOMATION_MAX_RULES) throw validationError({ base: [`at most ${AUTOMATION_MAX_RULES} rules per account`] });
    const row = await tx.one(sql.type(ZRuleRow)`
      INSERT INTO automation_rules (account_id, name, enabled, position, trigger, conditions, actions)
      VALUES (${accountId}, ${input.name}, ${input.enabled}, ${input.position}, ${sql.jsonb(input.trigger)},
        ${sql.jsonb(input.conditions)}, ${sql.jsonb(input.actions)})
      RETURNING ${ruleColumns}`);
    await bumpVersion(tx, accountId);
    return presentRule(row);
  });
}

export async function updateRule(
  pool: DatabasePool,
  accountId: string,
  id: string,
  input: AutomationRuleInput,
): Promise<AutomationRule | null> {
  checkRuleInput(input);
  return pool.transaction(async (tx) => {
    const row = await tx.maybeOne(sql.type(ZRuleRow)`
      UPDATE automation_rules SET name = ${input.name}, enabled = ${input.enabled}, position = ${input.position},
        trigger = ${sql.jsonb(input.trigger)}, conditions = ${sql.jsonb(input.conditions)},
        actions = ${sql.jsonb(input.actions)}, updated_at = now()
      WHERE account_id = ${accountId} AND id = ${id} RETURNING ${ruleColumns}`);
    if (row) await bumpVersion(tx, accountId);
    return row ? presentRule(row) : null;
  });
}

export async function deleteRule(pool: DatabasePool, accountId: string, id: string): Promise<boolean> {
  return pool.transaction(async (tx) => {
    const result = await tx.query(sql.unsafe`DELETE FROM automation_rules WHERE account_id = ${accountId} AND id = ${id}`);
    if (result.rowCount > 0) await bumpVersion(tx, accountId);
    return result.rowCount > 0;
  });
}

function mapShortcut(err: unknown): never {
  if (err instanceof UniqueIntegrityConstraintViolationError && err.constraint === 'automation_macros_shortcut_unique') {
    throw validationError({ shortcut: ['is already used by another macro'] });
  }
  throw err;
}

export async function listMacros(connection: DatabaseConnection, accountId: string): Promise<AutomationMacro[]> {
  const rows = await connection.any(sql.type(ZMacroRow)`
    SELECT ${macroColumns} FROM automation_macros WHERE account_id = ${accountId} ORDER BY name, id`);
  return rows.map(presentMacro);
}

export async function getMacro(connection: DatabaseConnection, accountId: string, id: string): Promise<AutomationMacro | null> {
  const row = await connection.maybeOne(sql.type(ZMacroRow)`
    SELECT ${macroColumns} FROM automation_macros WHERE account_id = ${accountId} AND id = ${id}`);
  return row ? presentMacro(row) : null;
}

export async function createMacro(pool: DatabasePool, accountId: string, input: AutomationMacroInput): Promise<AutomationMacro> {
  return pool
    .transaction(async (tx) => {
      const count = await tx.oneFirst(sql.type(z.object({ n: z.number().int() }))`
        SELECT count(*)::int AS n FROM automation_macros WHERE account_id = ${accountId}`);
      if (count >= AUTOMATION_MAX_RULES) throw validationError({ base: [`at most ${AUTOMATION_MAX_RULES} macros per account`] });
      const row = await tx.one(sql.type(ZMacroRow)`
        INSERT INTO automation_macros (account_id, name, shortcut, actions)
        VALUES (${accountId}, ${input.name}, ${input.shortcut}, ${sql.jsonb(input.actions)})
        RETURNING ${macroColumns}`);
      await bumpVersion(tx, accountId);
      return presentMacro(row);
    })
    .catch(mapShortcut);
}

export async function updateMacro(
  pool: DatabasePool,
  accountId: string,
  id: string,
  input: AutomationMacroInput,
): Promise<AutomationMacro | null> {
  return pool
    .transaction(async (tx) => {
      const row = await tx.maybeOne(sql.type(ZMacroRow)`
        UPDATE automation_macros SET name = ${input.name}, shortcut = ${input.shortcut}, actions = ${sql.jsonb(input.actions)},
          updated_at = now()
        WHERE account_id = ${accountId} AND id = ${id} RETURNING ${macroColumns}`);
      if (row) await bumpVersion(tx, accountId);
      return row ? presentMacro(row) : null;
    })
    .catch(mapShortcut);
}

export async function deleteMacro(pool: DatabasePool, accountId: string, id: string): Promise<boolean> {
  return pool.transaction(async (tx) => {
    const result = await tx.query(sql.unsafe`DELETE FROM automation_macros WHERE account_id = ${accountId} AND id = ${id}`);
    if (result.rowCount > 0) await bumpVersion(tx, accountId);
    return result.rowCount > 0;
  });
}

/** The enabled rules of the account with the version they belong to, read in one snapshot. */
export async function loadEnabledRules(pool: DatabasePool, accountId: string): Promise<{ version: number; rules: AutomationRule[] }> {
  return pool.transaction(async (tx) => {
    await tx.query(sql.unsafe`SET TRANSACTION ISOLATION LEVEL REPEATABLE READ`);
    const version = await getAutomationVersion(tx, accountId);
    const rows = await tx.any(sql.type(ZRuleRow)`
      SELECT ${ruleColumns} FROM automation_rules WHERE account_id = ${accountId} AND enabled ORDER BY position, id`);
    const rules: AutomationRule[] = [];
    // A row that no longer parses (stored by older code) is skipped, not fatal to every conversation.
    for (const row of rows) {
      try {
        rules.push(presentRule(row));
      } catch {
        /* skipped */
      }
    }
    return { version, rules };
  });
}

const ZLogRow = z.object({
  id: z.string(),
  rule_id: z.string().nullable(),
  macro_id: z.string().nullable(),
  name: z.string(),
  event: z.string(),
  version: z.number().int(),
  depth: z.number().int(),
  actions: z.unknown(),
  at: z.number(),
});

export interface LogEntryInput {
  id: string;
  accountId: string;
  conversationId: string;
  ruleId: string | null;
  macroId: string | null;
  name: string;
  event: string;
  version: number;
  depth: number;
  actions: AutomationActionOutcome[];
  at: number;
}

/** Store one rule-log entry; idempotent on its id (chosen by the workflow). */
export async function writeLogEntry(connection: DatabaseConnection, e: LogEntryInput): Promise<void> {
  await connection.query(sql.unsafe`
    INSERT INTO automation_log (id, account_id, conversation_id, rule_id, macro_id, name, event, version, depth, actions, at)
    SELECT ${e.id}, ${e.accountId}, ${e.conversationId}, ${e.ruleId}, ${e.macroId}, ${e.name}, ${e.event}, ${e.version},
      ${e.depth}, ${sql.jsonb(e.actions)}, to_timestamp(${e.at / 1000})
    WHERE EXISTS (SELECT 1 FROM conversations WHERE id = ${e.conversationId} AND account_id = ${e.accountId})
    ON CONFLICT (id) DO NOTHING`);
}

/** The conversation's rule log, oldest first (at most `limit`). */
export async function listLog(
  connection: DatabaseConnection,
  accountId: string,
  conversationId: string,
  limit = 200,
): Promise<AutomationLogEntry[]> {
  const rows = await connection.any(sql.type(ZLogRow)`
    SELECT id, rule_id, macro_id, name, event, version, depth, actions, at FROM automation_log
    WHERE account_id = ${accountId} AND conversation_id = ${conversationId} ORDER BY at, id LIMIT ${limit}`);
  return rows.map((r) => ({
    object: 'automation_log_entry',
    id: r.id,
    rule_id: r.rule_id,
    macro_id: r.macro_id,
    name: r.name,
    event: r.event,
    version: r.version,
    depth: r.depth,
    actions: z.array(z.object({ type: z.string(), ok: z.boolean(), detail: z.string().nullable() })).parse(r.actions),
    at: iso(r.at),
  }));
}

/** 404 unless the row is the account's. */
export async function assertOwned(
  connection: DatabaseConnection,
  table: 'conversations' | 'automation_macros',
  accountId: string,
  id: string,
): Promise<void> {
  const found = await connection.maybeOneFirst(sql.type(z.object({ ok: z.number() }))`
    SELECT 1 AS ok FROM ${sql.identifier([table])} WHERE id = ${id} AND account_id = ${accountId}`);
  if (found === null) throw new AppError('NOT_FOUND');
}

/** 422 when an action or condition names a tag, agent or inbox that is not the account's. */
export async function checkReferences(
  connection: DatabaseConnection,
  accountId: string,
  input: { actions: readonly AutomationAction[]; conditions?: readonly AutomationCondition[] },
): Promise<void> {
  const tagIds = new Set<string>();
  const userIds = new Set<number>();
  const inboxIds = new Set<string>();
  for (const a of input.actions) {
    if (a.type === 'add_tag' || a.type === 'remove_tag') tagIds.add(a.tag_id);
    if (a.type === 'assign_agent') userIds.add(a.user_id);
  }
  for (const c of input.conditions ?? []) {
    if (c.type === 'tag') tagIds.add(c.tag_id);
    if (c.type === 'inbox') c.inbox_ids.forEach((id) => inboxIds.add(id));
  }
  const count = async (table: 'tags' | 'users' | 'inboxes', ids: readonly (string | number)[], type: 'uuid' | 'int4'): Promise<number> =>
    ids.length === 0
      ? 0
      : connection.oneFirst(sql.type(z.object({ n: z.number().int() }))`
          SELECT count(*)::int AS n FROM ${sql.identifier([table])}
          WHERE account_id = ${accountId} AND id = ANY(${sql.array([...ids], type)})`);
  if ((await count('tags', [...tagIds], 'uuid')) !== tagIds.size) throw validationError({ tag_id: ['is not a tag of your account'] });
  if ((await count('users', [...userIds], 'int4')) !== userIds.size)
    throw validationError({ user_id: ['is not an agent of your account'] });
  if ((await count('inboxes', [...inboxIds], 'uuid')) !== inboxIds.size)
    throw validationError({ inbox_ids: ['are not inboxes of your account'] });
}
