/**
 * One conversation: header with the customer and the actions (assign, close /
 * reopen, snooze, priority, hand back to the AI), the transcript in seq order
 * (markdown rendered safely, private notes apart, delivery and read state),
 * typing indicators, and the reply box with saved replies and the note toggle.
 */
import { MacrosMenu } from './macros-menu';
import { For, Match, Show, Suspense, Switch, createEffect, createMemo, createSignal, lazy, on, onCleanup, type JSX } from 'solid-js';
import { isPrivateMessage } from '../../../gateway/protocol/index.js';
import { describeError } from '../lib/api';
import { fillReply } from '../lib/saved-replies';
import { agentName, authorOf, deliveryState } from '../lib/lists';
import { formatFullTime, formatMessageTime, SNOOZE_LABELS, snoozeUntil, type SnoozePreset } from '../lib/time';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useRealtime } from '../stores/realtime';
import { useSession } from '../stores/session';
import type { CannedResponse, Conversation, Message } from '../types';
import { AttachButton, AttachmentList, PendingUploads, createUploads, filesOf } from './attachments';
import { Avatar } from './avatar';
import { Markdown } from './markdown';
import { createMentionPicker, MentionChips } from './mention-picker';
import { hasUnseenMention } from '../lib/mentions';
import { SavedReplyPreview, useReplyContext } from './saved-reply-preview';
import { TagPicker } from './tag-picker';
import { CopilotActions, CopilotSummary } from './copilot';
import { ConversationRatingBadge } from './csat';
import { EmailSuppressionNotice } from './email-suppression';
import { SlaHeader } from './sla-badge';

// Scheduled sends (issue #21 point 4): loaded when a conversation is first shown.
const ScheduledList = lazy(() => import('./scheduled-messages').then((m) => ({ default: m.ScheduledList })));
const ScheduleControl = lazy(() => import('./scheduled-messages').then((m) => ({ default: m.ScheduleControl })));

const DELIVERY_LABEL = { sending: 'Sending…', failed: 'Not sent', sent: 'Sent', seen: 'Seen' } as const;

function MessageItem(props: { message: Message; conversation: Conversation; onRetry: (m: Message) => void; now: Date }): JSX.Element {
  const [, agents] = useAgents();
  const m = () => props.message;
  const customerTitle = (): string => props.conversation.customer?.title ?? props.conversation.customer?.name ?? 'Visitor';
  const author = () => {
    const a = authorOf(m(), customerTitle());
    if (a.kind === 'agent' && !m().user) {
      const u = agents.userById(m().user_id);
      if (u) return { ...a, name: agentName(u) };
    }
    return a;
  };
  const delivery = () => deliveryState(m(), props.conversation.seen_up_to_seq);
  return (
    <li
      class={`msg msg-${author().kind}`}
      classList={{ 'msg-note': isPrivateMessage(m()), pending: !!m().pending, failed: !!m().failed }}
      data-seq={m().seq}
      data-message-id={m().id}
    >
      <Avatar
        name={author().name}
        seed={m().customer_id ?? m().user_id ?? 'bot'}
        photo={m().user?.profile_photo_url ?? agents.userById(m().user_id)?.profile_photo_url ?? m().customer?.profile_photo_url}
        size={30}
      />
      <div class="msg-body">
        <div class="msg-meta">
          <span class="msg-author">{author().name}</span>
          <Show when={isPrivateMessage(m())}>
            <span class="tag tag-note">Private note</span>
          </Show>
          <time datetime={m().created_at ?? ''} title={formatFullTime(m().created_at)}>
            {formatMessageTime(m().created_at, props.now)}
          </time>
        </div>
        <Show when={m().body || m().attachments.length === 0}>
          <div class="bubble">
            <Markdown text={m().body} />
          </div>
        </Show>
        <Show when={m().attachments.length > 0}>
          <AttachmentList files={m().attachments} />
        </Show>
        <MentionChips ids={m().mentioned_user_ids} />
        <Show when={delivery()}>
          {(d) => (
            <div class={`delivery delivery-${d()}`}>
              {DELIVERY_LABEL[d()]}
              <Show when={d() === 'failed'}>
                {' '}
                <button class="link-btn" type="button" onClick={() => props.onRetry(m())}>
                  Retry
                </button>
              </Show>
            </div>
          )}
        </Show>
      </div>
    </li>
  );
}

