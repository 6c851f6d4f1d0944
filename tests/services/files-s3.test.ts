/**
 * File storage in a real S3-compatible server (MinIO, tests/helpers/minio.ts)
 * through `@aws-sdk/client-s3`: uploads from the console and the widget land in
 * the bucket, `file_url` redirects to a presigned URL that downloads the same
 * bytes, presigned URLs expire, limits are enforced before anything is stored,
 * and files stored locally before the switch stay readable.
 */
import { randomUUID } from 'node:crypto';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import anyTest, { type TestFn } from 'ava';
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount, type Api } from '../helpers/api.js';
import { findMinio, MINIO_MISSING, startMinio, type Minio } from '../helpers/minio.js';
import { startStack, type Stack } from '../helpers/stack.js';
import { createFileStorage, createLocalStore, createS3Client, presignFileUrl } from '../../services/files/index.js';

const minioBin = findMinio();
const test = (minioBin ? anyTest : anyTest.skip) as TestFn<{
  stack: Stack;
  http: Api;
  minio: Minio;
  bucket: string;
  s3: S3Client;
  uploadDir: string;
}>;
if (!minioBin) console.warn(`\n[files-s3] ${MINIO_MISSING}\n`);

test.before(async (t) => {
  const minio = await startMinio(minioBin!);
  const bucket = `netia-${randomUUID().slice(0, 8)}`;
  await minio.createBucket(bucket);
  const uploadDir = `.netia/test/uploads-s3-${process.pid}`;
  const stack = await startStack({
    worker: false,
    env: {
      UPLOAD_MAX_BYTES: '4096',
      UPLOAD_DIR: uploadDir,
      FILES_STORAGE: 's3',
      S3_BUCKET: bucket,
      S3_ENDPOINT: minio.endpoint,
      S3_REGION: 'us-east-1',
      S3_ACCESS_KEY_ID: minio.accessKeyId,
      S3_SECRET_ACCESS_KEY: minio.secretAccessKey,
      FILES_URL_EXPIRES_SECONDS: '60',
    },
  });
  t.context = { stack, http: api(stack.baseUrl), minio, bucket, s3: createS3Client(minio.settings(bucket)), uploadDir };
});
test.after.always(async (t) => {
  t.context.s3?.destroy();
  await t.context.stack?.stop();
  await t.context.minio?.stop();
});

async function upload(stack: Stack, fields: Record<string, string>, file: { name: string; type: string; data: Buffer }, token?: string) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: token ? { authorization: token } : {} });
  return { status: res.status, body: await res.json() };
}

async function objectKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const res = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (res.Contents ?? []).map((o) => o.Key!);
}

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');

test('an upload lands in the bucket and its URL redirects to a presigned URL that downloads the same bytes', async (t) => {
  const { stack, http, s3, bucket } = t.context;
  const agent = await registerAccount(http);
  const up = await upload(stack, {}, { name: 'screen shot.png', type: 'image/png', data: PNG }, agent.token);
  t.is(up.status, 201, JSON.stringify(up.body));
  const id = up.body.data.id as string;

  const row = await stack.pool.one(
    sql.type(z.object({ storage: z.string(), storage_key: z.string() }))`SELECT storage, storage_key FROM files WHERE id = ${id}`,
  );
  t.is(row.storage, 's3');
  t.is(row.storage_key, `${agent.accountId}/${id}`);
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: row.storage_key }));
  t.is(head.ContentType, 'image/png');
  t.is(head.ContentLength, PNG.length);
  const stored = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: row.storage_key }));
  t.deepEqual(Buffer.from(await stored.Body!.transformToByteArray()), PNG, 'the object holds the uploaded bytes');

  const link = await fetch(stack.baseUrl + (up.body.data.file_url as string), { redirect: 'manual' });
  t.is(link.status, 302);
  t.is(link.headers.get('cache-control'), 'no-store');
  const signed = new URL(link.headers.get('location')!);
  t.is(signed.origin, t.context.minio.endpoint);
  t.is(signed.searchParams.get('X-Amz-Expires'), '60');
  t.truthy(signed.searchParams.get('X-Amz-Signature'));
  const download = await fetch(signed);
  t.is(download.status, 200);
  t.is(download.headers.get('content-type'), 'image/png');
  t.regex(download.headers.get('content-disposition') ?? '', /^inline; filename="screen shot.png"/);
  t.deepEqual(Buffer.from(await download.arrayBuffer()), PNG);

  // The widget uploads for its account and customer the same way.
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId } });
  const fromWidget = await upload(
    stack,
    { account_id: agent.accountId, customer_id: customer.body.data.id as string },
    { name: 'log.txt', type: 'text/plain', data: Buffer.from('widget bytes') },
  );
  t.is(fromWidget.status, 201);
  const followed = await fetch(stack.baseUrl + (fromWidget.body.data.file_url as string));
  t.is(followed.status, 200);
  t.is(await followed.text(), 'widget bytes');
  t.regex(followed.headers.get('content-disposition') ?? '', /^attachment; filename="log.txt"/, 'non-images download, never render');
  t.is((await objectKeys(s3, bucket, `${agent.accountId}/`)).length, 2);
});

