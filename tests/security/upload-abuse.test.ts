/**
 * Abuse budgets of `POST /api/upload` (issue #13, hole 6a), attacked through a
 * running gateway:
 * - a browser page on an origin outside the account's `allowed_origins` cannot
 *   upload for it (403, nothing stored); agents are exempt;
 * - an account cannot store more than `FILES_ACCOUNT_QUOTA_BYTES` (413, nothing stored);
 * - stalled uploads cannot pile up: more than `FILES_UPLOADS_PER_IP` per client
 *   IP, or `FILES_UPLOADS_PER_NODE` in all, in progress at once → 429 with `retry-after`;
 * - a body larger than the route's limit is cut off: 413 and the connection
 *   closed, without waiting for (or reading) the rest of it.
 * Client IPs other than 127.0.0.1 are `X-Forwarded-For` values (127.0.0.1 is a
 * trusted proxy here): header values only, no traffic leaves the loopback.
 */
import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, withTimeout, type Api } from '../helpers/api.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { setAccount } from '../gateway/realtime-fixtures.js';

const UPLOAD_MAX_BYTES = 64 * 1024;
/** The route's body limit: the file plus 64 KiB for the multipart envelope (gateway/routes/files.ts). */
const ROUTE_LIMIT = UPLOAD_MAX_BYTES + 64 * 1024;
const QUOTA = 10_000;
const UPLOAD_DIR = `.netia/test/uploads-security-${process.pid}`;

const test = anyTest as TestFn<{ stack: Stack; http: Api }>;

test.before(async (t) => {
  const stack = await startStack({
    worker: false,
    env: {
      UPLOAD_MAX_BYTES: String(UPLOAD_MAX_BYTES),
      UPLOAD_DIR,
      FILES_ACCOUNT_QUOTA_BYTES: String(QUOTA),
      FILES_UPLOADS_PER_IP: '2',
      FILES_UPLOADS_PER_NODE: '3',
      TRUSTED_PROXIES: '127.0.0.1,::1',
    },
  });
  t.context = { stack, http: api(stack.baseUrl) };
});
test.after.always(async (t) => {
  await t.context.stack?.stop();
});

