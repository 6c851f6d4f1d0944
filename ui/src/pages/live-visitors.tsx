/**
 * `/visitors` (loaded on demand, issue #20): who is on the account's site
 * right now, from the presence of `events:admin:<account>:all` — their page,
 * time on site (ticking), active or idle, the customer and conversation they
 * are linked to — and below, the recorded sessions (`GET
 * /api/browser_sessions`, "Load more"). `/visitors/:sessionId` is one
 * session in the player (components/replay-player.tsx, a further lazy
 * chunk): live while the visitor is on the presence topic, recorded after.
 */
import { A, useNavigate, useParams } from '@solidjs/router';
import {
  For,
  Match,
  Show,
  Switch,
  createEffect,
  createMemo,
  createResource,
  createSignal,
  lazy,
  onCleanup,
  untrack,
  type JSX,
} from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import {
  SESSIONS_PAGE,
  browserSessionsApi,
  sessionSeconds,
  shortUrl,
  timeOnSite,
  type BrowserSession,
  type LiveSession,
} from '../lib/api-browser-sessions';
import { sessionReplayApi } from '../lib/api-session-replay';
import { formatDuration, formatFullTime, formatListTime } from '../lib/time';
import { watchLiveSessions, type ReplayConnection } from '../stores/replay';
import { useSession } from '../stores/session';

const ReplayPlayer = lazy(() => import('../components/replay-player'));

/** After the visitor leaves the presence topic, the player waits this long before switching to the recording (a page load re-joins). */
const LEAVE_GRACE_MS = 4000;

/** A ticking clock for "time on site". */
function useNow(everyMs: number): () => Date {
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), everyMs);
  onCleanup(() => clearInterval(timer));
  return now;
}

/** Customer names for ids, fetched once each (the presence meta carries only the id). */
function useCustomerNames(): (id: string) => string | undefined {
  const [, { api }] = useSession();
  const [names, setNames] = createSignal<Record<string, string>>({});
  const asked = new Set<string>();
  return (id) => {
    if (!asked.has(id)) {
      asked.add(id);
      void api.getCustomer(id).then(
        (c) => setNames({ ...names(), [id]: c.title || c.name || c.email || 'Anonymous visitor' }),
        () => undefined,
      );
    }
    return names()[id];
  };
}

function CustomerLink(props: { id: string | null | undefined; name: (id: string) => string | undefined }): JSX.Element {
  return (
    <Show when={props.id} fallback={<span class="muted">Anonymous</span>}>
      {(id) => <A href={`/customers/${encodeURIComponent(id())}`}>{props.name(id()) ?? 'Customer'}</A>}
    </Show>
  );
}

function ConversationLink(props: { id: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.id} fallback={<span class="muted">None</span>}>
      {(id) => <A href={`/conversations/${encodeURIComponent(id())}`}>Open conversation</A>}
    </Show>
  );
}

function ConnectionState(props: { state: ReplayConnection }): JSX.Element {
  return (
    <Switch>
      <Match when={props.state === 'reconnecting'}>
        <p class="state small" role="status" data-testid="visitors-reconnecting">
          <span class="spinner" aria-hidden="true" /> Connection lost: reconnecting. The list may be out of date.
        </p>
      </Match>
      <Match when={props.state === 'unauthorized'}>
        <p class="state error" role="alert" data-testid="visitors-error">
          Live visitors could not be loaded: the server refused this account’s visitor list. Try signing in again.
        </p>
      </Match>
    </Switch>
  );
}

