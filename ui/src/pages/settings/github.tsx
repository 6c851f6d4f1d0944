/**
 * Settings → GitHub (issue #19 point 4; loaded on demand): install the account's GitHub App
 * (GitHub's install page, then back here with `?code&installation_id&state`, which this screen
 * hands to `GET /api/github/oauth`), see the installation and the repositories it reaches, opt in
 * to telling customers when a linked issue is closed as completed, disconnect. Loading,
 * not-configured, not-connected, error (with retry) states; only admins act.
 */
import { z } from 'zod';
import { For, Show, createResource, onMount, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import type { ApiClient } from '../../lib/api';
import {
  authorizeUrlSchema,
  githubAuthorizationResponseSchema,
  githubConnectionSchema,
  githubRepositorySchema,
  type GithubConnection,
} from '../../lib/wire';
import { useSession } from '../../stores/session';

type GithubStatus = z.infer<typeof githubAuthorizationResponseSchema>;
type Requester = Pick<ApiClient, 'parsed' | 'parsedData' | 'request'>;

/** The GitHub routes of gateway/routes/github.ts this screen uses. */
export function githubApi(client: Requester) {
  const { parsed, parsedData, request } = client;
  return {
    status: () => parsed(githubAuthorizationResponseSchema, 'GET', '/api/github/authorization'),
    installUrl: async () => (await parsedData(authorizeUrlSchema, 'GET', '/api/github/authorize')).url,
    finish: (code: string, installationId: string, state: string) =>
      parsedData(githubConnectionSchema, 'GET', '/api/github/oauth', undefined, { code, installation_id: installationId, state }),
    repositories: () => parsedData(z.array(githubRepositorySchema), 'GET', '/api/github/repositories'),
    setNotify: (on: boolean) => parsedData(githubConnectionSchema, 'PUT', '/api/github/authorization', { notify_customer_on_close: on }),
    disconnect: (id: string) => request<unknown>('DELETE', `/api/github/authorizations/${encodeURIComponent(id)}`),
  };
}

function Connected(props: { connection: GithubConnection; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const github = githubApi(api);
  const [repos] = createResource(() => load(() => github.repositories()));
  const [message, failed, save] = useSaver();
  return (
    <>
      <p data-testid="github-connected">
        Connected to the GitHub {props.connection.account_type === 'User' ? 'user' : 'organisation'}{' '}
        <strong>{props.connection.account_login}</strong>.
      </p>
      <h2 class="small">Repositories</h2>
      <Show when={!repos.loading} fallback={<p class="small muted">Loading repositories…</p>}>
        <Show when={repos()?.ok} fallback={<p class="form-error">Could not list the installation’s repositories.</p>}>
          <ul class="plain-list">
            <For
              each={(() => {
                const r = repos();
                return r?.ok ? r.value : [];
              })()}
              fallback={<li class="small muted">The App reaches no repository yet: choose some in its settings on GitHub.</li>}
            >
              {(r) => <li data-testid="github-repo">{r.full_name}</li>}
            </For>
          </ul>
        </Show>
      </Show>
      <div class="field inline">
        <input
          id="github-notify"
          type="checkbox"
          checked={props.connection.notify_customer_on_close}
          disabled={!props.isAdmin}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            void save(
              async () => {
                await github.setNotify(on);
                props.onChanged();
              },
              on ? 'Customers are told when a linked issue is closed as completed.' : 'Customers are no longer told about closed issues.',
            );
          }}
        />
        <label for="github-notify">Tell the customer when a linked GitHub issue is closed as completed</label>
      </div>
      <p class="small muted">
        Agents always get a private note in linked conversations when an issue is renamed, closed or reopened on GitHub.
      </p>
      <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can change the GitHub integration.</p>}>
        <button
          class="btn ghost small danger"
          type="button"
          onClick={() => {
            if (confirm('Disconnect GitHub? Linked issues stop following GitHub; uninstall the App on GitHub to revoke its access.')) {
              void save(async () => {
                await github.disconnect(props.connection.id);
                props.onChanged();
              }, 'GitHub disconnected.');
            }
          }}
        >
          Disconnect GitHub
        </button>
      </Show>
      <Status message={message()} error={failed()} testId="github-status" />
    </>
  );
}

export default function GithubSection(): JSX.Element {
  const [session, { api }] = useSession();
  const github = githubApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => github.status()));
  const [message, failed, save] = useSaver();

  // Back from GitHub's install page: finish once, then drop the parameters from the address bar.
  onMount(() => {
    const q = new URLSearchParams(window.location.search);
    const code = q.get('code');
    const installationId = q.get('installation_id');
    const state = q.get('state');
    if (!(code && installationId && state)) return;
    window.history.replaceState(null, '', window.location.pathname);
    void save(async () => {
      await github.finish(code, installationId, state);
      void refetch();
    }, 'GitHub connected.');
  });

  const latest = (): GithubStatus | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };

  return (
    <Section title="GitHub" data={data} what="GitHub" onRetry={() => void refetch()}>
      {(first: GithubStatus) => (
        <>
          <p class="small muted">
            Link GitHub issues to conversations and customers, create issues from a conversation, and follow their state: renames, closes
            and reopens on GitHub update the issue here and leave a note in its conversations.
          </p>
          <Status message={message()} error={failed()} testId="github-return-status" />
          <Show
            when={(latest() ?? first).data}
            fallback={
              <Show
                when={(latest() ?? first).configured}
                fallback={
                  <p class="state unavailable" data-testid="github-not-configured">
                    GitHub is not configured on this server. An administrator creates a GitHub App and sets <code>GITHUB_APP_ID</code>,{' '}
                    <code>GITHUB_APP_SLUG</code>, <code>GITHUB_APP_PRIVATE_KEY</code>, <code>GITHUB_CLIENT_ID</code>,{' '}
                    <code>GITHUB_CLIENT_SECRET</code> and <code>GITHUB_WEBHOOK_SECRET</code> (docs/integrations/github.md).
                  </p>
                }
              >
                <p class="muted" data-testid="github-not-connected">
                  GitHub is not connected.
                </p>
                <Show when={isAdmin()} fallback={<p class="small muted">Only admins can connect GitHub.</p>}>
                  <button
                    class="btn primary small"
                    type="button"
                    data-testid="github-connect"
                    onClick={() => void save(async () => window.location.assign(await github.installUrl()), 'Opening GitHub…')}
                  >
                    Install the GitHub App
                  </button>
                </Show>
              </Show>
            }
          >
            {(connection) => <Connected connection={connection()} isAdmin={isAdmin()} onChanged={() => void refetch()} />}
          </Show>
        </>
      )}
    </Section>
  );
}
