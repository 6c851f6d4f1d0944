/**
 * @module gateway/routes/inbound-email
 * Inbound email forwarding (docs/compatibility.md#integrations-and-webhooks): `POST /api/ses/webhook`, the
 * original's route and payload, now signed by the forwarding Lambda
 * (`X-Netia-Signature`, services/integrations/inbound-email.ts; the original
 * accepted anything: Q8), and the forwarding addresses of the account.
 */
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../services/errors.js';
import { createFileStorage } from '../../services/files/index.js';
import {
  findSuppression,
  handleSesNotification,
  liftSuppression,
  listSuppressions,
  presentSuppression,
  unwrapSesNotification,
} from '../../services/email-channel/index.js';
import {
  createForwardingAddress,
  deleteForwardingAddress,
  handleInboundEmail,
  INBOUND_EMAIL_MAX_BODY_BYTES,
  listForwardingAddresses,
  presentForwardingAddress,
  readInboundMime,
  verifyInboundEmailSignature,
  ZSesPayload,
} from '../../services/integrations/index.js';
import { getInbox } from '../../services/inboxes/index.js';
import type { GatewayContext } from '../context.js';
import { agentScope, uuidParam } from '../http/auth.js';
import type { Route } from '../http/router.js';
import { agentRoute, created, data, dataList, envelope, NO_CONTENT, ok, publicRoute, rawBody, ZUuidParams } from './define.js';
import { emailSuppressionSchema, forwardingAddressSchema } from '../protocol/wire/index.js';

const TAGS = ['Inbound email'];

export function inboundEmailRoutes(ctx: GatewayContext): Route[] {
  const { pool, log } = ctx;
  const settings = ctx.config.integrations;
  const scope = agentScope(pool);
  // The mails' files go where uploads go (services/files: the same limits and stores).
  const files = createFileStorage({
    dir: path.resolve(ctx.config.uploads.dir),
    maxBytes: ctx.config.uploads.maxBytes,
    files: ctx.config.files,
  });
  return [
    {
      // Attachments travel base64 in the body (or inside `raw`); the signature is checked before anything is parsed.
      maxBodyBytes: INBOUND_EMAIL_MAX_BODY_BYTES,
      ...publicRoute({
        method: 'POST',
        path: '/api/ses/webhook',
        summary:
          'Inbound email from the forwarding Lambda. The body must be signed (`X-Netia-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, 5 minutes; else 401, nothing changes); one message per message_id',
        tags: TAGS,
        response: rawBody('text/plain', 'Accepted (empty body)'),
        cors: false,
        handler: async ({ req }) => {
          verifyInboundEmailSignature(settings, req.headers['x-netia-signature'], req.rawBody);
          // As the original: a payload without message_id / addresses is acknowledged and ignored (SES would retry forever).
          const parsed = ZSesPayload.safeParse(req.body ?? {});
          if (!parsed.success) {
            log.warn('inbound email payload ignored', { requestId: req.requestId, issue: parsed.error.issues[0]?.message });
            return { raw: '' };
          }
          const mime = await readInboundMime(parsed.data).catch((err: unknown) => {
            log.warn('inbound email: raw MIME unreadable, using the summary fields', { requestId: req.requestId, err });
            return { payload: { ...parsed.data, raw: null }, files: { files: [], skipped: [] } };
          });
          const result = await handleInboundEmail(pool, settings, ctx.conversations, mime.payload, log, {
            files,
            attachments: mime.files,
          });
          if (result.outcome === 'ignored') log.info('inbound email ignored', { reason: result.reason });
          return { raw: '' };
        },
      }),
    },
    publicRoute({
      method: 'POST',
      path: '/api/ses/notifications',
      summary:
        'SES bounce and complaint notifications, signed like /api/ses/webhook (else 401): a permanent bounce or a complaint stops mail to that address for the account that sent it',
      tags: TAGS,
      response: rawBody('text/plain', 'Accepted (empty body)'),
      cors: false,
      handler: async ({ req }) => {
        verifyInboundEmailSignature(settings, req.headers['x-netia-signature'], req.rawBody);
        const notification = unwrapSesNotification(req.body);
        if (!notification) {
          log.warn('SES notification ignored: not a notification', { requestId: req.requestId });
          return { raw: '' };
        }
        const result = await handleSesNotification(pool, notification, log);
        if (result.outcome === 'ignored') log.info('SES notification ignored', { reason: result.reason });
        return { raw: '' };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/email_suppressions',
      summary:
        'Addresses your account no longer mails (a permanent bounce, a complaint, or a refusal by their mail server); `email`: only that address (an empty list when it is mailed)',
      tags: TAGS,
      query: z.object({ email: z.string().max(320).optional() }),
      response: ok(dataList(emailSuppressionSchema)),
      handler: async ({ user, query }) => {
        if (query.email !== undefined) {
          const row = await findSuppression(pool, user.account_id, query.email);
          return { body: { data: row ? [presentSuppression(row)] : [] } };
        }
        return { body: { data: (await listSuppressions(pool, user.account_id)).map(presentSuppression) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/email_suppressions/:email',
      summary: 'Mail an address again (the customer fixed their mailbox); 404 when it is not suppressed',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: z.object({ email: z.string().max(320) }),
      handler: async ({ user, req }) => {
        let email: string;
        try {
          email = decodeURIComponent(req.params.email ?? '');
        } catch {
          throw new AppError('NOT_FOUND');
        }
        if (!(await liftSuppression(pool, user.account_id, email))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/forwarding_addresses',
      summary: "Your account's inbound forwarding addresses",
      tags: TAGS,
      response: ok(dataList(forwardingAddressSchema)),
      handler: async ({ user }) => ({
        body: { data: (await listForwardingAddresses(pool, user.account_id)).map(presentForwardingAddress) },
      }),
    }),
    agentRoute(scope, {
      method: 'POST',
      path: '/forwarding_addresses',
      summary: 'Create a forwarding address (`fwd-…@INBOUND_EMAIL_DOMAIN`) for an inbox',
      tags: TAGS,
      response: created(data(forwardingAddressSchema)),
      admin: true,
      body: envelope(
        'forwarding_address',
        z.object({
          inbox_id: z.string().uuid().nullable().optional(),
          source_email_address: z.string().email().max(320).nullable().optional(),
          description: z.string().max(500).nullable().optional(),
        }),
      ),
      handler: async ({ user, body }) => {
        if (body.inbox_id && !(await getInbox(pool, user.account_id, body.inbox_id))) {
          throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown inbox', fieldErrors: { inbox_id: ['does not exist'] } });
        }
        const row = await createForwardingAddress(pool, settings, {
          accountId: user.account_id,
          inboxId: body.inbox_id ?? null,
          sourceEmailAddress: body.source_email_address ?? null,
          description: body.description ?? null,
        });
        return { status: 201, body: { data: presentForwardingAddress(row) } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/forwarding_addresses/:id',
      summary: 'Delete a forwarding address (another account’s id is 404)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        if (!(await deleteForwardingAddress(pool, user.account_id, uuidParam(req, 'id')))) throw new AppError('NOT_FOUND');
        return { status: 204 };
      },
    }),
  ];
}
