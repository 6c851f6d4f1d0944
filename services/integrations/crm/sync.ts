/**
 * @module services/integrations/crm/sync
 * The `crm` outbound destination (services/outbound/destinations.ts): for each vendor an account
 * is connected to, (1) a customer identified by an email (created, or its email, name, phone or
 * external id changed) gets its contact created or updated at the vendor, and the contact's id,
 * link and fields are kept for the customer panel; (2) a conversation that closes gets its
 * transcript logged as a note on the customer's contact. Retries, backoff and the vendor's
 * `Retry-After` on 429 are the delivery workflow's (workflows/delivery; activities/adapt.ts).
 *
 * Exactly once: a note's id is recorded under the job id (integration_deliveries) in the
 * transaction that holds the job's advisory lock; a retry that finds the record does nothing. A
 * retry after a crash between the vendor's answer and that commit (attempt > 1, no record) first
 * looks for a note on the contact carrying the job's reference line and records it instead of
 * writing again. Contacts are found by email before one is created, and a create the vendor
 * answers 409 (it exists) becomes an update, so a contact is never created twice.
 * Must not import: gateway, Temporal.
 */
import { createHash } from 'node:crypto';
import { sql, type DatabaseConnection, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import type { DeliveryJob, Destination, OutboundEvent } from '../../outbound/types.js';
import type { IntegrationSettings } from '../config.js';
import { getDelivery, recordDelivery } from '../store.js';
import type { CrmProvider } from './config.js';
import { hubspot } from './hubspot.js';
import { intercom } from './intercom.js';
import {
  connectedProviders,
  crmSecretOf,
  getCrmConnection,
  getCrmContact,
  saveCrmContact,
  setCrmError,
  updateCrmSecret,
  type CrmConnectionRow,
} from './store.js';
import type { ContactInput, CrmCall, CrmContact, CrmVendor } from './vendor.js';

const ZVoid = z.object({}).passthrough();

export const CRM_VENDORS: Readonly<Record<CrmProvider, CrmVendor>> = Object.freeze({ hubspot, intercom });

export const CRM_DELIVERY_KIND = 'crm';

const ZPayload = z.discriminatedUnion('op', [
  z.object({ op: z.literal('contact'), provider: z.enum(['hubspot', 'intercom']), customerId: z.string() }),
  z.object({ op: z.literal('note'), provider: z.enum(['hubspot', 'intercom']), conversationId: z.string(), closedAt: z.string() }),
]);

const digest = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);

interface IdentityLike {
  id: string;
  email?: string | null | undefined;
  name?: string | null | undefined;
  phone?: string | null | undefined;
  external_id?: string | null | undefined;
}

/** The job id of syncing this state of a customer's identity: the same identity is synced once. */
export function contactJobId(provider: CrmProvider, c: IdentityLike): string {
  return `crm-${provider}-contact-${c.id}-${digest([c.email ?? null, c.name ?? null, c.phone ?? null, c.external_id ?? null])}`;
}

/** The job id of logging a conversation's transcript for one closing (a conversation closed again is logged again). */
export function noteJobId(provider: CrmProvider, conversationId: string, closedAt: string): string {
  return `crm-${provider}-note-${conversationId}-${Date.parse(closedAt)}`;
}

async function plan(pool: DatabasePool, events: readonly OutboundEvent[]): Promise<DeliveryJob[]> {
  const relevant = events.filter(
    (e) =>
      ((e.type === 'customer:created' || e.type === 'customer:updated') && e.customer.email) ||
      (e.type === 'conversation:updated' && e.conversation.status === 'closed' && e.conversation.closed_at),
  );
  if (relevant.length === 0) return [];
  const providers = await connectedProviders(
    pool,
    relevant.map((e) => e.accountId),
  );
  const jobs: DeliveryJob[] = [];
  for (const e of relevant) {
    for (const provider of providers.get(e.accountId) ?? []) {
      if (e.type === 'customer:created' || e.type === 'customer:updated') {
        jobs.push({
          id: contactJobId(provider, e.customer),
          kind: CRM_DELIVERY_KIND,
          accountId: e.accountId,
          payload: { op: 'contact', provider, customerId: e.customer.id },
        });
      } else if (e.type === 'conversation:updated' && e.conversation.closed_at) {
        const closedAt = e.conversation.closed_at;
        jobs.push({
          id: noteJobId(provider, e.conversationId, closedAt),
          kind: CRM_DELIVERY_KIND,
          accountId: e.accountId,
          payload: { op: 'note', provider, conversationId: e.conversationId, closedAt },
        });
      }
    }
  }
  return jobs;
}

