/**
 * Attack: a share link handed out by mistake (or to someone who left) keeps
 * working for its whole lifetime, because the original signed it statelessly and
 * had no way to take it back. An agent of the account can now revoke the links
 * of a conversation; a revoked link answers 404. Another account cannot revoke
 * them, and a new link issued afterwards works.
 */
import { sql } from 'slonik';
import { z } from 'zod';
import { api, registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('an agent revokes a conversation share link; afterwards the link answers 404', async (t) => {
  const { stack } = t.context;
  {
    const http = api(stack.baseUrl);
    const agent = await registerAccount(http, 'Owner');
    const other = await registerAccount(http, 'Stranger');
    const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, name: 'Dan' } });
    const conv = await http.post(
      '/api/conversations',
      { conversation: { customer_id: customer.body.data.id }, message: { body: 'hi' } },
      agent.token,
    );
    t.is(conv.status, 201, JSON.stringify(conv.body));
    const id = conv.body.data.id as string;
    const view = (token: string) => http.get(`/api/conversations/shared?conversation_id=${id}&token=${encodeURIComponent(token)}`);

    const token = (await http.post(`/api/conversations/${id}/share`, undefined, agent.token)).body.data.token as string;
    t.is((await view(token)).status, 200);
    const stored = await stack.pool.oneFirst(sql.type(z.object({ n: z.number() }))`
      SELECT count(*)::int AS n FROM conversation_share_links WHERE conversation_id = ${id} AND revoked_at IS NULL`);
    t.is(stored, 1, 'the issued link is recorded (as a hash)');

    // Another account cannot revoke it (404, nothing changed).
    const foreign = await http.del(`/api/conversations/${id}/share`, other.token);
    t.is(foreign.status, 404);
    t.is((await view(token)).status, 200);
    t.is((await http.del(`/api/conversations/${id}/share`)).status, 401, 'anonymous callers cannot revoke');

    const revoke = await http.del(`/api/conversations/${id}/share`, agent.token);
    t.is(revoke.status, 200, JSON.stringify(revoke.body));
    t.deepEqual(revoke.body, { data: { ok: true, revoked: 1 } });
    const after = await view(token);
    t.is(after.status, 404, JSON.stringify(after.body));
    t.is(after.body.error.status, 404);
    t.deepEqual((await http.del(`/api/conversations/${id}/share`, agent.token)).body, { data: { ok: true, revoked: 0 } }, 'idempotent');

    const fresh = (await http.post(`/api/conversations/${id}/share`, undefined, agent.token)).body.data.token as string;
    t.is((await view(fresh)).status, 200, 'a link issued after the revocation works');
    t.is((await view(token)).status, 404, 'the revoked one stays revoked');
  }
});
