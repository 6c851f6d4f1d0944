/**
 * Settings → Email forwarding: the account's inbound forwarding addresses
 * (`fwd-…@INBOUND_EMAIL_DOMAIN`, gateway/routes/inbound-email.ts). Forward a
 * support mailbox to one of them and each mail opens or continues a
 * conversation in its inbox. Create (admins), copy, delete; loading, empty,
 * not-configured and error states.
 */
import { z } from 'zod';
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import type { ApiClient } from '../../lib/api';
import { forwardingAddressSchema, type ForwardingAddress } from '../../lib/wire';
import { useSession } from '../../stores/session';
import type { Inbox } from '../../types';
import { createInboxChoice } from './inbox-choice';

type Requester = Pick<ApiClient, 'parsedData' | 'request'>;

/** The forwarding-address routes of gateway/routes/inbound-email.ts. */
export function forwardingApi(client: Requester) {
  const { parsedData, request } = client;
  return {
    list: () => parsedData(z.array(forwardingAddressSchema), 'GET', '/api/forwarding_addresses'),
    create: (forwarding_address: { inbox_id: string | null; source_email_address: string | null; description: string | null }) =>
      parsedData(forwardingAddressSchema, 'POST', '/api/forwarding_addresses', { forwarding_address }),
    remove: (id: string) => request<unknown>('DELETE', `/api/forwarding_addresses/${encodeURIComponent(id)}`),
  };
}

function CreateForm(props: { inboxes: Inbox[]; onCreated: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const forwarding = forwardingApi(api);
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [source, setSource] = createSignal('');
  const [description, setDescription] = createSignal('');
  const [message, failed, save] = useSaver();
  return (
    <form
      data-testid="forwarding-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save(async () => {
          await forwarding.create({
            inbox_id: inbox() || null,
            source_email_address: source().trim() || null,
            description: description().trim() || null,
          });
          setSource('');
          setDescription('');
          props.onCreated();
        }, 'Forwarding address created.');
      }}
    >
      <div class="field">
        <label for="fwd-inbox">Mail forwarded to it goes to</label>
        <select id="fwd-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)}>
          <For each={props.inboxes}>
            {(i) => (
              <option value={i.id}>
                {i.name}
                {i.is_primary ? ' (primary)' : ''}
              </option>
            )}
          </For>
        </select>
      </div>
      <div class="field">
        <label for="fwd-source">Your support address (optional, for your records)</label>
        <input
          id="fwd-source"
          type="email"
          value={source()}
          onInput={(e) => setSource(e.currentTarget.value)}
          placeholder="support@example.com"
        />
      </div>
      <div class="field">
        <label for="fwd-description">Description (optional)</label>
        <input id="fwd-description" value={description()} onInput={(e) => setDescription(e.currentTarget.value)} maxLength={500} />
      </div>
      <Status message={message()} error={failed()} testId="forwarding-status" />
      <button class="btn primary" type="submit">
        Create forwarding address
      </button>
    </form>
  );
}

export function EmailForwardingSection(): JSX.Element {
  const [session, { api }] = useSession();
  const forwarding = forwardingApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => forwarding.list()));
  const [inboxes] = createResource(() => load(() => api.listInboxes()));
  const [message, failed, save] = useSaver();
  const inboxList = (): Inbox[] => {
    const i = inboxes();
    return i?.ok ? i.value : [];
  };
  const inboxName = (id: string | null): string => inboxList().find((i) => i.id === id)?.name ?? 'the primary inbox';
  const latest = (): ForwardingAddress[] | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };
  return (
    <Section title="Email forwarding" data={data} what="Forwarding addresses" onRetry={() => void refetch()}>
      {(first: ForwardingAddress[]) => (
        <>
          <p class="small">
            Forward your support mailbox to one of these addresses: each email opens a conversation (or continues one when it is a reply),
            and agents answer from the console.
          </p>
          <ul class="rows" data-testid="forwarding-list">
            <For
              each={latest() ?? first}
              fallback={
                <li class="muted small" data-testid="forwarding-empty">
                  No forwarding addresses yet.
                </li>
              }
            >
              {(f) => (
                <li>
                  <code data-testid="forwarding-address">{f.forwarding_email_address}</code> → <em>{inboxName(f.inbox_id)}</em>
                  <Show when={f.source_email_address}>{(s) => <span class="small muted"> (for {s()})</span>}</Show>
                  <Show when={f.description}>{(d) => <span class="small muted"> — {d()}</span>}</Show>{' '}
                  <button
                    class="btn ghost small"
                    type="button"
                    onClick={() => void navigator.clipboard?.writeText(f.forwarding_email_address)}
                  >
                    Copy
                  </button>
                  <Show when={isAdmin()}>
                    <button
                      class="btn ghost small danger"
                      type="button"
                      onClick={() => {
                        if (confirm(`Delete ${f.forwarding_email_address}? Mail forwarded to it will no longer reach Netia.`)) {
                          void save(async () => {
                            await forwarding.remove(f.id);
                            void refetch();
                          }, 'Forwarding address deleted.');
                        }
                      }}
                    >
                      Delete
                    </button>
                  </Show>
                </li>
              )}
            </For>
          </ul>
          <Status message={message()} error={failed()} testId="forwarding-list-status" />
          <Show when={isAdmin()} fallback={<p class="small muted">Only admins can create forwarding addresses.</p>}>
            <Show when={inboxes()} fallback={<p class="small muted">Loading inboxes…</p>}>
              <CreateForm inboxes={inboxList()} onCreated={() => void refetch()} />
            </Show>
          </Show>
        </>
      )}
    </Section>
  );
}
