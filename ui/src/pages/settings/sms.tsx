/**
 * Settings → SMS (Twilio): connect a Twilio number (account SID, auth token,
 * number, inbox; the server checks the credentials with Twilio and never shows
 * the token again), see the number and the webhook URLs to paste into the
 * Twilio console, disconnect. Loading, not-connected, refused-credentials,
 * error (with retry) states; only admins act.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import type { ApiClient } from '../../lib/api';
import { twilioAuthResultSchema, twilioIntegrationSchema, type TwilioIntegration as TwilioAuthorization } from '../../lib/wire';
import { useSession } from '../../stores/session';
import type { Inbox } from '../../types';
import { createInboxChoice } from './inbox-choice';

type Requester = Pick<ApiClient, 'parsedData' | 'request'>;

/** The Twilio routes of gateway/routes/twilio.ts. */
export function twilioApi(client: Requester) {
  const { parsedData, request } = client;
  return {
    status: () => parsedData(twilioIntegrationSchema.nullable(), 'GET', '/api/twilio/authorization'),
    connect: async (authorization: {
      twilio_account_sid: string;
      twilio_auth_token: string;
      from_phone_number: string;
      inbox_id: string | null;
    }) => parsedData(twilioAuthResultSchema, 'POST', '/api/twilio/auth', { authorization }),
    disconnect: (id: string) => request<unknown>('DELETE', `/api/twilio/authorizations/${encodeURIComponent(id)}`),
  };
}

function ConnectForm(props: { inboxes: Inbox[]; onConnected: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const twilio = twilioApi(api);
  const [sid, setSid] = createSignal('');
  const [token, setToken] = createSignal('');
  const [phone, setPhone] = createSignal('');
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [message, failed, save] = useSaver();
  const [isBusy, setBusy] = createSignal(false);
  return (
    <form
      data-testid="sms-connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void save(async () => {
          const result = await twilio.connect({
            twilio_account_sid: sid().trim(),
            twilio_auth_token: token().trim(),
            from_phone_number: phone().trim(),
            inbox_id: inbox() || null,
          });
          if (!result.ok) throw new Error(result.error ?? 'Twilio refused these details.');
          setToken('');
          props.onConnected();
        }, 'Twilio connected.').then(() => setBusy(false));
      }}
    >
      <div class="field">
        <label for="twilio-sid">Account SID</label>
        <input id="twilio-sid" value={sid()} onInput={(e) => setSid(e.currentTarget.value)} placeholder="AC…" autocomplete="off" required />
      </div>
      <div class="field">
        <label for="twilio-token">Auth token</label>
        <input
          id="twilio-token"
          type="password"
          value={token()}
          onInput={(e) => setToken(e.currentTarget.value)}
          autocomplete="off"
          required
        />
      </div>
      <div class="field">
        <label for="twilio-phone">Twilio phone number</label>
        <input
          id="twilio-phone"
          type="tel"
          value={phone()}
          onInput={(e) => setPhone(e.currentTarget.value)}
          placeholder="+15551234567"
          required
        />
      </div>
      <div class="field">
        <label for="twilio-inbox">New SMS conversations go to</label>
        <select id="twilio-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)}>
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
      <Status message={message()} error={failed()} testId="sms-connect-status" />
      <button class="btn primary" type="submit" disabled={isBusy()}>
        Connect
      </button>
    </form>
  );
}

function Connected(props: { auth: TwilioAuthorization; inboxes: Inbox[]; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const twilio = twilioApi(api);
  const [message, failed, save] = useSaver();
  const inboxName = (): string => props.inboxes.find((i) => i.id === props.auth.inbox_id)?.name ?? 'the primary inbox';
  return (
    <>
      <p data-testid="sms-connected">
        Texts to <strong>{props.auth.from_phone_number}</strong> (Twilio account <code>{props.auth.twilio_account_sid}</code>) open
        conversations in <em>{inboxName()}</em>; agents’ replies in those conversations are sent back as SMS. Private notes are never
        texted.
      </p>
      <Show
        when={props.auth.webhook_url}
        fallback={
          <p class="form-error">PUBLIC_URL is not set on the server: Twilio’s requests cannot be verified, so inbound SMS are refused.</p>
        }
      >
        <p class="small">
          In the Twilio console, set this number’s “A message comes in” webhook (HTTP POST) to{' '}
          <code data-testid="sms-webhook-url">{props.auth.webhook_url}</code>. Delivery statuses arrive at{' '}
          <code>{props.auth.status_callback_url}</code>.
        </p>
      </Show>
      <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can change the SMS integration.</p>}>
        <button
          class="btn ghost small danger"
          type="button"
          onClick={() => {
            if (confirm(`Disconnect ${props.auth.from_phone_number}? Texts to it stop reaching Netia; existing conversations stay.`)) {
              void save(async () => {
                await twilio.disconnect(props.auth.id);
                props.onChanged();
              }, 'Twilio disconnected.');
            }
          }}
        >
          Disconnect
        </button>
      </Show>
      <Status message={message()} error={failed()} testId="sms-status" />
    </>
  );
}

export function SmsSection(): JSX.Element {
  const [session, { api }] = useSession();
  const twilio = twilioApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => twilio.status()));
  const [inboxes] = createResource(() => load(() => api.listInboxes()));
  const latest = (): TwilioAuthorization | null | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };
  const inboxList = (): Inbox[] => {
    const i = inboxes();
    return i?.ok ? i.value : [];
  };
  return (
    <Section title="SMS (Twilio)" data={data} what="SMS" onRetry={() => void refetch()}>
      {(first: TwilioAuthorization | null) => (
        <Show
          when={latest() === undefined ? first : latest()}
          fallback={
            <>
              <p class="muted" data-testid="sms-not-connected">
                No Twilio number is connected.
              </p>
              <Show when={isAdmin()} fallback={<p class="small muted">Only admins can connect Twilio.</p>}>
                <Show when={inboxes()} fallback={<p class="small muted">Loading inboxes…</p>}>
                  <ConnectForm inboxes={inboxList()} onConnected={() => void refetch()} />
                </Show>
              </Show>
            </>
          }
        >
          {(auth) => <Connected auth={auth()} inboxes={inboxList()} isAdmin={isAdmin()} onChanged={() => void refetch()} />}
        </Show>
      )}
    </Section>
  );
}
