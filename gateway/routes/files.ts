/**
 * @module gateway/routes/files
 * File uploads (multipart, as the original's `POST /api/upload`) into the
 * configured store (local folder or S3), and downloads. Widgets upload for their
 * account like the other public routes; an agent token forces the agent's
 * account. Files are referenced by messages through `file_ids` (checked by the
 * conversation workflow). A file's `file_url` is a stable path on this server:
 * local files are served from it, S3 files redirect to a fresh presigned URL
 * (`FILES_URL_EXPIRES_SECONDS`), so links in transcripts never expire.
 */
import path from 'node:path';
import uWS from 'uWebSockets.js';
import { getAccount } from '../../services/accounts/index.js';
import { getCustomer } from '../../services/customers/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { createFileStorage, getFile, presentFile, presignFileUrl, readFileBytes, storeFile, type FileStorage } from '../../services/files/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { optionalAgent } from '../http/auth.js';
import type { Response, Route } from '../http/router.js';

/** Inline only for images (rendered in chat); everything else downloads, and nothing is sniffed. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function fileRoutes(ctx: GatewayContext): Route[] {
  const storage: FileStorage = createFileStorage({
    dir: path.resolve(ctx.config.uploads.dir),
    maxBytes: ctx.config.uploads.maxBytes,
    files: ctx.config.files,
  });

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
      cors: true,
      maxBodyBytes: storage.maxBytes + 64 * 1024,
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
          const customer = field('customer_id');
          if (customer !== undefined) {
            if (!isUuid(customer) || !(await getCustomer(ctx.pool, accountId, customer))) throw validationError({ customer_id: ['does not exist'] });
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
    { method: 'GET', path: '/api/files/:id', summary: 'Download an uploaded file (the id is the capability); files in S3 answer 302 to a short-lived presigned URL', handler: serve },
    { method: 'GET', path: '/api/files/:id/:filename', summary: 'Download an uploaded file under its name', handler: serve },
  ];
}
