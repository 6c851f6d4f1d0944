/**
 * @module services/files/storage
 * Where a file's bytes live: a local folder (default) or any S3-compatible
 * store through `@aws-sdk/client-s3`. Both answer the same small interface;
 * each file row records which one holds it, so switching `FILES_STORAGE` keeps
 * older files readable. S3 downloads go through short-lived presigned URLs
 * (`@aws-sdk/s3-request-presigner`): the gateway redirects there and never
 * proxies the bytes.
 * Must not import: gateway, Temporal.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { AppError } from '../errors.js';
import type { FileStorageSettings, S3Settings } from './config.js';

export type StorageKind = 'local' | 's3';

export interface BlobStore {
  readonly kind: StorageKind;
  put(key: string, data: Buffer, meta: { contentType: string; filename: string }): Promise<void>;
  /** Throws NOT_FOUND when the object is missing. */
  get(key: string): Promise<Buffer>;
  /** Idempotent: a missing object is fine. */
  delete(key: string): Promise<void>;
  /**
   * A time-limited URL that downloads the object directly with this name, type
   * and disposition; null when the store has no such URLs (the gateway serves the bytes).
   */
  presign(key: string, opts: { filename: string; contentType: string; inline: boolean; signingDate?: Date }): Promise<string | null>;
}

export function createLocalStore(dir: string): BlobStore {
  const root = path.resolve(dir);
  const full = (key: string): string => {
    const p = path.resolve(root, key);
    if (!p.startsWith(root + path.sep)) throw new AppError('BAD_REQUEST', { message: `storage key escapes the folder: ${key}` });
    return p;
  };
  return {
    kind: 'local',
    async put(key, data) {
      await mkdir(path.dirname(full(key)), { recursive: true });
      await writeFile(full(key), data);
    },
    async get(key) {
      try {
        return await readFile(full(key));
      } catch (err) {
        throw new AppError('NOT_FOUND', { message: `file bytes missing: ${key}`, cause: err });
      }
    },
    async delete(key) {
      await rm(full(key), { force: true });
    },
    presign: () => Promise.resolve(null),
  };
}

/** The S3 client of the settings (also used by tests to look into the bucket). */
export function createS3Client(s3: S3Settings): S3Client {
  const config: S3ClientConfig = {
    region: s3.region,
    forcePathStyle: s3.forcePathStyle,
    // An upload is a user waiting on a request: one quick retry, not the SDK's default three.
    maxAttempts: 2,
    ...(s3.endpoint ? { endpoint: s3.endpoint } : {}),
    ...(s3.accessKeyId && s3.secretAccessKey
      ? { credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey.reveal() } }
      : {}),
  };
  return new S3Client(config);
}

/** `Content-Disposition` for a download under the stored name (RFC 6266 / 5987). */
export function contentDisposition(filename: string, inline: boolean): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function createS3Store(s3: S3Settings, urlExpiresSeconds: number, client: S3Client = createS3Client(s3)): BlobStore {
  const Key = (key: string): string => `${s3.keyPrefix}${key}`;
  return {
    kind: 's3',
    async put(key, data, meta) {
      await client.send(
        new PutObjectCommand({
          Bucket: s3.bucket,
          Key: Key(key),
          Body: data,
          ContentType: meta.contentType,
          ContentLength: data.length,
          ContentDisposition: contentDisposition(meta.filename, false),
        }),
      );
    },
    async get(key) {
      try {
        const res = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: Key(key) }));
        return Buffer.from(await res.Body!.transformToByteArray());
      } catch (err) {
        if ((err as { name?: string }).name === 'NoSuchKey')
          throw new AppError('NOT_FOUND', { message: `object missing: ${Key(key)}`, cause: err });
        throw err;
      }
    },
    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: Key(key) }));
    },
    async presign(key, opts) {
      const command = new GetObjectCommand({
        Bucket: s3.bucket,
        Key: Key(key),
        // The response carries our type and disposition whatever the object's metadata says (no sniffing, no HTML).
        ResponseContentType: opts.contentType,
        ResponseContentDisposition: contentDisposition(opts.filename, opts.inline),
      });
      return getSignedUrl(client, command, {
        expiresIn: urlExpiresSeconds,
        ...(opts.signingDate ? { signingDate: opts.signingDate } : {}),
      });
    },
  };
}

/** Every configured store: uploads go to `current`; a file is read from the store its row names. */
export interface FileStorage {
  maxBytes: number;
  /** Most bytes of stored files per account (`FILES_ACCOUNT_QUOTA_BYTES`). */
  accountQuotaBytes: number;
  current: BlobStore;
  stores: Partial<Record<StorageKind, BlobStore>>;
}

export function createFileStorage(opts: { dir: string; maxBytes: number; files: FileStorageSettings }): FileStorage {
  const local = createLocalStore(opts.dir);
  const s3 = opts.files.s3 ? createS3Store(opts.files.s3, opts.files.urlExpiresSeconds) : undefined;
  const current = opts.files.backend === 's3' ? s3! : local;
  return { maxBytes: opts.maxBytes, accountQuotaBytes: opts.files.accountQuotaBytes, current, stores: { local, ...(s3 ? { s3 } : {}) } };
}

/** The store holding a file; UNAVAILABLE when its backend is no longer configured. */
export function storeOf(storage: FileStorage, kind: StorageKind): BlobStore {
  const store = storage.stores[kind];
  if (!store) throw new AppError('UNAVAILABLE', { message: `file stored in ${kind}, which is not configured (S3_* keys)` });
  return store;
}
