/**
 * The typed client of clients/typescript: its generated types are those of the
 * committed docs/openapi.json (regenerated here in a temporary directory; the
 * test fails when clients/typescript/schema.d.ts is stale), and it works against
 * the real gateway with both credentials (session token, personal API key),
 * errors included. The `@ts-expect-error` lines make `npm run typecheck` fail
 * if a wrong path, body field or error field ever typechecks. The package (clients/typescript/package.json,
 * `@netia/client`) builds with its own script and a consumer imports it by name, through its `exports`.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OPENAPI_FILE, SCHEMA_FILE, renderSchema, writeSchema } from '../../../clients/typescript/generate.js';
import { createNetiaClient, type NetiaClient, type NetiaError } from '../../../clients/typescript/index.js';
import { api, registerAccount } from '../../helpers/api.js';
import type { Stack } from '../../helpers/stack.js';
import { sharedModuleTest } from '../../helpers/suite.js';

const test = sharedModuleTest<{ stack: Stack; email: string; password: string }>(import.meta.url, async ({ stack }) => {
  const agent = await registerAccount(api(stack.baseUrl), 'Typed Client Co');
  return { stack, email: agent.email, password: agent.password };
});

const run = promisify(execFile);

const STALE =
  'clients/typescript/schema.d.ts is stale: run `npm run build:client` (or regenerate everything with `NETIA_WRITE_API_DOCS=1 npm test -- tests/gateway/api-docs.test.ts`)';

test('the committed schema.d.ts is what openapi-typescript generates from docs/openapi.json', async (t) => {
  const dir = await mkdtemp(path.join(tmpdir(), 'netia-client-'));
  try {
    const out = path.join(dir, 'schema.d.ts');
    await writeSchema(OPENAPI_FILE, out);
    const fresh = await readFile(out, 'utf8');
    const committed = await readFile(SCHEMA_FILE, 'utf8').catch(() => '');
    t.is(committed, fresh, STALE);

    // The comparison sees a change of the document: one more route makes the committed file stale.
    const doc = JSON.parse(await readFile(OPENAPI_FILE, 'utf8'));
    doc.paths['/api/added_by_someone_else'] = {
      get: { operationId: 'getAddedBySomeoneElse', summary: 'A new route', responses: { '204': { description: 'No content' } } },
    };
    const changed = path.join(dir, 'openapi.json');
    await writeFile(changed, JSON.stringify(doc));
    await writeSchema(changed, out);
    const stale = await readFile(out, 'utf8');
    t.not(stale, committed);
    t.true(stale.includes('/api/added_by_someone_else'));
    t.is(await renderSchema(await readFile(OPENAPI_FILE, 'utf8')), fresh, 'rendering is deterministic');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

/** Type-level checks: never called, but compiled by `npm run typecheck` (tests/ is in tsconfig.json). */
const _typeChecks = async (netia: NetiaClient): Promise<void> => {
  // @ts-expect-error the login envelope is `user: { email, password }`, not `username`
  await netia.POST('/api/session', { body: { user: { username: 'a', password: 'b' } } });
  // @ts-expect-error a personal API key has a `label`, not a `name`
  await netia.POST('/api/personal_api_keys', { body: { name: 'CI' } });
  // @ts-expect-error no such path
  await netia.GET('/api/conversation');
  const { error } = await netia.GET('/api/v1/customers/{id}', { params: { path: { id: 'x' } } });
  // @ts-expect-error the error body is `{ error: { status, message, errors? } }`
  void error?.error.detail;
};

test('log in, list conversations, create a customer with an API key; a 4xx is a typed error', async (t) => {
  const { stack, email, password } = t.context;
  const anonymous = createNetiaClient({ baseUrl: `${stack.baseUrl}/` });
  const login = await anonymous.POST('/api/session', { body: { user: { email, password } } });
  t.is(login.response.status, 200);
  const token = login.data!.data.token;

  const seen: string[] = [];
  const agent = createNetiaClient({
    baseUrl: stack.baseUrl,
    token,
    fetch: (request) => {
      seen.push(request.headers.get('authorization') ?? '');
      return fetch(request);
    },
  });
  const me = await agent.GET('/api/me');
  t.is(me.data?.data.email, email);
  t.is(seen[0], token, 'the session token goes raw, as the original sends it');
  const list = await agent.GET('/api/conversations', { params: { query: { limit: 10 } } });
  t.is(list.response.status, 200);
  t.deepEqual(list.data?.data, []);
  t.is(list.data?.limit, 10);

  const created = await agent.POST('/api/personal_api_keys', { body: { label: 'typed client' } });
  t.is(created.response.status, 201);
  const key = created.data!.data.value;
  t.truthy(key);

  const v1 = createNetiaClient({
    baseUrl: stack.baseUrl,
    apiKey: key!,
    fetch: (request) => {
      seen.push(request.headers.get('authorization') ?? '');
      return fetch(request);
    },
  });
  const customer = await v1.POST('/api/v1/customers', { body: { customer: { name: 'Ada', email: 'ada@example.com' } } });
  t.is(customer.response.status, 201);
  t.is(customer.data?.data.name, 'Ada');
  t.is(seen.at(-1), `Bearer ${key}`, 'an API key goes as a bearer token');
  const fetched = await v1.GET('/api/v1/customers/{id}', { params: { path: { id: customer.data!.data.id } } });
  t.is(fetched.data?.data.email, 'ada@example.com');

  const invalid = await v1.POST('/api/v1/tags', { body: { tag: { name: ' ' } } });
  t.is(invalid.response.status, 422);
  t.is(invalid.data, undefined);
  const problem: NetiaError | undefined = invalid.error;
  t.is(problem?.error.status, 422);
  t.deepEqual(problem?.error.errors?.name, ["can't be blank"], JSON.stringify(problem));

  const missing = await v1.GET('/api/v1/customers/{id}', { params: { path: { id: '00000000-0000-4000-8000-000000000000' } } });
  t.is(missing.response.status, 404);
  t.is(missing.error?.error.message, 'Not found');

  const refused = await createNetiaClient({ baseUrl: stack.baseUrl, apiKey: token }).GET('/api/v1/customers');
  t.is(refused.response.status, 401, 'a session token is not an API key');
  t.is(refused.error?.error.status, 401);
  t.throws(() => createNetiaClient({ baseUrl: stack.baseUrl, token, apiKey: key! }), { message: /not both/ });
});

