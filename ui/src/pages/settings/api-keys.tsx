/**
 * Settings → API keys: the agent's own personal API keys for `/api/v1`, each
 * with its scope (issue #18: read = GET requests only, write = read + every
 * change that is not admin-only, admin = everything the agent's role allows),
 * when it was last used, and Revoke (after a confirmation). Creating a key asks
 * for a label and a scope (read only unless chosen otherwise) and shows the
 * value once. Every agent manages their own keys; nobody sees another's.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { useSession } from '../../stores/session';
import type { ApiKey, ApiKeyScope } from '../../types';

/** Each scope's name in the console and what it allows (docs/compatibility.md). */
export const SCOPES: readonly { value: ApiKeyScope; name: string; allows: string }[] = [
  { value: 'read', name: 'Read only', allows: 'GET requests only: lists and reads, no changes.' },
  { value: 'write', name: 'Read and write', allows: 'Reads and changes (messages, conversations, customers…), but no admin-only action.' },
  { value: 'admin', name: 'Admin', allows: 'Everything your role allows, admin-only actions included.' },
];

const scopeName = (scope: ApiKeyScope): string => SCOPES.find((s) => s.value === scope)?.name ?? scope;

/** One key. Revoking reports through the section's status line (`props.save`): the refetch removes this row. */
function KeyRow(props: {
  apiKey: ApiKey;
  onRevoked: () => void;
  save: (fn: () => Promise<unknown>, ok?: string) => Promise<boolean>;
}): JSX.Element {
  const [, { api }] = useSession();
  const [confirming, setConfirming] = createSignal(false);
  const k = (): ApiKey => props.apiKey;
  return (
    <li data-api-key={k().label} data-testid="api-key-row">
      <span>{k().label}</span>
      <code class="small muted">{k().prefix}…</code>
      <span class="chip small" data-testid="api-key-scope" data-scope={k().scope} title={SCOPES.find((s) => s.value === k().scope)?.allows}>
        {scopeName(k().scope)}
      </span>
      <span class="muted small">{k().last_used_at ? `last used ${new Date(k().last_used_at!).toLocaleDateString()}` : 'never used'}</span>
      <Show
        when={confirming()}
        fallback={
          <button class="btn ghost small" type="button" onClick={() => setConfirming(true)}>
            Revoke<span class="visually-hidden">{` key ${k().label}`}</span>
          </button>
        }
      >
        <span class="small" role="alert">
          Revoke “{k().label}”? Scripts using it stop working at once.
        </span>
        <button
          class="btn small danger"
          type="button"
          onClick={() =>
            void props.save(async () => {
              await api.deleteApiKey(k().id);
              props.onRevoked();
            }, 'Key revoked.')
          }
        >
          Yes, revoke
        </button>
        <button class="btn ghost small" type="button" onClick={() => setConfirming(false)}>
          Keep it
        </button>
      </Show>
    </li>
  );
}

export function ApiKeysSection(): JSX.Element {
  const [, { api }] = useSession();
  const [data, { refetch }] = createResource(() => load(() => api.listApiKeys()));
  const [label, setLabel] = createSignal('');
  const [scope, setScope] = createSignal<ApiKeyScope>('read');
  const [created, setCreated] = createSignal<ApiKey | null>(null);
  const [message, failed, save] = useSaver();
  const [rowMessage, rowFailed, rowSave] = useSaver();
  const allows = (): string => SCOPES.find((s) => s.value === scope())?.allows ?? '';
  // Section renders its children once with the first value: read the latest through this accessor, so a refetch shows.
  const latest = (): readonly ApiKey[] | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };
  return (
    <Section title="Personal API keys" data={data} what="API keys" onRetry={() => void refetch()}>
      {(first) => (
        <>
          <p class="small muted">
            Keys act as you on <code>/api/v1</code> with <code>Authorization: Bearer &lt;key&gt;</code>, limited to their scope.
          </p>
          <ul class="rows" data-testid="api-key-rows">
            <For each={latest() ?? first} fallback={<li class="muted small">No keys yet.</li>}>
              {(k) => <KeyRow apiKey={k} onRevoked={() => void refetch()} save={rowSave} />}
            </For>
          </ul>
          <Status message={rowMessage()} error={rowFailed()} />
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void save(async () => {
                const k = await api.createApiKey(label().trim(), scope());
                setCreated(k);
                setLabel('');
                void refetch();
              }, 'Key created.');
            }}
          >
            <div class="field">
              <label for="key-label">Label</label>
              <input id="key-label" value={label()} onInput={(e) => setLabel(e.currentTarget.value)} required maxLength={255} />
            </div>
            <div class="field">
              <label for="key-scope">Scope</label>
              <select
                id="key-scope"
                value={scope()}
                onChange={(e) => setScope(e.currentTarget.value as ApiKeyScope)}
                aria-describedby="key-scope-help"
              >
                <For each={SCOPES}>{(s) => <option value={s.value}>{s.name}</option>}</For>
              </select>
              <span id="key-scope-help" class="small muted">
                {allows()}
              </span>
            </div>
            <button class="btn small primary" type="submit">
              Create key
            </button>
          </form>
          <Status message={message()} error={failed()} />
          <Show when={created()}>
            {(k) => (
              <p class="small" data-testid="api-key-created">
                Copy this {scopeName(k().scope).toLowerCase()} key now, it is shown only once: <code class="copyable">{k().value}</code>
              </p>
            )}
          </Show>
        </>
      )}
    </Section>
  );
}
