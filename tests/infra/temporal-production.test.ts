/**
 * The production Temporal server (infra/temporal-production.ts, docs/deploy.md): the real
 * server code on PostgreSQL with a chosen number of history shards and the Web UI, and a
 * conversation through the project's worker and gateway on it. Skipped only without Go (the
 * server is built from the Go module proxy once, then cached; the build takes minutes, longer
 * than a test may be silent: `npm run temporal -- --install --production` first, as CI does).
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import anyTest, { type TestFn } from 'ava';
import { isExecutableFile, waitFor } from '../../infra/ports.js';
import { TEMPORAL_CLI_VERSION, findGo, resolveTemporalBinary } from '../../infra/temporal.js';
import {
  TEMPORAL_SERVER_VERSION,
  TEMPORAL_UI_SERVER_VERSION,
  applyTemporalSchema,
  listTemporalTables,
  resolveTemporalServer,
  startTemporalProductionServer,
  temporalServerCacheDir,
  type TemporalProductionServer,
} from '../../infra/temporal-production.js';
import { SEARCH_ATTRIBUTES } from '../../temporal.config.js';
import { connectSocket, join, registerAccount, api, resendWhileUnavailable, type Api } from '../helpers/api.js';
import { testEnv, uniqueName } from '../helpers/env.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { capturingLogger, type Logged } from '../helpers/logs.js';

/** What the stack logged (shown when a request fails). */
const logged: Logged[] = [];

type Context = { server: TemporalProductionServer; stack: Stack; http: Api; database: string };
const test = anyTest as TestFn<Context>;
/** Not the default 4, so that the setting is what is measured. */
const SHARDS = 3;

const canRun = findGo(process.env) !== undefined || isExecutableFile(path.join(temporalServerCacheDir(), 'temporal-server'));
const serial = canRun ? test.serial : test.serial.skip;
if (!canRun) console.log('temporal-production: skipped, no Go toolchain to build the Temporal server and none cached');

test.before(async (t) => {
  if (!canRun) return;
  const database = uniqueName('netia_tprod');
  const server = await startTemporalProductionServer({
    postgresUrl: testEnv().pgAdminUrl,
    database,
    shards: SHARDS,
    dropDatabasesOnStop: true,
    onLog: (line) => t.log(line),
  });
  // startStack connects its gateway and worker to the suite's Temporal; this file's is the production one.
  process.env.NETIA_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.NETIA_TEST_TEMPORAL_NAMESPACE = server.namespace;
  try {
    const stack = await startStack({ log: capturingLogger(logged) });
    t.context = { server, stack, http: api(stack.baseUrl), database };
  } catch (err) {
    await server.stop();
    throw err;
  }
});

test.after.always(async (t) => {
  await t.context.stack?.stop();
  await t.context.server?.stop();
});

serial('the production server is temporal-server on PostgreSQL with the requested history shards', async (t) => {
  const { server, database } = t.context;
  const exe = await readlink(`/proc/${server.pid}/exe`);
  t.is(path.basename(exe), 'temporal-server');

  // The cluster's own answer, through the gRPC API and through the CLI.
  const info = await t.context.stack.client.workflowService.getClusterInfo({});
  t.is(info.historyShardCount, SHARDS);
  t.is(info.persistenceStore, 'postgres12');
  t.regex(info.visibilityStore ?? '', /postgres12/);
  const cli = await resolveTemporalBinary({ allowBuild: false, allowDownload: false, onLog: () => undefined });
  const { stdout } = await promisify(execFile)(cli.path, ['operator', 'cluster', 'describe', '--address', server.address, '-o', 'json']);
  t.is((JSON.parse(stdout) as { historyShardCount: number }).historyShardCount, SHARDS);

  // Its state lives in the two PostgreSQL databases, one row per history shard.
  const tables = await listTemporalTables(testEnv().pgAdminUrl, database);
  for (const table of ['executions', 'history_node', 'shards', 'schema_version', 'namespaces']) t.true(tables.includes(table), table);
  t.true((await listTemporalTables(testEnv().pgAdminUrl, `${database}_visibility`)).includes('executions_visibility'));
  const shardRows = await waitFor(
    async () => {
      const { rows } = await queryCount(database, 'SELECT count(*)::int AS n FROM shards');
      return rows === SHARDS ? rows : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 200, what: `${SHARDS} rows in ${database}.shards` },
  );
  t.is(shardRows, SHARDS);

  // The Web UI answers for it.
  t.truthy(server.uiUrl);
  const page = await fetch(server.uiUrl!);
  t.is(page.status, 200);
  t.regex(await page.text(), /<html/i);
});

