/**
 * @module widget/chat/survey
 * The satisfaction survey in the chat (issue #21 item 2): when an agent resolves the chat, the
 * server offers a survey (`csat:offered` on the conversation topic, or the customer's open
 * surveys when the chat loads). The panel asks the account's question with a radio group (1–5
 * or thumbs; arrow keys move between choices, as native radios do), an optional comment and a
 * Send button; the answer goes to `POST /api/csat/:token` with the survey's signed token and
 * can be changed while the survey is open. Status changes are announced in a live region.
 * Text is set with `textContent`, never parsed as HTML.
 */

export interface OfferedSurvey {
  id: string;
  conversationId: string;
  scale: 'five' | 'thumbs';
  question: string;
  score: number | null;
  comment: string | null;
  canRate: boolean;
  token: string;
}

const COMMENT_MAX = 2000;

function str(value: unknown, key: string): string | null {
  const v = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
}

/** A survey out of a server payload (`csat_survey`), or null when it is not one. */
export function readSurvey(payload: unknown): OfferedSurvey | null {
  if (payload === null || typeof payload !== 'object') return null;
  const p = payload as Record<string, unknown>;
  const id = str(p, 'id');
  const conversationId = str(p, 'conversation_id');
  const token = str(p, 'token');
  const question = str(p, 'question');
  const scale = p.scale === 'thumbs' ? 'thumbs' : p.scale === 'five' ? 'five' : null;
  if (!id || !conversationId || !token || !question || !scale) return null;
  return {
    id,
    conversationId,
    scale,
    question,
    score: typeof p.score === 'number' ? p.score : null,
    comment: str(p, 'comment'),
    canRate: p.can_rate !== false,
    token,
  };
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

const CHOICES = {
  five: [
    [1, '1', 'Very dissatisfied'],
    [2, '2', 'Dissatisfied'],
    [3, '3', 'Neutral'],
    [4, '4', 'Satisfied'],
    [5, '5', 'Very satisfied'],
  ],
  thumbs: [
    [1, '👎', 'Thumbs down'],
    [5, '👍', 'Thumbs up'],
  ],
} as const;

export interface SurveyPanel {
  element: HTMLElement;
  /** Show a survey (a newer one replaces the one shown; the same one again keeps the visitor's input). */
  offer(payload: unknown): void;
  /** Show the newest open survey of this customer, if any. */
  load(accountId: string, customerId: string | null, customerToken: string | null): Promise<void>;
}

export function createSurveyPanel(apiBase: string): SurveyPanel {
  const element = el('section', { class: 'survey', 'aria-labelledby': 'survey-title', 'data-testid': 'csat-survey' });
  element.hidden = true;
  let shown: OfferedSurvey | null = null;

  function render(survey: OfferedSurvey): void {
    shown = survey;
    element.replaceChildren();
    const title = el('h2', { id: 'survey-title', class: 'survey-title' }, 'How did we do?');
    const form = el('form', { class: 'survey-form', novalidate: '' });
    const fieldset = el('fieldset', { class: 'survey-choices' });
    fieldset.append(el('legend', {}, survey.question));
    for (const [score, face, label] of CHOICES[survey.scale]) {
      const id = `survey-${survey.id}-${score}`;
      const input = el('input', { type: 'radio', name: 'score', value: String(score), id });
      input.checked = survey.score === score;
      input.disabled = !survey.canRate;
      const labelEl = el('label', { for: id, class: 'survey-choice', title: label });
      labelEl.append(el('span', { 'aria-hidden': 'true' }, face), el('span', { class: 'sr-only' }, label));
      fieldset.append(input, labelEl);
    }
    const commentId = `survey-${survey.id}-comment`;
    const commentLabel = el('label', { for: commentId, class: 'survey-comment-label' }, 'Comment (optional)');
    const comment = el('textarea', { id: commentId, rows: '2', maxlength: String(COMMENT_MAX) });
    comment.value = survey.comment ?? '';
    comment.disabled = !survey.canRate;
    const status = el('p', { class: 'survey-status', role: 'status', 'aria-live': 'polite' });
    const send = el('button', { type: 'submit', class: 'survey-send' }, survey.score === null ? 'Send' : 'Update');
    send.disabled = !survey.canRate;
    if (survey.score !== null) status.textContent = 'Thanks for your feedback! You can change it.';
    form.append(fieldset, commentLabel, comment, send, status);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const picked = form.querySelector<HTMLInputElement>('input[name="score"]:checked');
      if (!picked) {
        status.textContent = 'Please choose a rating first.';
        fieldset.querySelector<HTMLInputElement>('input')?.focus();
        return;
      }
      send.disabled = true;
      status.textContent = 'Sending…';
      void rate(survey, Number(picked.value), comment.value).then(
        (saved) => {
          send.disabled = false;
          if (saved) {
            shown = saved;
            send.textContent = 'Update';
            status.textContent = 'Thanks for your feedback! You can change it.';
          }
        },
        (err: unknown) => {
          send.disabled = false;
          status.textContent = err instanceof Error ? err.message : 'Could not send your rating. Please try again.';
        },
      );
    });
    element.append(title, form);
    element.hidden = false;
  }

  async function rate(survey: OfferedSurvey, score: number, comment: string): Promise<OfferedSurvey | null> {
    let res: Response;
    try {
      res = await fetch(`${apiBase}/api/csat/${encodeURIComponent(survey.token)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ score, comment: comment.trim() === '' ? null : comment.slice(0, COMMENT_MAX) }),
        credentials: 'omit',
      });
    } catch {
      throw new Error('Could not send your rating. Please check your connection.');
    }
    if (res.status === 410 || res.status === 404) throw new Error('This survey is closed.');
    if (!res.ok) throw new Error('Could not send your rating. Please try again.');
    const body: unknown = await res.json().catch(() => null);
    return readSurvey(body !== null && typeof body === 'object' ? (body as { data?: unknown }).data : null);
  }

  return {
    element,
    offer(payload) {
      const survey = readSurvey(payload);
      if (!survey || survey.id === shown?.id) return;
      render(survey);
    },
    async load(accountId, customerId, customerToken) {
      if (!customerId) return;
      const q = new URLSearchParams({ account_id: accountId, ...(customerToken ? { customer_token: customerToken } : {}) });
      const res = await fetch(`${apiBase}/api/customers/${encodeURIComponent(customerId)}/csat_surveys?${q}`, {
        credentials: 'omit',
      }).catch(() => null);
      if (!res?.ok) return;
      const body: unknown = await res.json().catch(() => null);
      const list = body !== null && typeof body === 'object' ? (body as { data?: unknown }).data : null;
      if (Array.isArray(list) && list.length > 0 && !shown) {
        const survey = readSurvey(list[0]);
        if (survey) render(survey);
      }
    },
  };
}
