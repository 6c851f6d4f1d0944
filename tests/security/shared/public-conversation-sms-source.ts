/**
 * SMS pumping through public creation (issue #13.3): a visitor's
 * `POST /api/conversations` could choose `source: "sms"`, making replies go out
 * as paid text messages. A public conversation is always a chat; agents keep
 * their choice.
 */
import { registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

test('a public conversation asking for source sms is a chat; an agent still picks sms', async (t) => {
  const { api: http } = t.context;
  const agent = await registerAccount(http, 'Pumped');
  const customer = await http.post('/api/customers', { customer: { account_id: agent.accountId, phone: '+15005550006' } });
  const customerId = customer.body.data.id as string;

  const publicSms = await http.post('/api/conversations', {
    conversation: { account_id: agent.accountId, customer_id: customerId, source: 'sms' },
  });
  t.is(publicSms.status, 201);
  t.is(publicSms.body.data.source, 'chat');
  const shown = await http.get(`/api/conversations/${publicSms.body.data.id}`, agent.token);
  t.is(shown.body.data.source, 'chat', 'stored as chat');

  const agentSms = await http.post('/api/conversations', { conversation: { customer_id: customerId, source: 'sms' } }, agent.token);
  t.is(agentSms.status, 201);
  t.is(agentSms.body.data.source, 'sms');
});
