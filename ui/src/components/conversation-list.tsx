/**
 * One inbox list: search box, header with the live total, and a windowed list
 * of conversations that loads the next keyset page as the agent scrolls.
 */
import { A } from '@solidjs/router';
import { For, Match, Show, Switch, createMemo, type JSX } from 'solid-js';
import { listKey } from '../lib/lists';
import { isPrivateMessage } from '../../../gateway/protocol/index.js';
import { plainText } from '../lib/markdown';
import { formatListTime } from '../lib/time';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useRealtime } from '../stores/realtime';
import type { ListSpec } from '../types';
import { Avatar } from './avatar';
import { SlaBadge } from './sla-badge';
import { TagChip } from './tag-picker';
import { VirtualList } from './virtual-list';

export const ROW_HEIGHT = 76;

function Row(props: { id: string; href: string; active: boolean; now: Date }): JSX.Element {
  const [conversations] = useConversations();
  const [, agents] = useAgents();
  const [realtime] = useRealtime();
  const c = () => conversations.byId[props.id];
  const title = (): string => c()?.customer?.title ?? c()?.customer?.name ?? c()?.customer?.email ?? 'Anonymous visitor';
  const last = () => c()?.messages?.[c()!.messages!.length - 1];
  const preview = (): string => {
    const m = last();
    if (!m) return 'No messages yet';
    const text = plainText(m.body);
    return `${isPrivateMessage(m) ? 'Note: ' : m.customer_id ? '' : m.type === 'bot' ? 'AI: ' : 'You: '}${text || '(empty message)'}`;
  };
  const typing = () => realtime.typing[props.id];
  return (
    <Show when={c()}>
      {(conv) => (
        <A
          href={props.href}
          class="conv-row"
          classList={{ active: props.active, unread: !conv().read }}
          aria-current={props.active ? 'true' : undefined}
          data-conversation-id={props.id}
        >
          <Avatar
            name={title()}
            seed={conv().customer_id}
            photo={conv().customer?.profile_photo_url}
            size={36}
            online={agents.isCustomerOnline(conv().customer_id)}
          />
          <span class="conv-main">
            <span class="conv-top">
              <span class="conv-title">{title()}</span>
              <time class="conv-time" datetime={conv().last_activity_at}>
                {formatListTime(conv().last_activity_at, props.now)}
              </time>
            </span>
            <span class="conv-preview">
              <Show when={typing()?.customer || typing()?.ai} fallback={preview()}>
                <em>{typing()?.ai ? 'AI is typing…' : 'typing…'}</em>
              </Show>
            </span>
            <span class="conv-tags">
              <SlaBadge conversationId={props.id} now={props.now} />
              <Show when={!conv().read}>
                <span class="dot-unread" aria-label="unread" />
              </Show>
              <Show when={conv().priority === 'priority'}>
                <span class="tag tag-priority">Priority</span>
              </Show>
              <Show when={conv().status === 'snoozed'}>
                <span class="tag">Snoozed</span>
              </Show>
              <Show when={conv().assignee_id !== null}>
                <span class="tag">{agents.userById(conv().assignee_id)?.email.split('@')[0] ?? 'Assigned'}</span>
              </Show>
              <For each={conv().tags ?? []}>{(tag) => <TagChip tag={tag} />}</For>
            </span>
          </span>
        </A>
      )}
    </Show>
  );
}

export function ConversationList(props: {
  spec: ListSpec;
  title: string;
  activeId: string | undefined;
  hrefFor: (id: string) => string;
  query: string;
  onQuery: (q: string) => void;
  now: Date;
  /** Filters shown under the search box (the inbox's "Breaching soon" toggle). */
  headExtra?: JSX.Element;
}): JSX.Element {
  const [conversations, actions] = useConversations();
  const list = createMemo(() => conversations.lists[listKey(props.spec)]);
  const ids = (): string[] => list()?.ids ?? [];
  const activeIndex = (): number => (props.activeId ? ids().indexOf(props.activeId) : -1);
  let debounce: ReturnType<typeof setTimeout> | undefined;
  return (
    <section class="list-pane" aria-label={`${props.title} conversations`}>
      <div class="list-head">
        <form role="search" onSubmit={(e) => e.preventDefault()}>
          <label class="visually-hidden" for="search">
            Search messages
          </label>
          <input
            id="search"
            type="search"
            placeholder="Search messages…"
            value={props.query}
            onInput={(e) => {
              const v = e.currentTarget.value;
              clearTimeout(debounce);
              debounce = setTimeout(() => props.onQuery(v), 300);
            }}
          />
        </form>
        <Show when={props.query.trim() !== ''}>
          <A class="small" href={`/search?q=${encodeURIComponent(props.query.trim())}`} data-testid="search-everything">
            Search everything for “{props.query.trim()}”
          </A>
        </Show>
        {props.headExtra}
        <h1 class="list-title">
          {props.title}
          <Show when={list()?.status === 'ready'}>
            <span class="muted count" data-testid="list-total">
              {' '}
              {list()!.total}
            </span>
          </Show>
        </h1>
      </div>
      <Switch>
        <Match when={!list() || list()!.status === 'loading'}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading conversations…
          </div>
        </Match>
        <Match when={list()!.status === 'error'}>
          <div class="state error" role="alert">
            <p>Conversations could not be loaded: {list()!.error}</p>
            <button class="btn" type="button" onClick={() => void actions.refreshList(props.spec)}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={ids().length === 0}>
          <div class="state empty" data-testid="list-empty">
            <p>{props.query ? `No conversation mentions “${props.query}”.` : 'Nothing here. New conversations appear live.'}</p>
          </div>
        </Match>
        <Match when={true}>
          <VirtualList
            items={ids()}
            rowHeight={ROW_HEIGHT}
            activeIndex={activeIndex()}
            label={`${props.title} conversations`}
            onNearEnd={() => void actions.loadMore(props.spec)}
            footer={
              <Show when={list()!.loadingMore || list()!.next}>
                <div class="state small" role="status">
                  <Show
                    when={list()!.loadingMore}
                    fallback={
                      <button class="btn ghost small" type="button" onClick={() => void actions.loadMore(props.spec)}>
                        Load more
                      </button>
                    }
                  >
                    <span class="spinner" aria-hidden="true" /> Loading more…
                  </Show>
                </div>
              </Show>
            }
          >
            {(id) => <Row id={id} href={props.hrefFor(id)} active={id === props.activeId} now={props.now} />}
          </VirtualList>
        </Match>
      </Switch>
    </section>
  );
}
