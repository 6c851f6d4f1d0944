/**
 * @module services/llm/prompt
 * Pure functions that turn a business context and a transcript into Chat
 * Completions messages. No I/O, no clock: the same input gives the same request.
 *
 * Fixes the original's role mapping (docs/compatibility.md#ai-replies, Q12), which sent every
 * chat message (agent replies, bot replies, private notes) as `user`.
 */
import { isPrivateMessage } from '../../gateway/protocol/index.js';

export interface ServiceEntry {
  name: string;
  description: string | null;
  /** Free text or a number, printed as given ("$50", 50). */
  price: string | null;
}

export interface FaqEntry {
  question: string;
  answer: string;
}

/** An account's business context, normalised from the `business_contexts` row. */
export interface BusinessContext {
  businessName: string | null;
  businessDescription: string | null;
  services: ServiceEntry[];
  faqs: FaqEntry[];
  schedulingLink: string | null;
  additionalContext: string | null;
}

/** One stored message, as much of it as the prompt needs. */
export interface TranscriptItem {
  seq: number;
  body: string | null;
  type: 'reply' | 'note' | 'bot' | 'system';
  private: boolean;
  customerId: string | null;
  userId: number | null;
}

export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** Name of the tool the model calls to hand the conversation to a person. */
export const HANDOFF_TOOL_NAME = 'handoff_to_human';

export const DEFAULT_HISTORY_MESSAGES = 20;

/** The original's fixed tail, verbatim (docs/compatibility.md#ai-replies). */
const PROMPT_TAIL = [
  'IMPORTANT: You will receive a conversation history in chronological order (oldest to newest). ' +
    'Always respond to the MOST RECENT message from the customer (the last user message in the conversation). ' +
    'Use the full conversation context to provide relevant, personalized responses.',
  'Be warm, professional, and clear in your replies. Always stay concise in your replies. ' +
    'Keep a calm, welcoming tone and focus on helping each visitor feel cared for and understood. ' +
    'If you’re unsure about something, politely let them know and offer to connect them with a team member who can help further.',
];

const HANDOFF_INSTRUCTION =
  `If you cannot help with a request, or the customer asks to speak with a person, call the \`${HANDOFF_TOOL_NAME}\` ` +
  'tool with a short reason instead of replying.';

function present(s: string | null | undefined): s is string {
  return typeof s === 'string' && s.trim() !== '';
}

function formatService(s: ServiceEntry): string {
  const head = present(s.description) ? `- ${s.name}: ${s.description}` : `- ${s.name}`;
  return present(s.price) ? `${head} (${s.price})` : head;
}

/**
 * The system prompt: the original's sections in the original's order, each
 * only when it has content (the original left blank lines for absent ones),
 * then the fixed tail and the handoff instruction.
 */
export function buildSystemPrompt(context: BusinessContext | null): string {
  const name = present(context?.businessName) ? context.businessName : 'this business';
  const sections = [`You are a helpful customer service assistant for ${name}.`];
  if (context) {
    if (present(context.businessDescription)) sections.push(`Business Description: ${context.businessDescription}`);
    const services = context.services.filter((s) => present(s.name));
    if (services.length > 0) sections.push(['Services offered:', ...services.map(formatService)].join('\n'));
    const faqs = context.faqs.filter((f) => present(f.question) && present(f.answer));
    if (faqs.length > 0) {
      sections.push(['Frequently Asked Questions:', ...faqs.map((f) => `Q: ${f.question}\nA: ${f.answer}`)].join('\n'));
    }
    if (present(context.schedulingLink)) {
      sections.push(`To schedule an appointment or consultation, please visit: ${context.schedulingLink}`);
    }
    if (present(context.additionalContext)) sections.push(`Additional context: ${context.additionalContext}`);
  }
  sections.push(...PROMPT_TAIL, HANDOFF_INSTRUCTION);
  return sections.join('\n\n');
}

/**
 * The role a message plays for the model, or null when it must never be sent:
 * private notes (agents only), `system` messages (events, not turns) and
 * empty bodies. Customer messages are `user`; agent replies and bot messages
 * are `assistant`, since both speak for the business.
 */
export function roleOf(item: TranscriptItem): 'user' | 'assistant' | null {
  if (isPrivateMessage(item) || item.type === 'system') return null;
  if (!present(item.body)) return null;
  if (item.type === 'bot') return 'assistant';
  return item.customerId !== null ? 'user' : 'assistant';
}

/**
 * `[system, …last historyMessages sendable transcript messages]`, in `seq`
 * order. The window counts only messages that are sent, so private notes do
 * not crowd out conversation turns.
 */
export function buildChatMessages(
  systemPrompt: string,
  transcript: readonly TranscriptItem[],
  opts: { historyMessages?: number } = {},
): ChatMessage[] {
  const limit = Math.max(1, opts.historyMessages ?? DEFAULT_HISTORY_MESSAGES);
  const turns: ChatMessage[] = [];
  for (const item of [...transcript].sort((a, b) => a.seq - b.seq)) {
    const role = roleOf(item);
    if (role) turns.push({ role, content: item.body!.trim() });
  }
  return [{ role: 'system', content: systemPrompt }, ...turns.slice(-limit)];
}

/**
 * True when the conversation is waiting for an answer: its last public,
 * non-system message is from the customer and has a body. False after an agent
 * or bot reply, or for an attachment-only customer message.
 */
export function hasCustomerMessageToAnswer(transcript: readonly TranscriptItem[]): boolean {
  let last: TranscriptItem | undefined;
  for (const item of transcript) {
    if (isPrivateMessage(item) || item.type === 'system') continue;
    if (!last || item.seq > last.seq) last = item;
  }
  return last !== undefined && roleOf(last) === 'user';
}
