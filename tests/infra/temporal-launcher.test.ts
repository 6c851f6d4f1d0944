import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { promisify } from 'node:util';
import anyTest, { type TestFn } from 'ava';
import { SEARCH_ATTRIBUTES } from '../../temporal.config.js';
import { isExecutableFile } from '../../infra/ports.js';
import {
  TEMPORAL_CLI_VERSION,
  resolveTemporalBinary,
  startTemporalDevServer,
  temporalCacheDir,
  type TemporalDevServer,
} from '../../infra/temporal.js';

type Context = { root: string; server: TemporalDevServer };
const test = anyTest as TestFn<Context>;
const quiet = (): void => undefined;
const NAMESPACE = 'netia-launcher-test';

test.before(async (t) => {
  const root = await mkdtemp(path.join(tmpdir(), 'netia-temporal-test-'));
  // In-memory, free ports, a non-default namespace so that `--namespace` is exercised too.
  const server = await startTemporalDevServer({ dbFilename: undefined, namespace: NAMESPACE, onLog: quiet });
  t.context = { root, server };
});

test.after.always(async (t) => {
  await t.context.server?.stop();
  await rm(t.context.root, { recursive: true, force: true });
});

/** An executable shell script standing in for a CLI. */
async function fakeExecutable(file: string, body = 'exit 0'): Promise<string> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

test('temporal on PATH is preferred over the cached build', async (t) => {
  const dir = path.join(t.context.root, 'prefer-path');
  const onPath = await fakeExecutable(path.join(dir, 'bin', 'temporal'));
  const env = { PATH: path.join(dir, 'bin'), NETIA_CACHE_DIR: path.join(dir, 'cache') };
  await fakeExecutable(path.join(temporalCacheDir(env), 'temporal'));
  const binary = await resolveTemporalBinary({ env, allowBuild: false, allowDownload: false, onLog: quiet });
  t.deepEqual(binary, { kind: 'path', path: onPath });
});

test('with PATH cleared the cached build is chosen', async (t) => {
  const dir = path.join(t.context.root, 'cache-only');
  const env = { PATH: '', NETIA_CACHE_DIR: path.join(dir, 'cache') };
  const cached = await fakeExecutable(path.join(dir, 'cache', `temporal-v${TEMPORAL_CLI_VERSION}`, 'temporal'));
  const binary = await resolveTemporalBinary({ env, allowBuild: false, allowDownload: false, onLog: quiet });
  t.deepEqual(binary, { kind: 'cache', path: cached });
});

test('the cache folder follows NETIA_CACHE_DIR, then XDG_CACHE_HOME, then HOME', (t) => {
  const version = `temporal-v${TEMPORAL_CLI_VERSION}`;
  t.is(temporalCacheDir({ NETIA_CACHE_DIR: '/a', XDG_CACHE_HOME: '/b', HOME: '/c' }), `/a/${version}`);
  t.is(temporalCacheDir({ XDG_CACHE_HOME: '/b', HOME: '/c' }), `/b/netia/${version}`);
  t.is(temporalCacheDir({ HOME: '/c' }), `/c/.cache/netia/${version}`);
});

test('with nothing found and building disabled resolution fails naming the cache path', async (t) => {
  const env = { PATH: '', NETIA_CACHE_DIR: path.join(t.context.root, 'empty-cache') };
  await t.throwsAsync(resolveTemporalBinary({ env, allowBuild: false, allowDownload: false, onLog: quiet }), {
    message: new RegExp(`not cached at ${temporalCacheDir(env)}`),
  });
});

test('the dev server answers and has the four Netia search attributes', async (t) => {
  const { server } = t.context;
  t.is(server.mode, 'spawned');
  t.regex(server.address, /^127\.0\.0\.1:\d+$/);
  t.regex(server.uiUrl ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
  t.truthy(server.binary);
  const connection = await Connection.connect({ address: server.address });
  try {
    const info = await connection.workflowService.describeNamespace({ namespace: NAMESPACE });
    t.is(info.namespaceInfo?.name, NAMESPACE);
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: NAMESPACE });
    for (const sa of Object.values(SEARCH_ATTRIBUTES)) t.true(sa.name in (customAttributes ?? {}), `${sa.name} is registered`);
  } finally {
    await connection.close();
  }
});

test('TEMPORAL_ADDRESS pointing at a running server is used as is without spawning', async (t) => {
  // Resolution is rigged to fail, so any attempt to find a CLI and spawn would throw.
  const server = await startTemporalDevServer({
    address: t.context.server.address,
    namespace: NAMESPACE,
    onLog: quiet,
    resolveOptions: { env: { PATH: '', NETIA_CACHE_DIR: path.join(t.context.root, 'nothing') }, allowBuild: false, allowDownload: false },
  });
  t.is(server.mode, 'external');
  t.is(server.address, t.context.server.address);
  t.is(server.binary, undefined);
  t.is(server.pid, undefined);
  await server.stop(); // a no-op: it is not ours
  t.true(isAlive(t.context.server.pid!));
});