function Composer(props: { conversationId: string; onError: (msg: string) => void; ref?: (el: HTMLTextAreaElement) => void }): JSX.Element {
  const [, actions] = useConversations();
  const [agents] = useAgents();
  const [text, setText] = createSignal('');
  const [isNote, setIsNote] = createSignal(false);
  const [pick, setPick] = createSignal(0);
  const [sending, setSending] = createSignal(false);
  const mention = createMentionPicker({ text, setText, enabled: isNote });
  const uploads = createUploads();
  const [dragging, setDragging] = createSignal(false);
  const replyContext = useReplyContext(() => props.conversationId);
  let area!: HTMLTextAreaElement;
  let lastTypingSent = 0;
  let idleTimer: ReturnType<typeof setTimeout> | undefined;

  const slash = createMemo(() => /^\/(\S*)$/.exec(text()));
  const matches = createMemo((): CannedResponse[] => {
    const s = slash();
    if (!s) return [];
    const q = s[1]!.toLowerCase();
    return agents.canned.filter((c) => c.name.toLowerCase().includes(q) || c.content.toLowerCase().includes(q)).slice(0, 8);
  });

  const stopTyping = (): void => {
    clearTimeout(idleTimer);
    if (lastTypingSent) actions.typing(props.conversationId, false);
    lastTypingSent = 0;
  };
  onCleanup(stopTyping);
  createEffect(
    on(
      () => props.conversationId,
      (_id, prev) => {
        if (prev) actions.typing(prev, false);
        lastTypingSent = 0;
        setText('');
        uploads.clear();
      },
      { defer: true },
    ),
  );

  const onInput = (value: string): void => {
    setText(value);
    setPick(0);
    if (isNote()) return;
    const now = Date.now();
    if (now - lastTypingSent > 2500) {
      lastTypingSent = now;
      actions.typing(props.conversationId, true);
    }
    clearTimeout(idleTimer);
    idleTimer = setTimeout(stopTyping, 4000);
  };

  const insert = (c: CannedResponse): void => {
    const filled = fillReply(c.content, replyContext()).text;
    setText(filled);
    area.value = filled;
    area.focus();
  };

  const send = async (): Promise<void> => {
    const body = text().trim();
    const files = uploads.done();
    if ((!body && files.length === 0) || sending() || uploads.isUploading()) return;
    setSending(true);
    stopTyping();
    setText('');
    area.value = '';
    const mentioned = isNote() ? mention.ids(body) : [];
    mention.clear();
    uploads.clear();
    try {
      await actions.send(props.conversationId, body, isNote(), { files, mentionedUserIds: mentioned });
    } catch (err) {
      props.onError(`Your message was not sent: ${describeError(err)}`);
    } finally {
      setSending(false);
      area.focus();
    }
  };

  const onKeyDown = (e: KeyboardEvent): void => {
    if (matches().length > 0 || (slash() && agents.cannedStatus !== 'ready')) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setPick((p) => Math.min(p + 1, matches().length - 1));
        return;
      }
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        setPick((p) => Math.max(p - 1, 0));
        return;
      }
      if ((e.key === 'Enter' || e.key === 'Tab') && matches()[pick()]) {
        e.preventDefault();
        insert(matches()[pick()]!);
        return;
      }
      if (e.key === 'Escape') {
        e.preventDefault();
        setText(text().slice(1));
        return;
      }
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void send();
    }
  };

  return (
    <form
      class="composer"
      classList={{ note: isNote(), dragging: dragging() }}
      onSubmit={(e) => {
        e.preventDefault();
        void send();
      }}
      onDragOver={(e) => {
        if (!e.dataTransfer?.types.includes('Files')) return;
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setDragging(false);
      }}
      onDrop={(e) => {
        const dropped = filesOf(e.dataTransfer);
        setDragging(false);
        if (dropped.length === 0) return;
        e.preventDefault();
        void uploads.add(dropped);
      }}
    >
      <Show when={slash()}>
        <div class="canned" role="listbox" aria-label="Saved replies">
          <Switch>
            <Match when={agents.cannedStatus === 'unavailable'}>
              <p class="muted small">Saved replies are not available on this server.</p>
            </Match>
            <Match when={agents.cannedStatus === 'loading'}>
              <p class="muted small">Loading saved replies…</p>
            </Match>
            <Match when={matches().length === 0}>
              <p class="muted small">No saved reply matches. Create them in Settings → Saved replies.</p>
            </Match>
            <Match when={true}>
              <For each={matches()}>
                {(c, i) => (
                  <button
                    type="button"
                    role="option"
                    aria-selected={i() === pick()}
                    class="canned-item"
                    classList={{ picked: i() === pick() }}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      insert(c);
                    }}
                  >
                    <strong>/{c.name}</strong> <span class="muted">{c.content.slice(0, 80)}</span>
                  </button>
                )}
              </For>
              <SavedReplyPreview content={matches()[pick()]?.content} context={replyContext()} />
            </Match>
          </Switch>
        </div>
      </Show>
      <mention.Popup />
      <label class="visually-hidden" for="reply">
        {isNote() ? 'Private note (only your team sees it)' : 'Reply to the customer'}
      </label>
      <textarea
        id="reply"
        ref={(el) => {
          area = el;
          props.ref?.(el);
          mention.attach(el);
        }}
        rows={3}
        placeholder={
          isNote() ? 'Private note — only your team sees it' : 'Reply… (Enter to send, Shift+Enter for a new line, / for saved replies)'
        }
        value={text()}
        onInput={(e) => onInput(e.currentTarget.value)}
        onKeyDown={onKeyDown}
        onBlur={stopTyping}
        onPaste={(e) => {
          const pasted = filesOf(e.clipboardData);
          if (pasted.length === 0) return;
          e.preventDefault();
          void uploads.add(pasted);
        }}
      />
      <mention.Chips />
      <PendingUploads uploads={uploads} />
      <div class="composer-bar">
        <button
          type="button"
          class="btn ghost small"
          aria-pressed={isNote()}
          onClick={() => setIsNote(!isNote())}
          data-testid="note-toggle"
        >
          {isNote() ? '✎ Private note' : 'Reply'} · switch
        </button>
        <AttachButton uploads={uploads} id="attach-files" />
        {/* Its own boundary: loading it never suspends the conversation view. */}
        <Suspense>
          <ScheduleControl
            conversationId={props.conversationId}
            text={text}
            isNote={isNote}
            onError={props.onError}
            onScheduled={() => {
              setText('');
              area.value = '';
            }}
          />
        </Suspense>
        <button
          type="submit"
          class="btn primary"
          disabled={sending() || uploads.isUploading() || (!text().trim() && uploads.done().length === 0)}
        >
          {isNote() ? 'Add note' : 'Send'}
        </button>
      </div>
    </form>
  );
}

