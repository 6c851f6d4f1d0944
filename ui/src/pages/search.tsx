/**
 * Search (issue #17, item 7): messages (private notes included), customers and
 * customer notes of the account through `GET /api/search`, grouped, with the
 * matched words highlighted, filters on the conversation (status, assignee,
 * tag, inbox, dates) and "Load more" per group by cursor. The query and the
 * filters live in the URL (`/search?q=…`), so a search can be shared and Back
 * restores it. Keyboard: the box has focus on arrival; ↓/↑ move between hits,
 * Enter opens one, Escape returns to the box. Its own lazy chunk (app.tsx).
 *
 * Snippets arrive as plain-text segments and are rendered as text nodes in
 * `<mark>`/text: a body with `<script>` shows that text, it never becomes markup.
 */
import { A, useSearchParams } from '@solidjs/router';
import { For, Match, Show, Switch, createEffect, createResource, createSignal, on, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import {
  NO_FILTERS,
  mergePage,
  searchApi,
  type SearchCustomerHit,
  type SearchFilters,
  type SearchMessageHit,
  type SearchSegment,
} from '../lib/api-search';
import { tagsApi } from '../lib/api-tags';
import { agentName } from '../lib/lists';
import type { Inbox, Tag } from '../lib/wire';
import { useAgents } from '../stores/agents';
import { useSession } from '../stores/session';

type Params = { q?: string; status?: string; assignee?: string; tag?: string; inbox?: string; from?: string; to?: string };

interface Group<T> {
  data: T[];
  next: string | null;
  mode: 'words' | 'partial' | 'none';
  loadingMore: boolean;
  moreError: string | null;
}

const STATUS_LABEL: Record<string, string> = { open: 'Open', closed: 'Closed', snoozed: 'Snoozed' };

/** A snippet as text nodes, the matched words in <mark>. */
function Snippet(props: { segments: SearchSegment[] }): JSX.Element {
  return (
    <span class="search-snippet">
      <For each={props.segments}>{(s) => (s.hit ? <mark>{s.text}</mark> : <>{s.text}</>)}</For>
    </span>
  );
}

function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' });
}

