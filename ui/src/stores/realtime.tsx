/**
 * Real-time store (ui/README.md): the socket connection state (for the
 * offline banner), who is online (Phoenix Presence on the agent topic) and who
 * is typing where. Other stores subscribe to the topic's events through
 * `subscribe`; pushes go through `push`/`cast`.
 */
import { createContext, createEffect, on, onCleanup, useContext, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { applyPresenceDiff, applyPresenceState } from '../lib/presence';
import { connectRealtime, type ConnectionState, type Realtime } from '../lib/socket';
import type { PresenceMap } from '../types';
import { useSession } from './session';

/** Who is typing in one conversation. */
export interface TypingInfo {
  customer: boolean;
  ai: boolean;
  /** Agent user ids (as strings). */
  agents: string[];
}

export interface RealtimeState {
  connection: ConnectionState;
  /** True once the first join succeeded (the banner stays hidden while the console starts). */
  everConnected: boolean;
  presence: PresenceMap;
  typing: Record<string, TypingInfo>;
}

export type EventHandler = (event: string, payload: Record<string, unknown>) => void;

export interface RealtimeActions {
  subscribe(handler: EventHandler, onRejoin?: () => void): () => void;
  /** What to send in the join payload on a rejoin (the conversations store: last seq per open transcript). */
  setResume(fn: () => Record<string, number>): void;
  push(event: string, payload: Record<string, unknown>): Promise<Record<string, unknown>>;
  cast(event: string, payload: Record<string, unknown>): void;
}

/** Typing indicators expire if the stop event is lost. */
const TYPING_TTL_MS = 6000;

const RealtimeContext = createContext<[RealtimeState, RealtimeActions]>();

export function RealtimeProvider(props: { children: JSX.Element }): JSX.Element {
  const [session, { api }] = useSession();
  const [state, setState] = createStore<RealtimeState>({ connection: 'connecting', everConnected: false, presence: {}, typing: {} });
  const handlers = new Set<EventHandler>();
  const rejoinHandlers = new Set<() => void>();
  const typingTimers = new Map<string, ReturnType<typeof setTimeout>>();
  let connection: Realtime | undefined;
  let resume: () => Record<string, number> = () => ({});

  function setTyping(conversationId: string, who: 'customer' | 'ai' | `agent:${string}`, typing: boolean): void {
    const current = state.typing[conversationId] ?? { customer: false, ai: false, agents: [] };
    const next: TypingInfo = { ...current, agents: [...current.agents] };
    if (who === 'customer') next.customer = typing;
    else if (who === 'ai') next.ai = typing;
    else {
      const id = who.slice('agent:'.length);
      next.agents = typing ? [...new Set([...next.agents, id])] : next.agents.filter((a) => a !== id);
    }
    setState('typing', conversationId, next);
    const key = `${conversationId}|${who}`;
    clearTimeout(typingTimers.get(key));
    typingTimers.delete(key);
    if (typing)
      typingTimers.set(
        key,
        setTimeout(() => setTyping(conversationId, who, false), TYPING_TTL_MS),
      );
  }

  function onEvent(event: string, payload: Record<string, unknown>): void {
    if (event === EVENTS.presenceState) setState('presence', reconcile(applyPresenceState(payload)));
    else if (event === EVENTS.presenceDiff) setState('presence', reconcile(applyPresenceDiff(state.presence, payload)));
    else if (event === EVENTS.typing && typeof payload.conversation_id === 'string') {
      const typing = payload.typing !== false;
      const me = session.session?.user_id;
      if (payload.type === 'ai') setTyping(payload.conversation_id, 'ai', typing);
      else if (typeof payload.user_id === 'number' || payload.type === 'agent') {
        if (payload.user_id !== me) setTyping(payload.conversation_id, `agent:${String(payload.user_id)}`, typing);
      } else setTyping(payload.conversation_id, 'customer', typing);
    } else if (event === EVENTS.shout && typeof payload.conversation_id === 'string') {
      // A message ends the author's typing indicator.
      if (payload.type === 'bot') setTyping(payload.conversation_id, 'ai', false);
      else if (payload.customer_id) setTyping(payload.conversation_id, 'customer', false);
    }
    for (const handler of handlers) handler(event, payload);
  }

  createEffect(
    on(
      () => session.session?.account_id,
      (accountId) => {
        connection?.disconnect();
        connection = undefined;
        setState({ connection: 'connecting', everConnected: false, presence: {}, typing: {} });
        if (!accountId) return;
        connection = connectRealtime({
          accountId,
          token: () => api.session()?.token,
          joinPayload: () => ({ conversations: resume() }),
          handlers: {
            onState: (s) => setState('connection', s),
            onEvent,
            onJoined: (isRejoin) => {
              setState('everConnected', true);
              if (isRejoin) for (const fn of rejoinHandlers) fn();
            },
            onAuthProblem: () => {
              // An expired token makes the server refuse the socket: renew, then connect with the new one.
              void api
                .renew()
                .then((s) => {
                  if (s) connection?.reconnect();
                })
                .catch(() => undefined);
            },
          },
        });
      },
    ),
  );
  onCleanup(() => {
    connection?.disconnect();
    for (const t of typingTimers.values()) clearTimeout(t);
  });

  const actions: RealtimeActions = {
    subscribe(handler, onRejoin) {
      handlers.add(handler);
      if (onRejoin) rejoinHandlers.add(onRejoin);
      return () => {
        handlers.delete(handler);
        if (onRejoin) rejoinHandlers.delete(onRejoin);
      };
    },
    setResume(fn) {
      resume = fn;
    },
    push: (event, payload) => (connection ? connection.push(event, payload) : Promise.reject(new Error('Not connected'))),
    cast: (event, payload) => connection?.cast(event, payload),
  };
  return <RealtimeContext.Provider value={[state, actions]}>{props.children}</RealtimeContext.Provider>;
}

export function useRealtime(): [RealtimeState, RealtimeActions] {
  const ctx = useContext(RealtimeContext);
  if (!ctx) throw new Error('useRealtime() needs a <RealtimeProvider> above it');
  return ctx;
}
