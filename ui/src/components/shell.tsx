/**
 * The console frame: navigation sidebar (lists with unread badges, inboxes,
 * who is online, reporting, the local mailbox for admins of a development
 * server, settings, log out) and the banner shown while the socket is
 * down.
 */
import { A, useLocation, useNavigate } from '@solidjs/router';
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { agentName, unreadBadge } from '../lib/lists';
import { useAgents } from '../stores/agents';
import { useConversations } from '../stores/conversations';
import { useRealtime } from '../stores/realtime';
import { useSession } from '../stores/session';
import type { ListKind, ListSpec } from '../types';
import { Avatar } from './avatar';
import { MentionAlerts } from './mention-alerts';
import { SlaAlerts } from './sla-alerts';
import { TagFilter } from './tag-filter';

export const LISTS: { kind: Exclude<ListKind, 'inbox'>; label: string }[] = [
  { kind: 'open', label: 'Open' },
  { kind: 'mine', label: 'Assigned to me' },
  { kind: 'unassigned', label: 'Unassigned' },
  { kind: 'priority', label: 'Priority' },
  { kind: 'mentions', label: 'Mentions' },
  { kind: 'snoozed', label: 'Snoozed' },
  { kind: 'closed', label: 'Closed' },
];

/** The customers, companies and issues screens (loaded on demand, app.tsx). */
const PEOPLE_LINKS = [
  { href: '/visitors', label: 'Live visitors' },
  { href: '/customers', label: 'Customers' },
  { href: '/companies', label: 'Companies' },
  { href: '/issues', label: 'Issues' },
] as const;

export function ConnectionBanner(): JSX.Element {
  const [realtime] = useRealtime();
  const down = (): boolean => realtime.connection !== 'open' && (realtime.everConnected || realtime.connection === 'offline');
  return (
    <div class="banner-slot" aria-live="polite">
      <Show when={down()}>
        <div class="banner" role="status" data-testid="offline-banner">
          <span class="spinner" aria-hidden="true" /> Connection lost. Reconnecting… New messages will appear when you are back online.
        </div>
      </Show>
    </div>
  );
}

function Badge(props: { count: number; label: string }): JSX.Element {
  return (
    <Show when={props.count > 0}>
      <span class="badge" aria-label={`${props.count} unread ${props.label}`}>
        {props.count > 999 ? '999+' : props.count}
      </span>
    </Show>
  );
}

export function Sidebar(props: { open: boolean; onNavigate: () => void }): JSX.Element {
  const [session, sessionActions] = useSession();
  const [conversations] = useConversations();
  const [agents, agentActions] = useAgents();
  const location = useLocation();
  const navigate = useNavigate();
  const [inboxes] = createResource(
    () => session.session?.account_id,
    () => sessionActions.api.listInboxes().catch(() => []),
  );
  // Admins of a development server get a link to the local mailbox (the API answers 404 when mail goes out over SMTP).
  const [mailbox] = createResource(
    () => (session.me?.role === 'admin' ? session.me.account_id : undefined),
    () =>
      sessionActions.api.listMailbox().then(
        () => true,
        () => false,
      ),
  );
  const [loggingOut, setLoggingOut] = createSignal(false);
  const badge = (spec: ListSpec): number => unreadBadge(conversations.unread, spec);
  const online = () =>
    agentActions
      .onlineUserIds()
      .map((id) => agentActions.userById(id) ?? { id, email: `agent ${id}`, display_name: null, full_name: null });
  const logout = async (): Promise<void> => {
    setLoggingOut(true);
    await sessionActions.logout();
    navigate('/login', { replace: true });
  };
  const isActive = (href: string): boolean => location.pathname === href || location.pathname.startsWith(`${href}/`);
  return (
    <nav class={`sidebar ${props.open ? 'open' : ''}`} aria-label="Inbox navigation">
      <div class="brand">
        <span class="brand-mark" aria-hidden="true">
          N
        </span>{' '}
        Netia
      </div>
      <ul class="nav-list">
        <For each={LISTS}>
          {(list) => (
            <li>
              <A
                href={`/inbox/${list.kind}`}
                class="nav-item"
                classList={{ active: isActive(`/inbox/${list.kind}`) }}
                onClick={() => props.onNavigate()}
                data-list={list.kind}
              >
                <span>{list.label}</span>
                <Badge count={badge({ kind: list.kind })} label={list.label} />
              </A>
            </li>
          )}
        </For>
      </ul>
      <Show when={(inboxes() ?? []).length > 1}>
        <h2 class="nav-heading">Inboxes</h2>
        <ul class="nav-list">
          <For each={inboxes()}>
            {(inbox) => (
              <li>
                <A
                  href={`/inboxes/${inbox.id}`}
                  class="nav-item"
                  classList={{ active: isActive(`/inboxes/${inbox.id}`) }}
                  onClick={() => props.onNavigate()}
                >
                  <span>{inbox.name}</span>
                  <Badge count={badge({ kind: 'inbox', inboxId: inbox.id })} label={inbox.name} />
                </A>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <TagFilter onNavigate={() => props.onNavigate()} />
      <h2 class="nav-heading">Team online</h2>
      <ul class="online-list" data-testid="team-online" aria-live="polite">
        <Show when={online().length > 0} fallback={<li class="muted small">Nobody else right now</li>}>
          <For each={online()}>
            {(user) => (
              <li data-user-id={user.id}>
                <Avatar
                  name={agentName(user)}
                  seed={user.id}
                  photo={'profile_photo_url' in user ? user.profile_photo_url : null}
                  size={22}
                  online
                />
                <span>{user.id === session.session?.user_id ? `${agentName(user)} (you)` : agentName(user)}</span>
              </li>
            )}
          </For>
        </Show>
      </ul>
      <Show when={agents.usersStatus === 'error'}>
        <p class="muted small">The team list could not be loaded.</p>
      </Show>
      <div class="sidebar-bottom">
        <For each={PEOPLE_LINKS}>
          {(link) => (
            <A href={link.href} class="nav-item" classList={{ active: isActive(link.href) }} onClick={() => props.onNavigate()}>
              {link.label}
            </A>
          )}
        </For>
        <A
          href="/search"
          class="nav-item"
          classList={{ active: isActive('/search') }}
          onClick={() => props.onNavigate()}
          data-testid="nav-search"
        >
          Search
        </A>
        <A href="/reporting" class="nav-item" classList={{ active: isActive('/reporting') }} onClick={() => props.onNavigate()}>
          Reporting
        </A>
        <Show when={mailbox()}>
          <A
            href="/dev/mailbox"
            class="nav-item"
            classList={{ active: isActive('/dev/mailbox') }}
            onClick={() => props.onNavigate()}
            data-testid="nav-mailbox"
          >
            Mailbox (dev)
          </A>
        </Show>
        <A href="/settings/account" class="nav-item" classList={{ active: isActive('/settings') }} onClick={() => props.onNavigate()}>
          Settings
        </A>
        <div class="me">
          <A
            href="/settings/profile"
            class="small muted"
            title={`${session.session?.email ?? ''}: your profile`}
            onClick={() => props.onNavigate()}
          >
            {session.session?.email}
          </A>
          <button class="btn ghost small" type="button" onClick={() => void logout()} disabled={loggingOut()}>
            Log out
          </button>
        </div>
      </div>
      <MentionAlerts />
      <SlaAlerts />
    </nav>
  );
}
