/**
 * Links into session replay (issue #20) from where agents already are: a
 * customer's recorded sessions on the customer page, and "See what they saw"
 * beside a conversation (the customer's sessions around its time: the one
 * the conversation started in first, then those that overlap it). Both read
 * `GET /api/browser_sessions?customer_id=` and link to `/visitors/:id`; a
 * server without the routes shows nothing rather than an error.
 */
import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { browserSessionsApi, sessionSeconds, sessionsAround, shortUrl, type BrowserSession } from '../lib/api-browser-sessions';
import { formatDuration, formatListTime } from '../lib/time';
import { useSession } from '../stores/session';

type Found = { ok: true; list: BrowserSession[] } | { ok: false; missing: boolean; error: string };

function useCustomerSessions(customerId: () => string | undefined, limit: number) {
  const [, { api }] = useSession();
  const sessions = browserSessionsApi(api);
  return createResource(customerId, (id) =>
    sessions.list({ customer_id: id, limit }).then(
      (list): Found => ({ ok: true, list }),
      (err: unknown): Found => ({ ok: false, missing: err instanceof ApiError && err.isMissingRoute, error: describeError(err) }),
    ),
  );
}

function isLive(s: BrowserSession): boolean {
  return !s.finished_at;
}

function SessionRow(props: { session: BrowserSession; now: Date }): JSX.Element {
  const s = (): BrowserSession => props.session;
  const label = (): string =>
    `${isLive(s()) ? 'Watch live' : 'Replay'}: ${shortUrl(s().current_url) || 'session'} ${formatListTime(s().started_at, props.now)}`;
  return (
    <li data-session-id={s().id}>
      <A href={`/visitors/${encodeURIComponent(s().id)}`} aria-label={label()}>
        <span class="small">{shortUrl(s().current_url) || 'Unknown page'}</span>
        <span class="small muted">
          {isLive(s()) ? 'Live now' : formatListTime(s().started_at, props.now)}
          {sessionSeconds(s()) !== null ? ` · ${formatDuration(sessionSeconds(s()))}` : ''}
        </span>
      </A>
    </li>
  );
}

/** The customer page's "Sessions" section. */
export function CustomerSessions(props: { customerId: string }): JSX.Element {
  const [found] = useCustomerSessions(() => props.customerId, 20);
  const now = new Date();
  return (
    <Show when={!(found() && !found()!.ok && (found() as { missing: boolean }).missing)}>
      <section aria-labelledby="sessions-title" data-testid="customer-sessions">
        <h2 id="sessions-title">Sessions</h2>
        <Switch>
          <Match when={found.loading}>
            <p class="small muted">Loading…</p>
          </Match>
          <Match when={found() && !found()!.ok && found()}>
            {(f) => <p class="small muted">Sessions could not be loaded: {(f() as { error: string }).error}</p>}
          </Match>
          <Match when={found()?.ok && found()}>
            {(f) => (
              <ul class="rows session-links">
                <For each={(f() as { list: BrowserSession[] }).list} fallback={<li class="small muted">No recorded sessions.</li>}>
                  {(s) => <SessionRow session={s} now={now} />}
                </For>
              </ul>
            )}
          </Match>
        </Switch>
      </section>
    </Show>
  );
}

/** "See what they saw": beside a conversation, the customer's sessions around it. */
export function SeeWhatTheySaw(props: {
  customerId: string | undefined;
  conversation: { id: string; created_at?: string | null; last_activity_at?: string | null } | undefined;
  now: Date;
}): JSX.Element {
  const [found] = useCustomerSessions(() => props.customerId, 20);
  const around = (): BrowserSession[] => {
    const f = found();
    return f?.ok && props.conversation ? sessionsAround(props.now, f.list, props.conversation) : [];
  };
  return (
    <Show when={around().length > 0}>
      <section class="see-what-they-saw" aria-labelledby="saw-title" data-testid="see-what-they-saw">
        <h3 id="saw-title">See what they saw</h3>
        <ul class="past session-links">
          <For each={around()}>{(s) => <SessionRow session={s} now={props.now} />}</For>
        </ul>
      </section>
    </Show>
  );
}
