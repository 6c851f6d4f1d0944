/**
 * The server snippets Settings → Security shows for identity verification: each
 * defines a function that computes `user_hash` = hex HMAC-SHA256(external_id,
 * identity secret), reading the secret from the `NETIA_IDENTITY_SECRET`
 * environment variable (a secret pasted into code ends up in version control).
 * Framework-free so tests run exactly this text (tests/gateway/admin-settings.test.ts).
 */

export const IDENTITY_SECRET_ENV = 'NETIA_IDENTITY_SECRET';

export interface IdentitySnippet {
  /** Stable key (also the tab's id). */
  key: 'node' | 'python' | 'ruby' | 'php';
  label: string;
  /** The name of the function the snippet defines. */
  fn: string;
  code: string;
}

const USAGE = (call: string): string =>
  `In the page you render for a signed-in user, pass it to the widget with the same external id:\n` +
  `Netia('identify', { external_id: user.id, user_hash: ${call} })`;

const comment = (prefix: string, text: string): string =>
  text
    .split('\n')
    .map((line) => `${prefix} ${line}`)
    .join('\n');

const HEADER = `On your server only, never in the browser. ${IDENTITY_SECRET_ENV} holds the identity secret.`;

export const IDENTITY_SNIPPETS: readonly IdentitySnippet[] = [
  {
    key: 'node',
    label: 'Node.js',
    fn: 'netiaUserHash',
    code: `${comment('//', HEADER)}
const { createHmac } = require('node:crypto');

function netiaUserHash(externalId) {
  return createHmac('sha256', process.env.${IDENTITY_SECRET_ENV}).update(String(externalId), 'utf8').digest('hex');
}

${comment('//', USAGE('netiaUserHash(user.id)'))}
`,
  },
  {
    key: 'python',
    label: 'Python',
    fn: 'netia_user_hash',
    code: `${comment('#', HEADER)}
import hashlib
import hmac
import os


def netia_user_hash(external_id):
    secret = os.environ["${IDENTITY_SECRET_ENV}"].encode("utf-8")
    return hmac.new(secret, str(external_id).encode("utf-8"), hashlib.sha256).hexdigest()

${comment('#', USAGE('netia_user_hash(user.id)'))}
`,
  },
  {
    key: 'ruby',
    label: 'Ruby',
    fn: 'netia_user_hash',
    code: `${comment('#', HEADER)}
require 'openssl'

def netia_user_hash(external_id)
  OpenSSL::HMAC.hexdigest('SHA256', ENV.fetch('${IDENTITY_SECRET_ENV}'), external_id.to_s)
end

${comment('#', USAGE('netia_user_hash(user.id)'))}
`,
  },
  {
    key: 'php',
    label: 'PHP',
    fn: 'netia_user_hash',
    code: `<?php
${comment('//', HEADER)}
function netia_user_hash($externalId): string
{
    return hash_hmac('sha256', (string) $externalId, getenv('${IDENTITY_SECRET_ENV}'));
}

${comment('//', USAGE('netia_user_hash($user->id)'))}
`,
  },
];
