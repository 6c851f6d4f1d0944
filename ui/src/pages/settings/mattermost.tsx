/**
 * Settings → Mattermost (issue #19, point 5): connect a Mattermost server (server URL, a
 * bot's access token, the channel conversations get a thread in, and the token of the
 * outgoing webhook; the server checks the bot token and the channel and never shows a token
 * again), see the server, channel and the webhook URL to paste into Mattermost, disconnect.
 * Loading, not-connected, refused, error (with retry) states; only admins act. Loaded lazily.
 */
import { Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load, useSaver } from '../../components/settings-kit';
import type { ApiClient } from '../../lib/api';
import { mattermostIntegrationSchema, type MattermostIntegration } from '../../lib/wire';
import { useSession } from '../../stores/session';

type Requester = Pick<ApiClient, 'parsedData' | 'request'>;

/** The Mattermost routes of gateway/routes/mattermost.ts. */
export function mattermostApi(client: Requester) {
  const { parsedData, request } = client;
  return {
    status: () => parsedData(mattermostIntegrationSchema.nullable(), 'GET', '/api/mattermost/authorization'),
    connect: (authorization: { server_url: string; bot_token: string; channel_id: string; webhook_token: string }) =>
      parsedData(mattermostIntegrationSchema, 'POST', '/api/mattermost/authorization', { authorization }),
    disconnect: (id: string) => request<unknown>('DELETE', `/api/mattermost/authorizations/${encodeURIComponent(id)}`),
  };
}

function Field(props: {
  id: string;
  label: string;
  value: string;
  onInput: (v: string) => void;
  type?: string;
  placeholder?: string;
  hint?: string;
}): JSX.Element {
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <input
        id={props.id}
        type={props.type ?? 'text'}
        value={props.value}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        placeholder={props.placeholder}
        autocomplete="off"
        required
        aria-describedby={props.hint ? `${props.id}-hint` : undefined}
      />
      <Show when={props.hint}>
        <p class="small muted" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
    </div>
  );
}

function ConnectForm(props: { onConnected: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const mattermost = mattermostApi(api);
  const [serverUrl, setServerUrl] = createSignal('');
  const [botToken, setBotToken] = createSignal('');
  const [channelId, setChannelId] = createSignal('');
  const [webhookToken, setWebhookToken] = createSignal('');
  const [message, failed, save] = useSaver();
  const [isBusy, setBusy] = createSignal(false);
  return (
    <form
      data-testid="mattermost-connect-form"
      onSubmit={(e) => {
        e.preventDefault();
        setBusy(true);
        void save(async () => {
          await mattermost.connect({
            server_url: serverUrl().trim(),
            bot_token: botToken().trim(),
            channel_id: channelId().trim(),
            webhook_token: webhookToken().trim(),
          });
          setBotToken('');
          setWebhookToken('');
          props.onConnected();
        }, 'Mattermost connected.').then(() => setBusy(false));
      }}
    >
      <Field
        id="mm-server"
        label="Server URL"
        value={serverUrl()}
        onInput={setServerUrl}
        type="url"
        placeholder="https://chat.example.com"
      />
      <Field
        id="mm-bot-token"
        label="Bot access token"
        value={botToken()}
        onInput={setBotToken}
        type="password"
        hint="Integrations → Bot Accounts → the bot’s access token. The bot must be a member of the channel."
      />
      <Field
        id="mm-channel"
        label="Channel ID"
        value={channelId()}
        onInput={setChannelId}
        placeholder="26 letters and digits"
        hint="In Mattermost: the channel’s name → View Info."
      />
      <Field
        id="mm-webhook-token"
        label="Outgoing webhook token"
        value={webhookToken()}
        onInput={setWebhookToken}
        type="password"
        hint="Integrations → Outgoing Webhooks: a webhook for this channel, whose token Mattermost shows once it is saved."
      />
      <Status message={message()} error={failed()} testId="mattermost-connect-status" />
      <button class="btn primary" type="submit" disabled={isBusy()}>
        Connect Mattermost
      </button>
    </form>
  );
}

function Connected(props: { auth: MattermostIntegration; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const mattermost = mattermostApi(api);
  const [message, failed, save] = useSaver();
  return (
    <>
      <p data-testid="mattermost-connected">
        New conversations open a thread in <strong>~{props.auth.channel_name ?? props.auth.channel_id}</strong> on{' '}
        <code>{props.auth.server_url}</code> (posted by <strong>@{props.auth.bot_username ?? props.auth.bot_user_id}</strong>). Every
        message of the conversation goes into its thread; replies in the thread are sent to the customer as the agent with the same email.
        Start a reply with <code>;;</code> for a private note.
      </p>
      <Show
        when={props.auth.webhook_url}
        fallback={<p class="form-error">PUBLIC_URL is not set on the server: Mattermost has no address to send replies to.</p>}
      >
        <p class="small" style={{ 'overflow-wrap': 'anywhere' }}>
          The outgoing webhook of this channel must post to <code data-testid="mattermost-webhook-url">{props.auth.webhook_url}</code>.
        </p>
      </Show>
      <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can change the Mattermost integration.</p>}>
        <button
          class="btn ghost small danger"
          type="button"
          onClick={() => {
            if (confirm('Disconnect Mattermost? New messages stop going to its threads; existing conversations stay.')) {
              void save(async () => {
                await mattermost.disconnect(props.auth.id);
                props.onChanged();
              }, 'Mattermost disconnected.');
            }
          }}
        >
          Disconnect
        </button>
      </Show>
      <Status message={message()} error={failed()} testId="mattermost-status" />
    </>
  );
}

export function MattermostSection(): JSX.Element {
  const [session, { api }] = useSession();
  const mattermost = mattermostApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => mattermost.status()));
  const latest = (): MattermostIntegration | null | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };
  return (
    <Section title="Mattermost" data={data} what="Mattermost" onRetry={() => void refetch()}>
      {(first: MattermostIntegration | null) => (
        <Show
          when={latest() === undefined ? first : latest()}
          fallback={
            <>
              <p class="muted" data-testid="mattermost-not-connected">
                No Mattermost server is connected.
              </p>
              <Show when={isAdmin()} fallback={<p class="small muted">Only admins can connect Mattermost.</p>}>
                <ConnectForm onConnected={() => void refetch()} />
              </Show>
            </>
          }
        >
          {(auth) => <Connected auth={auth()} isAdmin={isAdmin()} onChanged={() => void refetch()} />}
        </Show>
      )}
    </Section>
  );
}

export default MattermostSection;
