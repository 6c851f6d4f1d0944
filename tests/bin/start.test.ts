/**
 * `npm start` as a user runs it: embedded PostgreSQL and a Temporal dev server
 * with a persistent SQLite file, migrations, the demo account (credentials
 * printed once), worker and gateway in one process; `GET /api/ping` answers;
 * Ctrl-C stops every child; a restart keeps the data and creates nothing twice.
 * It says it runs in development mode, and without SECRET_KEY_BASE generates one
 * ONCE into its data folder (mode 0600) and reuses it: a share link signed
 * before a restart still opens after it.
 */
import { spawn } from 'node:child_process';
import { chmod, mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import test from 'ava';
import { findFreePort } from '../../infra/ports.js';
import { api } from '../helpers/api.js';
import { withTimeout } from '../helpers/phoenix-client.js';

const root = path.resolve(import.meta.dirname, '../..');

interface Started {
  output: () => string;
  ready: Promise<number>;
  stop: () => Promise<number | null>;
  pid: number;
}

function start(env: Record<string, string>): Started {
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bin', 'start.ts')], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const ready = new Promise<number>((resolve, reject) => {
    const onData = (b: Buffer): void => {
      out += b.toString();
      if (out.includes('Press Ctrl-C to stop.')) resolve(Date.now() - started);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`npm start exited early (${code}):\n${out}`)));
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    output: () => out,
    ready: withTimeout(ready, 120_000, 'npm start ready'),
    pid: child.pid!,
    stop: async () => {
      child.kill('SIGINT');
      return withTimeout(exited, 30_000, 'npm start to stop after SIGINT');
    },
  };
}

function childrenOf(pid: number): Promise<string> {
  return new Promise((resolve) => {
    const ps = spawn('ps', ['-o', 'pid=,args=', '--ppid', String(pid)]);
    let s = '';
    ps.stdout.on('data', (b: Buffer) => (s += b.toString()));
    ps.on('exit', () => resolve(s.trim()));
  });
}

test('npm start brings up the product, keeps data across restarts and stops cleanly on Ctrl-C', async (t) => {
  const dataDir = path.join(root, '.netia', 'test', `start-${process.pid}`);
  await rm(dataDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  // The embedded PostgreSQL runs as the `postgres` user when we are root: it must reach the folder.
  await chmod(dataDir, 0o755);
  const [port, pgPort, temporalPort, uiPort] = await Promise.all([findFreePort(), findFreePort(), findFreePort(), findFreePort()]);
  const env = {
    NETIA_DATA_DIR: dataDir,
    PORT: String(port),
    EMBEDDED_POSTGRES_PORT: String(pgPort),
    TEMPORAL_DEV_PORT: String(temporalPort),
    TEMPORAL_UI_PORT: String(uiPort),
  };
  const http = api(`http://127.0.0.1:${port}`);
  const running: Started[] = [];
  try {
    const first = start(env);
    running.push(first);
    const readyMs = await first.ready;
    t.log(`first start: ready in ${readyMs} ms (includes embedded PostgreSQL initdb)`);
    const ping = await http.get('/api/ping?x=1');
    t.is(ping.status, 200);
    t.deepEqual(ping.body, { data: { message: 'Pong!', params: { x: '1' } } });
    const out = first.output();
    t.regex(out, new RegExp(`Console:\\s+http://127\\.0\\.0\\.1:${port}/`));
    t.regex(out, /Demo page:\s+http:\/\/\S+\/demo\?account_id=[0-9a-f-]{36}/);
    t.regex(out, new RegExp(`Temporal UI:\\s+http://127\\.0\\.0\\.1:${uiPort}`));
    const password = /Demo password: (\S+)\s+<- shown once/.exec(out)?.[1];
    t.truthy(password, 'the demo password is printed on first start');
    const login = await http.post('/api/session', { user: { email: 'demo@netia.local', password } });
    t.is(login.status, 200);
    const accountId = login.body.data.account_id as string;
    const customer = await http.post('/api/customers', { customer: { account_id: accountId } });
    const conv = await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customer.body.data.id },
      message: { body: 'persist me' },
    });
    t.is(conv.status, 201);
    const console1 = await fetch(`http://127.0.0.1:${port}/`);
    t.regex(await console1.text(), /Netia/);
    t.regex(out, /Mode:\s+development/, 'npm start says it runs in development mode');
    t.regex(out, /Secret key:\s+generated /);
    const secretFile = path.join(dataDir, 'secret_key_base');
    t.is((await stat(secretFile)).mode & 0o777, 0o600, 'the generated key is readable by its owner only');
    const secret = await readFile(secretFile, 'utf8');
    t.true(secret.trim().length >= 64);
    const share = await http.post(`/api/conversations/${conv.body.data.id}/share`, undefined, login.body.data.token);
    t.is(share.status, 200);
    const sharedPath = `/api/conversations/shared?conversation_id=${conv.body.data.id}&token=${encodeURIComponent(share.body.data.token)}`;
    t.is((await http.get(sharedPath)).status, 200);

    const kids = await childrenOf(first.pid);
    t.regex(kids, /temporal/, 'Temporal dev server is a child');
    t.is(await first.stop(), 0);
    t.is(await childrenOf(first.pid), '', 'no child left after Ctrl-C');

    const second = start(env);
    running.push(second);
    const secondMs = await second.ready;
    t.log(`restart: ready in ${secondMs} ms`);
    t.notRegex(second.output(), /<- shown once/, 'the demo account is not created twice');
    t.regex(second.output(), /Secret key:\s+reused /);
    t.is(await readFile(secretFile, 'utf8'), secret, 'the key is generated once and reused');
    t.is((await http.get(sharedPath)).status, 200, 'a link signed before the restart still verifies (same key)');
    const login2 = await http.post('/api/session', { user: { email: 'demo@netia.local', password } });
    t.is(login2.status, 200);
    t.is(login2.body.data.account_id, accountId);
    const read = await http.get(`/api/conversations/${conv.body.data.id}`, login2.body.data.token);
    t.is(read.status, 200);
    t.deepEqual(read.body.data.messages.map((m: { body: string }) => m.body), ['persist me']);
    // The conversation's workflow survived the restart (persistent Temporal SQLite file): it takes new messages.
    const socketless = await http.post('/api/conversations', {
      conversation: { account_id: accountId, customer_id: customer.body.data.id },
      message: { body: 'after restart' },
    });
    t.is(socketless.status, 201);
    t.is(await second.stop(), 0);
  } finally {
    // A failed assertion must not leave `npm start` (and its Temporal and PostgreSQL) running.
    await Promise.allSettled(running.map((r) => r.stop()));
    await rm(dataDir, { recursive: true, force: true });
  }
});
