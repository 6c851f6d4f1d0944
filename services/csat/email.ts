/**
 * @module services/csat/email
 * The survey email of an email (or SMS) conversation: the question and one link per score,
 * each to the public rating page (`/csat/<token>?score=N`), where the customer confirms the
 * score and may add a comment. The link itself records nothing: mail scanners open links.
 * Must not import: gateway (but gateway/protocol), Temporal.
 */
import { escapeHtml, type EmailContent } from '../mail/templates.js';
import type { CsatScale } from '../../gateway/protocol/wire/index.js';

/** The choices of a scale, best last: `[score, label]`. */
export function scaleChoices(scale: CsatScale): readonly (readonly [number, string])[] {
  return scale === 'thumbs'
    ? [
        [1, 'Thumbs down'],
        [5, 'Thumbs up'],
      ]
    : [
        [1, '1 – Very dissatisfied'],
        [2, '2 – Dissatisfied'],
        [3, '3 – Neutral'],
        [4, '4 – Satisfied'],
        [5, '5 – Very satisfied'],
      ];
}

/** `<base>/csat/<token>?score=N`. */
export function ratingLink(baseUrl: string, token: string, score?: number): string {
  return `${baseUrl}/csat/${encodeURIComponent(token)}${score === undefined ? '' : `?score=${score}`}`;
}

export function surveyEmail(input: {
  companyName: string;
  question: string;
  scale: CsatScale;
  baseUrl: string;
  token: string;
}): EmailContent {
  const choices = scaleChoices(input.scale);
  const subject = `${input.companyName}: how did we do?`;
  const text = [
    `Your conversation with ${input.companyName} was resolved.`,
    '',
    input.question,
    '',
    ...choices.map(([score, label]) => `${label}: ${ratingLink(input.baseUrl, input.token, score)}`),
    '',
    'You can change your answer later from the same link.',
  ].join('\n');
  const links = choices
    .map(
      ([score, label]) =>
        `<a href="${escapeHtml(ratingLink(input.baseUrl, input.token, score))}" style="display:inline-block;margin:4px;padding:8px 12px;border:1px solid #d0d7de;border-radius:6px;color:#1f2328;text-decoration:none">${escapeHtml(label)}</a>`,
    )
    .join('');
  const html = `<p>Your conversation with ${escapeHtml(input.companyName)} was resolved.</p><p><strong>${escapeHtml(input.question)}</strong></p><p>${links}</p><p style="color:#59636e">You can change your answer later from the same link.</p>`;
  return { subject, text, html };
}
