/**
 * @module gateway/routes/files
 * File uploads (multipart, as the original's `POST /api/upload`) into the
 * configured store (local folder or S3), and downloads. Widgets upload for their
 * account like the other public routes; an agent token forces the agent's
 * account. Files are referenced by messages through `file_ids` (checked by the
 * conversation workflow). A file's `file_url` is a stable path on this server:
 * local files are served from it, S3 files redirect to a fresh presigned URL
 * (`FILES_URL_EXPIRES_SECONDS`), so links in transcripts never expire.
 *
 * Abuse bounds of uploads: a widget upload obeys the account's origin
 * allow-list (a browser `Origin` outside a non-empty `allowed_origins` → 403;
 * agents exempt), the account's storage quota (`FILES_ACCOUNT_QUOTA_BYTES`,
 * 413 and nothing stored), and at most `FILES_UPLOADS_PER_IP` /
 * `FILES_UPLOADS_PER_NODE` uploads in progress at once (429 with
 * `retry-after`, decided before the body is read). The body is never read past
 * the route's limit: the router answers 413 and closes the connection.
 */
import path from 'node:path';
import uWS from 'uWebSockets.js';
import { getAccount } from '../../services/accounts/index.js';
import { getCustomer } from '../../services/customers/index.js';
import { getWidgetSecurity, isOriginAllowed } from '../../services/customers/token.js';
import { AppError, validationError } from '../../services/errors.js';
import {
  ALLOWED_CONTENT_TYPES,
  createFileStorage,
  getFile,
  presentFile,
  presignFileUrl,
  readFileBytes,
  storeFile,
  UploadSlots,
  type FileStorage,
} from '../../services/files/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { agentScope, optionalAgent } from '../http/auth.js';
import { toErrorResponse } from '../http/errors.js';
import type { Response, Route } from '../http/router.js';
import { agentRoute, created, data, ok, rawBody } from './define.js';
import { fileSchema, uploadLimitsSchema } from '../protocol/wire/index.js';

/** Inline only for images (rendered in chat); everything else downloads, and nothing is sniffed. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);
/** Files one message may carry (the conversation workflow's MAX_ATTACHMENTS, which the gateway may not import). */
const MAX_FILES_PER_MESSAGE = 10;
/** What a refused concurrent upload is told to wait (seconds): uploads take seconds, not minutes. */
const BUSY_RETRY_AFTER_S = 2;

/** A download: the bytes under their stored content type, or (S3) a redirect to a presigned URL. */
const DOWNLOAD = rawBody(
  'application/octet-stream',
  'The file (its own content type), or 302 to a short-lived presigned URL (S3)',
  [200, 302],
);

