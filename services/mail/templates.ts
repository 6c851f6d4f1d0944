/**
 * @module services/mail/templates
 * Pure email builders: data in, `{ subject, text, html }` out. No I/O, no
 * clock: times are rendered from the epoch ms they are given, in UTC, so the
 * same input always yields the same email (a resend after a crash is
 * byte-for-byte the same content). Every interpolated value is HTML-escaped in
 * the html part; subjects are folded to one line.
 */

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface TranscriptMessage {
  author: 'customer' | 'agent' | 'bot';
  name: string;
  body: string;
  /** Epoch ms. */
  createdAt: number;
}

/** Escape text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Collapse line breaks and runs of whitespace: a subject is a single header line. */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** `2024-05-01 14:03 UTC`. */
export function formatUtc(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** Escaped text with line breaks kept. */
function htmlText(value: string): string {
  return escapeHtml(value).replace(/\r\n|\r|\n/g, '<br>');
}

/** Only http(s) links are rendered; anything else (javascript:, data:) is dropped. */
function safeUrl(url: string | undefined): string | undefined {
  return url !== undefined && /^https?:\/\//i.test(url) ? url : undefined;
}

function layout(title: string, inner: string): string {
  return [
    '<!doctype html>',
    '<html><head><meta charset="utf-8">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="font-family: -apple-system, BlinkMacSystemFont, \'Segoe UI\', Helvetica, Arial, sans-serif; color: #1f2937; line-height: 1.5;">',
    inner,
    '</body></html>',
  ].join('\n');
}

export interface UnseenReplyEmailInput {
  companyName: string;
  agentName: string;
  /** The last (at most 5) public messages, oldest first. */
  messages: readonly TranscriptMessage[];
  conversationUrl?: string | undefined;
}

/**
 * The email a customer gets when an agent's reply stayed unseen (the original's
 * SendConversationReplyEmail; docs/compatibility.md#emails-and-reminders): subject "New message from <company>!",
 * with the last messages of the conversation.
 */
export function unseenReplyEmail(input: UnseenReplyEmailInput): EmailContent {
  const company = oneLine(input.companyName);
  const agent = oneLine(input.agentName);
  const url = safeUrl(input.conversationUrl);
  const subject = `New message from ${company}!`;

  const textLines = [`${agent} from ${company} replied to your conversation:`, ''];
  for (const m of input.messages) {
    textLines.push(`${oneLine(m.name)} (${formatUtc(m.createdAt)}):`, m.body, '');
  }
  if (url) textLines.push(`Continue the conversation: ${url}`, '');
  textLines.push(`You are receiving this email because you started a conversation with ${company}.`);

  const items = input.messages
    .map((m) => {
      const tint = m.author === 'customer' ? '#f3f4f6' : '#eef2ff';
      return [
        `<div style="margin: 0 0 12px; padding: 10px 14px; border-radius: 8px; background: ${tint};">`,
        `<div style="font-size: 12px; color: #6b7280;"><strong>${escapeHtml(oneLine(m.name))}</strong> &middot; ${escapeHtml(formatUtc(m.createdAt))}</div>`,
        `<div>${htmlText(m.body)}</div>`,
        '</div>',
      ].join('');
    })
    .join('\n');
  const html = layout(
    subject,
    [
      `<p>${escapeHtml(agent)} from ${escapeHtml(company)} replied to your conversation:</p>`,
      items,
      url ? `<p><a href="${escapeHtml(url)}">Continue the conversation</a></p>` : '',
      `<p style="font-size: 12px; color: #6b7280;">You are receiving this email because you started a conversation with ${escapeHtml(company)}.</p>`,
    ].join('\n'),
  );
  return { subject, text: textLines.join('\n'), html };
}

export interface AgentReminderEmailInput {
  companyName: string;
  customerName: string;
  /** Epoch ms of the customer message still waiting for an answer. */
  waitingSince: number;
  /** 1-based. */
  reminderNumber: number;
  maxReminders: number;
  conversationUrl?: string | undefined;
}

/**
 * The reminder agents get for a conversation whose customer is waiting
 * (docs/compatibility.md#emails-and-reminders), worded like the original's reminder note: "n of max",
 * and "the last reminder" when n reaches max.
 */
export function agentReminderEmail(input: AgentReminderEmailInput): EmailContent {
  const company = oneLine(input.companyName);
  const customer = oneLine(input.customerName) || 'A customer';
  const n = Math.max(1, Math.trunc(input.reminderNumber));
  const max = Math.max(1, Math.trunc(input.maxReminders));
  const url = safeUrl(input.conversationUrl);
  const since = formatUtc(input.waitingSince);

  const subject =
    max > 1
      ? `Reminder (${Math.min(n, max)} of ${max}): ${customer} is waiting for a reply`
      : `Reminder: ${customer} is waiting for a reply`;
  const status =
    n >= max && max > 1
      ? 'This is the last reminder to follow up on this conversation: no more will be sent after this.'
      : n < max
        ? `This is an automated reminder (${n} of ${max}) to follow up on this conversation.`
        : 'This is an automated reminder to follow up on this conversation.';
  const waiting = `${customer} has been waiting for a reply since ${since}.`;

  const text = [
    waiting,
    '',
    status,
    '',
    ...(url ? [`Open the conversation: ${url}`, ''] : []),
    `You are receiving this email because you are an agent of ${company} on Netia.`,
  ].join('\n');
  const html = layout(
    subject,
    [
      `<p>${escapeHtml(waiting)}</p>`,
      `<p>${escapeHtml(status)}</p>`,
      url ? `<p><a href="${escapeHtml(url)}">Open the conversation</a></p>` : '',
      `<p style="font-size: 12px; color: #6b7280;">You are receiving this email because you are an agent of ${escapeHtml(company)} on Netia.</p>`,
    ].join('\n'),
  );
  return { subject, text, html };
}

export interface NewMessageAlertInput {
  customerName: string | null;
  customerEmail: string | null;
  conversationId: string;
  body: string;
  /** True for the conversation's first message. */
  isNewConversation: boolean;
  conversationUrl?: string | undefined;
}

/**
 * An agent's new-message alert (docs/compatibility.md#emails-and-reminders): the original's subject lines
 * ("<name> (<email>) has sent you a message", …) and a link to the conversation.
 */
export function newMessageAlertEmail(input: NewMessageAlertInput): EmailContent {
  const name = oneLine(input.customerName ?? '');
  const email = oneLine(input.customerEmail ?? '');
  const who = name && email ? `${name} (${email})` : name || email;
  const subject = who ? `${who} has sent you a message` : `A customer has sent you a message (conversation ${input.conversationId})`;
  const url = safeUrl(input.conversationUrl);
  const lead = input.isNewConversation ? `${who || 'A customer'} started a new conversation:` : `${who || 'A customer'} wrote:`;
  const text = [
    lead,
    '',
    input.body,
    '',
    ...(url ? [`Reply in Netia: ${url}`, ''] : []),
    'You get these emails because of your notification preferences in Netia.',
  ].join('\n');
  const html = layout(
    subject,
    [
      `<p>${escapeHtml(lead)}</p>`,
      `<blockquote style="margin: 0; padding-left: 12px; border-left: 3px solid #d1d5db;">${htmlText(input.body)}</blockquote>`,
      url ? `<p><a href="${escapeHtml(url)}">Reply in Netia</a></p>` : '',
      '<p style="font-size: 12px; color: #6b7280;">You get these emails because of your notification preferences in Netia.</p>',
    ].join('\n'),
  );
  return { subject, text, html };
}
