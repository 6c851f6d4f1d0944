/**
 * The inbox: list on the left, the open conversation in the middle, the
 * customer on the right. Keyboard: j/k next/previous conversation, r reply,
 * e or c close, a assign to me, / search, ? shortcuts. On narrow screens the
 * list and the conversation take turns.
 */
import { useNavigate, useParams, useSearchParams } from '@solidjs/router';
import { Show, createEffect, createMemo, createSignal, onCleanup, onMount, type JSX } from 'solid-js';
import { ConversationList } from '../components/conversation-list';
import { ConversationView } from '../components/conversation-view';
import { CustomerPanel } from '../components/customer-panel';
import { BreachingSoonToggle, SlaBreachingList, breachingIds, breachingNarrow } from '../components/sla-breaching';
import { LISTS } from '../components/shell';
import { describeError } from '../lib/api';
import { listKey } from '../lib/lists';
import { useConversations } from '../stores/conversations';
import { useTags } from '../stores/tags';
import { useSession } from '../stores/session';
import { useSla } from '../stores/sla';
import type { ListKind, ListSpec } from '../types';

const KINDS = new Set<ListKind>(['open', 'mine', 'unassigned', 'priority', 'mentions', 'snoozed', 'closed']);

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
}

export function InboxPage(): JSX.Element {
  const params = useParams<{ list?: string; inboxId?: string; id?: string }>();
  const [search, setSearch] = useSearchParams<{ q?: string; tag?: string; sla?: string }>();
  const navigate = useNavigate();
  const [session] = useSession();
  const [conversations, actions] = useConversations();
  const [customerOpen, setCustomerOpen] = createSignal(false);
  const [help, setHelp] = createSignal(false);
  const [now, setNow] = createSignal(new Date());
  const timer = setInterval(() => setNow(new Date()), 30_000);
  onCleanup(() => clearInterval(timer));
  let composer: HTMLTextAreaElement | undefined;
  /** Shows a failed shortcut action (close, assign) in the open conversation. */
  let showError: ((message: string) => void) | undefined;

  const q = (): string => (typeof search.q === 'string' ? search.q : '');
  const tag = (): string => (typeof search.tag === 'string' ? search.tag : '');
  /** The "Breaching soon" filter (`?sla=soon`, components/sla-breaching.tsx). */
  const breaching = (): boolean => search.sla === 'soon';
  const [sla] = useSla();
  const [tags] = useTags();
  const spec = createMemo(
    (): ListSpec => {
      const base: ListSpec = params.inboxId
        ? { kind: 'inbox', inboxId: params.inboxId }
        : { kind: KINDS.has(params.list as ListKind) ? (params.list as ListKind) : 'open' };
      const withTag: ListSpec = tag() ? { ...base, tagId: tag() } : base;
      return q() ? { ...withTag, q: q() } : withTag;
    },
    undefined,
    { equals: (a, b) => listKey(a) === listKey(b) },
  );
  const base = (): string => (params.inboxId ? `/inboxes/${params.inboxId}` : `/inbox/${spec().kind}`);
  const hrefFor = (id: string): string => {
    const query = new URLSearchParams({
      ...(q() ? { q: q() } : {}),
      ...(tag() ? { tag: tag() } : {}),
      ...(breaching() ? { sla: 'soon' } : {}),
    }).toString();
    return `${base()}/${id}${query ? `?${query}` : ''}`;
  };
  const listTitle = (): string => (spec().kind === 'inbox' ? 'Inbox' : (LISTS.find((l) => l.kind === spec().kind)?.label ?? 'Open'));
  const title = (): string => (tag() ? `${listTitle()} · #${tags.tags.find((t) => t.id === tag())?.name ?? 'tag'}` : listTitle());

  createEffect(() => actions.ensureList(spec()));
  createEffect(() => {
    document.title = `${title()} · Netia`;
  });

  const ids = (): string[] =>
    breaching()
      ? breachingIds(sla, breachingNarrow(spec(), session.session?.user_id ?? 0))
      : (conversations.lists[listKey(spec())]?.ids ?? []);
  const move = (step: number): void => {
    const list = ids();
    if (!list.length) return;
    const index = params.id ? list.indexOf(params.id) : -1;
    const next = list[Math.max(0, Math.min(list.length - 1, index === -1 ? 0 : index + step))];
    if (next) navigate(hrefFor(next));
    if (!breaching() && index + step >= list.length - 5) void actions.loadMore(spec());
  };

  const onKey = (e: KeyboardEvent): void => {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    if (isTyping(e.target)) {
      if (e.key === 'Escape') (e.target as HTMLElement).blur();
      return;
    }
    const id = params.id;
    switch (e.key) {
      case 'j':
        move(1);
        break;
      case 'k':
        move(-1);
        break;
      case 'r':
        if (id && composer) {
          e.preventDefault();
          composer.focus();
        }
        break;
      case 'e':
      case 'c':
        if (id && conversations.byId[id]?.status !== 'closed')
          void actions.update(id, { status: 'closed' }).catch((err: unknown) => showError?.(`Closing failed: ${describeError(err)}`));
        break;
      case 'a':
        if (id && session.session)
          void actions
            .update(id, { assignee_id: session.session.user_id })
            .catch((err: unknown) => showError?.(`Assigning failed: ${describeError(err)}`));
        break;
      case '/':
        e.preventDefault();
        document.getElementById('search')?.focus();
        break;
      case '?':
        setHelp(!help());
        break;
      default:
        return;
    }
  };
  onMount(() => document.addEventListener('keydown', onKey));
  onCleanup(() => document.removeEventListener('keydown', onKey));

  return (
    <div class="inbox" classList={{ 'has-conversation': !!params.id }}>
      <Show
        when={breaching()}
        fallback={
          <ConversationList
            spec={spec()}
            title={title()}
            activeId={params.id}
            hrefFor={hrefFor}
            query={q()}
            onQuery={(value) => setSearch({ q: value.trim() || undefined })}
            now={now()}
            headExtra={<BreachingSoonToggle on={false} onToggle={() => setSearch({ sla: 'soon' })} />}
          />
        }
      >
        <SlaBreachingList
          spec={spec()}
          title={title()}
          activeId={params.id}
          hrefFor={hrefFor}
          onToggle={() => setSearch({ sla: undefined })}
          now={now()}
        />
      </Show>
      <Show
        when={params.id}
        fallback={
          <section class="conversation placeholder" aria-label="No conversation selected">
            <div class="state empty">
              <p>
                Select a conversation, or press <kbd>j</kbd> to open the first one.
              </p>
              <p class="small muted">
                Press <kbd>?</kbd> for keyboard shortcuts.
              </p>
            </div>
          </section>
        }
      >
        {(id) => (
          <>
            <ConversationView
              id={id()}
              now={now()}
              onBack={() => navigate(tag() ? `${base()}?tag=${encodeURIComponent(tag())}` : base())}
              onToggleCustomer={() => setCustomerOpen(!customerOpen())}
              composerRef={(el) => (composer = el)}
              errorRef={(show) => (showError = show)}
            />
            <CustomerPanel conversationId={id()} open={customerOpen()} onClose={() => setCustomerOpen(false)} now={now()} />
          </>
        )}
      </Show>
      <Show when={help()}>
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <dl>
            <dt>
              <kbd>j</kbd> / <kbd>k</kbd>
            </dt>
            <dd>Next / previous conversation</dd>
            <dt>
              <kbd>r</kbd>
            </dt>
            <dd>Reply</dd>
            <dt>
              <kbd>e</kbd> or <kbd>c</kbd>
            </dt>
            <dd>Close the conversation</dd>
            <dt>
              <kbd>a</kbd>
            </dt>
            <dd>Assign to me</dd>
            <dt>
              <kbd>/</kbd>
            </dt>
            <dd>Search (in the reply box: saved replies)</dd>
            <dt>
              <kbd>Esc</kbd>
            </dt>
            <dd>Leave the text field</dd>
          </dl>
          <button class="btn small" type="button" onClick={() => setHelp(false)}>
            Close
          </button>
        </div>
      </Show>
    </div>
  );
}
