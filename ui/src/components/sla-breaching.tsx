/**
 * The inbox's "Breaching soon" filter (issue #21; docs/sla.md): a toggle in the list's head, and
 * the list it shows instead of the usual one: the conversations with an SLA clock due within
 * BREACHING_SOON_MINUTES or already overdue (`GET /api/sla/targets?breaching_within_minutes=`),
 * soonest first, narrowed to the current list where the clocks tell (assigned to me,
 * unassigned, one inbox). Re-read on `sla:changed` and on the page's 30-second clock (the
 * window moves); conversations not loaded yet are fetched for their row.
 */
import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createEffect, createMemo, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import { BREACHING_SOON_MINUTES, type SlaTarget } from '../lib/api-sla';
import { plainText } from '../lib/markdown';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useSession } from '../stores/session';
import { useSla, type SlaState } from '../stores/sla';
import type { Conversation, ListSpec } from '../types';
import { SlaBadge } from './sla-badge';

/** Which clocks of the filter belong to a list: its assignee or inbox, where the list has one. */
export function breachingNarrow(spec: ListSpec, meId: number): (t: SlaTarget) => boolean {
  if (spec.kind === 'mine') return (t) => t.assignee_id === meId;
  if (spec.kind === 'unassigned') return (t) => t.assignee_id === null;
  if (spec.kind === 'inbox' && spec.inboxId) return (t) => t.inbox_id === spec.inboxId;
  return () => true;
}

/** The conversation ids the filter shows, soonest first. */
export function breachingIds(state: SlaState, narrow: (t: SlaTarget) => boolean): string[] {
  const b = state.breaching;
  if (!b) return [];
  return [...new Set(b.targets.filter(narrow).map((t) => t.conversation_id))];
}

/** The toggle in a list's head (a pressed button while the filter is on). */
export function BreachingSoonToggle(props: { on: boolean; onToggle: () => void }): JSX.Element {
  return (
    <button
      type="button"
      class="btn small sla-filter"
      classList={{ primary: props.on }}
      aria-pressed={props.on}
      data-testid="breaching-soon-toggle"
      onClick={() => props.onToggle()}
    >
      Breaching soon <span class="small">(≤ {BREACHING_SOON_MINUTES} min or overdue)</span>
    </button>
  );
}

export function SlaBreachingList(props: {
  spec: ListSpec;
  title: string;
  activeId: string | undefined;
  hrefFor: (id: string) => string;
  onToggle: () => void;
  now: Date;
}): JSX.Element {
  const [session, { api }] = useSession();
  const [conversations] = useConversations();
  const [, agents] = useAgents();
  const [sla, slaActions] = useSla();
  /** Conversations fetched for a row because no loaded list had them. */
  const [fetched, setFetched] = createSignal<Record<string, Conversation | null>>({});
  const asked = new Set<string>();

  onMount(() => slaActions.watchBreaching(BREACHING_SOON_MINUTES));
  onCleanup(() => slaActions.watchBreaching(null));
  createEffect(
    on(
      () => props.now,
      () => void slaActions.reloadBreaching(),
      { defer: true },
    ),
  );

  const ids = createMemo(() => breachingIds(sla, breachingNarrow(props.spec, session.session?.user_id ?? 0)));
  createEffect(() => {
    for (const id of ids()) {
      if (conversations.byId[id] || asked.has(id)) continue;
      asked.add(id);
      api.getConversation(id).then(
        (c) => setFetched((m) => ({ ...m, [id]: c })),
        () => setFetched((m) => ({ ...m, [id]: null })),
      );
    }
  });
  const conversationOf = (id: string): Conversation | null | undefined => conversations.byId[id] ?? fetched()[id];

  return (
    <section class="list-pane" aria-label={`${props.title}: breaching soon`}>
      <div class="list-head">
        <BreachingSoonToggle on={true} onToggle={props.onToggle} />
        <h1 class="list-title">
          {props.title} · Breaching soon
          <Show when={sla.breaching?.status === 'ready'}>
            <span class="muted count" data-testid="list-total">
              {' '}
              {ids().length}
            </span>
          </Show>
        </h1>
      </div>
      <Switch>
        <Match when={!sla.breaching || (sla.breaching.status === 'loading' && ids().length === 0)}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading conversations…
          </div>
        </Match>
        <Match when={sla.breaching?.status === 'error' && ids().length === 0}>
          <div class="state error" role="alert">
            <p>Could not load the SLA deadlines: {sla.breaching?.error}</p>
            <button class="btn" type="button" onClick={() => void slaActions.reloadBreaching()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={ids().length === 0}>
          <div class="state empty" data-testid="breaching-empty">
            <p>No conversation here has an SLA target due within {BREACHING_SOON_MINUTES} minutes or overdue.</p>
            <p class="small muted">Conversations appear here as their deadlines come close. SLA policies are set in Settings → SLA.</p>
          </div>
        </Match>
        <Match when={true}>
          <ul class="sla-breaching-list" aria-label={`${props.title} conversations breaching soon`} data-testid="breaching-list">
            <For each={ids()}>
              {(id) => {
                const c = () => conversationOf(id);
                const title = (): string => {
                  const conv = c();
                  if (conv === null) return 'Conversation not available';
                  return (
                    conv?.customer?.title ?? conv?.customer?.name ?? conv?.customer?.email ?? (conv ? 'Anonymous visitor' : 'Loading…')
                  );
                };
                const preview = (): string => {
                  const m = c()?.messages?.at(-1);
                  return m ? plainText(m.body) || '(empty message)' : '';
                };
                return (
                  <li>
                    <A
                      href={props.hrefFor(id)}
                      class="conv-row sla-row"
                      classList={{ active: id === props.activeId }}
                      aria-current={id === props.activeId ? 'true' : undefined}
                      data-conversation-id={id}
                    >
                      <span class="conv-main">
                        <span class="conv-top">
                          <span class="conv-title">{title()}</span>
                          <SlaBadge conversationId={id} now={props.now} />
                        </span>
                        <span class="conv-preview">{preview()}</span>
                        <span class="conv-tags">
                          <Show when={c()?.assignee_id != null}>
                            <span class="tag">{agents.userById(c()!.assignee_id)?.email.split('@')[0] ?? 'Assigned'}</span>
                          </Show>
                          <Show when={c()?.priority === 'priority'}>
                            <span class="tag tag-priority">Priority</span>
                          </Show>
                        </span>
                      </span>
                    </A>
                  </li>
                );
              }}
            </For>
          </ul>
        </Match>
      </Switch>
    </section>
  );
}