async function upload(
  stack: Stack,
  fields: Record<string, string>,
  file: { name: string; type: string; data: Buffer },
  headers: Record<string, string> = {},
): Promise<{ status: number; body: any; headers: Headers }> {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

const txt = (bytes: number, name = 'a.txt') => ({ name, type: 'text/plain', data: Buffer.alloc(bytes, 97) });

async function storedFiles(stack: Stack, accountId: string): Promise<{ rows: number; bytes: number; onDisk: number }> {
  const row = await stack.pool.one(sql.type(z.object({ rows: z.number(), bytes: z.number() }))`
    SELECT count(*)::int AS rows, coalesce(sum(size_bytes), 0)::int AS bytes FROM files WHERE account_id = ${accountId}`);
  const onDisk = await readdir(path.resolve(UPLOAD_DIR, accountId)).then(
    (names) => names.length,
    () => 0,
  );
  return { ...row, onDisk };
}

/** A raw HTTP connection: what the server answered, whether it closed, and how much the client got to send. */
interface RawConnection {
  socket: net.Socket;
  received: () => string;
  closed: Promise<void>;
  isClosed: () => boolean;
}

function rawConnect(stack: Stack): Promise<RawConnection> {
  const { port } = new URL(stack.baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  let data = '';
  let isClosed = false;
  socket.on('data', (chunk: Buffer) => {
    data += chunk.toString('latin1');
  });
  socket.on('error', () => undefined); // EPIPE / ECONNRESET once the server closed: expected
  const closed = new Promise<void>((resolve) =>
    socket.on('close', () => {
      isClosed = true;
      resolve();
    }),
  );
  return withTimeout(
    new Promise<RawConnection>((resolve, reject) => {
      socket.once('connect', () => resolve({ socket, received: () => data, closed, isClosed: () => isClosed }));
      socket.once('error', reject);
    }),
    5000,
    'raw connect',
  );
}

const BOUNDARY = 'netia-security-boundary';

/** Request head of a multipart upload from `ip` (an X-Forwarded-For value), with or without a declared length. */
function uploadHead(opts: { ip: string; contentLength?: number; expectContinue?: boolean }): string {
  return [
    'POST /api/upload HTTP/1.1',
    'Host: 127.0.0.1',
    `Content-Type: multipart/form-data; boundary=${BOUNDARY}`,
    `X-Forwarded-For: ${opts.ip}`,
    ...(opts.expectContinue ? ['Expect: 100-continue'] : []),
    opts.contentLength === undefined ? 'Transfer-Encoding: chunked' : `Content-Length: ${opts.contentLength}`,
    '',
    '',
  ].join('\r\n');
}

/**
 * An upload that sends its head and the start of its body, then stalls (holds
 * its slot). It asks `Expect: 100-continue`: uWS answers that once the head was
 * routed, so the slot is known to be taken when this resolves.
 */
async function stalledUpload(stack: Stack, ip: string): Promise<RawConnection> {
  const conn = await rawConnect(stack);
  conn.socket.write(uploadHead({ ip, contentLength: 50_000, expectContinue: true }));
  await withTimeout(
    new Promise<void>((resolve) => {
      const check = (): void => {
        if (conn.received() === '') return;
        conn.socket.off('data', check);
        resolve();
      };
      conn.socket.on('data', check);
      check();
    }),
    5000,
    'the server reading the stalled upload',
  );
  if (!conn.received().startsWith('HTTP/1.1 100 Continue')) throw new Error(`stalled upload not admitted: ${conn.received()}`);
  conn.socket.write(`--${BOUNDARY}\r\n`);
  return conn;
}

/** Upload a 1-byte file from `ip` until the answer is `status` (bounded); returns that answer. */
async function uploadUntil(
  stack: Stack,
  accountId: string,
  ip: string,
  status: number,
): Promise<{ status: number; body: any; headers: Headers }> {
  let last: { status: number; body: any; headers: Headers } | undefined;
  for (let attempt = 0; attempt < 50; attempt++) {
    last = await upload(stack, { account_id: accountId }, txt(1), { 'x-forwarded-for': ip });
    if (last.status === status) return last;
    await new Promise((r) => setImmediate(r));
  }
  throw new Error(`upload never answered ${status}; last ${last?.status} ${JSON.stringify(last?.body)}`);
}

test.serial(
  'an upload from a browser origin outside the account allow-list is refused (403) and nothing is stored; agents are exempt',
  async (t) => {
    const { stack, http } = t.context;
    const agent = await registerAccount(http);
    await setAccount(stack, agent.accountId, { allowed_origins: ['https://shop.example'] });

    const evil = await upload(stack, { account_id: agent.accountId }, txt(10, 'evil.txt'), { origin: 'https://evil.example' });
    t.is(evil.status, 403, JSON.stringify(evil.body));
    t.is(evil.body.error.message, 'Origin not allowed');
    t.deepEqual(await storedFiles(stack, agent.accountId), { rows: 0, bytes: 0, onDisk: 0 }, 'nothing stored');

    const shop = await upload(stack, { account_id: agent.accountId }, txt(10, 'shop.txt'), { origin: 'https://shop.example' });
    t.is(shop.status, 201, 'the allowed origin uploads');
    const noOrigin = await upload(stack, { account_id: agent.accountId }, txt(10, 'server.txt'));
    t.is(noOrigin.status, 201, 'no Origin: not a browser page, the list does not apply');
    const asAgent = await upload(stack, {}, txt(10, 'agent.txt'), { origin: 'https://evil.example', authorization: agent.token });
    t.is(asAgent.status, 201, 'agents are exempt');
  },
);

test.serial("uploads past the account's storage quota are refused (413) and nothing is stored", async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const other = await registerAccount(http);
  const first = await upload(stack, { account_id: agent.accountId }, txt(6000, 'one.txt'));
  t.is(first.status, 201);

  const over = await upload(stack, { account_id: agent.accountId }, txt(6000, 'two.txt'));
  t.is(over.status, 413, JSON.stringify(over.body));
  t.regex(over.body.error.message, /quota/);
  t.deepEqual(await storedFiles(stack, agent.accountId), { rows: 1, bytes: 6000, onDisk: 1 }, 'only the first file is stored');
  const byAgent = await upload(stack, {}, txt(6000, 'three.txt'), { authorization: agent.token });
  t.is(byAgent.status, 413, 'the quota is the account’s, whoever uploads');

  t.is((await upload(stack, { account_id: agent.accountId }, txt(QUOTA - 6000, 'fits.txt'))).status, 201, 'up to the quota exactly');
  t.is((await upload(stack, { account_id: other.accountId }, txt(6000, 'other.txt'))).status, 201, 'another account has its own quota');

  // Concurrent uploads cannot overshoot it together.
  const fresh = await registerAccount(http);
  const results = await Promise.all(
    [1, 2, 3].map((i) => upload(stack, { account_id: fresh.accountId }, txt(4000, `c${i}.txt`), { 'x-forwarded-for': `198.51.100.${i}` })),
  );
  t.deepEqual(results.map((r) => r.status).sort(), [201, 201, 413]);
  t.deepEqual(await storedFiles(stack, fresh.accountId), { rows: 2, bytes: 8000, onDisk: 2 });
});

test.serial(
  'more concurrent uploads than allowed per IP or per node are refused with 429 and retry-after, before their body is read',
  async (t) => {
    const { stack, http } = t.context;
    const agent = await registerAccount(http);
    const held: RawConnection[] = [];
    try {
      // Two stalled uploads from one IP hold its two slots.
      held.push(await stalledUpload(stack, '203.0.113.10'), await stalledUpload(stack, '203.0.113.10'));
      const refused = await uploadUntil(stack, agent.accountId, '203.0.113.10', 429);
      t.is(refused.body.error.status, 429);
      t.regex(refused.headers.get('retry-after') ?? '', /^\d+$/);
      t.is(
        (await upload(stack, { account_id: agent.accountId }, txt(1), { 'x-forwarded-for': '203.0.113.11' })).status,
        201,
        'another IP still uploads',
      );

      // A third stalled upload (another IP) fills the node's three slots: everyone waits.
      held.push(await stalledUpload(stack, '203.0.113.12'));
      const busy = await uploadUntil(stack, agent.accountId, '203.0.113.13', 429);
      t.regex(busy.headers.get('retry-after') ?? '', /^\d+$/);
    } finally {
      for (const conn of held) conn.socket.destroy();
    }
    // The slots come back when the stalled clients go away.
    t.is((await uploadUntil(stack, agent.accountId, '203.0.113.10', 201)).status, 201);
  },
);

test.serial(
  'a declared body twice the limit is answered 413 and the connection closed at once, without waiting for the body',
  async (t) => {
    const { stack } = t.context;
    const conn = await rawConnect(stack);
    conn.socket.write(uploadHead({ ip: '203.0.113.20', contentLength: 2 * ROUTE_LIMIT }));
    // Nothing of the body is sent: the server must neither wait for it nor keep the connection.
    await withTimeout(conn.closed, 5000, 'the server closing the connection');
    t.regex(conn.received(), /^HTTP\/1\.1 413 /);
    t.regex(conn.received(), /Request body is larger than \d+ bytes/);
  },
);

test.serial(
  'an endless (chunked) body is cut off at the limit: 413 and the connection closed long before the client is done',
  async (t) => {
    const { stack } = t.context;
    const conn = await rawConnect(stack);
    conn.socket.write(uploadHead({ ip: '203.0.113.21' }));
    // Far more than the limit and than any socket buffer: a server that reads it all lets the client send it all.
    const total = 512 * ROUTE_LIMIT;
    const chunk = Buffer.concat([Buffer.from(`${(16 * 1024).toString(16)}\r\n`), Buffer.alloc(16 * 1024, 97), Buffer.from('\r\n')]);
    let sent = 0;
    while (sent < total && !conn.isClosed()) {
      const flushed = await new Promise<boolean>((resolve) => conn.socket.write(chunk, (err) => resolve(!err)));
      if (!flushed) break;
      sent += chunk.length;
    }
    await withTimeout(conn.closed, 5000, 'the server closing the connection');
    t.true(sent < total / 4, `the client got to send ${sent} of ${total} bytes before the server closed`);
    const answer = conn.received();
    // The answer may be lost to the reset when the kernel drops it with the unread body; when it arrives it is a 413.
    if (answer !== '') t.regex(answer, /^HTTP\/1\.1 413 /);
  },
);