/** The connection's call context, with HubSpot's access token refreshed (and stored) when it is about to expire. */
async function callFor(
  pool: DatabaseConnection,
  settings: IntegrationSettings,
  row: CrmConnectionRow,
  signal: AbortSignal | undefined,
): Promise<CrmCall> {
  let secret = crmSecretOf(settings.encryptionKey, row);
  const refreshed = await CRM_VENDORS[row.provider].refresh(settings.crm, secret, signal);
  if (refreshed) {
    await updateCrmSecret(pool, settings.encryptionKey, row.id, refreshed);
    secret = refreshed;
  }
  return { secret, externalAccount: row.external_account, ...(signal ? { signal } : {}) };
}

const ZCustomer = z.object({
  id: z.string(),
  email: z.string().nullable(),
  name: z.string().nullable(),
  phone: z.string().nullable(),
  external_id: z.string().nullable(),
});

function inputOf(c: z.infer<typeof ZCustomer>): ContactInput | null {
  const email = c.email?.trim();
  if (!email) return null;
  return { email, name: c.name, phone: c.phone, externalId: c.external_id };
}

/**
 * Create or update the customer's contact and keep what the vendor answered. Null when the
 * customer has no email (not identified: nothing to match a contact by).
 */
async function syncContact(
  tx: DatabaseConnection,
  settings: IntegrationSettings,
  row: CrmConnectionRow,
  call: CrmCall,
  customerId: string,
): Promise<CrmContact | null> {
  const vendor = CRM_VENDORS[row.provider];
  const customer = await tx.maybeOne(sql.type(ZCustomer)`
    SELECT id, email, name, phone, external_id FROM customers WHERE id = ${customerId} AND account_id = ${row.account_id}`);
  const input = customer ? inputOf(customer) : null;
  if (!input) return null;
  const known = await getCrmContact(tx, customerId, row.provider);
  let contact: CrmContact | null = null;
  if (known) {
    try {
      contact = await vendor.updateContact(settings.crm, call, known.contact_id, input);
    } catch (err) {
      // Deleted or merged away at the vendor: match by email again below.
      if (!(err instanceof AppError && err.code === 'BAD_REQUEST' && /HTTP 404/.test(err.message))) throw err;
    }
  }
  if (!contact) {
    const found = await vendor.findContact(settings.crm, call, input.email);
    contact = found
      ? await vendor.updateContact(settings.crm, call, found.id, input)
      : await vendor.createContact(settings.crm, call, input);
  }
  await saveCrmContact(tx, { accountId: row.account_id, customerId, provider: row.provider, contact });
  return contact;
}

const ZTranscriptLine = z.object({
  body: z.string().nullable(),
  inserted_at: z.number(),
  author: z.string(),
});

const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/** The reference line our notes carry: how a retry recognises a note it already wrote. */
export function noteMarker(jobId: string): string {
  return `Netia ref: ${jobId}`;
}

/** Most characters of transcript lines in one note (both vendors take more; a long chat is cut, with a link to the rest). */
const TRANSCRIPT_MAX = 60_000;

/**
 * The note's HTML: a first paragraph naming the conversation and carrying the reference line (kept
 * when a long transcript is cut), then one paragraph per customer-visible message, oldest first.
 * Private notes and system lines stay in Netia. Every text is escaped.
 */
