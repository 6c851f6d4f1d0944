/**
 * Session store (ui/README.md): who is logged in, and the actions that log
 * in, sign up, log out. Owns the one API client; tokens live in localStorage
 * and are shared by every tab (a `storage` event adopts another tab's renewal
 * or logout).
 */
import { createContext, onCleanup, useContext, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { createApiClient, type ApiClient } from '../lib/api';
import { disablePush } from '../lib/notifications';
import { SESSION_KEY } from '../lib/session';
import type { Me, Session } from '../types';

export interface SessionState {
  session: Session | null;
  me: Me | null;
}

export interface SessionActions {
  api: ApiClient;
  login(email: string, password: string): Promise<void>;
  register(input: {
    email: string;
    password: string;
    password_confirmation: string;
    company_name?: string;
    invite_token?: string;
  }): Promise<void>;
  logout(): Promise<void>;
  loadMe(): Promise<Me | null>;
}

const SessionContext = createContext<[SessionState, SessionActions]>();

export function SessionProvider(props: { children: JSX.Element; api?: ApiClient }): JSX.Element {
  const locks = typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : undefined;
  const api =
    props.api ??
    createApiClient({
      storage: window.localStorage,
      ...(locks ? { locks: { request: <T,>(name: string, cb: () => Promise<T>) => locks.request(name, cb) as Promise<T> } } : {}),
    });
  const [state, setState] = createStore<SessionState>({ session: api.session(), me: null });
  const unsubscribe = api.onSessionChange((session) => {
    setState('session', session);
    if (!session) setState('me', null);
  });
  const onStorage = (e: StorageEvent): void => {
    if (e.key === SESSION_KEY || e.key === null) api.adoptStored();
  };
  window.addEventListener('storage', onStorage);
  onCleanup(() => {
    unsubscribe();
    window.removeEventListener('storage', onStorage);
  });

  const actions: SessionActions = {
    api,
    async login(email, password) {
      await api.login(email, password);
      await actions.loadMe();
    },
    async register(input) {
      await api.register(input);
      await actions.loadMe();
    },
    async logout() {
      // This device stops getting the agent's pushes (customer messages on a shared computer).
      await disablePush(api).catch(() => undefined);
      await api.logout();
    },
    async loadMe() {
      if (!api.session()) return null;
      try {
        const me = await api.me();
        setState('me', me);
        return me;
      } catch {
        return null;
      }
    },
  };
  return <SessionContext.Provider value={[state, actions]}>{props.children}</SessionContext.Provider>;
}

export function useSession(): [SessionState, SessionActions] {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession() needs a <SessionProvider> above it');
  return ctx;
}
