/**
 * @module gateway/routes/twilio
 * SMS through Twilio (docs/compatibility.md#integrations-and-webhooks): connect (credentials checked with
 * Twilio, auth token stored encrypted and never returned — the original
 * returned it), status, disconnect, the inbound webhook and the status
 * callback. Both webhooks check `X-Twilio-Signature` over PUBLIC_URL + path
 * with the number's auth token (the original checked nothing: Q8).
 */
import { AppError } from '../../services/errors.js';
import {
  connectTwilio,
  deleteIntegration,
  findIntegrationOfSentSms,
  findTwilioIntegrationFor,
  getIntegration,
  handleInboundSms,
  presentTwilioIntegration,
  recordSmsStatus,
  verifyTwilioSignature,
  ZTwilioAuthInput,
  ZTwilioInbound,
  ZTwilioStatus,
  textCustomer,
  ZTextCustomerInput,
} from '../../services/integrations/index.js';
import { createFileStorage } from '../../services/files/index.js';
import { getInbox } from '../../services/inboxes/index.js';
import path from 'node:path';
import type { GatewayContext } from '../context.js';
import { agentScope, parseValue, uuidParam, type AuthScope } from '../http/auth.js';
import type { Request, Route } from '../http/router.js';
import { agentRoute, data, envelope, jsonBody, NO_CONTENT, ok, publicRoute, rawBody, ZUuidParams } from './define.js';
import { sendOnce } from './send-once.js';
import { twilioAuthResultSchema, twilioIntegrationSchema, twilioSendResultSchema } from '../protocol/wire/index.js';

const TAGS = ['Twilio'];
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