export async function transcriptHtml(
  tx: DatabaseConnection,
  accountId: string,
  conversationId: string,
  jobId: string,
  publicUrl: string | undefined,
): Promise<string> {
  const lines = await tx.any(sql.type(ZTranscriptLine)`
    SELECT m.body, m.inserted_at,
      COALESCE(CASE WHEN m.user_id IS NOT NULL THEN COALESCE(NULLIF(p.display_name, ''), NULLIF(p.full_name, ''), u.email, 'Agent') END,
        CASE WHEN m.customer_id IS NOT NULL THEN COALESCE(NULLIF(c.name, ''), c.email, 'Customer') END, 'Bot') AS author
    FROM messages m
    LEFT JOIN users u ON u.id = m.user_id
    LEFT JOIN user_profiles p ON p.user_id = m.user_id
    LEFT JOIN customers c ON c.id = m.customer_id
    WHERE m.conversation_id = ${conversationId} AND m.account_id = ${accountId} AND NOT m.private AND m.type <> 'system'
    ORDER BY m.seq`);
  const link = publicUrl ? ` <a href="${escapeHtml(`${publicUrl}/conversations/${conversationId}`)}">Open in Netia</a>.` : '';
  const head = `<p><strong>Conversation transcript</strong> (${lines.length} messages).${link} <small>${escapeHtml(noteMarker(jobId))}</small></p>`;
  let body = '';
  for (const l of lines) {
    const line = `<p><strong>${escapeHtml(l.author)}</strong> <small>${new Date(l.inserted_at).toISOString()}</small><br>${escapeHtml(l.body ?? '').replace(/\n/g, '<br>')}</p>`;
    if (body.length + line.length > TRANSCRIPT_MAX) {
      body += '<p><em>… the rest is in Netia.</em></p>';
      break;
    }
    body += line;
  }
  return head + body;
}

async function deliver(
  settings: IntegrationSettings,
  ctx: { pool: DatabasePool; attempt: number; signal?: AbortSignal },
  job: DeliveryJob,
): Promise<void> {
  const payload = ZPayload.parse(job.payload);
  if (await getDelivery(ctx.pool, job.id)) return;
  const row = await getCrmConnection(ctx.pool, job.accountId, payload.provider);
  if (!row) return; // disconnected since planning
  try {
    const call = await callFor(ctx.pool, settings, row, ctx.signal);
    await ctx.pool.transaction(async (tx) => {
      const customerId =
        payload.op === 'contact'
          ? payload.customerId
          : await tx.maybeOneFirst(sql.type(z.object({ customer_id: z.string() }))`
              SELECT customer_id FROM conversations WHERE id = ${payload.conversationId} AND account_id = ${job.accountId}`);
      if (!customerId) return; // deleted since
      // One job per customer and vendor at a time: two first syncs must not create two contacts.
      await tx.query(sql.type(ZVoid)`SELECT pg_advisory_xact_lock(hashtextextended(${`crm:${payload.provider}:${customerId}`}, 0))`);
      if (await getDelivery(tx, job.id)) return;
      const known = payload.op === 'note' ? await getCrmContact(tx, customerId, payload.provider) : null;
      const contact = known ? { id: known.contact_id } : await syncContact(tx, settings, row, call, customerId);
      let externalId = contact?.id ?? '';
      if (payload.op === 'note' && contact) {
        const vendor = CRM_VENDORS[payload.provider];
        const found = ctx.attempt > 1 ? await vendor.findNote(settings.crm, call, contact.id, noteMarker(job.id)) : null;
        externalId =
          found ??
          (await vendor.createNote(
            settings.crm,
            call,
            contact.id,
            await transcriptHtml(tx, job.accountId, payload.conversationId, job.id, settings.publicUrl),
            new Date(payload.closedAt),
          ));
      }
      await recordDelivery(tx, {
        jobId: job.id,
        accountId: job.accountId,
        kind: `crm-${payload.provider}-${payload.op}`,
        conversationId: payload.op === 'note' ? payload.conversationId : null,
        messageId: null,
        externalId,
        attempt: ctx.attempt,
      });
    });
    await setCrmError(ctx.pool, job.accountId, payload.provider, null);
  } catch (err) {
    if (err instanceof AppError && err.code === 'UNAUTHENTICATED') {
      await setCrmError(ctx.pool, job.accountId, payload.provider, `${err.userMessage} Connect again in Settings → CRM.`);
    }
    throw err;
  }
}

/** The `crm` destination, calling the vendors with this process's settings (built by services/outbound/destinations.ts). */
export function createCrmDestination(settings: IntegrationSettings): Destination {
  return {
    kind: CRM_DELIVERY_KIND,
    plan,
    deliver: (ctx, job) => deliver(settings, ctx, job),
    async recordFailure(ctx, job, reason) {
      const parsed = ZPayload.safeParse(job.payload);
      if (parsed.success) await setCrmError(ctx.pool, job.accountId, parsed.data.provider, `A ${parsed.data.op} sync failed: ${reason}`);
    },
  };
}
