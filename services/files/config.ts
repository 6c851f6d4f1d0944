/**
 * @module services/files/config
 * Where uploaded files' bytes are stored, parsed once with zod (CONTRIBUTING.md#configuration).
 * The size limit and the local folder stay `UPLOAD_MAX_BYTES` / `UPLOAD_DIR`
 * (services/config).
 *
 * | Key | Default | Meaning |
 * | --- | --- | --- |
 * | `FILES_STORAGE` | `local` | `local` (the `UPLOAD_DIR` folder) or `s3` (any S3-compatible store) |
 * | `S3_BUCKET` | — (required with `s3`) | bucket name |
 * | `S3_REGION` | `us-east-1` | region (MinIO accepts any) |
 * | `S3_ENDPOINT` | AWS | e.g. `http://127.0.0.1:9000` for MinIO, R2/B2/Spaces URLs |
 * | `S3_FORCE_PATH_STYLE` | `false` (`true` when `S3_ENDPOINT` is set) | `http://host/bucket/key` instead of `http://bucket.host/key` |
 * | `S3_ACCESS_KEY_ID`, `S3_SECRET_ACCESS_KEY` | the AWS default chain | static credentials |
 * | `S3_KEY_PREFIX` | empty | prefix of every object key (e.g. `netia/`) |
 * | `FILES_URL_EXPIRES_SECONDS` | `300` | lifetime of presigned download URLs |
 * | `FILES_ACCOUNT_QUOTA_BYTES` | `1073741824` (1 GiB) | most bytes of stored files per account; an upload past it is refused (413) |
 * | `FILES_UPLOADS_PER_IP` | `4` | uploads in progress at once per client IP, per gateway node (more → 429) |
 * | `FILES_UPLOADS_PER_NODE` | `32` | uploads in progress at once on one gateway node (more → 429) |
 */
import { z } from 'zod';
import { ConfigError } from '../config/config-error.js';
import { Secret } from '../config/secret.js';
import { parseEnv } from '../config/parse-env.js';

export interface S3Settings {
  bucket: string;
  region: string;
  endpoint: string | undefined;
  forcePathStyle: boolean;
  accessKeyId: string | undefined;
  secretAccessKey: Secret | undefined;
  keyPrefix: string;
}

export type FileStorageSettings = Readonly<{
  backend: 'local' | 's3';
  /** Present when the S3 keys are set (also with `local`, so files stored in S3 earlier stay readable). */
  s3: S3Settings | undefined;
  urlExpiresSeconds: number;
  /** Most bytes of stored files one account may hold (uploads past it are refused). */
  accountQuotaBytes: number;
  /** Uploads in progress at once (body still arriving or being stored) per client IP and per node. */
  concurrentUploads: { perIp: number; perNode: number };
}>;

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const ZFilesEnv = z.object({
  FILES_STORAGE: z.enum(['local', 's3']).default('local'),
  S3_BUCKET: z.string().min(3).max(63).optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_ENDPOINT: z
    .string()
    .url()
    .refine((v) => /^https?:\/\//i.test(v), 'must be an http(s) URL')
    .optional(),
  S3_FORCE_PATH_STYLE: bool.optional(),
  S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  S3_KEY_PREFIX: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9!_.*'()/-]*$/, "use letters, digits and !_.*'()/- only")
    .default(''),
  FILES_URL_EXPIRES_SECONDS: z.coerce
    .number()
    .int()
    .min(10)
    .max(7 * 24 * 3600)
    .default(300),
  FILES_ACCOUNT_QUOTA_BYTES: z.coerce
    .number()
    .int()
    .min(0)
    .max(Number.MAX_SAFE_INTEGER)
    .default(1024 * 1024 * 1024),
  FILES_UPLOADS_PER_IP: z.coerce.number().int().min(1).max(10_000).default(4),
  FILES_UPLOADS_PER_NODE: z.coerce.number().int().min(1).max(100_000).default(32),
});

/** Parse the file storage settings; throws ConfigError naming the first bad key (never a secret's value). */
export function loadFileStorageSettings(env: Readonly<Record<string, string | undefined>>): FileStorageSettings {
  const e = parseEnv(ZFilesEnv, env);
  if (e.FILES_STORAGE === 's3' && !e.S3_BUCKET) throw new ConfigError('S3_BUCKET', 'required when FILES_STORAGE=s3');
  if ((e.S3_ACCESS_KEY_ID === undefined) !== (e.S3_SECRET_ACCESS_KEY === undefined)) {
    throw new ConfigError(e.S3_ACCESS_KEY_ID === undefined ? 'S3_ACCESS_KEY_ID' : 'S3_SECRET_ACCESS_KEY', 'set both S3 keys, or neither');
  }
  return Object.freeze({
    backend: e.FILES_STORAGE,
    s3: e.S3_BUCKET
      ? {
          bucket: e.S3_BUCKET,
          region: e.S3_REGION,
          endpoint: e.S3_ENDPOINT,
          forcePathStyle: e.S3_FORCE_PATH_STYLE ?? e.S3_ENDPOINT !== undefined,
          accessKeyId: e.S3_ACCESS_KEY_ID,
          secretAccessKey: e.S3_SECRET_ACCESS_KEY === undefined ? undefined : new Secret(e.S3_SECRET_ACCESS_KEY),
          keyPrefix: e.S3_KEY_PREFIX,
        }
      : undefined,
    urlExpiresSeconds: e.FILES_URL_EXPIRES_SECONDS,
    accountQuotaBytes: e.FILES_ACCOUNT_QUOTA_BYTES,
    concurrentUploads: { perIp: e.FILES_UPLOADS_PER_IP, perNode: e.FILES_UPLOADS_PER_NODE },
  });
}
