/**
 * @module services/gmail/attachments
 * The files of a synced Gmail mail (issue #19): fetched with `users.messages.attachments.get` when
 * the mail is posted (only their ids travel through the sync workflow's history) and stored
 * through the files service under the upload limits; a file that is refused is skipped and named
 * in the message's metadata, never the whole mail.
 * Must not import: gateway, Temporal.
 */
import type { DatabasePool } from 'slonik';
import { AppError } from '../errors.js';
import { storeFile, type FileStorage } from '../files/index.js';
import type { GmailSettings } from './config.js';
import { openGmailSession } from './google.js';
import type { InboundMail } from './mail.js';
import { getGmailConnection } from './store.js';

export interface StoredGmailFiles {
  fileIds: string[];
  skipped: Array<{ filename: string; reason: string }>;
}

export async function storeGmailAttachments(
  pool: DatabasePool,
  settings: GmailSettings,
  storage: FileStorage,
  input: { connectionId: string; accountId: string; customerId: string; mail: InboundMail },
): Promise<StoredGmailFiles> {
  const refs = input.mail.attachments ?? [];
  const out: StoredGmailFiles = { fileIds: [], skipped: [] };
  if (refs.length === 0) return out;
  const mailbox = await getGmailConnection(pool, input.connectionId);
  if (!mailbox) return out;
  const api = await openGmailSession(pool, settings, mailbox);
  for (const ref of refs) {
    if (ref.size > storage.maxBytes) {
      out.skipped.push({ filename: ref.filename, reason: `is larger than ${storage.maxBytes} bytes` });
      continue;
    }
    const res = await api.users.messages.attachments.get({ userId: 'me', messageId: input.mail.gmailId, id: ref.attachmentId });
    const data = Buffer.from(res.data.data ?? '', 'base64url');
    try {
      const row = await storeFile(pool, storage, {
        accountId: input.accountId,
        customerId: input.customerId,
        userId: null,
        filename: ref.filename,
        contentType: ref.mimeType,
        data,
      });
      out.fileIds.push(row.id);
    } catch (err) {
      if (!(err instanceof AppError) || (err.code !== 'VALIDATION_FAILED' && err.code !== 'PAYLOAD_TOO_LARGE')) throw err;
      out.skipped.push({ filename: ref.filename, reason: err.fieldErrors?.file?.[0] ?? err.userMessage });
    }
  }
  return out;
}
