/**
 * Satisfaction survey results in the console (issue #21 item 2): a conversation's rating (in its
 * header), a customer's ratings (customer page) and the CSAT block of Reporting (average score,
 * response rate, per agent, by day). Each loads its own data, so the pages that show them need
 * one line each.
 */
import { For, Show, createResource, onCleanup, type JSX } from 'solid-js';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { useRealtime } from '../stores/realtime';
import { z } from 'zod';
import { useSession } from '../stores/session';
import { conversationRatingSchema, csatReportSchema, type ConversationRating } from '../../../gateway/protocol/wire/csat.js';

/** "4/5", "👍"/"👎" (with words for screen readers). */
function scoreText(r: Pick<ConversationRating, 'scale' | 'score'>): string {
  if (r.score === null) return 'No answer yet';
  if (r.scale === 'thumbs') return r.score >= 4 ? '👍 Thumbs up' : '👎 Thumbs down';
  return `${r.score}/5`;
}

function RatingLine(props: { rating: ConversationRating }): JSX.Element {
  return (
    <span class="small" data-testid="csat-rating">
      <span class="tag">Satisfaction: {scoreText(props.rating)}</span>
      <Show when={props.rating.comment}>{(comment) => <span class="muted"> “{comment()}”</span>}</Show>
    </span>
  );
}

/** The newest survey of a conversation, if any (a conversation view's header). */
export function ConversationRatingBadge(props: { conversationId: string; status: string }): JSX.Element {
  const [, { api }] = useSession();
  const [, realtime] = useRealtime();
  // Refetched when the status changes: a close may bring a survey, a reopen a new resolution.
  const [ratings, { refetch }] = createResource(
    () => [props.conversationId, props.status] as const,
    ([id]) =>
      api.parsedData(z.array(conversationRatingSchema), 'GET', `/api/conversations/${encodeURIComponent(id)}/ratings`).catch(() => []),
  );
  // …and when the customer rates it (`record:changed`, kind `conversation_rating`), or after a reconnect.
  const stop = realtime.subscribe(
    (e) => {
      if (e.event === EVENTS.recordChanged && e.payload.kind === 'conversation_rating' && e.payload.id === props.conversationId)
        void refetch();
    },
    () => void refetch(),
  );
  onCleanup(stop);
  return <Show when={ratings()?.[0]}>{(r) => <RatingLine rating={r()} />}</Show>;
}

/** Every survey of a customer, newest first (the customer page). */
export function CustomerRatings(props: { customerId: string }): JSX.Element {
  const [, { api }] = useSession();
  const [ratings] = createResource(
    () => props.customerId,
    (id) => api.parsedData(z.array(conversationRatingSchema), 'GET', `/api/customers/${encodeURIComponent(id)}/ratings`).catch(() => []),
  );
  return (
    <section aria-labelledby="csat-title">
      <h2 id="csat-title">Satisfaction</h2>
      <ul class="rows" data-testid="customer-ratings">
        <For each={ratings() ?? []} fallback={<li class="small muted">No surveys yet.</li>}>
          {(r) => (
            <li>
              <RatingLine rating={r} />
              <span class="small muted"> {new Date(r.rated_at ?? r.sent_at).toLocaleDateString()}</span>
            </li>
          )}
        </For>
      </ul>
    </section>
  );
}

const TABLE = { width: '100%', 'border-collapse': 'collapse', 'margin-bottom': '16px' } as const;
const pct = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 100)}%`);
const avg = (v: number | null): string => (v === null ? '—' : v.toFixed(2));

/** The CSAT block of Reporting, over surveys sent in the range. */
export function CsatReportPanel(props: { from: Date; to: Date }): JSX.Element {
  const [, { api }] = useSession();
  const [report] = createResource(
    () => ({ from: props.from.toISOString(), to: props.to.toISOString() }),
    (r) =>
      api.parsedData(csatReportSchema, 'GET', '/api/reporting/csat', undefined, { from_date: r.from, to_date: r.to }).catch(() => null),
  );
  return (
    <section aria-labelledby="csat-report-title" data-testid="csat-report">
      <h2 id="csat-report-title">Customer satisfaction</h2>
      <Show when={report()} fallback={<div class="state small">No satisfaction data.</div>}>
        {(data) => (
          <Show when={data().surveys_sent > 0} fallback={<div class="state small">No surveys were sent in this period.</div>}>
            <div class="kpis" style={{ 'margin-bottom': '16px' }}>
              <div class="kpi">
                <span class="kpi-value" data-testid="csat-average">
                  {avg(data().average_score)}
                </span>
                <span class="small muted">Average score (1–5)</span>
              </div>
              <div class="kpi">
                <span class="kpi-value" data-testid="csat-response-rate">
                  {pct(data().response_rate)}
                </span>
                <span class="small muted">
                  Response rate ({data().responses} of {data().surveys_sent})
                </span>
              </div>
              <div class="kpi">
                <span class="kpi-value">{pct(data().satisfied_share)}</span>
                <span class="small muted">Satisfied (4–5, thumbs up)</span>
              </div>
            </div>
            <table class="report-table" style={TABLE} data-testid="csat-agents">
              <caption class="visually-hidden">Satisfaction per agent</caption>
              <thead>
                <tr>
                  <th scope="col">Agent</th>
                  <th scope="col">Surveys</th>
                  <th scope="col">Responses</th>
                  <th scope="col">Average</th>
                </tr>
              </thead>
              <tbody>
                <For each={data().per_agent}>
                  {(a) => (
                    <tr>
                      <th scope="row">{a.agent ? (a.agent.display_name ?? a.agent.email) : 'Unassigned'}</th>
                      <td>{a.surveys_sent}</td>
                      <td>{a.responses}</td>
                      <td>{avg(a.average_score)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
            <table class="report-table" style={TABLE} data-testid="csat-days">
              <caption class="visually-hidden">Satisfaction by day</caption>
              <thead>
                <tr>
                  <th scope="col">Day</th>
                  <th scope="col">Surveys</th>
                  <th scope="col">Responses</th>
                  <th scope="col">Average</th>
                </tr>
              </thead>
              <tbody>
                <For each={data().by_day}>
                  {(d) => (
                    <tr>
                      <th scope="row">{d.date}</th>
                      <td>{d.surveys_sent}</td>
                      <td>{d.responses}</td>
                      <td>{avg(d.average_score)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </Show>
        )}
      </Show>
    </section>
  );
}
