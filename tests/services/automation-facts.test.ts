/**
 * The rule engine's per-event read (services/automation/facts.ts): `loadFactsAtVersion` reads the
 * facts the rules need and the account's automation version in one statement. It must give the
 * same facts as `loadFacts` and the version `getAutomationVersion` gives, before the account has a
 * version row (0) and after each rule change, so the engine notices a change at the next event.
 * A `tag_changed` event that names its tag is judged on that tag as the change left it, whatever
 * the later read says (the CI race of a removal rule that ran twice).
 */
import { randomUUID } from 'node:crypto';
import anyTest from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { upsertConversation } from '../../services/conversations/index.js';
import { addConversationTag } from '../../services/conversations/extras.js';
import {
  createRule,
  evaluateRule,
  getAutomationVersion,
  loadFacts,
  loadFactsAtVersion,
  RuleCache,
} from '../../services/automation/index.js';
import type { AutomationRule } from '../../gateway/protocol/wire/index.js';
import { withDatabasePool } from '../helpers/db-test.js';
import { conversationRecord } from '../helpers/records.js';

const test = withDatabasePool(anyTest);
const ZId = z.object({ id: z.string() });

async function setup(pool: DatabasePool, email: string | null) {
  const accountId = await pool.oneFirst(sql.type(ZId)`INSERT INTO accounts (company_name) VALUES ('Facts') RETURNING id::text AS id`);
  const customerId = await pool.oneFirst(sql.type(ZId)`
    INSERT INTO customers (account_id, email, name) VALUES (${accountId}, ${email}, 'Ada') RETURNING id::text AS id`);
  const conversationId = randomUUID();
  await upsertConversation(pool, conversationRecord(accountId, customerId, { id: conversationId }, Date.now()));
  const tagId = await pool.oneFirst(
    sql.type(ZId)`INSERT INTO tags (account_id, name) VALUES (${accountId}, 'vip') RETURNING id::text AS id`,
  );
  return { accountId, customerId, conversationId, tagId };
}

const needs = (...types: Array<'tag' | 'customer_field'>): Array<Pick<AutomationRule, 'conditions'>> =>
  types.map((type) => ({
    conditions: [
      type === 'tag' ? { type: 'tag', tag_id: randomUUID(), present: true } : { type: 'customer_field', field: 'email', op: 'present' },
    ],
  })) as Array<Pick<AutomationRule, 'conditions'>>;

test('one read gives the facts loadFacts gives and the current automation version, 0 before any rule', async (t) => {
  const { pool } = t.context;
  const target = await setup(pool, 'ada@example.com');
  await addConversationTag(pool, target.accountId, target.conversationId, target.tagId, null);
  const now = Date.now();
  for (const rules of [needs('tag', 'customer_field'), needs('tag'), needs('customer_field'), needs()]) {
    const read = await loadFactsAtVersion(pool, rules, target, now);
    t.deepEqual(read.facts, await loadFacts(pool, rules, target, now));
    t.is(read.version, 0);
  }
  const both = await loadFactsAtVersion(pool, needs('tag', 'customer_field'), target, now);
  t.deepEqual(both.facts.tagIds, [target.tagId]);
  t.is(both.facts.customer?.email, 'ada@example.com');
  t.is(both.facts.customer?.name, 'Ada');
  // Only what the rules need is read.
  const none = await loadFactsAtVersion(pool, needs(), target, now);
  t.is(none.facts.tagIds, null);
  t.is(none.facts.customer, null);
});

test('a rule change moves the version the read returns, so rules held from an earlier event are seen as stale', async (t) => {
  const { pool } = t.context;
  const target = await setup(pool, null);
  const cache = new RuleCache(pool);
  t.is(cache.peek(target.accountId), undefined);
  const before = await cache.get(target.accountId);
  t.is(before.version, 0);
  t.is(cache.peek(target.accountId)?.version, 0);
  await createRule(pool, target.accountId, {
    name: 'vip',
    enabled: true,
    position: 0,
    trigger: { type: 'message_created', author: 'customer' },
    conditions: [{ type: 'tag', tag_id: target.tagId, present: true }],
    actions: [{ type: 'set_priority', priority: 'priority' }],
  });
  const read = await loadFactsAtVersion(pool, before.rules, target, Date.now());
  t.is(read.version, await getAutomationVersion(pool, target.accountId));
  t.not(read.version, cache.peek(target.accountId)?.version);
  const after = await cache.get(target.accountId);
  t.is(after.version, read.version);
  t.is(after.rules.length, 1);
  // A customer without the field: no customer facts, tags read as an empty list.
  const facts = (await loadFactsAtVersion(pool, after.rules, target, Date.now())).facts;
  t.deepEqual(facts.tagIds, []);
});

test('a tag_changed event naming its tag is judged on that tag as the change left it, not as read later', (t) => {
  const tagId = randomUUID();
  const other = randomUUID();
  const removed = {
    id: 'rule-1',
    trigger: { type: 'tag_changed' },
    conditions: [{ type: 'tag', tag_id: tagId, present: false }],
  } as unknown as AutomationRule;
  const conv = { inboxId: null, source: 'chat', status: 'open', priority: 'normal', assigneeId: null };
  const read = (tagIds: string[]) => ({ tagIds, customer: null, insideWorkingHours: null });
  const matches = (tag: { id: string; added: boolean } | undefined, tagIds: string[]) =>
    evaluateRule(removed, { type: 'tag_changed', ...(tag ? { tag } : {}) }, conv, read(tagIds)).matches;
  // The add of the tag, evaluated only after the tag was deleted: not a removal.
  t.false(matches({ id: tagId, added: true }, []));
  // Its removal, evaluated after the tag came back: a removal.
  t.true(matches({ id: tagId, added: false }, [tagId]));
  // A change of another tag, or one that does not say (older events): the tags as read.
  t.true(matches({ id: other, added: true }, [other]));
  t.false(matches({ id: other, added: false }, [tagId]));
  t.true(matches(undefined, []));
  t.false(matches(undefined, [tagId]));
});
