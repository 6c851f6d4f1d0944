/** The customer beside a conversation: details, metadata, past conversations and team notes. */
import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, createSignal, lazy, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { plainText } from '../lib/markdown';
import { formatFullTime, formatListTime } from '../lib/time';
import { useConversations } from '../stores/conversations';
import { useSession } from '../stores/session';
import type { Customer } from '../types';
import { SeeWhatTheySaw } from './session-links';

const ConversationGithub = lazy(() => import('./github-issues'));

/** A custom attribute as shown: objects as JSON, nothing for empty values. */
function detailText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'string') return value;
  // JSON has no other scalars; functions and symbols cannot arrive from the API.
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : '';
}

function Detail(props: { label: string; value: unknown }): JSX.Element {
  const text = (): string => detailText(props.value);
  return (
    <Show when={text()}>
      <dt>{props.label}</dt>
      <dd>{text()}</dd>
    </Show>
  );
}

export function CustomerPanel(props: { conversationId: string; open: boolean; onClose: () => void; now: Date }): JSX.Element {
  const [, { api }] = useSession();
  const [conversations] = useConversations();
  const conv = () => conversations.byId[props.conversationId];
  const customerId = () => conv()?.customer_id;
  const [customer] = createResource(customerId, (id) => api.getCustomer(id).catch((): Customer | null => conv()?.customer ?? null));
  const [past] = createResource(customerId, (id) => api.listConversations({ customer_id: id }, null, 10));
  const [notes, { refetch: refetchNotes }] = createResource(customerId, (id) =>
    api.listNotes(id).then(
      (list) => ({ list, unavailable: false }),
      (err: unknown) => ({ list: [], unavailable: err instanceof ApiError && err.isMissingRoute }),
    ),
  );
  const [note, setNote] = createSignal('');
  const [noteError, setNoteError] = createSignal<string | null>(null);
  const addNote = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const id = customerId();
    if (!id || !note().trim()) return;
    try {
      await api.createNote(id, note().trim());
      setNote('');
      setNoteError(null);
      void refetchNotes();
    } catch (err) {
      setNoteError(describeError(err));
    }
  };
  const c = (): Customer | null | undefined => customer() ?? conv()?.customer;
  return (
    <aside class="customer-panel" classList={{ open: props.open }} aria-label="Customer details">
      <div class="panel-head">
        <h2>{c()?.title ?? c()?.name ?? c()?.email ?? 'Visitor'}</h2>
        <button class="btn ghost small close-panel" type="button" onClick={() => props.onClose()} aria-label="Close customer details">
          ✕
        </button>
      </div>
      <Show
        when={c()}
        fallback={
          <div class="state" role="status">
            Loading…
          </div>
        }
      >
        {(cu) => (
          <dl class="details">
            <Detail label="Email" value={cu().email} />
            <Detail label="Phone" value={cu().phone} />
            <Detail label="External id" value={cu().external_id} />
            <Detail label="Last seen" value={formatFullTime(cu().last_seen_at)} />
            <Detail label="Page" value={cu().current_url} />
            <Detail label="Browser" value={[cu().browser, cu().os].filter(Boolean).join(' on ')} />
            <Detail label="Time zone" value={cu().time_zone} />
            <For each={Object.entries(cu().metadata ?? {})}>{([k, v]) => <Detail label={k} value={v} />}</For>
          </dl>
        )}
      </Show>
      <Show when={customerId()}>
        {(id) => (
          <A href={`/customers/${encodeURIComponent(id())}`} class="small" data-testid="customer-page-link">
            Open the customer page
          </A>
        )}
      </Show>
      <SeeWhatTheySaw customerId={customerId()} conversation={conv()} now={props.now} />
      <h3>Conversations</h3>
      <Switch>
        <Match when={past.loading}>
          <p class="muted small">Loading…</p>
        </Match>
        <Match when={past.error !== undefined}>
          <p class="muted small">Past conversations could not be loaded.</p>
        </Match>
        <Match when={past()}>
          {(page) => (
            <ul class="past">
              <For each={page().data} fallback={<li class="muted small">None</li>}>
                {(p) => (
                  <li classList={{ current: p.id === props.conversationId }}>
                    <A href={`/inbox/${p.status === 'closed' ? 'closed' : p.status === 'snoozed' ? 'snoozed' : 'open'}/${p.id}`}>
                      <span class="small">{plainText(p.messages?.[0]?.body) || 'No messages'}</span>
                      <span class="small muted">
                        {p.status} · {formatListTime(p.last_activity_at, props.now)}
                      </span>
                    </A>
                  </li>
                )}
              </For>
            </ul>
          )}
        </Match>
      </Switch>
      <ConversationGithub conversationId={props.conversationId} />
      <h3>Team notes</h3>
      <Show when={!notes()?.unavailable} fallback={<p class="muted small">Notes are not available on this server.</p>}>
        <ul class="notes">
          <For each={notes()?.list ?? []} fallback={<li class="muted small">No notes yet.</li>}>
            {(n) => (
              <li>
                <p>{n.body}</p>
                <span class="small muted">
                  {n.author?.email ?? ''} {formatListTime(n.created_at, props.now)}
                </span>
              </li>
            )}
          </For>
        </ul>
        <form onSubmit={(e) => void addNote(e)} class="note-form">
          <label for="customer-note" class="visually-hidden">
            Add a note about this customer
          </label>
          <textarea
            id="customer-note"
            rows={2}
            placeholder="Add a note about this customer"
            value={note()}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          <div class="form-error" role="alert">
            {noteError() ?? ''}
          </div>
          <button class="btn small" type="submit" disabled={!note().trim()}>
            Add note
          </button>
        </form>
      </Show>
    </aside>
  );
}
