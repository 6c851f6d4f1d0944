/**
 * The prompt the model sees: the original's system prompt structure
 * (docs/compatibility.md#ai-replies) and the corrected role mapping (Q12).
 */
import test from 'ava';
import {
  buildChatMessages,
  buildSystemPrompt,
  hasCustomerMessageToAnswer,
  type BusinessContext,
  type TranscriptItem,
} from '../../services/llm/prompt.js';

const CUSTOMER = '00000000-0000-4000-8000-00000000c001';

let nextSeq = 1;
const customer = (body: string | null): TranscriptItem => ({
  seq: nextSeq++,
  body,
  type: 'reply',
  private: false,
  customerId: CUSTOMER,
  userId: null,
});
const agent = (body: string): TranscriptItem => ({ seq: nextSeq++, body, type: 'reply', private: false, customerId: null, userId: 7 });
const bot = (body: string): TranscriptItem => ({ seq: nextSeq++, body, type: 'bot', private: false, customerId: null, userId: null });
const note = (body: string): TranscriptItem => ({ seq: nextSeq++, body, type: 'note', private: true, customerId: null, userId: 7 });
const system = (body: string): TranscriptItem => ({ seq: nextSeq++, body, type: 'system', private: false, customerId: null, userId: null });

const FULL: BusinessContext = {
  businessName: 'Paper Cups Co',
  businessDescription: 'We sell compostable cups.',
  services: [
    { name: 'Custom print', description: 'Your logo on every cup', price: '$0.10/cup' },
    { name: 'Samples', description: 'A free sample box', price: null },
  ],
  faqs: [
    { question: 'Do you ship abroad?', answer: 'Yes, to the EU.' },
    { question: 'Minimum order?', answer: '500 cups.' },
  ],
  schedulingLink: 'https://cal.example/papercups',
  additionalContext: 'Closed on Sundays.',
};

test('customer messages are user, agent replies and bot messages are assistant', (t) => {
  const messages = buildChatMessages('SYS', [customer('Hi'), bot('Hello! How can I help?'), customer('Price?'), agent('10 cents a cup.')]);
  t.deepEqual(messages, [
    { role: 'system', content: 'SYS' },
    { role: 'user', content: 'Hi' },
    { role: 'assistant', content: 'Hello! How can I help?' },
    { role: 'user', content: 'Price?' },
    { role: 'assistant', content: '10 cents a cup.' },
  ]);
});

test('private notes, system messages and empty bodies are never sent', (t) => {
  const secret = 'VIP customer, offer 50% internally only';
  const messages = buildChatMessages('SYS', [
    customer('Hi'),
    note(secret),
    { ...agent('a private agent reply'), private: true },
    system('Conversation assigned to Alex'),
    customer('   '),
    customer(null),
    customer('Still there?'),
  ]);
  t.deepEqual(
    messages.map((m) => m.content),
    ['SYS', 'Hi', 'Still there?'],
  );
  t.false(JSON.stringify(messages).includes(secret));
  t.false(JSON.stringify(messages).includes('private agent reply'));
});

test('only the last historyMessages sendable messages are kept, in seq order, after the system prompt', (t) => {
  const transcript: TranscriptItem[] = [];
  for (let i = 1; i <= 30; i++) transcript.push(i % 2 ? customer(`c${i}`) : agent(`a${i}`));
  transcript.splice(25, 0, note('a note inside the window'));
  const messages = buildChatMessages('SYS', [...transcript].reverse(), { historyMessages: 5 });
  t.deepEqual(
    messages.map((m) => m.content),
    ['SYS', 'a26', 'c27', 'a28', 'c29', 'a30'],
  );
  t.is(buildChatMessages('SYS', transcript).length, 1 + 20, 'the default window is 20');
});

test('message bodies are trimmed', (t) => {
  t.is(buildChatMessages('SYS', [customer('  hello \n')])[1]?.content, 'hello');
});

test('the system prompt has every section of the original, in order, and the handoff instruction', (t) => {
  const prompt = buildSystemPrompt(FULL);
  const expected = [
    'You are a helpful customer service assistant for Paper Cups Co.',
    'Business Description: We sell compostable cups.',
    'Services offered:\n- Custom print: Your logo on every cup ($0.10/cup)\n- Samples: A free sample box',
    'Frequently Asked Questions:\nQ: Do you ship abroad?\nA: Yes, to the EU.\nQ: Minimum order?\nA: 500 cups.',
    'To schedule an appointment or consultation, please visit: https://cal.example/papercups',
    'Additional context: Closed on Sundays.',
  ].join('\n\n');
  t.true(prompt.startsWith(expected + '\n\nIMPORTANT: You will receive a conversation history in chronological order (oldest to newest).'));
  t.regex(prompt, /Always respond to the MOST RECENT message from the customer \(the last user message in the conversation\)\./);
  t.regex(prompt, /Be warm, professional, and clear in your replies\./);
  t.regex(prompt, /offer to connect them with a team member who can help further\./);
  t.regex(prompt, /call the `handoff_to_human` tool/);
  t.regex(prompt, /asks to speak with a person/);
});

test('absent sections are left out and the name falls back to "this business"', (t) => {
  const prompt = buildSystemPrompt({
    businessName: '',
    businessDescription: null,
    services: [],
    faqs: [],
    schedulingLink: null,
    additionalContext: '  ',
  });
  t.true(prompt.startsWith('You are a helpful customer service assistant for this business.\n\nIMPORTANT:'));
  for (const section of [
    'Business Description:',
    'Services offered:',
    'Frequently Asked Questions:',
    'To schedule',
    'Additional context:',
  ]) {
    t.false(prompt.includes(section), section);
  }
  t.false(prompt.includes('\n\n\n'), 'no runs of blank lines where sections are absent');
  t.is(buildSystemPrompt(null), prompt);
});

test('a service without description or price prints its name only', (t) => {
  const prompt = buildSystemPrompt({
    ...FULL,
    services: [
      { name: 'Consulting', description: null, price: '50' },
      { name: 'Tea', description: null, price: null },
    ],
  });
  t.regex(prompt, /Services offered:\n- Consulting \(50\)\n- Tea\n\n/);
});

test('there is something to answer only when the last public message is a customer message with a body', (t) => {
  t.true(hasCustomerMessageToAnswer([agent('hi'), customer('help')]));
  t.true(
    hasCustomerMessageToAnswer([customer('help'), note('looking into it'), system('assigned')]),
    'notes and system messages do not count',
  );
  t.false(hasCustomerMessageToAnswer([customer('help'), agent('on it')]));
  t.false(hasCustomerMessageToAnswer([customer('help'), bot('Sure!')]));
  t.false(hasCustomerMessageToAnswer([customer('help'), customer('  ')]), 'an attachment-only message is not answered');
  t.false(hasCustomerMessageToAnswer([]));
});
