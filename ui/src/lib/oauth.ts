/**
 * The redirect back from a vendor's consent page (Slack, Google, HubSpot/Intercom): what its query
 * string says. Each settings section words a refusal its own way (`denied`).
 */

/** A code to finish the connection with, a refusal, or nothing (an ordinary visit). */
export type OAuthReturn = { kind: 'code'; code: string; state: string } | { kind: 'denied'; reason: string } | { kind: 'none' };

/** `?error=…` is a refusal (worded by `denied`); `?code&state` a code; a code without its state is not used. */
export function readOAuthCallback(search: string, denied: (error: string, description: string | null) => string): OAuthReturn {
  const q = new URLSearchParams(search);
  const error = q.get('error');
  if (error) return { kind: 'denied', reason: denied(error, q.get('error_description')) };
  const code = q.get('code');
  const state = q.get('state');
  return code && state ? { kind: 'code', code, state } : { kind: 'none' };
}
