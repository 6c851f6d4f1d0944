/**
 * Conversations store (ui/README.md): conversation entities by id, the
 * inbox lists (ids in keyset order, cursor, total), transcripts by
 * conversation, and the unread counters. Socket pushes are applied with
 * `setState` + `reconcile` keyed by id; optimistic actions restore the previous
 * state and rethrow on failure. The list/merge rules are pure functions in
 * lib/lists.ts.
 */
import { batch, createContext, onCleanup, useContext, type JSX } from 'solid-js';
import { createStore, produce, reconcile, unwrap } from 'solid-js/store';
import { EVENTS, isCustomerVisible, isPrivateMessage } from '../../../gateway/protocol/index.js';
import { describeError } from '../lib/api';
import { appendPage, belongsTo, hasGap, lastSeq, listKey, listQuery, mergeMessages, placeInList } from '../lib/lists';
import { hasUnseenMention, withLiveMention } from '../lib/mentions';
import { messageSchema, parseWire, type AccountEvent } from '../lib/wire';
import type { Conversation, ListSpec, Message, Tag, UnreadCounts } from '../types';
import { useRealtime } from './realtime';
import { useSession } from './session';

export interface ListState {
  ids: string[];
  next: string | null;
  total: number;
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  loadingMore: boolean;
}

export interface Transcript {
  items: Message[];
  status: 'loading' | 'ready' | 'error';
  error: string | null;
  hasOlder: boolean;
  loadingOlder: boolean;
}

export interface ConversationsState {
  byId: Record<string, Conversation>;
  lists: Record<string, ListState>;
  transcripts: Record<string, Transcript>;
  unread: UnreadCounts | null;
}

type Changes = Partial<Pick<Conversation, 'status' | 'priority' | 'assignee_id' | 'snoozed_until' | 'read'>>;

export interface ConversationsActions {
  ensureList(spec: ListSpec): void;
  refreshList(spec: ListSpec): Promise<void>;
  loadMore(spec: ListSpec): Promise<void>;
  open(id: string): Promise<void>;
  loadOlder(id: string): Promise<void>;
  /** `files`: uploaded files to attach (components/attachments.tsx), sent as `file_ids`; `mentionedUserIds`: a note's @mentions. */
  send(
    id: string,
    body: string,
    isPrivate: boolean,
    extras?: { files?: Message['attachments']; mentionedUserIds?: number[] },
  ): Promise<void>;
  retry(id: string, message: Message): Promise<void>;
  update(id: string, changes: Changes): Promise<void>;
  handBack(id: string): Promise<void>;
  typing(id: string, typing: boolean): void;
  markRead(id: string): void;
  refreshUnread(): void;
  /** The conversation's tags changed (tag picker): update it and the tag-filtered lists. */
  setTags(id: string, tags: Tag[]): void;
}

const ConversationsContext = createContext<[ConversationsState, ConversationsActions]>();

function newId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
}

