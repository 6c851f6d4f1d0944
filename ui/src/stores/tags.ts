/**
 * Tags store: the account's tags (for the conversation header's picker, the
 * sidebar's tag filter and Settings → Tags), loaded once per account and kept
 * up to date by the console's own writes. A server without the tag routes
 * leaves it `unavailable`. Plain module (no JSX): see `useTags`.
 */
import { batch, createEffect, createRoot, on } from 'solid-js';
import { createStore, reconcile } from 'solid-js/store';
import { ApiError, describeError } from '../lib/api';
import { sortTags, tagsApi, type Tag, type TagsApi } from '../lib/api-tags';
import { useSession } from './session';

export interface TagsState {
  tags: Tag[];
  status: 'loading' | 'ready' | 'unavailable' | 'error';
  error: string | null;
}

export interface TagsActions {
  api: TagsApi;
  reload(): Promise<void>;
  byId(id: string | null | undefined): Tag | undefined;
  /** Put a created or edited tag in the list. */
  put(tag: Tag): void;
  /** Take a deleted tag out of the list. */
  drop(id: string): void;
}

let shared: [TagsState, TagsActions] | undefined;

/**
 * The account's tags. One store for the page, made on first use (no provider: the
 * console's frame stays as it is) and reloaded whenever the signed-in account changes.
 */
export function useTags(): [TagsState, TagsActions] {
  if (shared) return shared;
  const [session, { api }] = useSession();
  shared = createRoot(() => {
    const [state, setState] = createStore<TagsState>({ tags: [], status: 'loading', error: null });
    const actions: TagsActions = {
      api: tagsApi(api),
      async reload() {
        try {
          const tags = await actions.api.list();
          batch(() => {
            setState('tags', reconcile(sortTags(tags), { key: 'id' }));
            setState({ status: 'ready', error: null });
          });
        } catch (err) {
          setState({ status: err instanceof ApiError && err.isMissingRoute ? 'unavailable' : 'error', error: describeError(err) });
        }
      },
      byId: (id) => (id ? state.tags.find((t) => t.id === id) : undefined),
      put(tag) {
        setState('tags', (tags) => sortTags([...tags.filter((t) => t.id !== tag.id), tag]));
      },
      drop(id) {
        setState('tags', (tags) => tags.filter((t) => t.id !== id));
      },
    };
    createEffect(
      on(
        () => session.session?.account_id,
        (accountId) => {
          if (accountId) void actions.reload();
          else setState({ tags: [], status: 'loading', error: null });
        },
      ),
    );
    return [state, actions] as [TagsState, TagsActions];
  });
  return shared;
}
