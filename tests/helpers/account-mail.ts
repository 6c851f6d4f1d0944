/**
 * Account emails in tests (issue #14): registration now sends a welcome and a
 * verification email, asynchronously (one workflow each). Tests that count
 * SMTP messages wait for those first; tests of alerts verify the address.
 */
import type { Api } from './api.js';
import type { FakeSmtp, ReceivedMail } from './fake-smtp.js';

/** Poll (bounded) until `n` emails to `to` arrived at the fake SMTP server; returns them in arrival order. */
export async function waitForMailTo(smtp: FakeSmtp, to: string, n: number, timeoutMs = 15_000): Promise<ReceivedMail[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = smtp.messages.filter((m) => m.envelope.to.some((a) => a.toLowerCase() === to.toLowerCase()));
    if (got.length >= n) return got;
    if (Date.now() > deadline) throw new Error(`only ${got.length} of ${n} emails to ${to} arrived within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The token of the first `<path>?token=` link in a text. */
export function tokenOfLink(text: string, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/[/.]/g, '\\$&')}\\?token=([A-Za-z0-9_%-]+)`).exec(text);
  if (!match) throw new Error(`no ${path} link in: ${text}`);
  return decodeURIComponent(match[1]!);
}

/** After `registerAccount`: wait for the welcome and verification emails over SMTP, then confirm the address. */
export async function verifyRegisteredOverSmtp(http: Api, smtp: FakeSmtp, email: string): Promise<void> {
  const mails = await waitForMailTo(smtp, email, 2);
  const verification = mails.find((m) => /verify-email\?token=/.test(m.text ?? ''));
  if (!verification) throw new Error('no verification email');
  const res = await http.post('/api/verify_email', { token: tokenOfLink(verification.text!, '/verify-email') });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${JSON.stringify(res.body)}`);
}
