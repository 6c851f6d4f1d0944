/**
 * Agents store (ui/README.md): the account's agents (for assignment and
 * author names), who of them is online (from the realtime store's presence),
 * and the saved replies. A route the server does not have yet leaves its part
 * `unavailable` so the UI can say so.
 */
import { createContext, createEffect, on, useContext, type JSX } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ApiError } from '../lib/api';
import { presentIds } from '../lib/presence';
import type { CannedResponse, User } from '../types';
import { useRealtime } from './realtime';
import { useSession } from './session';

export interface AgentsState {
  users: User[];
  usersStatus: 'loading' | 'ready' | 'error';
  canned: CannedResponse[];
  cannedStatus: 'loading' | 'ready' | 'unavailable' | 'error';
}

export interface AgentsActions {
  reload(): Promise<void>;
  userById(id: number | null | undefined): User | undefined;
  onlineUserIds(): number[];
  isCustomerOnline(customerId: string | null | undefined): boolean;
}

const AgentsContext = createContext<[AgentsState, AgentsActions]>();

export function AgentsProvider(props: { children: JSX.Element }): JSX.Element {
  const [session, { api }] = useSession();
  const [realtime] = useRealtime();
  const [state, setState] = createStore<AgentsState>({ users: [], usersStatus: 'loading', canned: [], cannedStatus: 'loading' });

  const actions: AgentsActions = {
    async reload() {
      await Promise.all([
        api.listUsers().then(
          (users) => {
            setState('users', reconcile(users, { key: 'id' }));
            setState('usersStatus', 'ready');
          },
          () => setState('usersStatus', 'error'),
        ),
        api.listCannedResponses().then(
          (canned) => setState({ canned, cannedStatus: 'ready' }),
          (err: unknown) => setState('cannedStatus', err instanceof ApiError && err.isMissingRoute ? 'unavailable' : 'error'),
        ),
      ]);
    },
    userById: (id) => (id === null || id === undefined ? undefined : state.users.find((u) => u.id === id)),
    onlineUserIds: () => presentIds(realtime.presence, 'user:').map(Number).filter(Number.isFinite),
    isCustomerOnline: (customerId) => !!customerId && realtime.presence[`customer:${customerId}`] !== undefined,
  };

  createEffect(
    on(
      () => session.session?.account_id,
      (accountId) => {
        if (accountId) void actions.reload();
      },
    ),
  );
  return <AgentsContext.Provider value={[state, actions]}>{props.children}</AgentsContext.Provider>;
}

export function useAgents(): [AgentsState, AgentsActions] {
  const ctx = useContext(AgentsContext);
  if (!ctx) throw new Error('useAgents() needs an <AgentsProvider> above it');
  return ctx;
}
