/**
 * Settings → Security (issue #18), for admins: identity verification (the
 * identity secret, masked until revealed, with copy, rotation after a
 * confirmation, and server snippets that compute `user_hash` in Node, Python,
 * Ruby and PHP), the customer token requirement, and the origins widgets may
 * be embedded on. Agents see that only admins may open it (the API answers
 * them 403), and nothing is requested for them.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { CheckRow, Section, Status, load, useSaver } from '../../components/settings-kit';
import { normalizeOriginInput, settingsApi, type AccountSecurity, type SettingsApi } from '../../lib/api-settings';
import { useSession } from '../../stores/session';
import { IDENTITY_SECRET_ENV, IDENTITY_SNIPPETS, type IdentitySnippet } from './identity-snippets';

/** A button that copies `text`, saying whether it worked (a refused clipboard leaves the text selectable). */
function CopyButton(props: { text: () => string; label: string; testId?: string }): JSX.Element {
  const [state, setState] = createSignal<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      class="btn small"
      type="button"
      data-testid={props.testId}
      onClick={() => {
        const done = (s: 'copied' | 'failed'): void => {
          setState(s);
          setTimeout(() => setState('idle'), 2000);
        };
        if (!navigator.clipboard) return done('failed');
        void navigator.clipboard.writeText(props.text()).then(
          () => done('copied'),
          () => done('failed'),
        );
      }}
    >
      {state() === 'copied' ? 'Copied' : state() === 'failed' ? 'Copy failed: select the text' : props.label}
      <span class="visually-hidden" aria-live="polite">
        {state() === 'copied' ? ' (copied)' : ''}
      </span>
    </button>
  );
}

function IdentitySecret(props: { api: SettingsApi }): JSX.Element {
  const [secret, setSecret] = createSignal<string | null>(null);
  const [confirming, setConfirming] = createSignal(false);
  const [message, failed, save] = useSaver();
  return (
    <div class="identity-secret">
      <h2 id="identity-secret-title">Identity secret</h2>
      <p class="small muted">
        Your server signs each signed-in user's id with this secret (<code>user_hash</code>); keep it on your server, never in a page.
      </p>
      <div class="secret-row">
        <code class="copyable" data-testid="identity-secret" aria-labelledby="identity-secret-title">
          {secret() ?? '••••••••••••••••••••••••••••••••'}
        </code>
        <Show
          when={secret()}
          fallback={
            <button
              class="btn small"
              type="button"
              onClick={() => void save(async () => setSecret((await props.api.revealIdentitySecret()).secret), 'Secret revealed.')}
            >
              Reveal secret
            </button>
          }
        >
          <CopyButton text={() => secret() ?? ''} label="Copy secret" testId="copy-secret" />
          <button class="btn ghost small" type="button" onClick={() => setSecret(null)}>
            Hide
          </button>
        </Show>
      </div>
      <Show
        when={confirming()}
        fallback={
          <button class="btn ghost small danger" type="button" onClick={() => setConfirming(true)}>
            Rotate secret…
          </button>
        }
      >
        <div class="confirm" role="alertdialog" aria-labelledby="rotate-question">
          <p class="small" id="rotate-question">
            Rotate the identity secret? Every <code>user_hash</code> made with the current secret fails at once: visitors stay anonymous
            until your server uses the new one.
          </p>
          <button
            class="btn small danger"
            type="button"
            onClick={() =>
              void save(async () => {
                setSecret((await props.api.rotateIdentitySecret()).secret);
                setConfirming(false);
              }, 'New secret made. Put it on your server now.')
            }
          >
            Yes, rotate
          </button>
          <button class="btn ghost small" type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      </Show>
      <Status message={message()} error={failed()} testId="secret-status" />
    </div>
  );
}

function Snippets(): JSX.Element {
  const [current, setCurrent] = createSignal<IdentitySnippet>(IDENTITY_SNIPPETS[0]!);
  return (
    <div class="identity-snippets">
      <h2>Compute user_hash on your server</h2>
      <p class="small muted">
        Set the environment variable <code>{IDENTITY_SECRET_ENV}</code> to the secret above, then:
      </p>
      <div role="group" aria-label="Language" class="tabs">
        <For each={IDENTITY_SNIPPETS}>
          {(s) => (
            <button
              class={current().key === s.key ? 'btn small' : 'btn ghost small'}
              type="button"
              aria-pressed={current().key === s.key}
              onClick={() => setCurrent(s)}
            >
              {s.label}
            </button>
          )}
        </For>
      </div>
      <pre class="snippet">
        <code data-testid="identity-snippet" data-language={current().key}>
          {current().code}
        </code>
      </pre>
      <CopyButton text={() => current().code} label="Copy snippet" />
    </div>
  );
}

