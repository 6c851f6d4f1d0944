/**
 * SLA store (issue #21; docs/sla.md): the open SLA clocks of the account's live conversations
 * (the inbox badges), the "breaching soon" set while the inbox filter is on, and listeners for a
 * conversation's clocks (its header). Kept current by `sla:changed` on the agent topic: the
 * event's clocks are applied at once, then `GET /api/sla/targets` is read again (gathered: one
 * request for a burst of changes), and after a rejoin. The countdowns tick on the pages' own
 * 30-second clock, not here. One store for the page, made on first use (as stores/tags.ts).
 */
import { batch, createEffect, createRoot, createSignal, on } from 'solid-js';
import { createStore } from 'solid-js/store';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { ApiError, describeError } from '../lib/api';
import { byConversation, conversationOrder, slaApi, withConversationTargets, type SlaApi, type SlaTarget } from '../lib/api-sla';
import { useRealtime } from './realtime';
import { useSession } from './session';

export interface BreachingState {
  minutes: number;
  /** Conversation ids, soonest deadline first. */
  ids: string[];
  targets: SlaTarget[];
  status: 'loading' | 'ready' | 'error';
  error: string | null;
}

export interface SlaState {
  targets: SlaTarget[];
  status: 'loading' | 'ready' | 'unavailable' | 'error';
  error: string | null;
  /** Set while the inbox's "Breaching soon" filter is on. */
  breaching: BreachingState | null;
}

export interface SlaActions {
  api: SlaApi;
  /** The open clocks of a conversation, soonest first. */
  of(conversationId: string): SlaTarget[];
  reload(): Promise<void>;
  /** Turn the "breaching soon" set on (window in minutes) or off (null). */
  watchBreaching(minutes: number | null): void;
  reloadBreaching(): Promise<void>;
  /** Called with the conversation id on each of its `sla:changed` and with null after a rejoin. */
  onChange(fn: (conversationId: string | null) => void): () => void;
}

/** A burst of `sla:changed` becomes one re-read this long after its first event. */
const GATHER_MS = 1500;

let shared: [SlaState, SlaActions] | undefined;

export function useSla(): [SlaState, SlaActions] {
  if (shared) return shared;
  const [session, { api }] = useSession();
  const [, realtime] = useRealtime();
  shared = createRoot(() => {
    const [state, setState] = createStore<SlaState>({ targets: [], status: 'loading', error: null, breaching: null });
    const listeners = new Set<(conversationId: string | null) => void>();
    const [grouped, setGrouped] = createSignal(new Map<string, SlaTarget[]>());
    let gather: ReturnType<typeof setTimeout> | undefined;
    let generation = 0;

    const setTargets = (targets: SlaTarget[]): void => {
      batch(() => {
        setGrouped(byConversation(targets));
        setState('targets', targets);
      });
    };

    const actions: SlaActions = {
      api: slaApi(api),
      of: (id) => grouped().get(id) ?? [],
      async reload() {
        const mine = generation;
        try {
          const targets = await actions.api.openTargets();
          if (mine !== generation) return;
          batch(() => {
            setTargets(targets);
            setState({ status: 'ready', error: null });
          });
        } catch (err) {
          if (mine !== generation) return;
          setState({ status: err instanceof ApiError && err.isMissingRoute ? 'unavailable' : 'error', error: describeError(err) });
        }
      },
      watchBreaching(minutes) {
        if (minutes === null) {
          setState('breaching', null);
          return;
        }
        if (state.breaching?.minutes === minutes) return;
        setState('breaching', { minutes, ids: [], targets: [], status: 'loading', error: null });
        void actions.reloadBreaching();
      },
      async reloadBreaching() {
        const minutes = state.breaching?.minutes;
        if (minutes === undefined) return;
        try {
          const targets = await actions.api.openTargets(minutes);
          if (state.breaching?.minutes !== minutes) return;
          setState('breaching', { ids: conversationOrder(targets), targets, status: 'ready', error: null });
        } catch (err) {
          if (state.breaching?.minutes !== minutes) return;
          setState('breaching', { status: 'error', error: describeError(err) });
        }
      },
      onChange(fn) {
        listeners.add(fn);
        return () => listeners.delete(fn);
      },
    };

    const reread = (): void => {
      if (gather) return;
      gather = setTimeout(() => {
        gather = undefined;
        void actions.reload();
        void actions.reloadBreaching();
      }, GATHER_MS);
    };

    realtime.subscribe(
      (e) => {
        if (e.event !== EVENTS.slaChanged) return;
        const { conversation_id: id, targets } = e.payload;
        setTargets(withConversationTargets(state.targets, id, targets));
        for (const fn of listeners) fn(id);
        reread();
      },
      () => {
        void actions.reload();
        void actions.reloadBreaching();
        for (const fn of listeners) fn(null);
      },
    );

    createEffect(
      on(
        () => session.session?.account_id,
        (accountId) => {
          generation++;
          setTargets([]);
          setState({ status: 'loading', error: null });
          if (accountId) void actions.reload();
        },
      ),
    );
    return [state, actions] as [SlaState, SlaActions];
  });
  return shared;
}
