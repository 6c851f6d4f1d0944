/**
 * Round-robin choice and candidate loads for automatic assignment.
 */
import anyTest from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { getAutoAssignSettings, listCandidates, pickRoundRobin } from '../../services/assignment/index.js';
import { withDatabasePool } from '../helpers/db-test.js';

const test = withDatabasePool(anyTest);

const c = (userId: number, openAssigned = 0) => ({ userId, openAssigned });

test('round-robin starts with the lowest id and wraps around', (t) => {
  const all = [c(7), c(3), c(5)];
  t.is(pickRoundRobin(all, null, 0), 3);
  t.is(pickRoundRobin(all, 3, 0), 5);
  t.is(pickRoundRobin(all, 5, 0), 7);
  t.is(pickRoundRobin(all, 7, 0), 3);
  t.is(pickRoundRobin(all, 4, 0), 5, 'a last agent who went offline is skipped past');
});

test('agents at the cap are skipped; nobody under the cap gives null', (t) => {
  t.is(pickRoundRobin([c(1, 2), c(2, 0), c(3, 1)], null, 2), 2);
  t.is(pickRoundRobin([c(1, 2), c(2, 2)], null, 2), null);
  t.is(pickRoundRobin([c(1, 50)], 1, 0), 1, 'cap 0 means no cap');
  t.is(pickRoundRobin([], null, 0), null);
});

test('candidates are the enabled agents of the account with their open load', async (t) => {
  const { pool } = t.context;
  const Z = z.object({ id: z.string() });
  const account = (await pool.one(sql.type(Z)`INSERT INTO accounts (company_name) VALUES ('A') RETURNING id`)).id;
  const other = (await pool.one(sql.type(Z)`INSERT INTO accounts (company_name) VALUES ('B') RETURNING id`)).id;
  const inbox = (
    await pool.one(sql.type(Z)`
    INSERT INTO inboxes (account_id, name, is_primary, auto_assign, auto_assign_max_open) VALUES (${account}, 'Primary', true, true, 2) RETURNING id::text`)
  ).id;
  const ZU = z.object({ id: z.number() });
  const mk = async (acc: string, email: string, disabled = false) =>
    (
      await pool.one(sql.type(ZU)`INSERT INTO users (email, password_hash, account_id, disabled_at)
      VALUES (${email}, 'x', ${acc}, ${disabled ? sql.fragment`now()` : null}) RETURNING id`)
    ).id;
  const u1 = await mk(account, 'u1@a.test');
  const u2 = await mk(account, 'u2@a.test');
  const off = await mk(account, 'off@a.test', true);
  const foreign = await mk(other, 'x@b.test');
  const customer = (await pool.one(sql.type(Z)`INSERT INTO customers (account_id) VALUES (${account}) RETURNING id`)).id;
  for (const [status, assignee] of [
    ['open', u1],
    ['snoozed', u1],
    ['closed', u1],
    ['open', u2],
  ] as const) {
    await pool.query(sql.type(z.object({}).passthrough())`
      INSERT INTO conversations (id, account_id, customer_id, inbox_id, status, assignee_id)
      VALUES (gen_random_uuid(), ${account}, ${customer}, ${inbox}, ${status}, ${assignee})`);
  }
  const candidates = await listCandidates(pool, account, [u1, u2, off, foreign]);
  t.deepEqual(candidates, [
    { userId: u1, openAssigned: 2 },
    { userId: u2, openAssigned: 1 },
  ]);
  t.deepEqual(await getAutoAssignSettings(pool, account, inbox), { enabled: true, maxOpenPerAgent: 2 });
  t.deepEqual(await getAutoAssignSettings(pool, other, inbox), { enabled: false, maxOpenPerAgent: 0 }, 'another account never reads it');
  t.is(pickRoundRobin(candidates, null, 2), u2, 'u1 is at the cap');
});
