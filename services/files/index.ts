/**
 * @module services/files
 * Uploaded files: metadata in PostgreSQL, bytes in the configured store (a
 * local folder by default, or any S3-compatible store: storage.ts). Files
 * belong to one account; messages reference them as attachments. Limits (size,
 * type, the account's storage quota) are checked before anything is stored.
 * Must not import: gateway, Temporal.
 */
import { randomUUID } from 'node:crypto';
import { sql, type DatabaseConnection } from 'slonik';
import { z } from 'zod';
import { AppError, validationError } from '../errors.js';
import { iso } from '../validation.js';
import { storeOf, type FileStorage } from './storage.js';
import type { FileJson } from '../../gateway/protocol/wire/index.js';

export {
  createFileStorage,
  createLocalStore,
  createS3Client,
  createS3Store,
  storeOf,
  type BlobStore,
  type FileStorage,
  type StorageKind,
} from './storage.js';
export { loadFileStorageSettings, type FileStorageSettings, type S3Settings } from './config.js';
export { UploadSlots } from './upload-slots.js';

/** Types a support conversation needs; anything else is refused (no HTML or scripts served back). */
export const ALLOWED_CONTENT_TYPES: ReadonlySet<string> = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/json',
]);

export const ZFileRow = z.object({
  id: z.string(),
  account_id: z.string(),
  customer_id: z.string().nullable(),
  user_id: z.number().int().nullable(),
  filename: z.string(),
  content_type: z.string(),
  size_bytes: z.number().int(),
  storage_key: z.string(),
  storage: z.enum(['local', 's3']),
  inserted_at: z.number(),
});
export type FileRow = z.infer<typeof ZFileRow>;

const fileColumns = sql.fragment`id, account_id, customer_id, user_id, filename, content_type, size_bytes, storage_key, storage, inserted_at`;

// eslint-disable-next-line no-control-regex -- strip control characters from user-supplied names
const UNSAFE_FILENAME_CHARS = /[\u0000-\u001f\u007f"]/g;

/** Keep a display name safe: no path parts, no control characters, bounded length. */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? 'file';
  const cleaned = base.replace(UNSAFE_FILENAME_CHARS, '').trim().slice(0, 200);
  return cleaned || 'file';
}

const ZAny = z.object({}).passthrough();

/**
 * Store an upload: the row, then the bytes in the current store. Throws
 * VALIDATION_FAILED for an empty file, a type we do not accept, or a file over
 * the size limit, and PAYLOAD_TOO_LARGE when the account's files would then
 * take more than `storage.accountQuotaBytes`, before anything is stored. The
 * quota check and the row are one step per account (an advisory lock), so
 * concurrent uploads cannot overshoot it together. The row exists a moment
 * before its bytes, but nobody knows its id until this returns; if the bytes
 * cannot be stored the row is removed again.
 */
export async function storeFile(
  connection: DatabaseConnection,
  storage: FileStorage,
  input: { accountId: string; customerId: string | null; userId: number | null; filename: string; contentType: string; data: Buffer },
): Promise<FileRow> {
  const contentType = input.contentType.split(';')[0]!.trim().toLowerCase();
  if (input.data.length === 0) throw validationError({ file: ['is empty'] });
  if (input.data.length > storage.maxBytes) throw validationError({ file: [`is larger than ${storage.maxBytes} bytes`] });
  if (!ALLOWED_CONTENT_TYPES.has(contentType)) throw validationError({ file: [`type ${contentType || 'unknown'} is not accepted`] });
  const id = randomUUID();
  const key = `${input.accountId}/${id}`;
  const filename = sanitizeFilename(input.filename);
  const store = storage.current;
  const quota = storage.accountQuotaBytes;
  const row = await connection.transaction(async (tx) => {
    await tx.query(sql.type(ZAny)`SELECT pg_advisory_xact_lock(hashtextextended(${`files-quota:${input.accountId}`}, 0))`);
    const used = await tx.oneFirst(sql.type(z.object({ used: z.coerce.number() }))`
      SELECT coalesce(sum(size_bytes), 0)::bigint AS used FROM files WHERE account_id = ${input.accountId}`);
    if (used + input.data.length > quota) return null;
    return tx.one(sql.type(ZFileRow)`
      INSERT INTO files (id, account_id, customer_id, user_id, filename, content_type, size_bytes, storage_key, storage)
      VALUES (${id}, ${input.accountId}, ${input.customerId}, ${input.userId}, ${filename}, ${contentType},
        ${input.data.length}, ${key}, ${store.kind})
      RETURNING ${fileColumns}`);
  });
  if (!row) {
    throw new AppError('PAYLOAD_TOO_LARGE', {
      userMessage: `The account's file storage quota (${quota} bytes) is used up: the file was not stored`,
    });
  }
  try {
    await store.put(key, input.data, { contentType, filename });
  } catch (err) {
    await connection.query(sql.type(ZAny)`DELETE FROM files WHERE id = ${id}`).catch(() => undefined);
    throw err;
  }
  return row;
}

/** The ids among `ids` that are files of the account (attachment check). */
export async function findAccountFileIds(connection: DatabaseConnection, accountId: string, ids: readonly string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await connection.any(sql.type(z.object({ id: z.string() }))`
    SELECT id FROM files WHERE account_id = ${accountId} AND id = ANY(${sql.array([...ids], 'uuid')})`);
  return rows.map((r) => r.id);
}

/** The file by id (the id is the capability, as links in chat transcripts must work for the customer). */
export async function getFile(connection: DatabaseConnection, id: string): Promise<FileRow | null> {
  return connection.maybeOne(sql.type(ZFileRow)`SELECT ${fileColumns} FROM files WHERE id = ${id}`);
}

/** The bytes, from the store the row names. Throws NOT_FOUND when they are missing. */
export async function readFileBytes(storage: FileStorage, file: Pick<FileRow, 'storage' | 'storage_key'>): Promise<Buffer> {
  return storeOf(storage, file.storage).get(file.storage_key);
}

/** A presigned direct-download URL when the file's store has them (S3), else null (serve the bytes). */
export async function presignFileUrl(
  storage: FileStorage,
  file: Pick<FileRow, 'storage' | 'storage_key' | 'filename' | 'content_type'>,
  opts: { inline: boolean; signingDate?: Date },
): Promise<string | null> {
  return storeOf(storage, file.storage).presign(file.storage_key, { filename: file.filename, contentType: file.content_type, ...opts });
}

export function fileUrl(id: string, filename: string): string {
  return `/api/files/${id}/${encodeURIComponent(filename)}`;
}

/** `file.json` of the original (`file_url` is a path on this server). */
export function presentFile(f: Pick<FileRow, 'id' | 'filename' | 'content_type' | 'size_bytes'> & { inserted_at?: number }): FileJson {
  return {
    id: f.id,
    object: 'file',
    filename: f.filename,
    content_type: f.content_type,
    size: f.size_bytes,
    file_url: fileUrl(f.id, f.filename),
    ...(f.inserted_at !== undefined ? { created_at: iso(f.inserted_at) } : {}),
  };
}
