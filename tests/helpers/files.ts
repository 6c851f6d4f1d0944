/** Uploads through the real `POST /api/upload` route, as an agent of an account. */
import type { Stack } from './stack.js';

/** Upload `file` as the agent; resolves with the stored file's id (throws unless 201). */
export async function uploadAsAgent(
  stack: Stack,
  agent: { accountId: string; token: string },
  file: { name: string; type: string; data: Buffer },
): Promise<string> {
  const form = new FormData();
  form.append('account_id', agent.accountId);
  form.append('file', new Blob([new Uint8Array(file.data)], { type: file.type }), file.name);
  const res = await fetch(`${stack.baseUrl}/api/upload`, { method: 'POST', body: form, headers: { authorization: agent.token } });
  const body = (await res.json()) as { data: { id: string } };
  if (res.status !== 201) throw new Error(`upload: ${res.status} ${JSON.stringify(body)}`);
  return body.data.id;
}
