/**
 * A real S3-compatible server for tests: MinIO built from source with Go and
 * cached (never rebuilt when present) in `~/.cache/netia/minio-<version>/minio`
 * (`.ci/run` builds it the same way; `MINIO_BIN` overrides the path). Each
 * test file gets its own server on a free port with a throwaway data folder.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { createS3Client } from '../../services/files/storage.js';
import type { S3Settings } from '../../services/files/config.js';
import { Secret } from '../../services/config/secret.js';

/** The pinned MinIO module version (`go install github.com/minio/minio@<this>`); its commit is RELEASE.2026-02-12. */
export const MINIO_MODULE_VERSION = 'v0.0.0-20260212201848-7aac2a2c5b7c';
export const MINIO_CACHE_DIR = path.join(os.homedir(), '.cache', 'netia', 'minio-RELEASE.2026-02-12');

/** The MinIO binary, or undefined when it has not been built on this machine. */
export function findMinio(): string | undefined {
  const candidates = [process.env.MINIO_BIN, path.join(MINIO_CACHE_DIR, 'minio')].filter((p): p is string => !!p);
  return candidates.find((p) => existsSync(p));
}

export const MINIO_MISSING =
  `MinIO is not built on this machine: S3 tests skipped. Build it once (about 5 minutes) with ` +
  `GOBIN=${MINIO_CACHE_DIR} go install github.com/minio/minio@${MINIO_MODULE_VERSION} (or run .ci/run).`;

export interface Minio {
  endpoint: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** S3 settings for a fresh bucket (created by `createBucket`). */
  settings(bucket: string): S3Settings;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export async function startMinio(bin: string): Promise<Minio> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'netia-minio-'));
  const [port, consolePort] = [await freePort(), await freePort()];
  const accessKeyId = 'netia-test';
  const secretAccessKey = 'netia-test-secret-key';
  const endpoint = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    bin,
    ['server', dir, '--address', `127.0.0.1:${port}`, '--console-address', `127.0.0.1:${consolePort}`, '--quiet'],
    {
      env: {
        ...process.env,
        MINIO_ROOT_USER: accessKeyId,
        MINIO_ROOT_PASSWORD: secretAccessKey,
        MINIO_BROWSER: 'off',
        MINIO_UPDATE: 'off',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  // Ready when the liveness endpoint answers (checked until it does, bounded).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`minio exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${endpoint}/minio/health/ready`);
      if (res.ok) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`minio not ready after 30 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  const settings = (bucket: string): S3Settings => ({
    bucket,
    region: 'us-east-1',
    endpoint,
    forcePathStyle: true,
    accessKeyId,
    secretAccessKey: new Secret(secretAccessKey),
    keyPrefix: '',
  });
  return {
    endpoint,
    accessKeyId,
    secretAccessKey,
    settings,
    async createBucket(name) {
      const client = createS3Client(settings(name));
      try {
        await client.send(new CreateBucketCommand({ Bucket: name }));
      } finally {
        client.destroy();
      }
    },
    async stop() {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
