/**
 * Attack: anyone holding a conversation share link (it is meant to be passed
 * around, e.g. pasted in a ticket) reads the customer's contact details and
 * tracking data from the public view: email, phone, external id, IP, browser,
 * page, metadata, and the conversation's and messages' metadata. The shared
 * view must show the customer's NAME only, and no private note.
 */
import { api, registerAccount } from '../../helpers/api.js';
import { sharedStackTest } from '../../helpers/suite.js';

const test = sharedStackTest(import.meta.url);

const SECRETS = [
  'carol.private@example.com',
  '+15550001234',
  'crm-id-7731',
  'metadata-secret-plan',
  'https://shop.example.com/checkout/secret-cart',
  'conversation-metadata-secret',
  'a private note about Carol',
];

test('the shared view shows the customer name and public messages only', async (t) => {
  const { stack } = t.context;
  {
    const http = api(stack.baseUrl);
    const agent = await registerAccount(http, 'Sharer');
    const customer = await http.post('/api/customers', {
      customer: {
        account_id: agent.accountId,
        name: 'Carol',
        email: 'carol.private@example.com',
        phone: '+15550001234',
        external_id: 'crm-id-7731',
        current_url: 'https://shop.example.com/checkout/secret-cart',
        browser: 'Firefox',
        metadata: { plan: 'metadata-secret-plan' },
      },
    });
    t.is(customer.status, 201, JSON.stringify(customer.body));
    const conv = await http.post(
      '/api/conversations',
      {
        conversation: { customer_id: customer.body.data.id, metadata: { note: 'conversation-metadata-secret' } },
        message: { body: 'hello, I need help' },
      },
      agent.token,
    );
    t.is(conv.status, 201, JSON.stringify(conv.body));
    const id = conv.body.data.id as string;
    t.is((await http.post('/api/messages', { message: { conversation_id: id, body: 'public answer' } }, agent.token)).status, 201);
    t.is(
      (
        await http.post(
          '/api/messages',
          { message: { conversation_id: id, body: 'a private note about Carol', private: true } },
          agent.token,
        )
      ).status,
      201,
    );

    const share = await http.post(`/api/conversations/${id}/share`, undefined, agent.token);
    t.is(share.status, 200);
    t.true(share.body.data.ok, 'the create call keeps its shape {ok, token}');
    const shared = await http.get(`/api/conversations/shared?conversation_id=${id}&token=${encodeURIComponent(share.body.data.token)}`);
    t.is(shared.status, 200, JSON.stringify(shared.body));
    t.is(shared.body.data.id, id);
    t.is(shared.body.data.customer.name, 'Carol');
    t.deepEqual(Object.keys(shared.body.data.customer), ['name'], 'the customer is reduced to a name');
    t.deepEqual(
      shared.body.data.messages.map((m: { body: string }) => m.body),
      ['hello, I need help', 'public answer'],
    );
    const text = JSON.stringify(shared.body);
    for (const secret of SECRETS) t.false(text.includes(secret), `the shared view leaks ${secret}`);
    t.false(text.includes(agent.email), "the agent's email is not shown either");
    t.false(/"(email|phone|external_id|ip|metadata)"/.test(text), `no contact/tracking field at all: ${text}`);
  }
});
