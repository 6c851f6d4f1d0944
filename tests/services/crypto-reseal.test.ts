/**
 * The one-shot re-seal of integration secrets stored in the integrations'
 * retired box framing (`v1.<iv>.<tag>.<ciphertext>`), against real
 * PostgreSQL: through the service function and through `npm run migrate`.
 */
import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import anyTest from 'ava';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import type { Secret } from '../../services/config/secret.js';
import {
  integrationSecret,
  loadIntegrationSettings,
  resealIntegrationSecrets,
  sealIntegrationSecret,
} from '../../services/integrations/index.js';
import { withDatabasePool } from '../helpers/db-test.js';

const test = withDatabasePool(anyTest);
const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');

const ENCRYPTION_SECRET = 'reseal-test-encryption-key-0123456789abcdef';
const key = loadIntegrationSettings({ NODE_ENV: 'test', NETIA_ENCRYPTION_KEY: ENCRYPTION_SECRET }).encryptionKey;
const otherKey = loadIntegrationSettings({
  NODE_ENV: 'test',
  NETIA_ENCRYPTION_KEY: 'some-other-encryption-key-0123456789abcdef',
}).encryptionKey;

/** The retired services/integrations/crypto.ts `sealSecret`, kept verbatim as the fixture of old rows. */
function sealSecretTheOldWay(secret: Secret, value: Record<string, unknown>): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(secret.reveal(), 'hex'), iv);
  const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), data.toString('base64url')].join('.');
}

const ZBox = z.object({ id: z.string(), secret_box: z.string() });

async function insertIntegration(pool: DatabasePool, provider: 'slack' | 'twilio', box: string): Promise<string> {
  const accountId = await pool.oneFirst(
    sql.type(z.object({ id: z.string() }))`INSERT INTO accounts (company_name) VALUES ('Re-seal Co') RETURNING id::text AS id`,
  );
  return pool.oneFirst(sql.type(z.object({ id: z.string() }))`
    INSERT INTO integrations (account_id, provider, external_id, secret_box)
    VALUES (${accountId}, ${provider}, ${`ext-${randomBytes(4).toString('hex')}`}, ${box}) RETURNING id::text AS id`);
}

async function boxesOf(pool: DatabasePool, ids: string[]): Promise<Record<string, string>> {
  const rows = await pool.any(sql.type(ZBox)`
    SELECT id::text AS id, secret_box FROM integrations WHERE id = ANY(${sql.array(ids, 'uuid')})`);
  return Object.fromEntries(rows.map((r) => [r.id, r.secret_box]));
}

async function seedRows(pool: DatabasePool) {
  const slack = { access_token: 'xoxb-old-format', bot_user_id: 'U1' };
  const twilio = { auth_token: 'twilio-old-format' };
  const current = { access_token: 'xoxb-current-format' };
  const ids = {
    slack: await insertIntegration(pool, 'slack', sealSecretTheOldWay(key, slack)),
    twilio: await insertIntegration(pool, 'twilio', sealSecretTheOldWay(key, twilio)),
    current: await insertIntegration(pool, 'slack', sealIntegrationSecret(key, current)),
    wrongKey: await insertIntegration(pool, 'twilio', sealSecretTheOldWay(otherKey, { auth_token: 'unreadable' })),
  };
  return { ids, plaintexts: { slack, twilio, current } };
}

test.serial(
  'old-format integration secrets are re-sealed in the current format with the same plaintext; a second run changes nothing',
  async (t) => {
    const { pool } = t.context;
    const { ids, plaintexts } = await seedRows(pool);
    const all = Object.values(ids);
    const before = await boxesOf(pool, all);

    const [first] = await resealIntegrationSecrets(pool, key);
    t.is(first?.column, 'integrations.secret_box');
    t.true((first?.resealed ?? 0) >= 2, 'both old rows of this test were re-sealed');
    t.deepEqual(
      first?.failed.filter((f) => all.includes(f.id)).map((f) => f.id),
      [ids.wrongKey],
      'the box sealed with another key is reported',
    );
    t.regex(first?.failed.find((f) => f.id === ids.wrongKey)?.error ?? '', /cannot decrypt/);

    const after = await boxesOf(pool, all);
    for (const name of ['slack', 'twilio'] as const) {
      const box = after[ids[name]]!;
      t.regex(box, /^v1:[\w-]+:[\w-]+:[\w-]+$/, `${name} is in the current format`);
      t.deepEqual(integrationSecret(key, { secret_box: box }), plaintexts[name], `${name} opens to the same secret`);
    }
    t.is(after[ids.current], before[ids.current], 'a current-format box is not touched');
    t.is(after[ids.wrongKey], before[ids.wrongKey], 'the unreadable box is left as it was, not dropped');

    const [second] = await resealIntegrationSecrets(pool, key);
    t.is(second?.resealed, 0);
    t.deepEqual(
      second?.failed.filter((f) => all.includes(f.id)).map((f) => f.id),
      [ids.wrongKey],
    );
    t.deepEqual(await boxesOf(pool, all), after, 'the second run changed nothing');
  },
);

test.serial('npm run migrate re-seals old-format secrets with the configured key and exits 1 naming a row it cannot open', async (t) => {
  const { pool, url } = t.context;
  const { ids, plaintexts } = await seedRows(pool);
  const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: url, NETIA_ENCRYPTION_KEY: ENCRYPTION_SECRET };
  const failed = await t.throwsAsync(run(process.execPath, ['--import', 'tsx', 'bin/migrate.ts'], { env, cwd: ROOT }));
  const output = failed as Error & { code?: number; stdout?: string; stderr?: string };
  t.is(output.code, 1, output.stderr);
  t.regex(output.stdout ?? '', /re-sealed \d+ value\(s\) of integrations\.secret_box/);
  t.true((output.stderr ?? '').includes(`row ${ids.wrongKey}`), output.stderr);

  const after = await boxesOf(pool, Object.values(ids));
  t.deepEqual(integrationSecret(key, { secret_box: after[ids.slack]! }), plaintexts.slack);
  t.deepEqual(integrationSecret(key, { secret_box: after[ids.twilio]! }), plaintexts.twilio);
  t.regex(after[ids.slack]!, /^v1:/);

  // What is left in the old format is what could not be opened (this test's row, and the previous test's).
  const left = await pool.anyFirst(sql.type(z.object({ id: z.string() }))`
    DELETE FROM integrations WHERE secret_box LIKE 'v1.%' RETURNING id::text AS id`);
  t.true(left.includes(ids.wrongKey));
  const clean = await run(process.execPath, ['--import', 'tsx', 'bin/migrate.ts'], { env, cwd: ROOT });
  t.notRegex(clean.stdout, /re-sealed/, 'nothing left to re-seal');
  t.deepEqual(await boxesOf(pool, [ids.slack, ids.twilio]), { [ids.slack]: after[ids.slack], [ids.twilio]: after[ids.twilio] });
});
