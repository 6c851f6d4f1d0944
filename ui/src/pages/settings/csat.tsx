/**
 * Settings → Satisfaction (issue #21 item 2): whether resolved conversations get a satisfaction
 * survey, its scale (1–5 or thumbs), the delay after the close, and the question. Chats are
 * surveyed in the widget, email and SMS conversations by email (when the customer has an
 * address). Admins edit it; agents see it read-only.
 */
import { Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { useSession } from '../../stores/session';
import {
  CSAT_MAX_DELAY_MINUTES,
  CSAT_QUESTION_MAX_CHARS,
  csatSettingsSchema,
  type CsatScale,
  type CsatSettingsInput,
} from '../../../../gateway/protocol/wire/csat.js';

export function CsatSection(): JSX.Element {
  const [session, { api }] = useSession();
  const [data, { mutate }] = createResource(() => load(() => api.parsedData(csatSettingsSchema, 'GET', '/api/accounts/me/csat')));
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [message, failed, save] = useSaver();
  return (
    <Section title="Satisfaction surveys" data={data} what="Survey settings">
      {(settings) => {
        const [enabled, setEnabled] = createSignal(settings.enabled);
        const [scale, setScale] = createSignal<CsatScale>(settings.scale);
        const [delay, setDelay] = createSignal(String(settings.delay_minutes));
        const [question, setQuestion] = createSignal(settings.question);
        const [delayError, setDelayError] = createSignal<string | undefined>();
        const [questionError, setQuestionError] = createSignal<string | undefined>();
        const submit = (e: Event): void => {
          e.preventDefault();
          const d = delay().trim();
          const minutes = Number(d);
          const badDelay = !/^\d+$/.test(d) || minutes > CSAT_MAX_DELAY_MINUTES;
          setDelayError(badDelay ? `Enter a whole number of minutes from 0 to ${CSAT_MAX_DELAY_MINUTES}.` : undefined);
          const q = question().trim();
          const badQuestion = q === '' || q.length > CSAT_QUESTION_MAX_CHARS;
          setQuestionError(badQuestion ? `Enter a question of at most ${CSAT_QUESTION_MAX_CHARS} characters.` : undefined);
          if (badDelay || badQuestion) return;
          const input: CsatSettingsInput = { enabled: enabled(), scale: scale(), delay_minutes: minutes, question: q };
          void save(async () => {
            const saved = await api.parsedData(csatSettingsSchema, 'PUT', '/api/accounts/me/csat', { csat: input });
            mutate({ ok: true, value: saved });
          }, 'Survey settings saved. They apply to conversations closed from now on.');
        };
        return (
          <form onSubmit={submit} novalidate aria-describedby="csat-help" data-testid="csat-settings">
            <p id="csat-help" class="small muted">
              When a conversation is resolved, the customer is asked to rate it: in the chat widget for chats, by email for email and SMS
              conversations. No survey goes out if the customer writes again or the conversation is reopened before the delay ends.
              Customers can change their answer for a week.
            </p>
            <div class="field">
              <label>
                <input type="checkbox" checked={enabled()} onChange={(e) => setEnabled(e.currentTarget.checked)} disabled={!isAdmin()} />{' '}
                Send satisfaction surveys
              </label>
            </div>
            <div class="field">
              <label for="csat-scale">Scale</label>
              <select id="csat-scale" value={scale()} onChange={(e) => setScale(e.currentTarget.value as CsatScale)} disabled={!isAdmin()}>
                <option value="five">1 to 5</option>
                <option value="thumbs">Thumbs up or down</option>
              </select>
            </div>
            <div class="field">
              <label for="csat-delay">Minutes after the close</label>
              <input
                id="csat-delay"
                inputmode="numeric"
                value={delay()}
                onInput={(e) => setDelay(e.currentTarget.value)}
                disabled={!isAdmin()}
                aria-invalid={delayError() ? 'true' : undefined}
                aria-describedby={delayError() ? 'csat-delay-error' : undefined}
              />
              <Show when={delayError()}>
                <p id="csat-delay-error" class="form-error">
                  {delayError()}
                </p>
              </Show>
            </div>
            <div class="field">
              <label for="csat-question">Question</label>
              <input
                id="csat-question"
                value={question()}
                maxlength={CSAT_QUESTION_MAX_CHARS}
                onInput={(e) => setQuestion(e.currentTarget.value)}
                disabled={!isAdmin()}
                aria-invalid={questionError() ? 'true' : undefined}
                aria-describedby={questionError() ? 'csat-question-error' : undefined}
              />
              <Show when={questionError()}>
                <p id="csat-question-error" class="form-error">
                  {questionError()}
                </p>
              </Show>
            </div>
            <Show when={!isAdmin()}>
              <p class="small muted">Only admins can change the survey settings.</p>
            </Show>
            <Status message={message()} error={failed()} testId="csat-status" />
            <Show when={isAdmin()}>
              <button class="btn primary" type="submit">
                Save surveys
              </button>
            </Show>
          </form>
        );
      }}
    </Section>
  );
}