function LiveList(props: { live: LiveSession[]; received: boolean; state: ReplayConnection }): JSX.Element {
  const now = useNow(1000);
  const name = useCustomerNames();
  const [, { api }] = useSession();
  // Only admins may read the replay settings: for others (403) the hint stays general.
  const [settings] = createResource(() =>
    sessionReplayApi(api)
      .settings()
      .catch(() => null),
  );
  const replayOff = (): boolean => settings()?.enabled === false;
  return (
    <section class="visitors-live" aria-labelledby="live-title">
      <h1 id="live-title">Live visitors</h1>
      <ConnectionState state={props.state} />
      <Switch>
        <Match when={!props.received && props.state !== 'unauthorized'}>
          <div class="state" role="status" data-testid="visitors-loading">
            <span class="spinner" aria-hidden="true" /> Loading live visitors…
          </div>
        </Match>
        <Match when={props.received && props.live.length === 0}>
          <div class="state empty-state" role="status" data-testid="visitors-empty">
            <p>
              <strong>No one is on your site right now.</strong>
            </p>
            <Show
              when={replayOff()}
              fallback={
                <p class="small muted">
                  Visitors appear here while a page with the chat widget is open and session recording is on. If you expect someone, check{' '}
                  <A href="/settings/session-replay">Settings → Session replay</A>.
                </p>
              }
            >
              <p class="small" data-testid="replay-off">
                Session recording is off for this account, so no visitor is recorded or shown. An admin can turn it on in{' '}
                <A href="/settings/session-replay">Settings → Session replay</A>; visitors are then listed here while they browse.
              </p>
            </Show>
          </div>
        </Match>
        <Match when={props.live.length > 0}>
          <table class="visitors-table" data-testid="visitors-live">
            <caption class="visually-hidden">
              {props.live.length === 1 ? 'One visitor on your site now' : `${props.live.length} visitors on your site now`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Page</th>
                <th scope="col">Time on site</th>
                <th scope="col">Status</th>
                <th scope="col">Customer</th>
                <th scope="col">Conversation</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={props.live}>
                {(v) => (
                  <tr data-session-id={v.sessionId}>
                    <th scope="row" class="visitor-url" title={v.url ?? undefined}>
                      {shortUrl(v.url) || 'Unknown page'}
                    </th>
                    <td>
                      <time datetime={v.startedAt?.toISOString()}>{timeOnSite(v.startedAt, now())}</time>
                    </td>
                    <td>
                      <span class={`visitor-status ${v.active ? 'active' : 'idle'}`}>
                        <span class="dot" aria-hidden="true" /> {v.active ? 'Active' : 'Idle'}
                      </span>
                    </td>
                    <td>
                      <CustomerLink id={v.customerId} name={name} />
                    </td>
                    <td>
                      <ConversationLink id={v.conversationId} />
                    </td>
                    <td>
                      <A
                        class="btn small primary"
                        href={`/visitors/${encodeURIComponent(v.sessionId)}`}
                        aria-label={`Watch the visitor on ${shortUrl(v.url) || 'an unknown page'} live`}
                      >
                        Watch live
                      </A>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Match>
      </Switch>
    </section>
  );
}

type Recorded = { ok: true; list: BrowserSession[]; total: number | null } | { ok: false; missing: boolean; error: string };

function RecordedList(): JSX.Element {
  const [, { api }] = useSession();
  const sessions = browserSessionsApi(api);
  const name = useCustomerNames();
  const [limit, setLimit] = createSignal(SESSIONS_PAGE);
  const [data, { refetch }] = createResource(limit, async (n): Promise<Recorded> => {
    try {
      const [list, total] = await Promise.all([sessions.list({ limit: n }), sessions.count().catch(() => null)]);
      return { ok: true, list, total };
    } catch (err) {
      return { ok: false, missing: err instanceof ApiError && err.isMissingRoute, error: describeError(err) };
    }
  });
  // Keep the rows on screen while the next page loads.
  const last = createMemo<Extract<Recorded, { ok: true }> | undefined>((prev) => {
    const d = data();
    return d?.ok ? d : prev;
  });
  const failed = (): Extract<Recorded, { ok: false }> | undefined => {
    const d = data();
    return d && !d.ok ? d : undefined;
  };
  const hasMore = (): boolean => {
    const l = last();
    if (!l) return false;
    return l.total !== null ? l.list.length < l.total : l.list.length >= limit();
  };
  const now = new Date();
  return (
    <section class="visitors-recorded" aria-labelledby="recorded-title">
      <h2 id="recorded-title">
        Recorded sessions
        <Show when={last()?.total !== null && last()?.total !== undefined}>
          <span class="muted small"> ({last()!.total})</span>
        </Show>
      </h2>
      <Switch>
        <Match when={failed()}>
          {(f) => (
            <div
              class={`state ${f().missing ? 'unavailable' : 'error'}`}
              role={f().missing ? 'status' : 'alert'}
              data-testid="recorded-error"
            >
              {f().missing
                ? 'Recorded sessions are not available on this server yet.'
                : `Recorded sessions could not be loaded: ${f().error}`}
              <Show when={!f().missing}>
                {' '}
                <button class="btn small" type="button" onClick={() => void refetch()}>
                  Try again
                </button>
              </Show>
            </div>
          )}
        </Match>
        <Match when={!last()}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading recorded sessions…
          </div>
        </Match>
        <Match when={last()?.list.length === 0}>
          <p class="state" role="status" data-testid="recorded-empty">
            No sessions have been recorded yet.
          </p>
        </Match>
        <Match when={last()}>
          {(l) => (
            <>
              <table class="visitors-table" data-testid="recorded-sessions">
                <caption class="visually-hidden">Recorded sessions, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col">Length</th>
                    <th scope="col">Last page</th>
                    <th scope="col">Customer</th>
                    <th scope="col">Events</th>
                    <th scope="col">
                      <span class="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={l().list}>
                    {(s) => (
                      <tr data-session-id={s.id}>
                        <th scope="row">
                          <time datetime={s.started_at ?? undefined} title={formatFullTime(s.started_at)}>
                            {formatListTime(s.started_at, now)}
                          </time>
                          <Show when={!s.finished_at}>
                            {' '}
                            <span class="badge-live small">Live</span>
                          </Show>
                        </th>
                        <td>{formatDuration(sessionSeconds(s))}</td>
                        <td class="visitor-url" title={s.current_url ?? undefined}>
                          {shortUrl(s.current_url) || '—'}
                        </td>
                        <td>
                          <CustomerLink id={s.customer_id} name={name} />
                        </td>
                        <td>{s.event_count ?? '—'}</td>
                        <td>
                          <A
                            class="btn small"
                            href={`/visitors/${encodeURIComponent(s.id)}`}
                            aria-label={`Replay the session of ${formatFullTime(s.started_at)}`}
                          >
                            Replay
                          </A>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <Show when={hasMore()}>
                <button
                  class="btn small load-more"
                  type="button"
                  disabled={data.loading}
                  onClick={() => setLimit(limit() + SESSIONS_PAGE)}
                  data-testid="recorded-more"
                >
                  {data.loading ? 'Loading…' : 'Load more sessions'}
                </button>
              </Show>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}

/** One session: what is known of it, the player, and "Delete recording". */
function SessionView(props: { sessionId: string; accountId: string; live: LiveSession[]; received: boolean }): JSX.Element {
  const [session, { api }] = useSession();
  const sessions = browserSessionsApi(api);
  const navigate = useNavigate();
  const name = useCustomerNames();
  const [stored] = createResource(
    () => props.sessionId,
    (id) =>
      sessions.get(id).then(
        (s) => ({ ok: true as const, session: s }),
        (err: unknown) => ({ ok: false as const, status: err instanceof ApiError ? err.status : 0, error: describeError(err) }),
      ),
  );
  const liveEntry = (): LiveSession | undefined => props.live.find((v) => v.sessionId === props.sessionId);
  // Live while on the presence topic; a short absence (the visitor loading another page) does not end it.
  const [isLive, setIsLive] = createSignal<boolean | null>(null);
  let leaveTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(() => {
    if (!props.received) return;
    const here = liveEntry() !== undefined;
    clearTimeout(leaveTimer);
    const was = untrack(isLive);
    if (here || was === null) setIsLive(here);
    else if (was) leaveTimer = setTimeout(() => setIsLive(false), LEAVE_GRACE_MS);
  });
  onCleanup(() => clearTimeout(leaveTimer));
  const row = (): BrowserSession | null => {
    const s = stored();
    return s?.ok ? s.session : null;
  };
  const missing = (): boolean => {
    const s = stored();
    return !!s && !s.ok && s.status === 404 && isLive() === false;
  };
  const [confirming, setConfirming] = createSignal(false);
  const [deleteError, setDeleteError] = createSignal<string | null>(null);
  const remove = async (): Promise<void> => {
    try {
      await sessions.remove(props.sessionId);
      navigate('/visitors', { replace: true });
    } catch (err) {
      setDeleteError(describeError(err));
    }
  };
  const url = (): string | null => liveEntry()?.url ?? row()?.current_url ?? null;
  const customerId = (): string | null => liveEntry()?.customerId ?? row()?.customer_id ?? null;
  const conversationId = (): string | null => liveEntry()?.conversationId ?? row()?.conversation_id ?? null;
  return (
    <section class="session-view" aria-labelledby="session-title">
      <A href="/visitors" class="small back-link">
        ← Live visitors
      </A>
      <h1 id="session-title">{isLive() ? 'Watching live' : 'Session replay'}</h1>
      <Switch>
        <Match when={missing()}>
          <div class="state unavailable" role="alert" data-testid="replay-not-found">
            This session was not found: it was deleted, belongs to another account, or was never recorded.
          </div>
        </Match>
        <Match when={stored()?.ok === false && (stored() as { status: number }).status !== 404 && isLive() === false}>
          <div class="state error" role="alert" data-testid="replay-error">
            The session could not be loaded: {(stored() as { error: string }).error}
          </div>
        </Match>
        <Match when={isLive() === null || stored.loading}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading the session…
          </div>
        </Match>
        <Match when={true}>
          <dl class="details session-facts">
            <dt>Page</dt>
            <dd class="visitor-url">
              {url() ? (
                <a href={url()!} target="_blank" rel="noopener noreferrer">
                  {shortUrl(url())}
                </a>
              ) : (
                '—'
              )}
            </dd>
            <dt>Started</dt>
            <dd>{formatFullTime(row()?.started_at ?? liveEntry()?.startedAt?.toISOString())}</dd>
            <dt>Customer</dt>
            <dd>
              <CustomerLink id={customerId()} name={name} />
            </dd>
            <dt>Conversation</dt>
            <dd>
              <ConversationLink id={conversationId()} />
            </dd>
          </dl>
          <ReplayPlayer accountId={props.accountId} sessionId={props.sessionId} session={row()} live={isLive() === true} />
          <Show when={row() && session.me?.role === 'admin'}>
            <div class="danger-zone">
              <Show
                when={confirming()}
                fallback={
                  <button class="btn small danger" type="button" onClick={() => setConfirming(true)}>
                    Delete recording
                  </button>
                }
              >
                <p>Delete this recording? Its events are removed and cannot be replayed again.</p>
                <button class="btn small danger" type="button" onClick={() => void remove()}>
                  Yes, delete
                </button>{' '}
                <button class="btn small" type="button" onClick={() => setConfirming(false)}>
                  Keep it
                </button>
              </Show>
              <p class="form-error" role="alert">
                {deleteError() ?? ''}
              </p>
            </div>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}

export default function LiveVisitorsPage(): JSX.Element {
  const [session, { api }] = useSession();
  const params = useParams<{ sessionId?: string }>();
  const accountId = session.session!.account_id;
  const watch = watchLiveSessions(api, accountId);
  return (
    <div class="page visitors-page">
      <Show
        when={params.sessionId}
        fallback={
          <>
            <LiveList live={watch.sessions()} received={watch.received()} state={watch.state()} />
            <RecordedList />
          </>
        }
      >
        {(id) => <SessionView sessionId={id()} accountId={accountId} live={watch.sessions()} received={watch.received()} />}
      </Show>
    </div>
  );
}
