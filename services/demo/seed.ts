/**
 * @module services/demo/seed
 * The demo tenant `npm start` creates on first run: an account, an admin agent
 * and the primary inbox. Idempotent: a restart finds it and creates nothing.
 */
import { randomBytes } from 'node:crypto';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { registerAccount } from '../accounts/index.js';

export const DEMO_EMAIL = 'demo@netia.local';

export interface DemoSeed {
  accountId: string;
  inboxId: string | null;
  email: string;
  /** Only when the account was created by this call: the password is shown once and never stored in clear. */
  password: string | undefined;
}

const ZExisting = z.object({ account_id: z.string(), inbox_id: z.string().nullable() });

export async function ensureDemoAccount(pool: DatabasePool): Promise<DemoSeed> {
  const existing = await pool.maybeOne(sql.type(ZExisting)`
    SELECT u.account_id, i.id AS inbox_id FROM users u
    LEFT JOIN inboxes i ON i.account_id = u.account_id AND i.is_primary
    WHERE lower(u.email) = ${DEMO_EMAIL}`);
  if (existing) return { accountId: existing.account_id, inboxId: existing.inbox_id, email: DEMO_EMAIL, password: undefined };
  const password = randomBytes(9).toString('base64url');
  const { account, inbox } = await registerAccount(pool, {
    email: DEMO_EMAIL,
    password,
    company_name: 'Netia Demo',
    full_name: 'Demo Admin',
  });
  return { accountId: account.id, inboxId: inbox.id, email: DEMO_EMAIL, password };
}
