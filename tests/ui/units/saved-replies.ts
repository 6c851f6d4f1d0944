/** Saved-reply variables (ui/src/lib/saved-replies.ts): filled in, fallbacks for missing values, unknown ones kept and reported. */
import { unitModuleTest } from '../../helpers/modules.js';
import { DEFAULT_FALLBACKS, fillReply, hasVariables } from '../../../ui/src/lib/saved-replies.js';

const test = unitModuleTest(import.meta.url);

const full = {
  customer: { name: 'Grace Hopper', email: 'grace@example.com' },
  agent: { name: 'Alan' },
  account: { company_name: 'Acme' },
};

test('the four variables are filled in, with or without spaces inside the braces', (t) => {
  const out = fillReply('Hi {{customer.name}} ({{ customer.email }}), {{agent.name}} from {{account.company_name}} here.', full);
  t.is(out.text, 'Hi Grace Hopper (grace@example.com), Alan from Acme here.');
  t.deepEqual(out.unknown, []);
  t.deepEqual(out.missing, []);
  t.deepEqual(out.parts, [
    { kind: 'text', text: 'Hi ' },
    { kind: 'variable', name: 'customer.name', text: 'Grace Hopper', fallback: false },
    { kind: 'text', text: ' (' },
    { kind: 'variable', name: 'customer.email', text: 'grace@example.com', fallback: false },
    { kind: 'text', text: '), ' },
    { kind: 'variable', name: 'agent.name', text: 'Alan', fallback: false },
    { kind: 'text', text: ' from ' },
    { kind: 'variable', name: 'account.company_name', text: 'Acme', fallback: false },
    { kind: 'text', text: ' here.' },
  ]);
});

test('a missing value takes the reply’s own fallback, else a neutral default, and is reported once', (t) => {
  const anonymous = { ...full, customer: { name: null, email: '  ' } };
  const out = fillReply('Hi {{customer.name}}! Hi {{customer.name|friend}}. Mail: {{customer.email}}', anonymous);
  t.is(out.text, `Hi ${DEFAULT_FALLBACKS['customer.name']}! Hi friend. Mail: ${DEFAULT_FALLBACKS['customer.email']}`);
  t.is(out.text, 'Hi there! Hi friend. Mail: your email address');
  t.deepEqual(out.missing, ['customer.name', 'customer.email']);
  t.true(out.parts.some((p) => p.kind === 'variable' && p.fallback && p.text === 'friend'));
  t.is(fillReply('{{agent.name}} / {{account.company_name}}', {}).text, 'the support team / our team', 'no context at all');
  t.is(fillReply('Hi {{customer.name|friend}}', full).text, 'Hi Grace Hopper', 'a fallback is not used when the value exists');
});

test('unknown variables are left as written and reported; text without variables is unchanged', (t) => {
  const out = fillReply('Order {{order.id}} for {{customer.name}} {{ order.id }} {{Customer.Name}}', full);
  t.is(out.text, 'Order {{order.id}} for Grace Hopper {{ order.id }} {{Customer.Name}}');
  t.deepEqual(out.unknown, ['order.id', 'Customer.Name']);
  t.deepEqual(
    out.parts.filter((p) => p.kind === 'unknown').map((p) => p.text),
    ['{{order.id}}', '{{ order.id }}', '{{Customer.Name}}'],
  );
  const plain = 'No variables here, just {braces} and }} {{';
  t.is(fillReply(plain, full).text, plain);
  t.false(hasVariables(plain));
  t.true(hasVariables('Hi {{customer.name}}'));
  t.is(fillReply('', full).text, '');
});

test('values are inserted literally (no template injection from a customer name)', (t) => {
  const out = fillReply('Hi {{customer.name}}', { customer: { name: '{{agent.name}} $& $1' }, agent: { name: 'Alan' } });
  t.is(out.text, 'Hi {{agent.name}} $& $1');
});
