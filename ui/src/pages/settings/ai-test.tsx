/**
 * Settings → AI → "Try the assistant": an admin types a sample customer
 * question and sees what the AI assistant would answer (`POST /api/ai/test`)
 * with the business context exactly as it is in the form above, unsaved edits
 * included. Nothing is posted to any conversation. The answer is rendered as
 * safe markdown (text nodes only); a handoff shows the assistant's reason.
 * Pending, not configured (409), admin only (403), rate limited (429), model
 * failed (502) and other error states.
 */
import { Match, Show, Switch, createSignal, type JSX } from 'solid-js';
import { Markdown } from '../../components/markdown';
import { ApiError, describeError, type ApiClient } from '../../lib/api';
import { useSession } from '../../stores/session';
import type { BusinessContextInput } from '../../types';

export type AiTestResult = Awaited<ReturnType<ApiClient['testAiPrompt']>>;

/** Same limit as the server's (services/llm/test-prompt.ts MAX_TEST_QUESTION_CHARS). */
const MAX_QUESTION_CHARS = 2000;

type Failure = { kind: 'not_configured' | 'rate_limited' | 'model_failed' | 'forbidden' | 'other'; message: string };

/** The editable fields of the form as a draft: blank optional texts clear the saved ones, a blank name keeps the saved name. */
export function draftOf(form: BusinessContextInput): Partial<BusinessContextInput> {
  const text = (v: string | null | undefined): string | null => (v && v.trim() !== '' ? v.trim() : null);
  return {
    ...(text(form.business_name) ? { business_name: text(form.business_name)! } : {}),
    business_description: text(form.business_description),
    scheduling_link: text(form.scheduling_link),
    additional_context: text(form.additional_context),
  };
}

function failureOf(err: unknown): Failure {
  const message = describeError(err);
  if (!(err instanceof ApiError)) return { kind: 'other', message };
  switch (err.status) {
    case 409:
      return { kind: 'not_configured', message };
    case 429:
      return { kind: 'rate_limited', message };
    case 502:
    case 503:
    case 504:
      return { kind: 'model_failed', message };
    case 403:
      return { kind: 'forbidden', message: 'Only admins can try the assistant.' };
    default:
      return { kind: 'other', message };
  }
}

export function AiTestPrompt(props: { draft: () => BusinessContextInput; isAdmin: boolean }): JSX.Element {
  const [, { api }] = useSession();
  const [question, setQuestion] = createSignal('');
  const [isPending, setPending] = createSignal(false);
  const [result, setResult] = createSignal<{ question: string; answer: AiTestResult } | null>(null);
  const [failure, setFailure] = createSignal<Failure | null>(null);
  const isBlank = (): boolean => question().trim() === '';
  const isTooLong = (): boolean => question().length > MAX_QUESTION_CHARS;

  const run = async (): Promise<void> => {
    if (isPending() || isBlank() || isTooLong()) return;
    const asked = question().trim();
    setPending(true);
    setFailure(null);
    try {
      const answer = await api.testAiPrompt(asked, draftOf(props.draft()));
      setResult({ question: asked, answer });
    } catch (err) {
      setResult(null);
      setFailure(failureOf(err));
    } finally {
      setPending(false);
    }
  };

  return (
    <div class="ai-test" data-testid="ai-test">
      <h2>Try the assistant</h2>
      <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can try the assistant.</p>}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run();
          }}
        >
          <p class="small muted" id="ai-test-hint">
            Ask a question as a customer would. The assistant answers with the business context as it is in the form above, unsaved changes
            included. Nothing is sent to any customer or conversation.
          </p>
          <div class="field">
            <label for="ai-test-question">Sample customer question</label>
            <textarea
              id="ai-test-question"
              rows={3}
              maxLength={MAX_QUESTION_CHARS}
              value={question()}
              aria-describedby="ai-test-hint ai-test-count"
              placeholder="Do you repair electric bikes?"
              onInput={(e) => setQuestion(e.currentTarget.value)}
              onKeyDown={(e) => {
                // Ctrl/⌘+Enter asks, like sending a reply.
                if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                  e.preventDefault();
                  void run();
                }
              }}
            />
            <span class="small muted" id="ai-test-count">
              {question().length} / {MAX_QUESTION_CHARS}
            </span>
          </div>
          <div class="form-actions">
            <button class="btn primary" type="submit" disabled={isPending() || isBlank() || isTooLong()} aria-busy={isPending()}>
              {isPending() ? 'Asking the assistant…' : 'Try it'}
            </button>
          </div>
        </form>
        <div aria-live="polite" data-testid="ai-test-outcome">
          <Show when={isPending()}>
            <div class="state small" role="status">
              <span class="spinner" aria-hidden="true" /> The assistant is thinking…
            </div>
          </Show>
          <Show when={failure()}>
            {(f) => (
              <Switch>
                <Match when={f().kind === 'not_configured'}>
                  <p class="state unavailable" role="alert" data-testid="ai-test-not-configured">
                    {f().message}
                  </p>
                </Match>
                <Match when={f().kind === 'rate_limited'}>
                  <p class="form-error" role="alert" data-testid="ai-test-rate-limited">
                    {f().message}
                  </p>
                </Match>
                <Match when={f().kind === 'model_failed'}>
                  <p class="form-error" role="alert" data-testid="ai-test-model-failed">
                    The assistant could not answer. {f().message}
                  </p>
                </Match>
                <Match when={true}>
                  <p class="form-error" role="alert" data-testid="ai-test-error">
                    {f().message}
                  </p>
                </Match>
              </Switch>
            )}
          </Show>
          <Show when={!isPending() && result()}>{(r) => <AiTestAnswer question={r().question} result={r().answer} />}</Show>
        </div>
      </Show>
    </div>
  );
}

function AiTestAnswer(props: { question: string; result: AiTestResult }): JSX.Element {
  const source = (): string => {
    switch (props.result.context_source) {
      case 'draft':
        return 'Answered with the business context in the form above (unsaved changes included).';
      case 'saved':
        return 'Answered with your saved business context.';
      default:
        return 'There is no business context yet: the assistant knew nothing about your business.';
    }
  };
  return (
    <section class="ai-test-result" style={{ 'margin-top': '16px' }} aria-label="The assistant's answer" data-testid="ai-test-result">
      <ul class="messages">
        <li class="msg">
          <div class="msg-body">
            <div class="msg-meta">
              <span class="msg-author">Customer (sample)</span>
            </div>
            <div class="bubble">{props.question}</div>
          </div>
        </li>
        <li class="msg msg-bot">
          <div class="msg-body">
            <div class="msg-meta">
              <span class="msg-author">AI assistant</span>
              <span>{props.result.model}</span>
            </div>
            <Show
              when={props.result.kind === 'reply'}
              fallback={
                <div class="bubble" data-testid="ai-test-handoff">
                  The assistant would hand this conversation to a teammate: {props.result.handoff_reason}
                </div>
              }
            >
              <div class="bubble" data-testid="ai-test-answer">
                <Markdown text={props.result.answer} />
              </div>
            </Show>
          </div>
        </li>
      </ul>
      <p class="small muted">
        {source()}
        <Show when={props.result.usage.total_tokens !== null}> {props.result.usage.total_tokens} tokens.</Show>
      </p>
      <Show when={!props.result.ai_enabled}>
        <p class="small muted" data-testid="ai-test-off">
          The assistant is off: customers get no AI answers until you turn it on above.
        </p>
      </Show>
    </section>
  );
}
