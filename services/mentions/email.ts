/**
 * @module services/mentions/email
 * The email an agent gets when a teammate mentions them in a private note
 * (issue #17): who mentioned them, the last few messages of the conversation
 * (notes included: the reader is an agent) and a link to it. Pure: data in,
 * `{ subject, text, html }` out, like services/mail/templates.
 */
import { escapeHtml, formatUtc, type EmailContent, type TranscriptMessage } from '../mail/templates.js';

export interface MentionEmailInput {
  /** Who wrote the note. */
  authorName: string;
  /** The customer of the conversation, as agents see them. */
  customerName: string;
  /** The last messages, oldest first (the note last). */
  messages: readonly (TranscriptMessage & { isNote: boolean })[];
  conversationUrl: string;
}

const oneLine = (value: string): string => value.replace(/\s+/g, ' ').trim();
const htmlText = (value: string): string => escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>');

export function mentionEmail(input: MentionEmailInput): EmailContent {
  const author = oneLine(input.authorName) || 'A teammate';
  const customer = oneLine(input.customerName) || 'a customer';
  const subject = `${author} mentioned you in a conversation with ${customer}`;
  const lead = `${author} mentioned you in a private note in the conversation with ${customer}:`;
  const url = /^https?:\/\//i.test(input.conversationUrl) ? input.conversationUrl : undefined;
  const label = (m: { name: string; isNote: boolean; createdAt: number }): string =>
    `${oneLine(m.name)}${m.isNote ? ' (private note)' : ''} · ${formatUtc(m.createdAt)}`;
  const text = [
    lead,
    '',
    ...input.messages.flatMap((m) => [`${label(m)}:`, m.body, '']),
    ...(url ? [`Open the conversation: ${url}`, ''] : []),
    'You get these emails because you are mentioned in Netia. Turn them off in Settings → Notifications.',
  ].join('\n');
  const items = input.messages
    .map((m) => {
      const tint = m.isNote ? '#fef9c3' : m.author === 'customer' ? '#f3f4f6' : '#eef2ff';
      return [
        `<div style="margin: 0 0 12px; padding: 10px 14px; border-radius: 8px; background: ${tint};">`,
        `<div style="font-size: 12px; color: #6b7280;"><strong>${escapeHtml(label(m))}</strong></div>`,
        `<div>${htmlText(m.body)}</div>`,
        '</div>',
      ].join('');
    })
    .join('\n');
  const html = [
    '<!doctype html>',
    `<html><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: -apple-system, BlinkMacSystemFont, \'Segoe UI\', Helvetica, Arial, sans-serif; color: #1f2937; line-height: 1.5;">',
    `<p>${escapeHtml(lead)}</p>`,
    items,
    url ? `<p><a href="${escapeHtml(url)}">Open the conversation</a></p>` : '',
    '<p style="font-size: 12px; color: #6b7280;">You get these emails because you are mentioned in Netia. Turn them off in Settings → Notifications.</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