test('oversize files and refused types are rejected before anything is stored', async (t) => {
  const { stack, http, s3, bucket } = t.context;
  const agent = await registerAccount(http);
  const big = await upload(stack, {}, { name: 'big.txt', type: 'text/plain', data: Buffer.alloc(4097, 97) }, agent.token);
  t.is(big.status, 422);
  t.regex(JSON.stringify(big.body), /larger than 4096 bytes/);
  const html = await upload(stack, {}, { name: 'x.html', type: 'text/html', data: Buffer.from('<script>alert(1)</script>') }, agent.token);
  t.is(html.status, 422);
  t.regex(JSON.stringify(html.body), /text\/html is not accepted/);
  const svg = await upload(stack, { account_id: agent.accountId }, { name: 'x.svg', type: 'image/svg+xml', data: Buffer.from('<svg/>') });
  t.is(svg.status, 422);
  t.deepEqual(await objectKeys(s3, bucket, `${agent.accountId}/`), [], 'nothing reached the bucket');
  const rows = await stack.pool.oneFirst(
    sql.type(z.object({ n: z.number() }))`SELECT count(*)::int AS n FROM files WHERE account_id = ${agent.accountId}`,
  );
  t.is(rows, 0);
});

test('a presigned URL stops working once it has expired', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const up = await upload(stack, {}, { name: 'a.txt', type: 'text/plain', data: Buffer.from('short-lived') }, agent.token);
  t.is(up.status, 201);
  const file = await stack.pool.one(sql.type(
    z.object({ storage: z.enum(['local', 's3']), storage_key: z.string(), filename: z.string(), content_type: z.string() }),
  )`
    SELECT storage, storage_key, filename, content_type FROM files WHERE id = ${up.body.data.id as string}`);
  const storage = createFileStorage({ dir: t.context.uploadDir, maxBytes: 4096, files: stack.config.files });
  const fresh = await presignFileUrl(storage, file, { inline: false });
  t.is((await fetch(fresh!)).status, 200);
  // Signed two minutes ago with a 60 s lifetime: S3 refuses it.
  const stale = await presignFileUrl(storage, file, { inline: false, signingDate: new Date(Date.now() - 120_000) });
  const refused = await fetch(stale!);
  t.is(refused.status, 403);
  t.regex(await refused.text(), /expired/i);
});

test('files stored in the local folder before switching to S3 stay readable', async (t) => {
  const { stack, http } = t.context;
  const agent = await registerAccount(http);
  const id = randomUUID();
  const key = `${agent.accountId}/${id}`;
  await createLocalStore(t.context.uploadDir).put(key, Buffer.from('from before'), { contentType: 'text/plain', filename: 'old.txt' });
  await stack.pool.query(sql.unsafe`
    INSERT INTO files (id, account_id, filename, content_type, size_bytes, storage_key, storage)
    VALUES (${id}, ${agent.accountId}, 'old.txt', 'text/plain', 11, ${key}, 'local')`);
  const res = await fetch(`${stack.baseUrl}/api/files/${id}/old.txt`, { redirect: 'manual' });
  t.is(res.status, 200, 'served by the gateway, not redirected');
  t.is(await res.text(), 'from before');
});