test('a port already serving Temporal is reused rather than failing', async (t) => {
  const port = Number(t.context.server.address.split(':')[1]);
  const server = await startTemporalDevServer({ port, headless: true, namespace: NAMESPACE, onLog: quiet });
  t.is(server.mode, 'reused');
  t.is(server.address, t.context.server.address);
  t.is(server.pid, undefined);
});

test('a persistent server uses SQLite in WAL mode, and stop() ends the process', async (t) => {
  const dbFilename = path.join(t.context.root, 'persistent', 'temporal.db');
  const server = await startTemporalDevServer({ dbFilename, headless: true, onLog: quiet });
  const pid = server.pid!;
  try {
    t.true(isAlive(pid));
    // The WAL file exists only when journal_mode=wal took effect.
    await t.notThrowsAsync(stat(`${dbFilename}-wal`));
  } finally {
    await server.stop();
  }
  t.false(isAlive(pid), 'the server process is gone once stop() resolves');
  await server.exited;
  await server.stop(); // idempotent
});

test('a server that exits during startup fails fast with its last output', async (t) => {
  const broken = await fakeExecutable(path.join(t.context.root, 'broken', 'temporal'), 'echo "bind: address already in use" >&2; exit 3');
  const started = Date.now();
  await t.throwsAsync(
    startTemporalDevServer({ dbFilename: undefined, headless: true, binary: { kind: 'path', path: broken }, onLog: quiet }),
    { message: /exited with code 3 before it was ready: bind: address already in use/ },
  );
  t.true(Date.now() - started < 10_000, 'no waiting for the ready deadline');
});

/** A stand-in for the download service: `/cli/v<version>` describes the archive, `/archive.tar.gz` is it. */
async function fakeDownloadService(
  root: string,
  mode: 'serve' | 'hang',
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const payload = path.join(root, 'payload');
  await fakeExecutable(path.join(payload, 'temporal'), 'echo "temporal version 1.5.1"');
  const archive = path.join(root, 'archive.tar.gz');
  await promisify(execFile)('tar', ['-czf', archive, '-C', payload, 'temporal']);
  const body = await readFile(archive);
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (mode === 'hang') return; // accepts the connection, never answers
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    if (req.url?.startsWith(`/cli/v${TEMPORAL_CLI_VERSION}?`)) {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ archiveUrl: `${base}/archive.tar.gz`, fileToExtract: 'temporal' }));
    } else if (req.url === '/archive.tar.gz') res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

test('the released CLI is downloaded into the cache before Go is tried, and reused from there', async (t) => {
  const dir = path.join(t.context.root, 'download-first');
  const service = await fakeDownloadService(dir, 'serve');
  try {
    // A `go` that leaves a mark: it must not run when the download works.
    const marker = path.join(dir, 'go-ran');
    await fakeExecutable(path.join(dir, 'bin', 'go'), `touch ${marker}; exit 1`);
    const env = { PATH: path.join(dir, 'bin'), NETIA_CACHE_DIR: path.join(dir, 'cache') };
    const binary = await resolveTemporalBinary({ env, downloadBaseUrl: service.url, onLog: quiet });
    t.deepEqual(binary, { kind: 'downloaded', path: path.join(temporalCacheDir(env), 'temporal') });
    t.true(isExecutableFile(binary.path));
    t.false(
      await stat(marker).then(
        () => true,
        () => false,
      ),
      'go was not run',
    );
    t.regex(service.requests[0] ?? '', new RegExp(`^/cli/v${TEMPORAL_CLI_VERSION}\\?.*platform=(linux|darwin)`));
    const again = await resolveTemporalBinary({ env, downloadBaseUrl: service.url, onLog: quiet });
    t.deepEqual(again, { kind: 'cache', path: binary.path });
    t.is(service.requests.length, 2, 'the second resolution downloads nothing');
  } finally {
    await service.close();
  }
});

test('a download service that does not answer is given up within its short timeout and Go builds the CLI', async (t) => {
  const dir = path.join(t.context.root, 'download-hangs');
  const service = await fakeDownloadService(dir, 'hang');
  try {
    // A `go install` stand-in that puts a CLI into $GOBIN, as the real one does.
    await fakeExecutable(
      path.join(dir, 'bin', 'go'),
      'PATH=/usr/bin:/bin; mkdir -p "$GOBIN"; printf "#!/bin/sh\\nexit 0\\n" > "$GOBIN/temporal"; chmod +x "$GOBIN/temporal"',
    );
    const env = { PATH: path.join(dir, 'bin'), NETIA_CACHE_DIR: path.join(dir, 'cache') };
    const lines: string[] = [];
    const started = Date.now();
    const binary = await resolveTemporalBinary({ env, downloadBaseUrl: service.url, downloadTimeoutMs: 1500, onLog: (l) => lines.push(l) });
    const elapsed = Date.now() - started;
    t.deepEqual(binary, { kind: 'built', path: path.join(temporalCacheDir(env), 'temporal') });
    t.true(elapsed < 6000, `gave up on the download quickly (${elapsed} ms)`);
    t.true(
      lines.some((l) => /downloading the Temporal CLI failed after \d+\.\d s: .*did not answer/.test(l)),
      lines.join('\n'),
    );
    t.is(service.requests.length, 1);
  } finally {
    await service.close();
  }
});
