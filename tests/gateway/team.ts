/**
 * Helpers for tests of the account-scoped families: a second (or third) agent in
 * an existing account, created directly in the database with a session token,
 * and a generic "another tenant must get 404 and change nothing" assertion.
 */
import type { ExecutionContext } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { hashPassword } from '../../services/auth/passwords.js';
import { issueSessionTokens } from '../../services/auth/tokens.js';
import type { Stack } from '../helpers/stack.js';

let counter = 0;

export interface Member {
  id: number;
  email: string;
  password: string;
  token: string;
  accountId: string;
}

/** A new enabled user of `accountId` with the given role and a fresh session token. */
export async function addMember(stack: Stack, accountId: string, role: 'user' | 'admin' = 'user'): Promise<Member> {
  counter++;
  const email = `member${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const password = 'member password 1';
  const id = await stack.pool.oneFirst(sql.type(z.object({ id: z.number() }))`
    INSERT INTO users (email, password_hash, account_id, role)
    VALUES (${email}, ${await hashPassword(password)}, ${accountId}, ${role}) RETURNING id`);
  const { token } = await issueSessionTokens(stack.pool, id, stack.config.auth);
  return { id, email, password, token, accountId };
}

export function assertStatus(t: ExecutionContext<unknown>, res: { status: number; body: any }, status: number, label: string): void {
  t.is(res.status, status, `${label}: ${JSON.stringify(res.body)}`);
  if (status >= 400) {
    t.is(res.body?.error?.status, status, `${label}: error.status`);
    t.is(typeof res.body?.error?.message, 'string', `${label}: error.message`);
  }
}
