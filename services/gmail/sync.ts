/**
 * @module services/gmail/sync
 * What a sync of one mailbox fetches: the messages added since the stored
 * history id (`users.history.list`), or, when there is none or Google forgot it
 * (404), the latest inbox messages (`users.messages.list`). Read-only towards
 * Gmail; the caller posts the mails into conversations and then stores the new
 * history id, so a sync interrupted anywhere is simply repeated (posting is
 * idempotent per Gmail message id).
 */
import type { gmail_v1 } from 'googleapis/build/src/apis/gmail/index.js';
import type { DatabaseConnection } from 'slonik';
import type { GmailSettings } from './config.js';
import { googleStatus, openGmailSession } from './google.js';
import { readInboundMail, SKIPPED_LABELS, type InboundMail } from './mail.js';
import { getGmailConnection, listImportedGmailIds, listSentGmailIds } from './store.js';

/**
 * Most messages one sync imports; the rest wait for the next run (the history id
 * is not advanced past them). Bounded so the activity's result stays far below
 * Temporal's payload limit (2 MB) even with bodies at MESSAGE_MAX_BODY_CHARS.
 */
export const MAX_MAILS_PER_SYNC = 25;
/** Messages the fallback (no usable history id) looks at. */
const FALLBACK_RECENT = 20;

export interface FetchedMail {
  accountId: string;
  inboxId: string;
  mailbox: string;
  mails: InboundMail[];
  /** Where the next sync starts (store it after the mails are posted); null = unchanged. */
  historyId: string | null;
}

async function idsFromHistory(api: gmail_v1.Gmail, startHistoryId: string): Promise<{ ids: string[]; historyId: string | null } | null> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  let historyId: string | null = null;
  try {
    do {
      const res = await api.users.history.list({
        userId: 'me',
        startHistoryId,
        historyTypes: ['messageAdded'],
        maxResults: 500,
        ...(pageToken ? { pageToken } : {}),
      });
      for (const h of res.data.history ?? []) {
        for (const added of h.messagesAdded ?? []) if (added.message?.id) ids.push(added.message.id);
      }
      historyId = res.data.historyId ?? historyId;
      pageToken = res.data.nextPageToken ?? undefined;
    } while (pageToken);
  } catch (err) {
    // Google keeps history for about a week: an older start id answers 404 and we fall back.
    if (googleStatus(err) === 404) return null;
    throw err;
  }
  return { ids, historyId };
}

/**
 * New inbound mail of a connection, oldest first, without spam, drafts,
 * promotions, our own sent mail and mail this connection sent itself. Null when
 * the connection no longer exists (disconnected while a sync was scheduled).
 */
export async function fetchNewMail(
  connection: DatabaseConnection,
  settings: GmailSettings,
  connectionId: string,
  maxBodyChars: number,
): Promise<FetchedMail | null> {
  const row = await getGmailConnection(connection, connectionId);
  if (!row) return null;
  const api = await openGmailSession(connection, settings, row);
  let listed = row.history_id ? await idsFromHistory(api, row.history_id) : null;
  if (!listed) {
    const [recent, profile] = await Promise.all([
      api.users.messages.list({ userId: 'me', labelIds: ['INBOX'], maxResults: FALLBACK_RECENT }),
      api.users.getProfile({ userId: 'me' }),
    ]);
    listed = {
      ids: (recent.data.messages ?? []).flatMap((m) => (m.id ? [m.id] : [])).reverse(),
      historyId: profile.data.historyId ?? null,
    };
  }
  const unique = [...new Set(listed.ids)];
  // Skip our own replies and mail already posted (a capped or failed earlier run), so a backlog progresses.
  const [ours, imported] = await Promise.all([
    listSentGmailIds(connection, row.id, unique),
    listImportedGmailIds(connection, row.id, unique),
  ]);
  const wanted = unique.filter((id) => !ours.has(id) && !imported.has(id));
  const capped = wanted.length > MAX_MAILS_PER_SYNC;
  const mails: InboundMail[] = [];
  for (const id of wanted.slice(0, MAX_MAILS_PER_SYNC)) {
    let message: gmail_v1.Schema$Message;
    try {
      message = (await api.users.messages.get({ userId: 'me', id, format: 'full' })).data;
    } catch (err) {
      if (googleStatus(err) === 404) continue; // deleted since it was added
      throw err;
    }
    if ((message.labelIds ?? []).some((l) => SKIPPED_LABELS.has(l))) continue;
    const mail = readInboundMail(message, maxBodyChars);
    if (mail && mail.fromAddress !== row.email.toLowerCase()) mails.push(mail);
  }
  mails.sort((a, b) => a.receivedAt - b.receivedAt);
  return {
    accountId: row.account_id,
    inboxId: row.inbox_id,
    mailbox: row.email,
    mails,
    // When capped, keep the old start point: the next run sees the rest (and skips what is already posted).
    historyId: capped ? null : listed.historyId,
  };
}
