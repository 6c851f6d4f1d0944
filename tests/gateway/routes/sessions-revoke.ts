/**
 * "Log out everywhere" (issue #17, item 6): `DELETE /api/sessions` revokes
 * every access and renew token of the caller, so each of their sessions gets
 * 401 on REST and cannot renew, and their open sockets are closed at once on
 * every gateway node (announced on the bus), not at the next periodic
 * re-validation (60 s). Other agents' sessions are untouched.
 */
import { connectSocket, join, registerAccount, withTimeout } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('log out everywhere revokes every session of the agent: REST 401, no renewal, sockets on every node closed', async (t) => {
  const { stack, api: http } = t.context;
  const agent = await registerAccount(http, 'Everywhere Co');
  const other = await registerAccount(http, 'Bystander Co');
  const login = async () => (await http.post('/api/session', { user: { email: agent.email, password: agent.password } })).body.data;
  const laptop = await login();
  const phone = await login();
  const node2 = await stack.startGatewayNode();
  const onNode1 = connectSocket(stack.wsUrl, { token: laptop.token as string });
  const onNode2 = connectSocket(node2.wsUrl, { token: phone.token as string });
  const bystander = connectSocket(stack.wsUrl, { token: other.token });
  const closedAt = (socket: ReturnType<typeof connectSocket>) =>
    new Promise<number>((resolve) => socket.onClose((e: { code: number }) => resolve(e.code)));
  const closed1 = closedAt(onNode1);
  const closed2 = closedAt(onNode2);
  try {
    await join(onNode1, `notification:${agent.accountId}`);
    await join(onNode2, `notification:${agent.accountId}`);
    await join(bystander, `notification:${other.accountId}`);

    const res = await http.del('/api/sessions', laptop.token as string);
    t.is(res.status, 200, JSON.stringify(res.body));
    t.true((res.body.data.revoked as number) >= 6, 'access and renew tokens of the three sessions (registration and two logins)');

    for (const token of [laptop.token, phone.token, agent.token] as string[]) t.is((await http.get('/api/me', token)).status, 401);
    const renewed = await http.post('/api/session/renew', undefined, phone.renew_token as string);
    t.is(renewed.status, 401, 'a revoked session cannot renew itself');
    // Closed without any frame from them: the bus told both nodes (the periodic sweep is 60 s away).
    t.is(await withTimeout(closed1, 15_000, 'socket on node 1 closed'), 1000);
    t.is(await withTimeout(closed2, 15_000, 'socket on node 2 closed'), 1000);

    t.is((await http.get('/api/me', other.token)).status, 200, "another agent's session is untouched");
    await join(bystander, `room:${other.accountId}`);
    t.true(bystander.isConnected(), "another agent's socket stays open and can still join");
    t.is((await http.del('/api/sessions')).status, 401, 'needs a session');
  } finally {
    for (const s of [onNode1, onNode2, bystander]) s.disconnect();
    await node2.close();
  }
});
