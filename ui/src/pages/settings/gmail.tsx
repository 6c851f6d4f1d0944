/**
 * Settings → Gmail: connect a Gmail mailbox to an inbox (Google's consent page,
 * then back here with `?code&state`, which this screen hands to the server),
 * see each mailbox's inbox and sync status, sync now, disconnect. Loading,
 * not-configured, empty, error (with retry) states; admins only act.
 */
import { For, Show, createResource, createSignal, onMount, type JSX } from 'solid-js';
import { Section, Status, finishOAuthReturn, load, useSaver, type Loaded } from '../../components/settings-kit';
import { describeInterval, describeSync, gmailApi, readOAuthReturn, type GmailConnection, type GmailOverview } from '../../lib/gmail';
import { useSession } from '../../stores/session';
import type { Inbox } from '../../types';
import { createInboxChoice } from './inbox-choice';

function MailboxRow(props: { connection: GmailConnection; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const gmail = gmailApi(api);
  const [message, failed, save] = useSaver();
  const [isBusy, setBusy] = createSignal(false);
  /** `refresh`: reload the list afterwards (this row is then replaced, so only for changes the list shows). */
  const run = async (fn: () => Promise<unknown>, ok: string, refresh: boolean): Promise<void> => {
    setBusy(true);
    const isDone = await save(fn, ok);
    setBusy(false);
    if (isDone && refresh) props.onChanged();
  };
  return (
    <li class="gmail-mailbox" data-testid="gmail-mailbox">
      <div>
        <strong>{props.connection.email}</strong> → inbox <em>{props.connection.inbox_name ?? 'deleted inbox'}</em>
      </div>
      <div class={`small ${props.connection.status === 'error' ? 'form-error' : 'muted'}`} data-testid="gmail-sync-status">
        {describeSync(props.connection)}
      </div>
      <Show when={props.isAdmin}>
        <div class="form-actions">
          <button
            class="btn small"
            type="button"
            disabled={isBusy()}
            onClick={() =>
              void run(() => gmail.syncNow(props.connection.id), 'Sync started: new mail appears in the inbox in a moment.', false)
            }
          >
            Sync now
          </button>
          <button
            class="btn ghost small danger"
            type="button"
            disabled={isBusy()}
            onClick={() => {
              if (confirm(`Disconnect ${props.connection.email}? New mail stops arriving; existing conversations stay.`)) {
                void run(() => gmail.disconnect(props.connection.id), 'Disconnected.', true);
              }
            }}
          >
            Disconnect
          </button>
        </div>
      </Show>
      <Status message={message()} error={failed()} />
    </li>
  );
}

function ConnectForm(props: { inboxes: Inbox[] }): JSX.Element {
  const [, { api }] = useSession();
  const gmail = gmailApi(api);
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [message, failed, save] = useSaver();
  const [isLeaving, setLeaving] = createSignal(false);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    setLeaving(true);
    const ok = await save(async () => window.location.assign(await gmail.authorizeUrl(inbox())), 'Opening Google…');
    if (!ok) setLeaving(false);
  };
  return (
    <form class="inline-form" onSubmit={(e) => void submit(e)}>
      <label for="gmail-inbox">Deliver mail into</label>
      <select id="gmail-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)} required>
        <For each={props.inboxes}>
          {(i) => (
            <option value={i.id}>
              {i.name}
              {i.is_primary ? ' (primary)' : ''}
            </option>
          )}
        </For>
      </select>
      <button class="btn primary small" type="submit" disabled={isLeaving() || !inbox()}>
        Connect Gmail
      </button>
      <Status message={message()} error={failed()} testId="gmail-connect-status" />
    </form>
  );
}

function Overview(props: {
  overview: GmailOverview;
  inboxes: Loaded<Inbox[]> | undefined;
  isAdmin: boolean;
  message: string | null;
  failed: boolean;
  onChanged: () => void;
}): JSX.Element {
  const inboxList = (): Inbox[] | null => (props.inboxes?.ok ? props.inboxes.value : null);
  return (
    <>
      <p class="small muted">
        Mail that arrives in a connected Gmail mailbox becomes a conversation in its inbox (one per email thread), and your replies are sent
        from that mailbox in the same thread. Mail is fetched {describeInterval(props.overview.sync_interval_seconds)}.
      </p>
      <Status message={props.message} error={props.failed} testId="gmail-status" />
      <Show
        when={props.overview.configured}
        fallback={
          <p class="state unavailable" data-testid="gmail-not-configured">
            Gmail is not configured on this server. An administrator sets <code>GOOGLE_CLIENT_ID</code> and{' '}
            <code>GOOGLE_CLIENT_SECRET</code> (a Google Cloud OAuth client whose redirect URI is <code>{props.overview.redirect_uri}</code>
            ); see the README.
          </p>
        }
      >
        <ul class="plain-list">
          <For
            each={props.overview.data}
            fallback={
              <li class="muted small" data-testid="gmail-empty">
                No mailbox connected yet.
              </li>
            }
          >
            {(c) => <MailboxRow connection={c} isAdmin={props.isAdmin} onChanged={props.onChanged} />}
          </For>
        </ul>
        <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can connect or disconnect mailboxes.</p>}>
          <Show when={props.inboxes} fallback={<p class="small muted">Loading inboxes…</p>}>
            <Show when={inboxList()} fallback={<p class="form-error">Could not load your inboxes.</p>}>
              {(list) => <ConnectForm inboxes={list()} />}
            </Show>
          </Show>
        </Show>
      </Show>
    </>
  );
}

export function GmailSection(): JSX.Element {
  const [session, { api }] = useSession();
  const gmail = gmailApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => gmail.overview()));
  const [inboxes] = createResource(() => load(() => api.listInboxes()));
  const [message, failed, save] = useSaver();

  // Back from Google: finish the connection once, then drop code/state from the address bar.
  onMount(() =>
    finishOAuthReturn(
      readOAuthReturn(window.location.search),
      save,
      (code, state) => gmail.finish(code, state),
      refetch,
      'Gmail connected: new mail will appear as conversations within a minute.',
    ),
  );

  // Section renders its children once with the first value: read the latest through this accessor, so a refetch shows.
  const latest = (): GmailOverview | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };

  return (
    <Section title="Gmail" data={data} what="Gmail" onRetry={() => void refetch()}>
      {(first: GmailOverview) => (
        <Overview
          overview={latest() ?? first}
          inboxes={inboxes()}
          isAdmin={isAdmin()}
          message={message()}
          failed={failed()}
          onChanged={() => void refetch()}
        />
      )}
    </Section>
  );
}
