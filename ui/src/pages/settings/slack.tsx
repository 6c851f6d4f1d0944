/**
 * Settings → Slack: install the Slack app in the account's workspace (Slack's
 * consent page, then back here with `?code&state`, which this screen hands to
 * `GET /api/slack/oauth`), see the workspace and its channel mappings (a
 * `reply` channel gets a thread per new conversation; in a `support` channel a
 * customer's message opens a conversation), add or remove mappings, disconnect.
 * Loading, not-configured, not-connected, empty, error (with retry) states;
 * only admins act.
 */
import { z } from 'zod';
import { For, Show, createResource, createSignal, onMount, type JSX } from 'solid-js';
import { Section, Status, finishOAuthReturn, load, useSaver } from '../../components/settings-kit';
import { readOAuthCallback } from '../../lib/oauth';
import type { ApiClient } from '../../lib/api';
import {
  authorizeUrlSchema,
  okSchema,
  slackAuthorizationResponseSchema,
  slackWorkspaceChannelSchema,
  type SlackIntegration as SlackAuthorization,
} from '../../lib/wire';
import { useSession } from '../../stores/session';
import type { Inbox } from '../../types';
import { createInboxChoice } from './inbox-choice';

type SlackStatus = z.infer<typeof slackAuthorizationResponseSchema>;
type WorkspaceChannel = z.infer<typeof slackWorkspaceChannelSchema>;

type Requester = Pick<ApiClient, 'parsed' | 'parsedData' | 'request'>;

/** The Slack routes of gateway/routes/slack.ts. */
export function slackApi(client: Requester) {
  const { parsed, parsedData, request } = client;
  return {
    status: () => parsed(slackAuthorizationResponseSchema, 'GET', '/api/slack/authorization'),
    authorizeUrl: async (inboxId: string, redirectUrl: string) =>
      (
        await parsedData(authorizeUrlSchema, 'GET', '/api/slack/authorize', undefined, {
          ...(inboxId ? { inbox_id: inboxId } : {}),
          redirect_url: redirectUrl,
        })
      ).url,
    finish: (code: string, state: string, redirectUrl: string) =>
      parsedData(okSchema, 'GET', '/api/slack/oauth', undefined, { code, state, redirect_url: redirectUrl }),
    channels: () => parsedData(z.array(slackWorkspaceChannelSchema), 'GET', '/api/slack/channels'),
    map: (mapping: { inbox_id: string; channel_id: string; channel_name: string | null; kind: 'reply' | 'support' }) =>
      request<unknown>('POST', '/api/slack/channel_mappings', { mapping }),
    unmap: (id: string) => request<unknown>('DELETE', `/api/slack/channel_mappings/${encodeURIComponent(id)}`),
    disconnect: (id: string) => request<unknown>('DELETE', `/api/slack/authorizations/${encodeURIComponent(id)}`),
  };
}

/** Where Slack sends the admin back: this screen. */
const redirectUrl = (): string => `${window.location.origin}/settings/slack`;

const KIND_LABEL = {
  reply: 'Reply channel: a thread per new conversation',
  support: 'Support channel: customer messages open conversations',
} as const;