export function ConversationView(props: {
  id: string;
  now: Date;
  onBack: () => void;
  onToggleCustomer: () => void;
  composerRef: (el: HTMLTextAreaElement) => void;
  /** Receives the function that shows an action error above the transcript (for the page's keyboard shortcuts). */
  errorRef?: (show: (message: string) => void) => void;
}): JSX.Element {
  const [conversations, actions] = useConversations();
  const [agents, agentActions] = useAgents();
  const [realtime] = useRealtime();
  const [session] = useSession();
  const [error, setError] = createSignal<string | null>(null);
  props.errorRef?.((message) => setError(message));
  const c = () => conversations.byId[props.id];
  const t = () => conversations.transcripts[props.id];
  const typing = () => realtime.typing[props.id];
  let scroller: HTMLDivElement | undefined;
  let stick = true;
  let composerArea: HTMLTextAreaElement | undefined;

  createEffect(
    on(
      () => props.id,
      (id) => {
        setError(null);
        stick = true;
        void actions.open(id);
      },
    ),
  );
  createEffect(
    on(
      () => t()?.items.length,
      () => {
        if (stick && scroller) queueMicrotask(() => scroller && (scroller.scrollTop = scroller.scrollHeight));
      },
    ),
  );
  // A customer message arriving while the agent has the conversation open is read at once. Only while the
  // socket is joined: `read` goes over it, and a push refused for want of a connection puts `read` back to
  // false, which would mark it again at once, in a loop that froze the tab; the effect runs again on rejoin.
  const online = (): boolean => realtime.connection === 'open';
  createEffect(
    on(
      () => [c()?.read, online()] as const,
      ([read, isOnline]) => {
        if (read === false && isOnline && t()?.status === 'ready' && document.visibilityState === 'visible') actions.markRead(props.id);
      },
    ),
  );
  // Likewise a teammate's note mentioning me: seen at once.
  createEffect(() => {
    if (
      online() &&
      hasUnseenMention(c(), session.session?.user_id ?? 0) &&
      t()?.status === 'ready' &&
      document.visibilityState === 'visible'
    ) {
      actions.markRead(props.id);
    }
  });

  const run = async (label: string, fn: () => Promise<void>): Promise<void> => {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(`${label} failed: ${describeError(err)}`);
    }
  };
  const title = (): string => c()?.customer?.title ?? c()?.customer?.name ?? c()?.customer?.email ?? 'Anonymous visitor';
  const typingText = (): string | null => {
    const info = typing();
    if (!info) return null;
    if (info.ai) return 'AI assistant is typing…';
    if (info.customer) return `${title()} is typing…`;
    if (info.agents.length) return `${info.agents.map((id) => agentName(agentActions.userById(Number(id)))).join(', ')} is typing…`;
    return null;
  };

  return (
    <section class="conversation" aria-label={`Conversation with ${title()}`}>
      <Switch>
        <Match when={!c() && t()?.status === 'error'}>
          <div class="state error" role="alert">
            <p>{t()!.error}</p>
            <button class="btn" type="button" onClick={() => void actions.open(props.id)}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={!c()}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading conversation…
          </div>
        </Match>
        <Match when={c()}>
          {(conv) => (
            <>
              <header class="conv-header">
                <button class="btn ghost small back" type="button" onClick={() => props.onBack()} aria-label="Back to the list">
                  ←
                </button>
                <Avatar
                  name={title()}
                  seed={conv().customer_id}
                  photo={conv().customer?.profile_photo_url}
                  size={36}
                  online={agentActions.isCustomerOnline(conv().customer_id)}
                />
                <div class="conv-who">
                  <h2>{title()}</h2>
                  <span class="small muted" data-testid="customer-presence">
                    {agentActions.isCustomerOnline(conv().customer_id) ? 'Online now' : 'Offline'} · {conv().status}
                    {conv().status === 'snoozed' && conv().snoozed_until ? ` until ${formatFullTime(conv().snoozed_until)}` : ''}
                    {conv().bot_active ? ' · AI answering' : ''}
                  </span>
                  <TagPicker conversationId={props.id} tags={conv().tags} />
                  <ConversationRatingBadge conversationId={props.id} status={conv().status} />
                  <SlaHeader conversationId={props.id} now={props.now} />
                </div>
                <div class="conv-actions">
                  <label class="visually-hidden" for="assignee">
                    Assignee
                  </label>
                  <select
                    id="assignee"
                    value={conv().assignee_id === null ? '' : String(conv().assignee_id)}
                    onChange={(e) => {
                      const v = e.currentTarget.value;
                      void run('Assigning', () => actions.update(props.id, { assignee_id: v === '' ? null : Number(v) }));
                    }}
                  >
                    <option value="">Unassigned</option>
                    <For each={agents.users}>
                      {(u) => (
                        <option value={String(u.id)}>{u.id === session.session?.user_id ? `Me (${agentName(u)})` : agentName(u)}</option>
                      )}
                    </For>
                    <Show when={conv().assignee_id !== null && !agents.users.some((u) => u.id === conv().assignee_id)}>
                      <option value={String(conv().assignee_id)}>Agent #{conv().assignee_id}</option>
                    </Show>
                  </select>
                  <button
                    class="btn small"
                    type="button"
                    aria-pressed={conv().priority === 'priority'}
                    onClick={() =>
                      void run('Changing priority', () =>
                        actions.update(props.id, { priority: conv().priority === 'priority' ? 'not_priority' : 'priority' }),
                      )
                    }
                  >
                    {conv().priority === 'priority' ? '★ Priority' : '☆ Priority'}
                  </button>
                  <details class="menu">
                    <summary class="btn small">Snooze</summary>
                    <div class="menu-list" role="menu">
                      <For each={Object.keys(SNOOZE_LABELS) as SnoozePreset[]}>
                        {(preset) => (
                          <button
                            type="button"
                            role="menuitem"
                            onClick={(e) => {
                              (e.currentTarget.closest('details') as HTMLDetailsElement).open = false;
                              void run('Snoozing', () => actions.update(props.id, { snoozed_until: snoozeUntil(preset).toISOString() }));
                            }}
                          >
                            {SNOOZE_LABELS[preset]}
                          </button>
                        )}
                      </For>
                    </div>
                  </details>
                  <MacrosMenu conversationId={props.id} />
                  <Show when={conv().bot_active === false}>
                    <button
                      class="btn small"
                      type="button"
                      onClick={() => void run('Handing back to the AI', () => actions.handBack(props.id))}
                    >
                      Hand back to AI
                    </button>
                  </Show>
                  <Show
                    when={conv().status === 'closed'}
                    fallback={
                      <button
                        class="btn small primary"
                        type="button"
                        data-testid="close-conversation"
                        onClick={() => void run('Closing', () => actions.update(props.id, { status: 'closed' }))}
                      >
                        Close
                      </button>
                    }
                  >
                    <button
                      class="btn small"
                      type="button"
                      onClick={() => void run('Reopening', () => actions.update(props.id, { status: 'open' }))}
                    >
                      Reopen
                    </button>
                  </Show>
                  <button class="btn ghost small details-toggle" type="button" onClick={() => props.onToggleCustomer()}>
                    Customer details
                  </button>
                </div>
              </header>
              <Show when={conv().source === 'email' && conv().customer?.email}>
                {(email) => <EmailSuppressionNotice email={email()} />}
              </Show>
              <div class="action-error" role="alert" aria-live="assertive">
                {error() ?? ''}
              </div>
              <CopilotSummary conversation={conv()} />
              <div
                class="transcript"
                ref={scroller}
                onScroll={(e) => {
                  const el = e.currentTarget;
                  stick = el.scrollTop + el.clientHeight >= el.scrollHeight - 40;
                  if (el.scrollTop < 40) void actions.loadOlder(props.id);
                }}
              >
                <Switch>
                  <Match when={!t() || t()!.status === 'loading'}>
                    <div class="state" role="status">
                      <span class="spinner" aria-hidden="true" /> Loading messages…
                    </div>
                  </Match>
                  <Match when={t()!.status === 'error'}>
                    <div class="state error" role="alert">
                      <p>Messages could not be loaded: {t()!.error}</p>
                      <button class="btn" type="button" onClick={() => void actions.open(props.id)}>
                        Try again
                      </button>
                    </div>
                  </Match>
                  <Match when={true}>
                    <Show when={t()!.hasOlder}>
                      <button
                        class="btn ghost small older"
                        type="button"
                        onClick={() => void actions.loadOlder(props.id)}
                        disabled={t()!.loadingOlder}
                      >
                        {t()!.loadingOlder ? 'Loading…' : 'Load earlier messages'}
                      </button>
                    </Show>
                    <Show when={t()!.items.length > 0} fallback={<div class="state empty">No messages yet.</div>}>
                      <ol class="messages" role="log" aria-live="polite" aria-label="Messages" data-testid="messages">
                        <For each={t()!.items}>
                          {(m) => (
                            <MessageItem
                              message={m}
                              conversation={conv()}
                              now={props.now}
                              onRetry={(msg) => void actions.retry(props.id, msg).catch((err: unknown) => setError(describeError(err)))}
                            />
                          )}
                        </For>
                      </ol>
                    </Show>
                  </Match>
                </Switch>
              </div>
              <div class="typing" aria-live="polite" data-testid="typing">
                {typingText() ?? ''}
              </div>
              <Suspense>
                <ScheduledList conversationId={props.id} />
              </Suspense>
              <CopilotActions conversationId={props.id} composer={() => composerArea} />
              <Composer
                conversationId={props.id}
                onError={setError}
                ref={(el) => {
                  composerArea = el;
                  props.composerRef(el);
                }}
              />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
