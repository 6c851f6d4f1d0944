/**
 * SMS through the fake Twilio: connect a sending number to an account through
 * the real route, and post inbound texts to the Twilio webhooks signed the way
 * Twilio signs them (for a stack started with integrations.ts' PUBLIC_URL).
 */
import { randomBytes } from 'node:crypto';
import type { Api } from './api.js';
import { signTwilioWebhook, type FakeTwilio } from './fake-twilio.js';
import { PUBLIC_URL } from './integrations.js';
import type { Stack } from './stack.js';

/** A fresh E.164 number per test (numbers are unique across accounts). */
export function newPhoneNumber(): string {
  return `+1555${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
}

/** A fresh Twilio `MessageSid`. */
export function newMessageSid(): string {
  return `SM${randomBytes(16).toString('hex')}`;
}

/** Connect the fake Twilio account to the agent's account with a fresh sending number; resolves with that number. */
export async function connectTwilio(ctx: { api: Api; twilio: FakeTwilio }, agent: { token: string }): Promise<string> {
  const number = newPhoneNumber();
  const res = await ctx.api.post(
    '/api/twilio/auth',
    { authorization: { twilio_account_sid: ctx.twilio.accountSid, twilio_auth_token: ctx.twilio.authToken, from_phone_number: number } },
    agent.token,
  );
  if (res.status !== 200 || res.body.data.ok !== true) throw new Error(`twilio auth: ${res.status} ${JSON.stringify(res.body)}`);
  return number;
}

/** The form Twilio posts for an inbound text, and its signature with the fake's auth token. */
export function signedSms(
  twilio: FakeTwilio,
  to: string,
  from: string,
  body: string,
  sid = newMessageSid(),
  extra: Record<string, string> = {},
): { params: Record<string, string>; signature: string } {
  const params: Record<string, string> = {
    MessageSid: sid,
    SmsSid: sid,
    AccountSid: twilio.accountSid,
    From: from,
    To: to,
    Body: body,
    NumMedia: '0',
    ApiVersion: '2010-04-01',
    ...extra,
  };
  return { params, signature: signTwilioWebhook(twilio.authToken, `${PUBLIC_URL}/api/twilio/webhook`, params) };
}

/** The form fields of an MMS's media (`NumMedia`, `MediaUrl{i}`, `MediaContentType{i}`), for `signedSms`' `extra`. */
export function mediaParams(media: ReadonlyArray<{ url: string; contentType: string }>): Record<string, string> {
  const params: Record<string, string> = { NumMedia: String(media.length) };
  media.forEach((m, i) => {
    params[`MediaUrl${i}`] = m.url;
    params[`MediaContentType${i}`] = m.contentType;
  });
  return params;
}

/** POST a form to a Twilio webhook route of the stack, with `x-twilio-signature` unless `signature` is null. */
export function postTwilioForm(stack: Stack, path: string, params: Record<string, string>, signature: string | null): Promise<Response> {
  return fetch(`${stack.baseUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature === null ? {} : { 'x-twilio-signature': signature }) },
    body: new URLSearchParams(params).toString(),
  });
}

/** A signed inbound text from `from` to the account's number `to`, posted as Twilio would. */
export function sendSignedSms(
  ctx: { stack: Stack; twilio: FakeTwilio },
  to: string,
  from: string,
  body: string,
  sid = newMessageSid(),
): Promise<Response> {
  const { params, signature } = signedSms(ctx.twilio, to, from, body, sid);
  return postTwilioForm(ctx.stack, '/api/twilio/webhook', params, signature);
}
