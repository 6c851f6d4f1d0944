/**
 * @module services/mail/account
 * Emails about a user's own account (issue #14): password reset, invitation,
 * welcome, email verification, role changed, user removed. Pure builders,
 * like templates.ts: data in, `{ subject, text, html }` out, no I/O, no clock.
 * The HTML is what common clients render alike (Outlook's Word engine
 * included): one centred 600px table, inline styles only, no CSS classes, no
 * images, a "bulletproof" table-cell button; the same words and the full link
 * are in the text part, always.
 * Must not import: gateway, Temporal.
 */
import { escapeHtml, type EmailContent } from './templates.js';

/** Collapse line breaks and runs of whitespace (subjects and names are one line). */
function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}

/** Only http(s) links are rendered. */
function safeUrl(url: string): string {
  if (!/^https?:\/\//i.test(url)) throw new Error('account email links must be http(s) URLs');
  return url;
}

const FONT = "font-family: -apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif;";

/** One paragraph of escaped text. */
function p(text: string): string {
  return `<p style="margin: 0 0 16px; ${FONT} font-size: 15px; line-height: 22px; color: #1f2937;">${escapeHtml(text)}</p>`;
}

/** A button that renders in every client (a link inside a coloured table cell), with the URL spelled out below. */
function button(label: string, url: string): string {
  const href = escapeHtml(url);
  return [
    '<table role="presentation" border="0" cellpadding="0" cellspacing="0" style="margin: 8px 0 24px;"><tr>',
    `<td align="center" bgcolor="#1f6feb" style="border-radius: 6px; background-color: #1f6feb;">`,
    `<a href="${href}" target="_blank" style="display: inline-block; padding: 12px 24px; ${FONT} font-size: 15px; font-weight: bold; color: #ffffff; text-decoration: none; border-radius: 6px;">${escapeHtml(label)}</a>`,
    '</td></tr></table>',
    `<p style="margin: 0 0 16px; ${FONT} font-size: 13px; line-height: 19px; color: #6b7280;">Or paste this link into your browser:<br><a href="${href}" style="color: #1f6feb; word-break: break-all;">${href}</a></p>`,
  ].join('\n');
}

function layout(title: string, body: string, footer: string): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title></head>`,
    '<body style="margin: 0; padding: 0; background-color: #f3f4f6;">',
    '<table role="presentation" width="100%" border="0" cellpadding="0" cellspacing="0" bgcolor="#f3f4f6" style="background-color: #f3f4f6;"><tr><td align="center" style="padding: 24px 12px;">',
    '<table role="presentation" width="600" border="0" cellpadding="0" cellspacing="0" style="width: 600px; max-width: 100%; background-color: #ffffff; border: 1px solid #e5e7eb; border-radius: 8px;">',
    `<tr><td style="padding: 20px 32px; border-bottom: 1px solid #e5e7eb; ${FONT} font-size: 18px; font-weight: bold; color: #111827;">Netia</td></tr>`,
    `<tr><td style="padding: 28px 32px 12px;">`,
    body,
    '</td></tr>',
    `<tr><td style="padding: 16px 32px 24px; border-top: 1px solid #e5e7eb; ${FONT} font-size: 12px; line-height: 18px; color: #6b7280;">${escapeHtml(footer)}</td></tr>`,
    '</table>',
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
}

interface Parts {
  subject: string;
  /** Paragraphs before the button. */
  lead: string[];
  action?: { label: string; url: string } | undefined;
  /** Paragraphs after the button. */
  after?: string[];
  footer: string;
}

function build(parts: Parts): EmailContent {
  const subject = oneLine(parts.subject);
  const url = parts.action ? safeUrl(parts.action.url) : undefined;
  const after = parts.after ?? [];
  const text = [
    ...parts.lead.flatMap((l) => [l, '']),
    ...(parts.action && url ? [`${parts.action.label}: ${url}`, ''] : []),
    ...after.flatMap((l) => [l, '']),
    '--',
    parts.footer,
  ].join('\n');
  const html = layout(
    subject,
    [...parts.lead.map(p), parts.action && url ? button(parts.action.label, url) : '', ...after.map(p)].filter(Boolean).join('\n'),
    parts.footer,
  );
  return { subject, text, html };
}

const NOT_YOU = "If you didn't ask for this, you can ignore this email.";

export function passwordResetEmail(input: { link: string; validMinutes: number }): EmailContent {
  return build({
    subject: '[Netia] Link to reset your password',
    lead: ['Someone (hopefully you) asked to reset the password of your Netia account.'],
    action: { label: 'Reset your password', url: input.link },
    after: [`The link works once and expires in ${input.validMinutes} minutes. ${NOT_YOU} Your password stays as it is.`],
    footer: 'You received this email because a password reset was requested for this address on Netia.',
  });
}

export function invitationEmail(input: { companyName: string; inviterName: string | null; link: string; validDays: number }): EmailContent {
  const company = oneLine(input.companyName) || 'a team';
  const inviter = input.inviterName ? oneLine(input.inviterName) : '';
  return build({
    subject: `You're invited to join ${company} on Netia`,
    lead: [
      `${inviter ? `${inviter} has invited you` : 'You have been invited'} to join ${company} on Netia, to answer customers together.`,
    ],
    action: { label: 'Accept the invitation', url: input.link },
    after: [`The invitation works once and expires in ${input.validDays} days. If you don't know ${company}, you can ignore this email.`],
    footer: `You received this email because an admin of ${company} invited this address to Netia.`,
  });
}

