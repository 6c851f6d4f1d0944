/**
 * Settings → CRM: connect HubSpot and Intercom (the vendor's consent page, then back here with
 * `?code&state`, which this screen hands to the server), see each connection with its last
 * sync error, disconnect. Loading, not-configured, error (with retry) and non-admin states.
 * Loaded lazily by pages/settings.tsx.
 */
import { For, Show, createResource, createSignal, onMount, type JSX } from 'solid-js';
import { Section, Status, finishOAuthReturn, load, useSaver } from '../../components/settings-kit';
import { CRM_NAMES, crmApi, readCrmReturn, type CrmConnection, type CrmOverview, type CrmProviderName } from '../../lib/crm';
import { useSession } from '../../stores/session';

const PROVIDERS: readonly CrmProviderName[] = ['hubspot', 'intercom'];

const WHAT: Record<CrmProviderName, string> = {
  hubspot: 'Customers with an email become HubSpot contacts; closed conversations are logged as notes on them.',
  intercom: 'Customers with an email become Intercom users; closed conversations are logged as notes on them.',
};

function VendorRow(props: { provider: CrmProviderName; overview: CrmOverview; isAdmin: boolean; onChanged: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const crm = crmApi(api);
  const [message, failed, save] = useSaver();
  const [isBusy, setBusy] = createSignal(false);
  const name = CRM_NAMES[props.provider];
  const connection = (): CrmConnection | undefined => props.overview.data.find((c) => c.provider === props.provider);
  const connect = async (): Promise<void> => {
    setBusy(true);
    const ok = await save(async () => window.location.assign(await crm.authorizeUrl(props.provider)), `Opening ${name}…`);
    if (!ok) setBusy(false);
  };
  const disconnect = async (id: string): Promise<void> => {
    if (!confirm(`Disconnect ${name}? Contacts and notes already in ${name} stay there.`)) return;
    setBusy(true);
    const ok = await save(() => crm.disconnect(id), 'Disconnected.');
    setBusy(false);
    if (ok) props.onChanged();
  };
  return (
    <li class="crm-vendor" data-testid={`crm-${props.provider}`}>
      <h2 id={`crm-${props.provider}-title`}>{name}</h2>
      <p class="small muted">{WHAT[props.provider]}</p>
      <Show
        when={connection()}
        fallback={
          <Show
            when={props.overview.configured[props.provider]}
            fallback={
              <p class="state unavailable small" data-testid={`crm-${props.provider}-not-configured`}>
                {name} is not configured on this server. An administrator sets <code>{props.provider.toUpperCase()}_CLIENT_ID</code> and{' '}
                <code>{props.provider.toUpperCase()}_CLIENT_SECRET</code> (an app whose redirect URL is{' '}
                <code>{props.overview.redirect_uri}</code>
                ); see docs/integrations/{props.provider}.md.
              </p>
            }
          >
            <Show when={props.isAdmin} fallback={<p class="small muted">Not connected. Only admins can connect {name}.</p>}>
              <button class="btn primary small" type="button" disabled={isBusy()} onClick={() => void connect()}>
                Connect {name}
              </button>
            </Show>
          </Show>
        }
      >
        {(c) => (
          <>
            <p data-testid={`crm-${props.provider}-connected`}>
              Connected to <strong>{c().name ?? c().external_account}</strong>
              <Show when={c().connected_as}>{(who) => <span class="muted"> as {who()}</span>}</Show>
            </p>
            <Show when={c().last_error}>
              {(error) => (
                <p class="form-error small" role="alert" data-testid={`crm-${props.provider}-error`}>
                  {error()}
                </p>
              )}
            </Show>
            <Show when={props.isAdmin}>
              <div class="form-actions">
                <Show when={props.overview.configured[props.provider]}>
                  <button class="btn ghost small" type="button" disabled={isBusy()} onClick={() => void connect()}>
                    Reconnect
                  </button>
                </Show>
                <button class="btn ghost small danger" type="button" disabled={isBusy()} onClick={() => void disconnect(c().id)}>
                  Disconnect {name}
                </button>
              </div>
            </Show>
          </>
        )}
      </Show>
      <Status message={message()} error={failed()} testId={`crm-${props.provider}-status`} />
    </li>
  );
}

export default function CrmSection(): JSX.Element {
  const [session, { api }] = useSession();
  const crm = crmApi(api);
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const [data, { refetch }] = createResource(() => load(() => crm.overview()));
  const [message, failed, save] = useSaver();

  // Back from the vendor: finish once, then drop code/state from the address bar.
  onMount(() =>
    finishOAuthReturn(
      readCrmReturn(window.location.search),
      save,
      (code, state) => crm.finish(code, state),
      refetch,
      'Connected: customers are synced from now on.',
    ),
  );

  const latest = (): CrmOverview | undefined => {
    const d = data();
    return d?.ok ? d.value : undefined;
  };

  return (
    <Section title="CRM" data={data} what="CRM connections" onRetry={() => void refetch()}>
      {(first: CrmOverview) => (
        <>
          <Status message={message()} error={failed()} testId="crm-status" />
          <ul class="plain-list">
            <For each={PROVIDERS}>
              {(p) => <VendorRow provider={p} overview={latest() ?? first} isAdmin={isAdmin()} onChanged={() => void refetch()} />}
            </For>
          </ul>
        </>
      )}
    </Section>
  );
}