function OriginsEditor(props: { origins: string[]; onSave: (origins: string[]) => Promise<unknown> }): JSX.Element {
  const [input, setInput] = createSignal('');
  const [invalid, setInvalid] = createSignal<string | null>(null);
  const [message, failed, save] = useSaver();
  return (
    <div class="origins">
      <h2 id="origins-title">Allowed origins</h2>
      <p class="small muted" id="origins-help">
        Widgets may call Netia only from these sites (scheme and host, such as <code>https://example.com</code>, no path).{' '}
        <Show when={props.origins.length === 0}>
          <strong>No origins: any site may embed your widget.</strong>
        </Show>
      </p>
      <ul class="rows" aria-labelledby="origins-title" data-testid="origins">
        <For each={props.origins}>
          {(o) => (
            <li>
              <code>{o}</code>
              <span class="spacer" />
              <button
                class="btn ghost small"
                type="button"
                onClick={() =>
                  void save(
                    () => props.onSave(props.origins.filter((x) => x !== o)),
                    props.origins.length === 1 ? 'Removed. Any site may embed your widget now.' : `${o} removed.`,
                  )
                }
              >
                Remove<span class="visually-hidden">{` ${o}`}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <form
        class="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          const origin = normalizeOriginInput(input());
          if (origin === null) {
            setInvalid('Enter an origin such as https://example.com (scheme and host, no path).');
            return;
          }
          setInvalid(null);
          void save(async () => {
            await props.onSave([...new Set([...props.origins, origin])]);
            setInput('');
          }, `${origin} added.`);
        }}
      >
        <label for="origin-input">Add an origin</label>
        <input
          id="origin-input"
          type="url"
          inputmode="url"
          placeholder="https://example.com"
          value={input()}
          onInput={(e) => setInput(e.currentTarget.value)}
          aria-invalid={invalid() !== null}
          aria-describedby="origins-help origin-error"
          required
        />
        <button class="btn small" type="submit">
          Add
        </button>
      </form>
      <p class="form-error" id="origin-error" role="alert">
        {invalid() ?? ''}
      </p>
      <Status message={message()} error={failed()} testId="origins-status" />
    </div>
  );
}

function SecurityForm(props: { initial: AccountSecurity; api: SettingsApi }): JSX.Element {
  const [security, setSecurity] = createSignal(props.initial);
  const [message, failed, save] = useSaver();
  const change = (changes: Parameters<SettingsApi['saveSecurity']>[0], ok: string): Promise<boolean> =>
    save(async () => setSecurity(await props.api.saveSecurity(changes)), ok);
  return (
    <>
      <h2>Identity verification</h2>
      <CheckRow
        id="require-identity-verification"
        checked={security().require_identity_verification}
        describedBy="identity-help"
        onChange={(on) =>
          void change(
            { require_identity_verification: on },
            on ? 'Visitors named by external_id now need a valid user_hash.' : 'Identity verification is off.',
          )
        }
      >
        Require identity verification
      </CheckRow>
      <p class="small muted" id="identity-help">
        When on, a widget that names its visitor by <code>external_id</code> must send the matching <code>user_hash</code>, so nobody can
        read another user's conversations by guessing their id.
      </p>
      <CheckRow
        id="require-customer-token"
        checked={security().require_customer_token}
        describedBy="token-help"
        onChange={(on) =>
          void change({ require_customer_token: on }, on ? 'Visitors now need their customer token.' : 'The customer token is optional.')
        }
      >
        Require the customer token
      </CheckRow>
      <p class="small muted" id="token-help">
        When on, a visitor reaches a conversation only with the token the server gave its browser. Widgets built for the original system do
        not send it: turn this on once every widget is Netia's.
      </p>
      <Status message={message()} error={failed()} testId="security-status" />
      <IdentitySecret api={props.api} />
      <Snippets />
      <OriginsEditor
        origins={security().allowed_origins}
        onSave={async (origins) => setSecurity(await props.api.saveSecurity({ allowed_origins: origins }))}
      />
    </>
  );
}

export function SecuritySection(): JSX.Element {
  const [session, { api }] = useSession();
  const settings = settingsApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  return (
    <Show
      when={isAdmin()}
      fallback={
        <section class="settings-section" aria-labelledby="security-title">
          <h1 id="security-title">Security</h1>
          <p class="state unavailable" role="status" data-testid="no-permission">
            Only admins can see and change the widget security settings and the identity secret.
          </p>
        </section>
      }
    >
      <AdminSecurity api={settings} />
    </Show>
  );
}

function AdminSecurity(props: { api: SettingsApi }): JSX.Element {
  const [data, { refetch }] = createResource(() => load(() => props.api.security()));
  return (
    <Section title="Security" data={data} what="Security settings" onRetry={() => void refetch()}>
      {(initial) => <SecurityForm initial={initial} api={props.api} />}
    </Section>
  );
}
