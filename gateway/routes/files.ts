/**
 * @module gateway/routes/files
 * File uploads (multipart, as the original's `POST /api/upload`) into local
 * storage, and serving them back. Widgets upload for their account like the
 * other public routes; an agent token forces the agent's account. Files are
 * referenced by messages through `file_ids` (checked by the conversation workflow).
 */
import path from 'node:path';
import uWS from 'uWebSockets.js';
import { getAccount } from '../../services/accounts/index.js';
import { getCustomer } from '../../services/customers/index.js';
import { AppError, validationError } from '../../services/errors.js';
import { getFile, presentFile, readFileBytes, storeFile, type FileStorage } from '../../services/files/index.js';
import { isUuid } from '../../services/validation.js';
import type { GatewayContext } from '../context.js';
import { optionalAgent } from '../http/auth.js';
import type { Route } from '../http/router.js';

/** Inline only for images (rendered in chat); everything else downloads, and nothing is sniffed. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

export function fileRoutes(ctx: GatewayContext): Route[] {
  const storage: FileStorage = { dir: path.resolve(ctx.config.uploads.dir), maxBytes: ctx.config.uploads.maxBytes };

  const serve: Route['handler'] = async (req) => {
    const id = req.params.id;
    if (!isUuid(id)) throw new AppError('NOT_FOUND');
    const file = await getFile(ctx.pool, id);
    if (!file) throw new AppError('NOT_FOUND');
    const bytes = await readFileBytes(storage, file);
    const disposition = INLINE_TYPES.has(file.content_type) ? 'inline' : 'attachment';
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
    { method: 'GET', path: '/api/files/:id', summary: 'Download an uploaded file (the id is the capability)', handler: serve },
    { method: 'GET', path: '/api/files/:id/:filename', summary: 'Download an uploaded file under its name', handler: serve },
  ];
}