export function fileRoutes(ctx: GatewayContext): Route[] {
  const storage: FileStorage = createFileStorage({
    dir: path.resolve(ctx.config.uploads.dir),
    maxBytes: ctx.config.uploads.maxBytes,
    files: ctx.config.files,
  });
  const slots = new UploadSlots(ctx.config.files.concurrentUploads);

  /** Before the body is read: a slot of this node's concurrent uploads, or 429. */
  const admit: NonNullable<Route['admit']> = (req) => {
    const release = slots.acquire(req.ip);
    if (release) return release;
    ctx.log.debug('upload refused: too many uploads in progress', { requestId: req.requestId, ip: req.ip, inProgress: slots.inProgress });
    const refusal = new AppError('RATE_LIMITED', { userMessage: 'Too many uploads in progress; try again shortly' });
    const { status, body } = toErrorResponse(refusal, ctx.log, req.requestId);
    return { status, body, headers: { 'retry-after': String(BUSY_RETRY_AFTER_S) } };
  };

  const serve: Route['handler'] = async (req): Promise<Response> => {
    const id = req.params.id;
    if (!isUuid(id)) throw new AppError('NOT_FOUND');
    const file = await getFile(ctx.pool, id);
    if (!file) throw new AppError('NOT_FOUND');
    const isInline = INLINE_TYPES.has(file.content_type);
    const signed = await presignFileUrl(storage, file, { inline: isInline });
    if (signed) return { status: 302, raw: '', headers: { location: signed, 'cache-control': 'no-store' } };
    const bytes = await readFileBytes(storage, file);
    const disposition = isInline ? 'inline' : 'attachment';
    return {
      raw: bytes,
      contentType: file.content_type,
      headers: {
        'content-disposition': `${disposition}; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        'x-content-type-options': 'nosniff',
        'content-security-policy': "default-src 'none'; sandbox",
        'cache-control': 'private, max-age=3600',
      },
    };
  };

  return [
    {
      method: 'POST',
      path: '/api/upload',
      auth: 'customer',
      cors: true,
      response: created(data(fileSchema)),
      maxBodyBytes: storage.maxBytes + 64 * 1024,
      admit,
      summary: 'Upload a file (multipart: `file`, `account_id`, optional `customer_id`); returns the file to attach with `file_ids`',
      handler: async (req) => {
        const agent = await optionalAgent(ctx.pool, req);
        const contentType = req.headers['content-type'] ?? '';
        if (!contentType.toLowerCase().startsWith('multipart/form-data')) {
          throw new AppError('BAD_REQUEST', { userMessage: 'Send the file as multipart/form-data with a "file" field' });
        }
        const parts = uWS.getParts(req.rawBody, contentType) ?? [];
        const field = (name: string): string | undefined => {
          const part = parts.find((p) => p.name === name && p.filename === undefined);
          return part ? Buffer.from(part.data).toString('utf8') : undefined;
        };
        const filePart = parts.find((p) => p.name === 'file' && p.filename !== undefined);
        if (!filePart) throw validationError({ file: ["can't be blank"] });
        let accountId: string;
        let customerId: string | null = null;
        if (agent) {
          accountId = agent.account_id;
        } else {
          const requested = field('account_id');
          if (!isUuid(requested) || !(await getAccount(ctx.pool, requested))) throw validationError({ account_id: ['does not exist'] });
          accountId = requested;
          const security = await getWidgetSecurity(ctx.pool, accountId);
          if (security && !isOriginAllowed(security.allowedOrigins, req.headers.origin, req.headers.host)) {
            throw new AppError('FORBIDDEN', { userMessage: 'Origin not allowed' });
          }
          const customer = field('customer_id');
          if (customer !== undefined) {
            if (!isUuid(customer) || !(await getCustomer(ctx.pool, accountId, customer)))
              throw validationError({ customer_id: ['does not exist'] });
            customerId = customer;
          }
        }
        const file = await storeFile(ctx.pool, storage, {
          accountId,
          customerId,
          userId: agent?.id ?? null,
          filename: filePart.filename ?? 'file',
          contentType: filePart.type ?? 'application/octet-stream',
          data: Buffer.from(filePart.data),
        });
        return { status: 201, body: { data: presentFile(file) } };
      },
    },
    // The console checks a file against these before uploading it, so its refusal says what the server would (issue #17).
    agentRoute(agentScope(ctx.pool), {
      method: 'GET',
      path: '/upload/limits',
      summary: 'What `POST /api/upload` accepts: the largest file, the content types, the files per message',
      tags: ['Files'],
      response: ok(data(uploadLimitsSchema)),
      handler: () =>
        Promise.resolve({
          body: {
            data: {
              max_bytes: storage.maxBytes,
              content_types: [...ALLOWED_CONTENT_TYPES],
              max_files_per_message: MAX_FILES_PER_MESSAGE,
            },
          },
        }),
    }),
    {
      method: 'GET',
      path: '/api/files/:id',
      auth: 'public',
      summary: 'Download an uploaded file (the id is the capability); files in S3 answer 302 to a short-lived presigned URL',
      response: DOWNLOAD,
      handler: serve,
    },
    {
      method: 'GET',
      path: '/api/files/:id/:filename',
      auth: 'public',
      summary: 'Download an uploaded file under its name',
      response: DOWNLOAD,
      handler: serve,
    },
  ];
}