export default function SearchPage(): JSX.Element {
  const [params, setParams] = useSearchParams<Params>();
  const [session, { api }] = useSession();
  const [agents] = useAgents();
  const search = searchApi(api);
  const str = (v: string | string[] | undefined): string => (typeof v === 'string' ? v : '');
  const q = (): string => str(params.q).trim();
  const filters = (): SearchFilters => ({
    ...NO_FILTERS,
    status: (['open', 'closed', 'snoozed'] as const).find((s) => s === str(params.status)) ?? '',
    assignee: str(params.assignee),
    tag: str(params.tag),
    inbox: str(params.inbox),
    from: str(params.from),
    to: str(params.to),
  });
  const [draft, setDraft] = createSignal(q());
  createEffect(on(q, (value) => setDraft(value)));

  const [tags] = createResource(() =>
    tagsApi(api)
      .list()
      .catch((): Tag[] => []),
  );
  const [inboxes] = createResource(() => api.listInboxes().catch((): Inbox[] => []));

  const [messages, setMessages] = createSignal<Group<SearchMessageHit> | null>(null);
  const [customers, setCustomers] = createSignal<Group<SearchCustomerHit> | null>(null);
  const [status, setStatus] = createSignal<'idle' | 'loading' | 'ready' | 'error' | 'forbidden'>('idle');
  const [error, setError] = createSignal('');
  let generation = 0;

  const run = async (): Promise<void> => {
    const text = q();
    const mine = ++generation;
    if (text === '') {
      setStatus('idle');
      setMessages(null);
      setCustomers(null);
      return;
    }
    setStatus('loading');
    try {
      const r = await search.search(text, filters());
      if (mine !== generation) return;
      setMessages({ ...r.messages, loadingMore: false, moreError: null });
      setCustomers({ ...r.customers, loadingMore: false, moreError: null });
      setStatus('ready');
    } catch (err) {
      if (mine !== generation) return;
      setError(describeError(err));
      setStatus(err instanceof ApiError && err.status === 403 ? 'forbidden' : 'error');
    }
  };
  createEffect(on([q, filters], () => void run()));

  async function more<T extends { id: string }>(
    scope: 'messages' | 'customers',
    get: () => Group<T> | null,
    set: (g: Group<T>) => void,
  ): Promise<void> {
    const g = get();
    if (!g?.next || g.loadingMore) return;
    const mine = generation;
    set({ ...g, loadingMore: true, moreError: null });
    try {
      const r = await search.search(q(), filters(), { scope, after: g.next });
      if (mine !== generation) return;
      const page = (scope === 'messages' ? r.messages : r.customers) as unknown as { data: T[]; next: string | null };
      set({ ...g, data: mergePage(g.data, page.data), next: page.next, loadingMore: false, moreError: null });
    } catch (err) {
      if (mine !== generation) return;
      set({ ...g, loadingMore: false, moreError: describeError(err) });
    }
  }

  const setFilter = (key: keyof SearchFilters, value: string): void => setParams({ [key]: value || undefined });
  const hasFilters = (): boolean => Object.values(filters()).some((v) => v !== '');

  let box: HTMLInputElement | undefined;
  let results: HTMLDivElement | undefined;
  /** ↓/↑ between hits (links), Escape back to the box. */
  const onResultsKey = (e: KeyboardEvent): void => {
    const links = [...(results?.querySelectorAll<HTMLAnchorElement>('a.search-hit') ?? [])];
    const at = links.indexOf(document.activeElement as HTMLAnchorElement);
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = e.key === 'ArrowDown' ? Math.min(links.length - 1, at + 1) : at - 1;
      if (next < 0) box?.focus();
      else links[next]?.focus();
    } else if (e.key === 'Escape') {
      box?.focus();
    }
  };
  const onBoxKey = (e: KeyboardEvent): void => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      results?.querySelector<HTMLAnchorElement>('a.search-hit')?.focus();
    }
  };

  const agentLabel = (id: number | null): string => {
    if (id === null) return 'Unassigned';
    if (id === session.session?.user_id) return 'You';
    const user = agents.users.find((u) => u.id === id);
    return user ? agentName(user) : 'An agent';
  };
  const customerLabel = (c: { name: string | null; email: string | null } | null): string => c?.name || c?.email || 'Anonymous visitor';

  return (
    <section class="search-page" aria-labelledby="search-title">
      <h1 id="search-title">Search</h1>
      <form
        role="search"
        class="search-form"
        onSubmit={(e) => {
          e.preventDefault();
          setParams({ q: draft().trim() || undefined });
        }}
      >
        <label class="visually-hidden" for="search-everything">
          Search messages, notes and customers
        </label>
        <input
          id="search-everything"
          ref={(el) => {
            box = el;
            queueMicrotask(() => el.focus());
          }}
          type="search"
          placeholder='Words, "a phrase", -exclude, or part of a word'
          value={draft()}
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={onBoxKey}
          maxLength={200}
        />
        <button class="btn primary" type="submit">
          Search
        </button>
      </form>
      <fieldset class="search-filters">
        <legend class="visually-hidden">Filter message hits</legend>
        <Filter label="Status" name="status" filters={filters()} onChange={setFilter}>
          <option value="open">Open</option>
          <option value="snoozed">Snoozed</option>
          <option value="closed">Closed</option>
        </Filter>
        <Filter label="Assignee" name="assignee" any="Anyone" filters={filters()} onChange={setFilter}>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          <For each={agents.users.filter((u) => u.id !== session.session?.user_id)}>
            {(u) => <option value={String(u.id)}>{agentName(u)}</option>}
          </For>
        </Filter>
        <Filter label="Tag" name="tag" filters={filters()} onChange={setFilter}>
          <For each={tags() ?? []}>{(t) => <option value={t.id}>{t.name}</option>}</For>
        </Filter>
        <Filter label="Inbox" name="inbox" filters={filters()} onChange={setFilter}>
          <For each={inboxes() ?? []}>{(i) => <option value={i.id}>{i.name}</option>}</For>
        </Filter>
        <Filter label="From" name="from" filters={filters()} onChange={setFilter} />
        <Filter label="To" name="to" filters={filters()} onChange={setFilter} />
        <Show when={hasFilters()}>
          <button
            class="btn ghost small"
            type="button"
            onClick={() =>
              setParams({ status: undefined, assignee: undefined, tag: undefined, inbox: undefined, from: undefined, to: undefined })
            }
          >
            Clear filters
          </button>
        </Show>
      </fieldset>

      <div class="search-results" ref={(el) => (results = el)} onKeyDown={onResultsKey} data-testid="search-results">
        <Switch>
          <Match when={status() === 'idle'}>
            <p class="state muted">
              Type words to find messages, private notes and customers. Quote a phrase, put - before a word to exclude it; part of a word
              works too.
            </p>
          </Match>
          <Match when={status() === 'loading'}>
            <div class="state" role="status">
              <span class="spinner" aria-hidden="true" /> Searching…
            </div>
          </Match>
          <Match when={status() === 'forbidden'}>
            <div class="state error" role="alert">
              You do not have access to search in this account.
            </div>
          </Match>
          <Match when={status() === 'error'}>
            <div class="state error" role="alert">
              Search failed: {error()}{' '}
              <button class="btn small" type="button" onClick={() => void run()}>
                Try again
              </button>
            </div>
          </Match>
          <Match when={status() === 'ready' && messages()?.data.length === 0 && customers()?.data.length === 0}>
            <p class="state" role="status" data-testid="search-empty">
              Nothing matches “{q()}”{hasFilters() ? ' with these filters' : ''}.
            </p>
          </Match>
          <Match when={status() === 'ready'}>
            <p class="visually-hidden" role="status">
              Results for {q()}
            </p>
            <Show when={(messages()?.data.length ?? 0) > 0}>
              <section aria-labelledby="search-messages" class="search-group" data-testid="search-messages">
                <h2 id="search-messages">
                  Messages <Show when={messages()?.mode === 'partial'}>{<span class="muted small">(parts of words)</span>}</Show>
                </h2>
                <ul class="search-list">
                  <For each={messages()?.data}>
                    {(hit) => (
                      <li>
                        <A class="search-hit" href={`/inbox/${hit.conversation.status}/${hit.conversation_id}`} data-hit-id={hit.id}>
                          <span class="search-hit-head">
                            <strong>{customerLabel(hit.conversation.customer)}</strong>
                            <span class="muted small">
                              {STATUS_LABEL[hit.conversation.status] ?? hit.conversation.status} ·{' '}
                              {agentLabel(hit.conversation.assignee_id)} · {formatDate(hit.inserted_at)}
                            </span>
                            <Show when={hit.private}>
                              <span class="badge note-badge">Private note</span>
                            </Show>
                          </span>
                          <Snippet segments={hit.snippet} />
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
                <LoadMore group={messages()} label="messages" onMore={() => void more('messages', messages, setMessages)} />
              </section>
            </Show>
            <Show when={(customers()?.data.length ?? 0) > 0}>
              <section aria-labelledby="search-customers" class="search-group" data-testid="search-customers">
                <h2 id="search-customers">Customers</h2>
                <ul class="search-list">
                  <For each={customers()?.data}>
                    {(hit) => (
                      <li>
                        <A
                          class="search-hit"
                          href={
                            hit.latest_conversation
                              ? `/inbox/${hit.latest_conversation.status}/${hit.latest_conversation.id}`
                              : `/search?q=${encodeURIComponent(hit.customer.email ?? hit.customer.name ?? '')}`
                          }
                          title={hit.latest_conversation ? 'Open their latest conversation' : 'No conversation yet'}
                          data-hit-id={hit.id}
                        >
                          <span class="search-hit-head">
                            <strong>{customerLabel(hit.customer)}</strong>
                            <span class="muted small">{hit.matched === 'note' ? 'Note' : 'Profile'}</span>
                          </span>
                          <Snippet segments={hit.snippet} />
                        </A>
                      </li>
                    )}
                  </For>
                </ul>
                <LoadMore group={customers()} label="customers" onMore={() => void more('customers', customers, setCustomers)} />
              </section>
            </Show>
          </Match>
        </Switch>
      </div>
    </section>
  );
}

/**
 * One filter of the message hits, labelled: a select of `children` after an
 * empty choice (`any`, "Any" by default), or without children a date.
 */
function Filter(props: {
  label: string;
  name: keyof SearchFilters;
  filters: SearchFilters;
  onChange: (name: keyof SearchFilters, value: string) => void;
  any?: string;
  children?: JSX.Element;
}): JSX.Element {
  const change = (e: Event & { currentTarget: HTMLSelectElement | HTMLInputElement }): void =>
    props.onChange(props.name, e.currentTarget.value);
  return (
    <label>
      {props.label}
      <Show when={'children' in props} fallback={<input type="date" value={props.filters[props.name]} onChange={change} />}>
        <select value={props.filters[props.name]} onChange={change}>
          <option value="">{props.any ?? 'Any'}</option>
          {props.children}
        </select>
      </Show>
    </label>
  );
}

function LoadMore(props: { group: Group<{ id: string }> | null; label: string; onMore: () => void }): JSX.Element {
  return (
    <>
      <Show when={props.group?.next}>
        <button class="btn small" type="button" disabled={props.group?.loadingMore} onClick={() => props.onMore()}>
          {props.group?.loadingMore ? 'Loading…' : `Load more ${props.label}`}
        </button>
      </Show>
      <Show when={props.group?.moreError}>
        <p class="state small error" role="alert">
          Could not load more: {props.group?.moreError}
        </p>
      </Show>
    </>
  );
}