serial('a conversation runs through the worker and the gateway on the production server', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http, 'Production Temporal Co');
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const customerId = customer.body.data.id as string;
  // As a client does: a 503 (the new server's first workflow task can be slow under a full suite) is sent
  // again after its Retry-After, under the same Idempotency-Key.
  const keyed = api(stack.baseUrl, { 'idempotency-key': `production-${uniqueName('create')}` });
  // At most 24 sends: about 2 minutes at the deadline's Retry-After of 5 s.
  const created = await resendWhileUnavailable(
    () => keyed.post('/api/conversations', { conversation: { account_id: agent.accountId, customer_id: customerId } }),
    24,
  );
  // On a failure, say why: the answer and what the gateway logged.
  t.is(created.status, 201, `${JSON.stringify(created.body)} ${JSON.stringify(logged.slice(-5))}`);
  const conversationId = created.body.data.id as string;

  const agentSocket = connectSocket(stack.wsUrl, { token: agent.token });
  const customerSocket = connectSocket(stack.wsUrl, { account_id: agent.accountId, inbox_id: 'undefined' });
  try {
    const inbox = await join(agentSocket, `notification:${agent.accountId}`);
    const chat = await join(customerSocket, `conversation:${conversationId}`, { customer_id: customerId });
    const first = await chat.push('shout', { body: 'Hello from production', customer_id: customerId });
    t.is(first.seq, 1);
    await inbox.events.waitFor((e) => e.event === 'shout' && e.payload.id === first.id, 'shout at agent');
    const answer = await inbox.push('shout', { conversation_id: conversationId, body: 'Answered by the real server' });
    t.is(answer.seq, 2);
    await chat.events.waitFor((e) => e.event === 'shout' && e.payload.id === answer.id, 'agent reply at customer');
  } finally {
    agentSocket.disconnect();
    customerSocket.disconnect();
  }
  const read = await http.get(`/api/conversations/${conversationId}`, agent.token);
  t.deepEqual(
    read.body.data.messages.map((m: { seq: number; body: string }) => [m.seq, m.body]),
    [
      [1, 'Hello from production'],
      [2, 'Answered by the real server'],
    ],
  );

  // The conversation's workflow is in this server's SQL visibility, found by our search attribute.
  const query = `${SEARCH_ATTRIBUTES.account.name} = '${agent.accountId}'`;
  const found = await waitFor(
    async () => {
      const ids: string[] = [];
      for await (const wf of stack.client.workflow.list({ query })) ids.push(wf.workflowId);
      return ids.length > 0 ? ids : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250, what: `a workflow with ${query}` },
  );
  t.true(found.length >= 1);
});

async function queryCount(database: string, sql: string): Promise<{ rows: number }> {
  const pg = (await import('pg')).default;
  const url = new URL(testEnv().pgAdminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(sql);
    return { rows: rows[0]?.n ?? 0 };
  } finally {
    await client.end();
  }
}

/** The CLI's go.mod in the Go module cache, present when the CLI was built here. */
const cliGoMod = ((): string | undefined => {
  const go = findGo(process.env);
  if (!go) return undefined;
  const file = path.join(
    execFileSync(go, ['env', 'GOMODCACHE'], { encoding: 'utf8' }).trim(),
    'github.com',
    'temporalio',
    `cli@v${TEMPORAL_CLI_VERSION}`,
    'go.mod',
  );
  return existsSync(file) ? file : undefined;
})();

(cliGoMod ? test : test.skip)('the server and UI versions are the ones the pinned CLI is built from', async (t) => {
  const goMod = await readFile(cliGoMod!, 'utf8');
  t.regex(goMod, new RegExp(`\\sgo\\.temporal\\.io/server v${TEMPORAL_SERVER_VERSION.replace(/\./g, '\\.')}\\s`));
  t.regex(goMod, new RegExp(`\\sgithub\\.com/temporalio/ui-server/v2 v${TEMPORAL_UI_SERVER_VERSION.replace(/\./g, '\\.')}\\s`));
});

serial('applying the schemas again changes nothing: they stay at the latest version', async (t) => {
  const { database } = t.context;
  const { sqlTool } = await resolveTemporalServer({ withUi: false, onLog: () => undefined });
  const versions = async (): Promise<string[]> => [await schemaVersion(database), await schemaVersion(`${database}_visibility`)];
  const before = await versions();
  t.deepEqual(before, ['1.18', '1.9']);
  await applyTemporalSchema(sqlTool, testEnv().pgAdminUrl, database, 'postgresql/v12/temporal', () => undefined);
  await applyTemporalSchema(sqlTool, testEnv().pgAdminUrl, `${database}_visibility`, 'postgresql/v12/visibility', () => undefined);
  t.deepEqual(await versions(), before);
});

serial('a database keeps the shard count it was created with: asking for another fails naming both', async (t) => {
  const database = uniqueName('netia_tshards');
  const postgresUrl = testEnv().pgAdminUrl;
  const first = await startTemporalProductionServer({ postgresUrl, database, shards: 2, headless: true, onLog: () => undefined });
  await first.stop();
  try {
    await t.throwsAsync(startTemporalProductionServer({ postgresUrl, database, shards: 5, headless: true, onLog: () => undefined }), {
      message: new RegExp(`${database} was created with 2 history shards`),
    });
    // The same count starts again on the same data.
    const again = await startTemporalProductionServer({
      postgresUrl,
      database,
      shards: 2,
      headless: true,
      dropDatabasesOnStop: true,
      onLog: () => undefined,
    });
    t.is(again.shards, 2);
    await again.stop();
  } finally {
    const { rows } = await queryCount('postgres', `SELECT count(*)::int AS n FROM pg_database WHERE datname LIKE '${database}%'`);
    if (rows > 0) {
      const pg = (await import('pg')).default;
      const admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
      for (const name of [database, `${database}_visibility`]) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  }
});

async function schemaVersion(database: string): Promise<string> {
  const pg = (await import('pg')).default;
  const url = new URL(testEnv().pgAdminUrl);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ curr_version: string }>('SELECT curr_version FROM schema_version');
    return rows[0]?.curr_version ?? '';
  } finally {
    await client.end();
  }
}
