/**
 * Settings → Webhooks: the account's event subscriptions. Add a URL (it is
 * verified by a challenge POST before the answer; the signing secret is shown
 * then), see whether each URL is verified and why not, verify again, choose
 * whether `conversation:updated` is sent, reveal/copy/rotate the signing
 * secret, and read each subscription's delivery log (status, attempts, HTTP
 * answer, last error; filter by status, load older entries). Every list has
 * loading, empty and error states. Each subscription says who added it. Only
 * admins may add, change, verify or delete webhooks and see or rotate signing
 * secrets (the API answers 403 otherwise): other agents see the list and the
 * delivery logs, without those controls.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import { describeError } from '../../lib/api';
import {
  STATUS_LABELS,
  appendPage,
  describeCreator,
  describeDelivery,
  describeEvents,
  receivesUpdates,
  webhooksApi,
  type DeliveryStatus,
  type WebhookDelivery,
  type WebhookSubscription,
  type WebhooksApi,
} from '../../lib/webhooks';
import { useSession } from '../../stores/session';

const when = (iso: string | null): string => (iso ? new Date(iso).toLocaleString() : '—');

function copy(text: string, done: (ok: boolean) => void): void {
  const clipboard = typeof navigator !== 'undefined' ? navigator.clipboard : undefined;
  if (!clipboard) {
    done(false);
    return;
  }
  clipboard.writeText(text).then(
    () => done(true),
    () => done(false),
  );
}

function SecretControl(props: { hooks: WebhooksApi; sub: WebhookSubscription; initial?: string }): JSX.Element {
  const [secret, setSecret] = createSignal<string | null>(props.initial ?? null);
  const [message, failed, save] = useSaver();
  const reveal = (): Promise<boolean> => save(async () => setSecret(await props.hooks.secret(props.sub.id)), 'Signing secret shown.');
  return (
    <div class="webhook-secret">
      <Show
        when={secret()}
        fallback={
          <button class="btn ghost small" type="button" onClick={() => void reveal()}>
            Reveal signing secret
          </button>
        }
      >
        {(s) => (
          <>
            <code class="copyable" data-testid="signing-secret">
              {s()}
            </code>{' '}
            <button
              class="btn ghost small"
              type="button"
              onClick={() =>
                copy(
                  s(),
                  (ok) =>
                    void save(
                      () => (ok ? Promise.resolve() : Promise.reject(new Error('Copy failed: select the secret and copy it by hand.'))),
                      'Copied.',
                    ),
                )
              }
            >
              Copy
            </button>
            <button class="btn ghost small" type="button" onClick={() => setSecret(null)}>
              Hide
            </button>
          </>
        )}
      </Show>{' '}
      <button
        class="btn ghost small"
        type="button"
        onClick={() => {
          if (!window.confirm('Replace the signing secret? Requests are signed with the new one from now on; update your receiver.'))
            return;
          void save(async () => setSecret(await props.hooks.rotateSecret(props.sub.id)), 'New signing secret: update your receiver.');
        }}
      >
        Rotate
      </button>
      <Status message={message()} error={failed()} />
    </div>
  );
}

function DeliveryLog(props: { hooks: WebhooksApi; sub: WebhookSubscription }): JSX.Element {
  const [status, setStatus] = createSignal<DeliveryStatus | ''>('');
  const [extra, setExtra] = createSignal<WebhookDelivery[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [moreError, setMoreError] = createSignal<string | null>(null);
  const [isLoadingMore, setLoadingMore] = createSignal(false);
  const [page, { refetch }] = createResource(status, async (s) => {
    const result = await load(() => props.hooks.deliveries(props.sub.id, { status: s || null }));
    setExtra([]);
    setMoreError(null);
    setNext(result.ok ? result.value.next : null);
    return result;
  });
  const rows = (): WebhookDelivery[] => {
    const p = page();
    return p?.ok ? appendPage(p.value.data, extra()) : [];
  };
  const loadMore = async (): Promise<void> => {
    const after = next();
    if (!after) return;
    setLoadingMore(true);
    try {
      const more = await props.hooks.deliveries(props.sub.id, { after, status: status() || null });
      setExtra(appendPage(extra(), more.data));
      setNext(more.next);
      setMoreError(null);
    } catch (err) {
      setMoreError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  };
  return (
    <div class="webhook-log" data-testid="delivery-log">
      <div class="inline-form">
        <label for={`log-status-${props.sub.id}`}>Show</label>
        <select
          id={`log-status-${props.sub.id}`}
          value={status()}
          onChange={(e) => setStatus(e.currentTarget.value as DeliveryStatus | '')}
        >
          <option value="">all deliveries</option>
          <For each={Object.entries(STATUS_LABELS)}>{([value, label]) => <option value={value}>{label.toLowerCase()}</option>}</For>
        </select>
        <button class="btn ghost small" type="button" onClick={() => void refetch()} disabled={page.loading}>
          Refresh
        </button>
      </div>
      <Show when={page.loading && !page()}>
        <div class="state small" role="status">
          <span class="spinner" aria-hidden="true" /> Loading deliveries…
        </div>
      </Show>
      <Show
        when={(() => {
          const p = page();
          return p && !p.ok ? p : undefined;
        })()}
      >
        {(f) => (
          <div class="state error" role="status">
            Could not load the deliveries: {f().error}{' '}
            <button class="btn small" type="button" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        )}
      </Show>
      <Show when={page()?.ok}>
        <ul class="rows" aria-label={`Deliveries to ${props.sub.webhook_url}`}>
          <For
            each={rows()}
            fallback={
              <li class="muted small" data-testid="no-deliveries">
                {status() ? 'No deliveries with this status.' : 'No deliveries yet. Events are sent here once the URL is verified.'}
              </li>
            }
          >
            {(d) => (
              <li data-testid="delivery-row" data-status={d.status}>
                <span class={`tag ${d.status === 'delivered' ? 'tag-online' : d.status === 'failed' ? 'tag-priority' : ''}`}>
                  {STATUS_LABELS[d.status]}
                </span>{' '}
                <strong>{d.event}</strong> <span class="small muted">{when(d.created_at)}</span>
                <div class="small">{describeDelivery(d)}</div>
                <div class="small muted">
                  Delivery id <code>{d.id}</code>
                </div>
              </li>
            )}
          </For>
        </ul>
        <Show when={next()}>
          <button class="btn small" type="button" onClick={() => void loadMore()} disabled={isLoadingMore()}>
            {isLoadingMore() ? 'Loading…' : 'Load older deliveries'}
          </button>
        </Show>
        <Status message={moreError()} error />
      </Show>
    </div>
  );
}

function SubscriptionRow(props: {
  hooks: WebhooksApi;
  sub: WebhookSubscription;
  isAdmin: boolean;
  secret?: string;
  onChanged: () => void;
}): JSX.Element {
  const [sub, setSub] = createSignal(props.sub);
  const [isLogOpen, setLogOpen] = createSignal(false);
  const [message, failed, save] = useSaver();
  return (
    <li data-testid="webhook-row">
      <div>
        <code>{sub().webhook_url}</code>{' '}
        <span class={`tag ${sub().verified ? 'tag-online' : ''}`} data-testid="webhook-verified">
          {sub().verified ? 'verified' : 'not verified'}
        </span>
      </div>
      <Show when={!sub().verified}>
        <p class="small form-error" role="note">
          Not receiving events{sub().last_verification_error ? `: ${sub().last_verification_error}` : ''}. Your endpoint must answer the
          challenge POST <code>{'{"event":"webhook:verify","payload":"<challenge>"}'}</code> with the challenge.{' '}
          <Show when={props.isAdmin}>
            <button
              class="btn small"
              type="button"
              onClick={() => void save(async () => setSub(await props.hooks.verify(sub().id)), 'Verification done.')}
            >
              Verify again
            </button>
          </Show>
        </p>
      </Show>
      <p class="small muted">
        Sends {describeEvents(sub())}. <span data-testid="webhook-created-by">{describeCreator(sub())}</span>
        {sub().created_at ? ` on ${when(sub().created_at)}` : ''}.
      </p>
      <div class="field inline">
        <input
          id={`updates-${sub().id}`}
          type="checkbox"
          disabled={!props.isAdmin}
          checked={receivesUpdates(sub())}
          onChange={(e) => {
            const on = e.currentTarget.checked;
            void save(
              async () => setSub(await props.hooks.setUpdates(sub().id, on)),
              on ? 'conversation:updated will be sent too.' : 'conversation:updated will not be sent.',
            );
          }}
        />
        <label for={`updates-${sub().id}`}>Also send conversation:updated (status, assignee, priority… changes)</label>
      </div>
      <Show when={props.isAdmin}>
        <SecretControl hooks={props.hooks} sub={sub()} {...(props.secret ? { initial: props.secret } : {})} />
      </Show>
      <div class="form-actions">
        <button class="btn ghost small" type="button" aria-expanded={isLogOpen()} onClick={() => setLogOpen(!isLogOpen())}>
          {isLogOpen() ? 'Hide deliveries' : 'Deliveries'}
        </button>
        <Show when={props.isAdmin}>
          <button
            class="btn ghost small"
            type="button"
            onClick={() => {
              if (!window.confirm(`Delete the webhook ${sub().webhook_url}? Its delivery log is deleted too.`)) return;
              void save(async () => {
                await props.hooks.remove(sub().id);
                props.onChanged();
              }, 'Webhook deleted.');
            }}
          >
            Delete
          </button>
        </Show>
      </div>
      <Status message={message()} error={failed()} />
      <Show when={isLogOpen()}>
        <DeliveryLog hooks={props.hooks} sub={sub()} />
      </Show>
    </li>
  );
}

export function WebhooksSection(): JSX.Element {
  const [session, { api }] = useSession();
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const hooks = webhooksApi(api);
  const [data, { refetch }] = createResource(() => load(() => hooks.list()));
  // Read the resource here, not through <Section>'s render argument: that one is not re-run on refetch.
  const subscriptions = (): WebhookSubscription[] => {
    const d = data();
    return d?.ok ? d.value : [];
  };
  const [url, setUrl] = createSignal('');
  const [withUpdates, setWithUpdates] = createSignal(false);
  const [fresh, setFresh] = createSignal<{ id: string; secret: string } | null>(null);
  const [isAdding, setAdding] = createSignal(false);
  const [message, failed, save] = useSaver();
  const add = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    if (isAdding()) return;
    setAdding(true);
    let created: WebhookSubscription | undefined;
    const ok = await save(async () => {
      created = await hooks.create(url().trim(), withUpdates());
    }, 'Webhook added.');
    setAdding(false);
    if (!ok || !created) return;
    setFresh(created.signing_secret ? { id: created.id, secret: created.signing_secret } : null);
    setUrl('');
    void refetch();
  };
  return (
    <Section title="Webhooks" data={data} what="Webhooks" onRetry={() => void refetch()}>
      {() => (
        <>
          <p class="small muted">
            Netia POSTs <code>{'{"event", "payload"}'}</code> to each verified URL, signed with HMAC-SHA256 (headers{' '}
            <code>X-Netia-Signature</code>, <code>X-Netia-Timestamp</code>, <code>X-Netia-Delivery</code>), and retries with backoff until
            your endpoint answers 2xx.
          </p>
          <ul class="rows">
            <For
              each={subscriptions()}
              fallback={
                <li class="muted small" data-testid="no-webhooks">
                  No webhooks yet. Add a URL below to receive events.
                </li>
              }
            >
              {(s) => (
                <SubscriptionRow
                  hooks={hooks}
                  sub={s}
                  isAdmin={isAdmin()}
                  {...(fresh()?.id === s.id ? { secret: fresh()!.secret } : {})}
                  onChanged={() => void refetch()}
                />
              )}
            </For>
          </ul>
          <Show when={!isAdmin()}>
            <p class="small muted" data-testid="webhooks-admin-only">
              Only admins can add, change or delete webhooks and see their signing secrets.
            </p>
          </Show>
          <Show when={isAdmin()}>
            <form class="inline-form" onSubmit={(e) => void add(e)}>
              <label for="hook-url">Webhook URL</label>
              <input
                id="hook-url"
                type="url"
                placeholder="https://example.com/netia"
                value={url()}
                onInput={(e) => setUrl(e.currentTarget.value)}
                required
              />
              <span class="field inline">
                <input
                  id="hook-updates"
                  type="checkbox"
                  checked={withUpdates()}
                  onChange={(e) => setWithUpdates(e.currentTarget.checked)}
                />
                <label for="hook-updates">also conversation:updated</label>
              </span>
              <button class="btn small" type="submit" disabled={isAdding()}>
                {isAdding() ? 'Verifying…' : 'Add'}
              </button>
            </form>
          </Show>
          <Status message={message()} error={failed()} />
          <Show when={fresh()}>
            <p class="small" data-testid="new-secret">
              Webhook added. Its signing secret (also under “Reveal signing secret”): <code class="copyable">{fresh()!.secret}</code>
            </p>
          </Show>
        </>
      )}
    </Section>
  );
}