function MappingForm(props: { inboxes: Inbox[]; onAdded: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const slack = slackApi(api);
  const [channels] = createResource(() => load(() => slack.channels()));
  const [channel, setChannel] = createSignal('');
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [kind, setKind] = createSignal<'reply' | 'support'>('reply');
  const [message, failed, save] = useSaver();
  const list = (): WorkspaceChannel[] => {
    const c = channels();
    return c?.ok ? c.value : [];
  };
  return (
    <form
      class="inline-form"
      data-testid="slack-mapping-form"
      onSubmit={(e) => {
        e.preventDefault();
        const picked = list().find((c) => c.id === channel());
        void save(async () => {
          await slack.map({ inbox_id: inbox(), channel_id: channel(), channel_name: picked?.name ?? null, kind: kind() });
          props.onAdded();
        }, 'Channel mapped.');
      }}
    >
      <label for="slack-channel">Channel</label>
      <Show when={!channels.loading} fallback={<span class="small muted">Loading channels…</span>}>
        <Show when={channels()?.ok} fallback={<span class="form-error">Could not list the workspace’s channels.</span>}>
          <select id="slack-channel" value={channel()} onChange={(e) => setChannel(e.currentTarget.value)} required>
            <option value="">Choose…</option>
            <For each={list()}>
              {(c) => (
                <option value={c.id}>
                  #{c.name}
                  {c.is_member ? '' : ' (invite the bot first)'}
                </option>
              )}
            </For>
          </select>
        </Show>
      </Show>
      <label for="slack-inbox">Inbox</label>
      <select id="slack-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)} required>
        <For each={props.inboxes}>
          {(i) => (
            <option value={i.id}>
              {i.name}
              {i.is_primary ? ' (primary)' : ''}
            </option>
          )}
        </For>
      </select>
      <label for="slack-kind">Use</label>
      <select id="slack-kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as 'reply' | 'support')}>
        <option value="reply">Reply channel</option>
        <option value="support">Support channel</option>
      </select>
      <button class="btn small" type="submit" disabled={!channel() || !inbox()}>
        Add mapping
      </button>
      <Status message={message()} error={failed()} testId="slack-mapping-status" />
    </form>
  );
}

function Connected(props: { auth: SlackAuthorization; inboxes: Inbox[]; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const slack = slackApi(api);
  const [message, failed, save] = useSaver();
  const inboxName = (id: string): string => props.inboxes.find((i) => i.id === id)?.name ?? 'deleted inbox';
  return (
    <>
      <p data-testid="slack-connected">
        Connected to the Slack workspace <strong>{props.auth.team_name ?? props.auth.team_id}</strong>.
      </p>
      <h2 class="small">Channels</h2>
      <ul class="plain-list">
        <For
          each={props.auth.channels}
          fallback={
            <li class="muted small" data-testid="slack-no-channels">
              No channel mapped yet: conversations are not posted to Slack.
            </li>
          }
        >
          {(m) => (
            <li data-testid="slack-mapping">
              <strong>#{m.channel_name ?? m.channel_id}</strong> → inbox <em>{inboxName(m.inbox_id)}</em> —{' '}
              <span class="small muted">{KIND_LABEL[m.kind]}</span>
              <Show when={props.isAdmin}>
                {' '}
                <button
                  class="btn ghost small"
                  type="button"
                  onClick={() =>
                    void save(async () => {
                      await slack.unmap(m.id);
                      props.onChanged();
                    }, 'Mapping removed.')
                  }
                >
                  Remove
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.isAdmin} fallback={<p class="small muted">Only admins can change the Slack integration.</p>}>
        <MappingForm inboxes={props.inboxes} onAdded={props.onChanged} />
        <p class="small muted">
          Agents answer by replying in a conversation’s thread; start a reply with <code>;;</code> to write a private note. Agents are
          matched to their Slack account by email.
        </p>
        <button
          class="btn ghost small danger"
          type="button"
          onClick={() => {
            if (confirm('Disconnect Slack? Conversations stop being posted to Slack; replies in Slack threads are no longer imported.')) {
              void save(async () => {
                await slack.disconnect(props.auth.id);
                props.onChanged();
              }, 'Slack disconnected.');
            }
          }}
        >
          Disconnect Slack
        </button>
      </Show>
      <Status message={message()} error={failed()} testId="slack-status" />
    </>
  );
}

function ConnectButton(props: { inboxes: Inbox[] }): JSX.Element {
  const [, { api }] = useSession();
  const slack = slackApi(api);
  const [inbox, setInbox] = createInboxChoice(() => props.inboxes);
  const [isLeaving, setLeaving] = createSignal(false);
  const [message, failed, save] = useSaver();
  return (
    <form
      class="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        setLeaving(true);
        void save(async () => window.location.assign(await slack.authorizeUrl(inbox(), redirectUrl())), 'Opening Slack…').then((ok) => {
          if (!ok) setLeaving(false);
        });
      }}
    >
      <label for="slack-connect-inbox">Post new conversations of</label>
      <select id="slack-connect-inbox" value={inbox()} onChange={(e) => setInbox(e.currentTarget.value)}>
        <For each={props.inboxes}>
          {(i) => (
            <option value={i.id}>
              {i.name}
              {i.is_primary ? ' (primary)' : ''}
            </option>
          )}
        </For>
      </select>
      <button class="btn primary small" type="submit" disabled={isLeaving()} data-testid="slack-connect">
        Add to Slack
      </button>
      <Status message={message()} error={failed()} testId="slack-connect-status" />
    </form>
  );
}

export function SlackSection(): JSX.Element {
  const [session, { api }] = useSession();
  const slack = slackApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => slack.status()));
  const [inboxes] = createResource(() => load(() => api.listInboxes()));
  const [message, failed, save] = useSaver();

  // Back from Slack: finish once, then drop code/state from the address bar.
  onMount(() =>
    finishOAuthReturn(
      readOAuthCallback(window.location.search, (error) =>
        error === 'access_denied' ? 'The app was not allowed on Slack’s page.' : `Slack answered: ${error}.`,
      ),
      save,
      (code, state) => slack.finish(code, state, redirectUrl()),
      refetch,
      'Slack connected.',
    ),
  );

  const latest = (): SlackStatus | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };
  const inboxList = (): Inbox[] => {
    const i = inboxes();
    return i?.ok ? i.value : [];
  };

  return (
    <Section title="Slack" data={data} what="Slack" onRetry={() => void refetch()}>
      {(first: SlackStatus) => (
        <>
          <p class="small muted">
            New conversations are posted to a Slack channel as threads, customer messages follow in the thread, and agents reply from Slack.
          </p>
          <Status message={message()} error={failed()} testId="slack-return-status" />
          <Show
            when={(latest() ?? first).data}
            fallback={
              <Show
                when={(latest() ?? first).configured}
                fallback={
                  <p class="state unavailable" data-testid="slack-not-configured">
                    Slack is not configured on this server. An administrator sets <code>SLACK_CLIENT_ID</code>,{' '}
                    <code>SLACK_CLIENT_SECRET</code> and <code>SLACK_SIGNING_SECRET</code> from a Slack app; see the README.
                  </p>
                }
              >
                <p class="muted" data-testid="slack-not-connected">
                  Slack is not connected.
                </p>
                <Show when={isAdmin()} fallback={<p class="small muted">Only admins can connect Slack.</p>}>
                  <Show when={inboxes()} fallback={<p class="small muted">Loading inboxes…</p>}>
                    <ConnectButton inboxes={inboxList()} />
                  </Show>
                </Show>
              </Show>
            }
          >
            {(auth) => <Connected auth={auth()} inboxes={inboxList()} isAdmin={isAdmin()} onChanged={() => void refetch()} />}
          </Show>
        </>
      )}
    </Section>
  );
}