/** The form fields Twilio posted, as strings (the signature is computed over them). */
function formParams(req: Request): Record<string, string> {
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new AppError('BAD_REQUEST', { userMessage: 'Expected a form body' });
  }
  return Object.fromEntries(Object.entries(body as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
}

export function twilioRoutes(ctx: GatewayContext): Route[] {
  const { pool, log } = ctx;
  const settings = ctx.config.integrations;
  const scope = agentScope(pool);
  // Inbound MMS media are stored like uploads (the same store and limits: gateway/routes/files.ts).
  const media = {
    settings,
    storage: createFileStorage({
      dir: path.resolve(ctx.config.uploads.dir),
      maxBytes: ctx.config.uploads.maxBytes,
      files: ctx.config.files,
    }),
  };
  return [
    ...twilioSendRoutes(ctx, scope),
    agentRoute(scope, {
      method: 'POST',
      path: '/twilio/auth',
      summary:
        'Connect Twilio (checked by listing one message). Refused credentials answer `{data:{ok:false,error}}` as the original; the auth token is stored encrypted',
      tags: TAGS,
      response: ok(data(twilioAuthResultSchema)),
      admin: true,
      audit: { action: 'twilio.connect' },
      body: envelope('authorization', ZTwilioAuthInput),
      handler: async ({ user, body }) => {
        if (body.inbox_id && !(await getInbox(pool, user.account_id, body.inbox_id))) {
          throw new AppError('VALIDATION_FAILED', { userMessage: 'Unknown inbox', fieldErrors: { inbox_id: ['does not exist'] } });
        }
        const row = await connectTwilio(pool, settings, { accountId: user.account_id, userId: user.id, ...body });
        if (!row) return { body: { data: { ok: false, error: 'Invalid Twilio authorization details.' } } };
        log.info('twilio connected', { accountId: user.account_id, userId: user.id });
        return { body: { data: { ok: true, authorization: presentTwilioIntegration(row, settings) } } };
      },
    }),
    agentRoute(scope, {
      method: 'GET',
      path: '/twilio/authorization',
      summary: 'The connected Twilio number (null when none; never the auth token)',
      tags: TAGS,
      response: ok(data(twilioIntegrationSchema.nullable())),
      handler: async ({ user }) => {
        const row = await getIntegration(pool, user.account_id, 'twilio');
        return { body: { data: row ? presentTwilioIntegration(row, settings) : null } };
      },
    }),
    agentRoute(scope, {
      method: 'DELETE',
      path: '/twilio/authorizations/:id',
      summary: 'Disconnect Twilio (another account’s id is 404)',
      tags: TAGS,
      response: NO_CONTENT,
      admin: true,
      audit: { action: 'twilio.disconnect' },
      params: ZUuidParams,
      handler: async ({ user, req }) => {
        const row = await getIntegration(pool, user.account_id, 'twilio');
        if (!row || row.id !== uuidParam(req, 'id')) throw new AppError('NOT_FOUND');
        await deleteIntegration(pool, user.account_id, 'twilio');
        log.info('twilio disconnected', { accountId: user.account_id, userId: user.id });
        return { status: 204 };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/twilio/webhook',
      summary:
        'Inbound SMS (Twilio form post). `X-Twilio-Signature` must be valid for the number’s auth token (else 403, nothing changes); one message per MessageSid. Answers empty TwiML',
      tags: TAGS,
      response: rawBody('text/xml', 'An empty TwiML response'),
      cors: false,
      handler: async ({ req }) => {
        const params = formParams(req);
        const row = await findTwilioIntegrationFor(pool, params.AccountSid ?? '', params.To ?? '');
        verifyTwilioSignature(settings, row, {
          path: '/api/twilio/webhook',
          query: req.query.toString(),
          signature: req.headers['x-twilio-signature'],
          params,
        });
        const inbound = parseValue(params, ZTwilioInbound);
        await handleInboundSms(pool, ctx.conversations, row, inbound, log, media);
        return { raw: EMPTY_TWIML, contentType: 'text/xml; charset=utf-8' };
      },
    }),
    publicRoute({
      method: 'POST',
      path: '/api/twilio/status',
      summary: 'Twilio status callback of a sent SMS (signature checked): the status is recorded on the delivery',
      tags: TAGS,
      response: NO_CONTENT,
      cors: false,
      handler: async ({ req }) => {
        const params = formParams(req);
        const row = await findIntegrationOfSentSms(pool, params.AccountSid ?? '', params.MessageSid ?? '');
        verifyTwilioSignature(settings, row, {
          path: '/api/twilio/status',
          query: req.query.toString(),
          signature: req.headers['x-twilio-signature'],
          params,
        });
        await recordSmsStatus(pool, parseValue(params, ZTwilioStatus));
        return { status: 204 };
      },
    }),
  ];
}

/**
 * `POST /api/twilio/send` (also under `/api/v1`): an agent texts a number from the account's Twilio
 * number, within the account's SMS budget, once per `Idempotency-Key` (./send-once.ts).
 */
export function twilioSendRoutes(ctx: GatewayContext, scope: AuthScope): Route[] {
  return [
    agentRoute(scope, {
      method: 'POST',
      path: '/twilio/send',
      summary:
        'Send an SMS `{to, body, customer_id?}` from your account\'s Twilio number (`to` in E.164; counts against SMS_MAX_PER_ACCOUNT_PER_HOUR) and record it in the customer\'s SMS conversation (found or opened; the customer found by number or created); 422 "Missing Twilio integration" without Twilio, 422 when the number opted out (STOP)',
      tags: TAGS,
      response: ok(data(twilioSendResultSchema)),
      idempotent: true,
      body: jsonBody(ZTextCustomerInput),
      handler: ({ req, user, body }) =>
        sendOnce(ctx, req, user, 'twilio-send', async (tx, { jobId, outside }) => ({
          data: {
            ok: true,
            ...(await textCustomer(
              tx,
              ctx.pool,
              ctx.conversations,
              ctx.config.integrations,
              { ...body, accountId: user.account_id, userId: user.id, jobId },
              ctx.log,
              outside,
            )),
          },
        })),
    }),
  ];
}
