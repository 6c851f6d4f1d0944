/**
 * Uploading files from the console (issue #17, item 1): `POST /api/upload`
 * (multipart, as the widget does) through XMLHttpRequest, whose upload
 * progress events fetch() lacks; the limits the server enforces
 * (`GET /api/upload/limits`), checked before a byte is sent so a refusal says
 * at once what the server would; and the refusal texts (too large, type not
 * accepted, offline, the server's own message). Framework-free, so ava tests
 * the pure parts in Node.
 */
import type { FileJson, UploadLimits } from '../../../gateway/protocol/wire/index.js';

export type { FileJson, UploadLimits };

/** The `request` of lib/api.ts's client (structural, so this module imports nothing of it). */
type Requester = { request: <T>(method: string, path: string, body?: unknown) => Promise<T> };

export function uploadApi(client: Requester) {
  return {
    /** What the upload route accepts (agents only). */
    limits: async () => (await client.request<{ data: UploadLimits }>('GET', '/api/upload/limits')).data,
  };
}

/** "2.4 MB", "512 KB", "37 bytes". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} ${n === 1 ? 'byte' : 'bytes'}`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v >= 10 ? Math.round(v) : Math.round(v * 10) / 10} ${units[i]}`;
}

/** What a file's type looks like to people ("PNG image", "PDF", "text/csv" as is). */
export function describeType(contentType: string): string {
  const known: Record<string, string> = {
    'image/png': 'PNG image',
    'image/jpeg': 'JPEG image',
    'image/gif': 'GIF image',
    'image/webp': 'WebP image',
    'application/pdf': 'PDF',
    'text/plain': 'Text',
    'text/csv': 'CSV',
    'application/zip': 'ZIP archive',
    'application/json': 'JSON',
  };
  return known[contentType.toLowerCase()] ?? (contentType || 'Unknown type');
}

/** Images the console shows inline (the ones the server serves inline: gateway/routes/files.ts). */
export function isInlineImage(contentType: string): boolean {
  return ['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(contentType.toLowerCase());
}

/** Why the server would refuse this file, or null. Same checks as services/files `storeFile` (empty, size, type). */
export function refusalOf(file: { name: string; size: number; type: string }, limits: UploadLimits | null): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (!limits) return null;
  if (file.size > limits.max_bytes) {
    return `“${file.name}” is too large (${formatBytes(file.size)}); the limit is ${formatBytes(limits.max_bytes)}.`;
  }
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  if (!limits.content_types.includes(type)) {
    return `“${file.name}” cannot be sent: ${type ? `${type} files are` : 'files of an unknown type are'} not accepted (images, PDF, text, CSV, ZIP and JSON are).`;
  }
  return null;
}

/** The server's message in an error body (`{"error": {"message", "errors"}}` or `{"errors": {field: [msg]}}`). */
export function uploadErrorMessage(status: number, body: unknown): string {
  const fields = (errors: unknown): string | null => {
    if (!errors || typeof errors !== 'object') return null;
    const parts = Object.values(errors as Record<string, unknown>)
      .flatMap((v: unknown): unknown[] => (Array.isArray(v) ? (v as unknown[]) : [v]))
      .filter((v): v is string => typeof v === 'string');
    return parts.length ? parts.join('; ') : null;
  };
  if (body && typeof body === 'object') {
    const b = body as { error?: unknown; errors?: unknown };
    if (typeof b.error === 'string') return b.error;
    if (b.error && typeof b.error === 'object') {
      const e = b.error as { message?: unknown; errors?: unknown };
      const detail = fields(e.errors);
      if (detail) return `The file ${detail}.`;
      if (typeof e.message === 'string') return e.message;
    }
    const detail = fields(b.errors);
    if (detail) return `The file ${detail}.`;
  }
  if (status === 413) return 'The file is too large for the server.';
  if (status === 429) return 'Too many uploads at once; try again in a moment.';
  return `The upload failed (${status}).`;
}

export class UploadError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'UploadError';
  }
}

export const OFFLINE_MESSAGE = 'You are offline: the file was not sent. Try again when the connection is back.';

export interface UploadOptions {
  token: string | undefined;
  onProgress?: (loaded: number, total: number) => void;
  signal?: AbortSignal;
  /** Where the API is (tests); default: this origin. */
  baseUrl?: string;
}

/**
 * Upload one file; resolves with the stored file (its `id` goes in `file_ids`).
 * Rejects with an UploadError whose message is shown as is: offline (status
 * 0), the server's refusal (4xx/5xx), or "cancelled" when `signal` aborts.
 */
export function uploadFile(file: Blob, name: string, opts: UploadOptions): Promise<FileJson> {
  return new Promise((resolve, reject) => {
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      reject(new UploadError(OFFLINE_MESSAGE, 0));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${opts.baseUrl ?? ''}/api/upload`);
    if (opts.token) xhr.setRequestHeader('authorization', opts.token);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.(e.loaded, e.total);
    };
    xhr.onerror = () =>
      reject(new UploadError(navigator.onLine === false ? OFFLINE_MESSAGE : 'The server cannot be reached. Check your connection.', 0));
    xhr.onabort = () => reject(new UploadError('Upload cancelled.', 0));
    xhr.onload = () => {
      let body: unknown;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        body = undefined;
      }
      if (xhr.status === 201 || xhr.status === 200) {
        const data = (body as { data?: FileJson } | undefined)?.data;
        if (data && typeof data.id === 'string') resolve(data);
        else reject(new UploadError('The server sent an unexpected reply to the upload.', xhr.status));
        return;
      }
      reject(new UploadError(uploadErrorMessage(xhr.status, body), xhr.status));
    };
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append('file', file, name);
    xhr.send(form);
  });
}
