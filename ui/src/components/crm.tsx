/**
 * The customer page's CRM block: the customer's HubSpot / Intercom contact with its fields as of
 * the last sync and a link to it (GET /api/customers/:id/crm). Loading, error and empty states.
 */
import { For, Match, Show, Switch, createResource, type JSX } from 'solid-js';
import { z } from 'zod';
import { crmContactSchema } from '../../../gateway/protocol/wire/index.js';
import { CRM_NAMES } from '../lib/crm';
import { formatFullTime } from '../lib/time';
import { useSession } from '../stores/session';

export function CustomerCrm(props: { customerId: string }): JSX.Element {
  const [, { api }] = useSession();
  const [contacts, { refetch }] = createResource(
    () => props.customerId,
    (id) => api.parsedData(z.array(crmContactSchema), 'GET', `/api/customers/${encodeURIComponent(id)}/crm`),
  );
  return (
    <section aria-labelledby="crm-title" data-testid="customer-crm">
      <h2 id="crm-title">CRM</h2>
      <Switch>
        <Match when={contacts.loading && !contacts.latest}>
          <p class="small muted" role="status">
            Loading…
          </p>
        </Match>
        <Match when={contacts.error as unknown}>
          <p class="form-error small" role="alert">
            Could not load CRM contacts.{' '}
            <button class="btn ghost small" type="button" onClick={() => void refetch()}>
              Try again
            </button>
          </p>
        </Match>
        <Match when={contacts.latest}>
          {(list) => (
            <For each={list()} fallback={<p class="small muted">Not in a connected CRM (customers with an email are synced).</p>}>
              {(c) => (
                <div class="crm-contact" data-testid={`crm-contact-${c.provider}`}>
                  <p>
                    <Show when={c.url} fallback={<strong>{CRM_NAMES[c.provider]}</strong>}>
                      {(url) => (
                        <a href={url()} target="_blank" rel="noopener noreferrer">
                          Open in {CRM_NAMES[c.provider]}
                        </a>
                      )}
                    </Show>{' '}
                    <span class="small muted">
                      synced <time datetime={c.synced_at}>{formatFullTime(c.synced_at)}</time>
                    </span>
                  </p>
                  <dl class="details">
                    <For each={Object.entries(c.fields).filter(([, v]) => v !== null && v !== '')}>
                      {([label, value]) => (
                        <>
                          <dt>{label}</dt>
                          <dd>{value}</dd>
                        </>
                      )}
                    </For>
                  </dl>
                </div>
              )}
            </For>
          )}
        </Match>
      </Switch>
    </section>
  );
}
