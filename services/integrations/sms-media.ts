/**
 * @module services/integrations/sms-media
 * The media of an inbound MMS (Twilio's `NumMedia`, `MediaUrl{i}`, `MediaContentType{i}`),
 * fetched and stored as files of the account so the message carries them as attachments
 * (issue #19 item 2).
 *
 * - Where from: only `TWILIO_API_URL`'s origin (the operator's choice: api.twilio.com, or a fake
 *   in tests) with the account's credentials (HTTP Basic `AccountSid:AuthToken`, as Twilio's
 *   media URLs require when basic auth for media is on), and hosts of `TWILIO_MEDIA_HOSTS`
 *   (Twilio's media CDN, where api.twilio.com redirects) over https, connected through the
 *   webhooks' SSRF guard (services/webhooks/network.ts: public addresses only, checked at
 *   connect time). Credentials never leave the API origin, redirects included (three at most).
 * - What: the upload limits (services/files `storeFile`: size, accepted types, the account's
 *   quota); a body is never read past the size limit.
 * - When: in the webhook, in parallel, under one deadline (`TWILIO_MEDIA_TIMEOUT_MS`, below
 *   Twilio's 15 s webhook timeout), so Twilio always gets its answer in time; a medium that is
 *   refused, too slow or fails is left out and the message says how many were.
 * - Once: each stored medium is recorded by MessageSid and position (sms_inbound_media), so a
 *   webhook Twilio posts again reuses the files instead of storing them twice.
 * Must not import: gateway, Temporal.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { sql, type DatabasePool } from 'slonik';
import { z } from 'zod';
import { ALLOWED_CONTENT_TYPES, storeFile, type FileStorage } from '../files/index.js';
import type { Logger } from '../log.js';
import { assertAllowedHost, guardedLookup, type NetworkPolicy } from '../webhooks/network.js';
import type { IntegrationSettings } from './config.js';

/** Twilio delivers at most 10 media per MMS. */
export const MAX_SMS_MEDIA = 10;
const MAX_REDIRECTS = 3;
/** Allow-listed hosts other than the API origin: public addresses only. */
const PUBLIC_ONLY: NetworkPolicy = { allowPrivateNetworks: false };

const EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'text/plain': 'txt',
  'text/csv': 'csv',
  'application/zip': 'zip',
  'application/json': 'json',
};

export interface SmsMediaItem {
  position: number;
  url: string;
  contentType: string;
}

/** The media a Twilio inbound form lists (at most {@link MAX_SMS_MEDIA}). */
export function smsMediaOf(params: Record<string, unknown>): { items: SmsMediaItem[]; count: number } {
  const declared = Number(params.NumMedia ?? 0);
  const count = Number.isInteger(declared) && declared > 0 ? declared : 0;
  const items: SmsMediaItem[] = [];
  for (let i = 0; i < Math.min(count, MAX_SMS_MEDIA); i++) {
    const url = params[`MediaUrl${i}`];
    if (typeof url !== 'string' || url === '') continue;
    const type = params[`MediaContentType${i}`];
    items.push({ position: i, url, contentType: typeof type === 'string' ? type : '' });
  }
  return { items, count };
}

class MediaRefused extends Error {}

/** Whether `url` may be fetched, and with the account's credentials (only on the API origin). */
function checkMediaUrl(settings: IntegrationSettings, url: URL): { isApiOrigin: boolean } {
  if (url.username !== '' || url.password !== '') throw new MediaRefused('credentials in the media URL');
  const apiOrigin = new URL(settings.twilio.apiUrl).origin;
  if (url.origin === apiOrigin) return { isApiOrigin: true };
  if (url.protocol !== 'https:') throw new MediaRefused(`media URL is not https: ${url.origin}`);
  if (!settings.twilio.mediaHosts.includes(url.host.toLowerCase())) throw new MediaRefused(`media host not allowed: ${url.host}`);
  assertAllowedHost(url.hostname, PUBLIC_ONLY);
  return { isApiOrigin: false };
}

function get(url: URL, headers: Record<string, string>, isApiOrigin: boolean, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers, signal, ...(isApiOrigin ? {} : { lookup: guardedLookup(PUBLIC_ONLY) }) }, resolve);
    req.on('error', reject);
    req.end();
  });
}

