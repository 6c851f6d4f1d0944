/**
 * The sidebar's tag filter: the account's tags as links that filter the
 * current list (`?tag=<id>`, so a filtered list can be bookmarked and shared),
 * with the unread count of the selected tag (`GET /api/conversations/unread?tag_id=`),
 * and a way back to every conversation.
 */
import { A, useLocation, useNavigate } from '@solidjs/router';
import { For, Match, Show, Switch, createResource, type JSX } from 'solid-js';
import { useConversations } from '../stores/conversations';
import { useTags } from '../stores/tags';
import { TagChip } from './tag-picker';

/** The list the sidebar's tag links filter: the current one, without an open conversation. */
export function listBase(pathname: string): string {
  return /^\/(?:inbox|inboxes)\/[^/]+/.exec(pathname)?.[0] ?? '/inbox/open';
}

export function TagFilter(props: { onNavigate: () => void }): JSX.Element {
  const [tags, actions] = useTags();
  const [conversations] = useConversations();
  const location = useLocation();
  const navigate = useNavigate();
  // A plain link: the router's <A> would mark every tag of the current list as the current page.
  const go = (e: MouseEvent, href: string): void => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(href);
    props.onNavigate();
  };
  const selected = (): string | null => new URLSearchParams(location.search).get('tag');
  // Refetched with the sidebar's own counters (which follow the socket).
  const [unread] = createResource(
    () => {
      const id = selected();
      return id ? { id, counts: conversations.unread } : undefined;
    },
    ({ id }) =>
      actions.api.unread(id).then(
        (u) => u.conversations.open ?? 0,
        () => 0,
      ),
  );
  return (
    <Show when={tags.status !== 'unavailable'}>
      <h2 class="nav-heading" id="tag-filter-heading">
        Tags
      </h2>
      <Switch>
        <Match when={tags.status === 'error'}>
          <p class="muted small">The tags could not be loaded.</p>
        </Match>
        <Match when={tags.status === 'ready' && tags.tags.length === 0}>
          <p class="muted small">
            No tags yet. <A href="/settings/tags">Create tags</A>
          </p>
        </Match>
        <Match when={true}>
          <ul class="nav-list tag-filter" aria-labelledby="tag-filter-heading" data-testid="tag-filter">
            <Show when={selected()}>
              <li>
                <a href={listBase(location.pathname)} class="nav-item" onClick={(e) => go(e, listBase(location.pathname))}>
                  <span>All conversations</span>
                </a>
              </li>
            </Show>
            <For each={tags.tags}>
              {(tag) => (
                <li>
                  <a
                    href={`${listBase(location.pathname)}?tag=${encodeURIComponent(tag.id)}`}
                    class="nav-item"
                    classList={{ active: selected() === tag.id }}
                    aria-current={selected() === tag.id ? 'page' : undefined}
                    onClick={(e) => go(e, `${listBase(location.pathname)}?tag=${encodeURIComponent(tag.id)}`)}
                    data-tag-id={tag.id}
                  >
                    <TagChip tag={tag} />
                    <Show when={selected() === tag.id && (unread() ?? 0) > 0}>
                      <span class="badge" aria-label={`${unread()} unread with tag ${tag.name}`}>
                        {unread()}
                      </span>
                    </Show>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Match>
      </Switch>
    </Show>
  );
}