export function welcomeEmail(input: { name: string | null; companyName: string; consoleUrl: string }): EmailContent {
  const company = oneLine(input.companyName);
  const name = input.name ? oneLine(input.name) : '';
  return build({
    subject: 'Welcome to Netia!',
    lead: [
      `${name ? `Hi ${name}, welcome` : 'Welcome'} to Netia! Your account in ${company} is ready.`,
      'We will send you a separate email to confirm your address.',
    ],
    action: { label: 'Open Netia', url: input.consoleUrl },
    footer: 'You received this email because this address was used to register on Netia.',
  });
}

export function emailVerificationEmail(input: { link: string; validDays: number }): EmailContent {
  return build({
    subject: '[Netia] Confirm your email address',
    lead: ['Please confirm that this is your email address. Until you do, Netia does not send you alerts about new messages.'],
    action: { label: 'Confirm your email', url: input.link },
    after: [`The link expires in ${input.validDays} days. ${NOT_YOU}`],
    footer: 'You received this email because this address was used for an account on Netia.',
  });
}

export function roleChangedEmail(input: { companyName: string; role: 'user' | 'admin'; consoleUrl: string }): EmailContent {
  const company = oneLine(input.companyName);
  const what =
    input.role === 'admin'
      ? `You are now an admin of ${company} on Netia: you can invite and manage team members and change the account's settings.`
      : `You are now a member (no longer an admin) of ${company} on Netia.`;
  return build({
    subject: `[Netia] Your role in ${company} changed`,
    lead: [what],
    action: { label: 'Open Netia', url: input.consoleUrl },
    after: ['If you think this is a mistake, please contact an admin of your team.'],
    footer: `You received this email because an admin of ${company} changed your role on Netia.`,
  });
}

export function userRemovedEmail(input: { companyName: string; deleted: boolean }): EmailContent {
  const company = oneLine(input.companyName);
  return build({
    subject: input.deleted ? '[Netia] Your account was deleted' : `[Netia] You were removed from ${company}`,
    lead: [
      input.deleted
        ? `Your Netia user in ${company} was deleted, as you asked. You can no longer log in with this address.`
        : `An admin of ${company} removed you from the team on Netia. You can no longer log in with this address.`,
    ],
    after: ['If you think this is a mistake, please contact an admin of your team.'],
    footer: `You received this email because your user in ${company} on Netia was removed.`,
  });
}