/** Read a body up to `maxBytes` (destroying the response past it). */
function readCapped(res: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const declared = Number(res.headers['content-length']);
    if (Number.isFinite(declared) && declared > maxBytes) {
      res.destroy();
      reject(new MediaRefused(`media of ${declared} bytes is larger than ${maxBytes}`));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (c: Buffer) => {
      size += c.length;
      if (size > maxBytes) {
        res.destroy();
        reject(new MediaRefused(`media is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(c);
    });
    res.on('end', () => resolve(Buffer.concat(chunks)));
    res.on('error', reject);
  });
}

/** GET one medium, following Twilio's redirect to its CDN (each hop checked). */
async function fetchMedium(
  settings: IntegrationSettings,
  auth: { accountSid: string; authToken: string },
  start: string,
  maxBytes: number,
  signal: AbortSignal,
): Promise<{ data: Buffer; contentType: string }> {
  let url = new URL(start);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const { isApiOrigin } = checkMediaUrl(settings, url);
    const headers: Record<string, string> = { 'user-agent': 'Netia-Twilio-Media/1.0' };
    if (isApiOrigin) headers.authorization = `Basic ${Buffer.from(`${auth.accountSid}:${auth.authToken}`).toString('base64')}`;
    const res = await get(url, headers, isApiOrigin, signal);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      url = new URL(res.headers.location, url);
      continue;
    }
    if (status !== 200) {
      res.resume();
      throw new Error(`media answered ${status}`);
    }
    const contentType = (res.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (!ALLOWED_CONTENT_TYPES.has(contentType)) {
      res.destroy();
      throw new MediaRefused(`media type ${contentType || 'unknown'} is not accepted`);
    }
    return { data: await readCapped(res, maxBytes), contentType };
  }
  throw new MediaRefused('too many redirects');
}

const ZFileId = z.object({ file_id: z.string() });

/**
 * Fetch and store the media of an inbound MMS (see the module comment). Returns the stored
 * files' ids in the media's order, and how many of the `count` media Twilio announced are missing.
 */
export async function importSmsMedia(
  pool: DatabasePool,
  storage: FileStorage,
  settings: IntegrationSettings,
  input: {
    accountId: string;
    customerId: string;
    messageSid: string;
    auth: { accountSid: string; authToken: string };
    items: readonly SmsMediaItem[];
    count: number;
  },
  log: Logger,
): Promise<{ fileIds: string[]; missing: number }> {
  const signal = AbortSignal.timeout(settings.twilio.mediaTimeoutMs);
  const results = await Promise.all(
    input.items.map(async (item): Promise<string | null> => {
      const known = await pool.maybeOne(sql.type(ZFileId)`
        SELECT file_id FROM sms_inbound_media
        WHERE account_id = ${input.accountId} AND message_sid = ${input.messageSid} AND position = ${item.position}`);
      if (known) return known.file_id;
      try {
        const declared = item.contentType.split(';')[0]!.trim().toLowerCase();
        // Twilio names the type: a refused one is not even fetched.
        if (declared !== '' && !ALLOWED_CONTENT_TYPES.has(declared)) throw new MediaRefused(`media type ${declared} is not accepted`);
        const medium = await fetchMedium(settings, input.auth, item.url, storage.maxBytes, signal);
        const file = await storeFile(pool, storage, {
          accountId: input.accountId,
          customerId: input.customerId,
          userId: null,
          filename: `mms-${item.position + 1}.${EXTENSIONS[medium.contentType] ?? 'bin'}`,
          contentType: medium.contentType,
          data: medium.data,
        });
        // A concurrent retry of the same webhook may have stored it first: its file wins, ours goes.
        const row = await pool.one(sql.type(ZFileId)`
          WITH ins AS (
            INSERT INTO sms_inbound_media (account_id, message_sid, position, file_id)
            VALUES (${input.accountId}, ${input.messageSid}, ${item.position}, ${file.id})
            ON CONFLICT ON CONSTRAINT sms_inbound_media_pkey DO NOTHING RETURNING file_id)
          SELECT file_id FROM ins UNION ALL
          SELECT file_id FROM sms_inbound_media
          WHERE account_id = ${input.accountId} AND message_sid = ${input.messageSid} AND position = ${item.position}
          LIMIT 1`);
        if (row.file_id !== file.id) await pool.query(sql.type(z.object({}).passthrough())`DELETE FROM files WHERE id = ${file.id}`);
        return row.file_id;
      } catch (err) {
        log.warn('sms media not imported', {
          accountId: input.accountId,
          messageSid: input.messageSid,
          position: item.position,
          reason: signal.aborted ? 'deadline' : err instanceof Error ? err.message : String(err),
        });
        return null;
      }
    }),
  );
  const fileIds = results.filter((id): id is string => id !== null);
  return { fileIds, missing: input.count - fileIds.length };
}