export function ConversationsProvider(props: { children: JSX.Element }): JSX.Element {
  const [session, { api }] = useSession();
  const [, realtime] = useRealtime();
  const [state, setState] = createStore<ConversationsState>({ byId: {}, lists: {}, transcripts: {}, unread: null });
  /** Specs of the lists loaded so far, by key (not reactive: only their state is). */
  const specs = new Map<string, ListSpec>();
  const meId = (): number => session.session?.user_id ?? 0;

  function putEntity(c: Conversation): void {
    const existing = state.byId[c.id];
    const merged: Conversation = {
      ...(existing ? unwrap(existing) : {}),
      ...c,
      customer: c.customer ?? existing?.customer ?? null,
      messages: c.messages && c.messages.length ? c.messages.slice(-1) : (existing?.messages ?? []),
    };
    setState('byId', c.id, reconcile(merged, { key: 'id' }));
  }

  /** Put an entity in (or out of) every loaded list it belongs to, adjusting totals. */
  function placeEverywhere(c: Conversation): void {
    for (const [key, spec] of specs) {
      const list = state.lists[key];
      if (!list || list.status !== 'ready') continue;
      const belongs = belongsTo(spec, c, meId());
      if (belongs === undefined) continue;
      const placed = placeInList(list.ids, state.byId, c, belongs, list.next === null);
      if (placed.ids !== list.ids) setState('lists', key, { ids: placed.ids, total: Math.max(0, list.total + placed.delta) });
    }
  }

  let unreadTimer: ReturnType<typeof setTimeout> | undefined;
  function refreshUnread(): void {
    clearTimeout(unreadTimer);
    unreadTimer = setTimeout(() => {
      api.unread().then(
        (u) => setState('unread', reconcile(u)),
        () => undefined,
      );
    }, 200);
  }

  async function loadFirstPage(spec: ListSpec, key: string): Promise<void> {
    const page = await api.listConversations(listQuery(spec));
    batch(() => {
      for (const c of page.data) putEntity(c);
      setState('lists', key, {
        ids: page.data.map((c) => c.id),
        next: page.next,
        total: page.total,
        status: 'ready',
        error: null,
        loadingMore: false,
      });
    });
  }

  async function fetchEntity(id: string): Promise<Conversation | null> {
    try {
      const full = await api.getConversation(id);
      const { messages, ...rest } = full;
      putEntity({ ...rest, messages: messages.slice(-1) });
      const transcript = state.transcripts[id];
      if (transcript) setState('transcripts', id, 'items', reconcile(mergeMessages(transcript.items, messages), { key: 'id' }));
      return state.byId[id] ?? null;
    } catch {
      return null;
    }
  }

  async function fetchAfter(id: string): Promise<void> {
    const transcript = state.transcripts[id];
    if (!transcript || transcript.status !== 'ready') return;
    let after = lastSeq(transcript.items);
    for (let i = 0; i < 20; i++) {
      const page = await api.listMessages(id, { afterSeq: after, limit: 200 });
      if (page.data.length === 0) break;
      setState('transcripts', id, 'items', (items) => reconcile(mergeMessages(items, page.data), { key: 'id' })(items));
      after = lastSeq(state.transcripts[id]?.items ?? []);
      if (!page.has_more) break;
    }
  }

  function onShout(m: Message): void {
    const id = m.conversation_id;
    const transcript = state.transcripts[id];
    if (transcript && transcript.status === 'ready') {
      if (hasGap(transcript.items, m)) void fetchAfter(id).catch(() => undefined);
      else setState('transcripts', id, 'items', (items) => reconcile(mergeMessages(items, [m]), { key: 'id' })(items));
    }
    const existing = state.byId[id];
    if (!existing) {
      void fetchEntity(id).then((c) => c && placeEverywhere(c));
      return;
    }
    const updated: Conversation = {
      ...unwrap(existing),
      last_activity_at: m.created_at ?? existing.last_activity_at,
      last_seq: Math.max(existing.last_seq, m.seq),
      messages: [m],
      ...(m.customer_id ? { read: false } : {}),
      ...withLiveMention(existing, m, meId()),
    };
    putEntity(updated);
    placeEverywhere(state.byId[id]!);
  }

  function onEvent(e: AccountEvent): void {
    switch (e.event) {
      case EVENTS.shout:
        onShout(e.payload);
        refreshUnread();
        break;
      case EVENTS.conversationCreated:
        void fetchEntity(e.payload.id).then((c) => c && placeEverywhere(c));
        refreshUnread();
        break;
      case EVENTS.conversationUpdated: {
        const { id, updates } = e.payload;
        const existing = state.byId[id];
        if (existing) {
          putEntity({ ...unwrap(existing), ...updates, id });
          placeEverywhere(state.byId[id]!);
        } else void fetchEntity(id).then((c) => c && placeEverywhere(c));
        refreshUnread();
        break;
      }
      case EVENTS.conversationTags: {
        const { conversation_id: id, tags } = e.payload;
        if (state.byId[id]) actions.setTags(id, tags);
        else void fetchEntity(id).then((c) => c && placeEverywhere(c));
        break;
      }
      case EVENTS.messagesSeen: {
        const { conversation_id: id, seen_up_to_seq: upto, seen_at: seenAt } = e.payload;
        if (state.byId[id]) setState('byId', id, 'seen_up_to_seq', (s) => Math.max(s, upto));
        if (state.transcripts[id]) {
          setState(
            'transcripts',
            id,
            'items',
            produce((items) => {
              for (const m of items) if (!m.customer_id && isCustomerVisible(m) && m.seq <= upto && !m.seen_at) m.seen_at = seenAt;
            }),
          );
        }
        break;
      }
    }
  }

  /** After a reconnect: re-fetch counters, the first page of every loaded list, and what open transcripts missed. */
  function resync(): void {
    refreshUnread();
    for (const [key, spec] of specs) {
      void api.listConversations(listQuery(spec)).then(
        (page) => {
          batch(() => {
            for (const c of page.data) putEntity(c);
            const list = state.lists[key];
            // Keep deeper pages the agent scrolled to; the first page is authoritative for the top.
            const rest = list ? list.ids.filter((id) => !page.data.some((c) => c.id === id)) : [];
            const fresh = page.data.map((c) => c.id);
            const keep =
              page.next === null
                ? []
                : rest.filter((id) => {
                    const c = state.byId[id];
                    const b = c ? belongsTo(spec, c, meId()) : false;
                    return b !== false;
                  });
            setState('lists', key, {
              ids: appendPage(
                fresh,
                keep.map((id) => ({ id })),
              ),
              total: page.total,
              status: 'ready',
              error: null,
              ...(list ? {} : { next: page.next, loadingMore: false }),
            });
          });
        },
        () => undefined,
      );
    }
    for (const id of Object.keys(state.transcripts)) {
      void fetchEntity(id);
      void fetchAfter(id).catch(() => undefined);
    }
  }

  onCleanup(realtime.subscribe(onEvent, resync));
  // On rejoin the server replays what open transcripts missed (docs/realtime.md#resume-without-gaps); resync() also re-fetches.
  realtime.setResume(() => {
    const out: Record<string, number> = {};
    for (const [id, t] of Object.entries(state.transcripts).slice(-100)) if (t.status === 'ready') out[id] = lastSeq(t.items);
    return out;
  });
  onCleanup(() => clearTimeout(unreadTimer));

  const actions: ConversationsActions = {
    ensureList(spec) {
      const key = listKey(spec);
      if (state.lists[key]) return;
      specs.set(key, spec);
      setState('lists', key, { ids: [], next: null, total: 0, status: 'loading', error: null, loadingMore: false });
      void loadFirstPage(spec, key).catch((err: unknown) => setState('lists', key, { status: 'error', error: describeError(err) }));
      if (!state.unread) refreshUnread();
    },
    async refreshList(spec) {
      const key = listKey(spec);
      specs.set(key, spec);
      if (!state.lists[key]) setState('lists', key, { ids: [], next: null, total: 0, status: 'loading', error: null, loadingMore: false });
      else setState('lists', key, { status: state.lists[key].status === 'error' ? 'loading' : state.lists[key].status, error: null });
      try {
        await loadFirstPage(spec, key);
      } catch (err) {
        setState('lists', key, { status: 'error', error: describeError(err) });
      }
    },
    async loadMore(spec) {
      const key = listKey(spec);
      const list = state.lists[key];
      if (!list || list.status !== 'ready' || !list.next || list.loadingMore) return;
      setState('lists', key, 'loadingMore', true);
      try {
        const page = await api.listConversations(listQuery(spec), list.next);
        batch(() => {
          for (const c of page.data) putEntity(c);
          setState('lists', key, {
            ids: appendPage(state.lists[key]?.ids ?? [], page.data),
            next: page.next,
            total: page.total,
            loadingMore: false,
          });
        });
      } catch (err) {
        setState('lists', key, { loadingMore: false, error: describeError(err) });
      }
    },
    async open(id) {
      if (!state.transcripts[id] || state.transcripts[id].status === 'error') {
        setState('transcripts', id, { items: [], status: 'loading', error: null, hasOlder: false, loadingOlder: false });
        try {
          const [page] = await Promise.all([
            api.listMessages(id, { limit: 100 }),
            state.byId[id] ? Promise.resolve(null) : fetchEntity(id),
          ]);
          if (!state.byId[id]) throw new Error('This conversation does not exist or is no longer available.');
          setState('transcripts', id, {
            items: mergeMessages(state.transcripts[id]?.items ?? [], page.data),
            status: 'ready',
            error: null,
            hasOlder: page.has_more ?? false,
          });
        } catch (err) {
          setState('transcripts', id, { status: 'error', error: describeError(err) });
          return;
        }
      }
      actions.markRead(id);
    },
    markRead(id) {
      const c = state.byId[id];
      if (!c || (c.read && !hasUnseenMention(c, meId()))) return;
      setState('byId', id, 'read', true);
      // `read` also marks my @mentions in it seen (server side); mirror that here.
      const seenAt = new Date().toISOString();
      if (c.mentions)
        setState('byId', id, 'mentions', (ms) => ms?.map((x) => (x.user_id === meId() && !x.seen_at ? { ...x, seen_at: seenAt } : x)));
      realtime.push(EVENTS.read, { conversation_id: id }).then(refreshUnread, () => setState('byId', id, 'read', false));
    },
    async loadOlder(id) {
      const t = state.transcripts[id];
      if (!t || t.status !== 'ready' || !t.hasOlder || t.loadingOlder) return;
      const first = t.items.find((m) => !m.pending);
      if (!first) return;
      setState('transcripts', id, 'loadingOlder', true);
      try {
        const page = await api.listMessages(id, { beforeSeq: first.seq, limit: 100 });
        setState('transcripts', id, {
          items: mergeMessages(state.transcripts[id]?.items ?? [], page.data),
          hasOlder: page.has_more ?? false,
          loadingOlder: false,
        });
      } catch (err) {
        setState('transcripts', id, { loadingOlder: false, error: describeError(err) });
      }
    },
    async send(id, body, isPrivate, { files = [], mentionedUserIds } = {}) {
      const clientId = newId();
      // Shown until the server's copy (same client_message_id) replaces it: what the server will store, as far as
      // the console knows it. `user` stays null: the view names the author from the agents list by `user_id`.
      const optimistic: Message = {
        id: `pending-${clientId}`,
        object: 'message',
        client_message_id: clientId,
        seq: 0,
        body,
        type: isPrivate ? 'note' : 'reply',
        content_type: 'text',
        private: isPrivate,
        ...(isPrivate && mentionedUserIds?.length ? { mentioned_user_ids: mentionedUserIds } : {}),
        source: state.byId[id]?.source ?? 'chat',
        subject: null,
        created_at: new Date().toISOString(),
        sent_at: null,
        seen_at: null,
        conversation_id: id,
        account_id: session.session?.account_id ?? '',
        customer_id: null,
        user_id: meId(),
        user: null,
        attachments: files,
        metadata: {},
        pending: true,
      };
      setState('transcripts', id, 'items', (items) => mergeMessages(items ?? [], [optimistic]));
      await actions.retry(id, optimistic);
    },
    async retry(id, message) {
      setState('transcripts', id, 'items', (items) => items.map((m) => (m.id === message.id ? { ...m, failed: false, pending: true } : m)));
      try {
        const reply = await realtime.push(EVENTS.shout, {
          conversation_id: id,
          body: message.body ?? '',
          private: isPrivateMessage(message),
          ...(isPrivateMessage(message) ? { type: 'note' } : {}),
          ...(message.mentioned_user_ids?.length ? { mentioned_user_ids: message.mentioned_user_ids } : {}),
          client_message_id: message.client_message_id ?? undefined,
          ...(message.attachments.length ? { file_ids: message.attachments.map((f) => f.id) } : {}),
        });
        const saved = parseWire(messageSchema, reply, 'reply to shout');
        if (!saved) throw new Error('The server answered with something that is not a message');
        onShout({ ...saved, client_message_id: message.client_message_id ?? null });
      } catch (err) {
        setState('transcripts', id, 'items', (items) =>
          items.map((m) => (m.id === message.id ? { ...m, failed: true, pending: false } : m)),
        );
        throw err;
      }
    },
    async update(id, changes) {
      const before = state.byId[id] ? structuredClone(unwrap(state.byId[id])) : undefined;
      if (!before) return;
      const listsBefore = structuredClone(unwrap(state.lists));
      putEntity({ ...before, ...changes });
      placeEverywhere(state.byId[id]!);
      try {
        const saved = await api.updateConversation(id, changes);
        putEntity({ ...unwrap(state.byId[id]!), ...saved });
        placeEverywhere(state.byId[id]!);
        refreshUnread();
      } catch (err) {
        batch(() => {
          setState('byId', id, reconcile(before));
          setState('lists', reconcile(listsBefore));
        });
        throw err;
      }
    },
    async handBack(id) {
      const saved = await api.handBack(id);
      const existing = state.byId[id];
      if (existing) {
        putEntity({ ...unwrap(existing), ...saved });
        placeEverywhere(state.byId[id]!);
      }
    },
    typing(id, typing) {
      realtime.cast(EVENTS.typing, { conversation_id: id, typing, type: 'agent', user_id: meId() });
    },
    refreshUnread,
    setTags(id, tags) {
      const existing = state.byId[id];
      if (!existing) return;
      putEntity({ ...unwrap(existing), tags });
      placeEverywhere(state.byId[id]!);
    },
  };
  return <ConversationsContext.Provider value={[state, actions]}>{props.children}</ConversationsContext.Provider>;
}

export function useConversations(): [ConversationsState, ConversationsActions] {
  const ctx = useContext(ConversationsContext);
  if (!ctx) throw new Error('useConversations() needs a <ConversationsProvider> above it');
  return ctx;
}