const ROOT = path.resolve(import.meta.dirname, '../../..');
const CLIENT_DIR = path.join(ROOT, 'clients/typescript');

/** Every file a package.json `exports` map points at (its nested conditions included). */
function exportTargets(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value && typeof value === 'object') return Object.values(value).flatMap(exportTargets);
  return [];
}

test('the @netia/client package builds with its own script and resolves through its exports, types included', async (t) => {
  const { stack, email, password } = t.context;
  const manifest = JSON.parse(await readFile(path.join(CLIENT_DIR, 'package.json'), 'utf8'));
  const root = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8'));
  t.like(manifest, { name: '@netia/client', type: 'module' });
  t.regex(manifest.version, /^\d+\.\d+\.\d+/);
  t.deepEqual(Object.keys(manifest.dependencies ?? {}), ['openapi-fetch'], 'openapi-fetch is its only dependency');
  t.is(manifest.dependencies['openapi-fetch'], root.dependencies['openapi-fetch'], 'the version the repository tests with');
  t.regex(root.scripts['build:client'], /generate\.ts && npm run build --prefix clients\/typescript$/, 'build:client builds the package');

  // The package as `npm pack` would see it: a copy of its sources, built with its own script.
  const dir = await mkdtemp(path.join(tmpdir(), 'netia-client-pkg-'));
  try {
    const pkg = path.join(dir, 'pkg');
    await mkdir(pkg);
    for (const file of ['package.json', 'index.ts', 'schema.d.ts']) await copyFile(path.join(CLIENT_DIR, file), path.join(pkg, file));
    await symlink(path.join(ROOT, 'node_modules'), path.join(pkg, 'node_modules'), 'dir');
    const env = { ...process.env, PATH: `${path.join(ROOT, 'node_modules/.bin')}${path.delimiter}${process.env.PATH ?? ''}` };
    await run('npm', ['run', '--silent', 'build'], { cwd: pkg, env });
    for (const file of manifest.files as string[]) t.true(existsSync(path.join(pkg, file)), `built ${file}`);
    const targets = [...exportTargets(manifest.exports), manifest.main, manifest.types];
    for (const target of targets) {
      t.true(existsSync(path.join(pkg, target)), `exports target ${target} exists`);
      t.true(
        (manifest.files as string[]).some((f) => path.normalize(target) === path.normalize(f) || target === './package.json'),
        `${target} is published ("files")`,
      );
    }

    // A consumer importing `@netia/client` by name: Node resolves it through `exports`, tsc through `types`.
    const consumer = path.join(dir, 'consumer');
    await mkdir(path.join(consumer, 'node_modules/@netia'), { recursive: true });
    await symlink(pkg, path.join(consumer, 'node_modules/@netia/client'), 'dir');
    await writeFile(path.join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', type: 'module', private: true }));
    const script = [
      "import { createNetiaClient } from '@netia/client';",
      'const netia = createNetiaClient({ baseUrl: process.argv[2] });',
      "const login = await netia.POST('/api/session', { body: { user: { email: process.argv[3], password: process.argv[4] } } });",
      'const agent = createNetiaClient({ baseUrl: process.argv[2], token: login.data.data.token });',
      "const me = await agent.GET('/api/me');",
      'process.stdout.write(JSON.stringify({ status: login.response.status, email: me.data.data.email }));',
    ].join('\n');
    await writeFile(path.join(consumer, 'main.mjs'), script);
    const { stdout } = await run(process.execPath, ['main.mjs', stack.baseUrl, email, password], { cwd: consumer, env });
    t.deepEqual(JSON.parse(stdout), { status: 200, email }, 'the built package works against the gateway');

    await writeFile(
      path.join(consumer, 'main.ts'),
      [
        "import { createNetiaClient, type NetiaClient } from '@netia/client';",
        "import type { paths } from '@netia/client/schema';",
        "export const netia: NetiaClient = createNetiaClient({ baseUrl: 'https://support.example.com', apiKey: 'k' });",
        "export type Me = paths['/api/me']['get'];",
        'export async function typed(): Promise<void> {',
        '  // @ts-expect-error no such path: the types came through the exports map, not `any`',
        "  await netia.GET('/api/conversation');",
        "  await netia.GET('/api/v1/customers/{id}', { params: { path: { id: 'x' } } });",
        '}',
      ].join('\n'),
    );
    const tsc = await run(
      'tsc',
      [
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--moduleResolution',
        'nodenext',
        '--target',
        'es2022',
        '--lib',
        'es2023,dom',
        'main.ts',
      ],
      { cwd: consumer, env },
    ).catch((err: { stdout?: string; message: string }) => ({ stdout: `${err.stdout ?? ''} ${err.message}`, failed: true }));
    t.false('failed' in tsc, `the consumer typechecks against the package's types: ${tsc.stdout}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
