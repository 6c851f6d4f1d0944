/**
 * Settings → Audit log (issue #18 item 5; loaded on demand): the account's admin and
 * destructive actions, newest first — who, what, on which target, when (in the agent's time
 * zone) and from which IP — with filters (person, action, date range), each event's changes
 * (before → after, secrets already redacted by the server) behind a "Show changes" button, and
 * "Load older events". Loading, empty, error and no-permission states; only admins may read
 * the log (the API answers 403 otherwise).
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { Section, Status, load } from '../../components/settings-kit';
import { ApiError, describeError } from '../../lib/api';
import { auditApi, describeActor, diffChanges, showValue, type AuditEvent, type AuditFilters } from '../../lib/api-audit';
import { useSession } from '../../stores/session';

// In the agent's (the browser's) time zone, named (`dateStyle` cannot be combined with `timeZoneName`).
const WHEN = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZoneName: 'short',
});

function Changes(props: { event: AuditEvent }): JSX.Element {
  const changes = () => diffChanges(props.event.before, props.event.after);
  const hasBefore = () => props.event.before !== null;
  return (
    <Show when={changes().length > 0} fallback={<p class="small muted">No recorded changes.</p>}>
      <table class="people-table audit-diff" data-testid="audit-diff">
        <caption class="visually-hidden">Changes of {props.event.action}</caption>
        <thead>
          <tr>
            <th scope="col">Field</th>
            <Show when={hasBefore()}>
              <th scope="col">Before</th>
            </Show>
            <th scope="col">{hasBefore() ? 'After' : 'Value'}</th>
          </tr>
        </thead>
        <tbody>
          <For each={changes()}>
            {(c) => (
              <tr data-testid="audit-change" data-field={c.path}>
                <th scope="row">
                  <code>{c.path}</code>
                </th>
                <Show when={hasBefore()}>
                  <td style={{ 'word-break': 'break-word' }}>
                    <del>{showValue(c.before)}</del>
                  </td>
                </Show>
                <td style={{ 'word-break': 'break-word' }}>
                  <ins>{showValue(c.after)}</ins>
                </td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
    </Show>
  );
}

function EventRow(props: { event: AuditEvent }): JSX.Element {
  const [open, setOpen] = createSignal(false);
  const diffId = `audit-diff-${props.event.id}`;
  return (
    <>
      <tr data-testid="audit-row" data-action={props.event.action}>
        <td>{describeActor(props.event.actor)}</td>
        <td>
          <code>{props.event.action}</code>
        </td>
        <td>
          {props.event.target_type}
          <Show when={props.event.target_id}>{(id) => <span class="small muted"> {id()}</span>}</Show>
        </td>
        <td>
          <time dateTime={props.event.occurred_at}>{WHEN.format(new Date(props.event.occurred_at))}</time>
        </td>
        <td>{props.event.ip ?? '—'}</td>
        <td>
          <button class="btn ghost small" type="button" aria-expanded={open()} aria-controls={diffId} onClick={() => setOpen(!open())}>
            {open() ? 'Hide changes' : 'Show changes'}
            <span class="visually-hidden">{` of ${props.event.action}`}</span>
          </button>
        </td>
      </tr>
      <Show when={open()}>
        <tr id={diffId}>
          <td colSpan={6}>
            <Changes event={props.event} />
          </td>
        </tr>
      </Show>
    </>
  );
}

export function AuditLogSection(): JSX.Element {
  const [session, { api }] = useSession();
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const audit = auditApi(api);
  const [users] = createResource(isAdmin, () => load(() => api.listUsers()));
  const [filters, setFilters] = createSignal<AuditFilters>({});
  const [extra, setExtra] = createSignal<AuditEvent[]>([]);
  const [next, setNext] = createSignal<string | null>(null);
  const [moreError, setMoreError] = createSignal<string | null>(null);
  const [loadingMore, setLoadingMore] = createSignal(false);
  const [forbidden, setForbidden] = createSignal(false);
  const [page, { refetch }] = createResource(
    () => (isAdmin() ? filters() : undefined),
    async (f) => {
      const result = await load(async () => {
        try {
          return await audit.page(f);
        } catch (err) {
          if (err instanceof ApiError && err.status === 403) setForbidden(true);
          throw err;
        }
      });
      setExtra([]);
      setMoreError(null);
      setNext(result.ok ? result.value.next : null);
      return result.ok ? { ok: true as const, value: result.value.data } : result;
    },
  );
  const rows = (): AuditEvent[] => {
    const p = page();
    return p?.ok ? [...p.value, ...extra()] : [];
  };
  const loadMore = async (): Promise<void> => {
    const after = next();
    if (!after) return;
    setLoadingMore(true);
    try {
      const more = await audit.page(filters(), after);
      setExtra([...extra(), ...more.data]);
      setNext(more.next);
      setMoreError(null);
    } catch (err) {
      setMoreError(describeError(err));
    } finally {
      setLoadingMore(false);
    }
  };
  const filtered = (): boolean => Object.values(filters()).some((v) => v !== null && v !== undefined && v !== '');
  const update = (patch: Partial<AuditFilters>): void => {
    setFilters({ ...filters(), ...patch });
  };

  return (
    <Show
      when={session.me && isAdmin() && !forbidden()}
      fallback={
        <section class="settings-section" aria-labelledby="audit-title">
          <h1 id="audit-title">Audit log</h1>
          <Show
            when={session.me}
            fallback={
              <div class="state" role="status">
                <span class="spinner" aria-hidden="true" /> Loading…
              </div>
            }
          >
            <p class="state" role="status" data-testid="audit-no-permission">
              Only admins can see the audit log.
            </p>
          </Show>
        </section>
      }
    >
      <Section title="Audit log" data={page} what="The audit log" onRetry={() => void refetch()}>
        {() => (
          <>
            <p class="small muted">
              Every admin and destructive action of your account: settings, roles, deletions, API keys, webhooks and integrations. Times are
              in your time zone; secrets are never recorded.
            </p>
            <form class="people-filters" aria-label="Filter the audit log" onSubmit={(e) => e.preventDefault()}>
              <div class="field">
                <label for="audit-actor">Person</label>
                <select
                  id="audit-actor"
                  value={String(filters().actorId ?? '')}
                  onChange={(e) => update({ actorId: e.currentTarget.value ? Number(e.currentTarget.value) : null })}
                >
                  <option value="">Everyone</option>
                  <For
                    each={(() => {
                      const u = users();
                      return u?.ok ? u.value : [];
                    })()}
                  >
                    {(u) => <option value={String(u.id)}>{u.email}</option>}
                  </For>
                </select>
              </div>
              <div class="field">
                <label for="audit-action">Action</label>
                <input
                  id="audit-action"
                  type="search"
                  placeholder="e.g. user.role.update"
                  value={filters().action ?? ''}
                  onChange={(e) => update({ action: e.currentTarget.value || null })}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') update({ action: e.currentTarget.value || null });
                  }}
                />
              </div>
              <div class="field">
                <label for="audit-from">From</label>
                <input
                  id="audit-from"
                  type="date"
                  value={filters().fromDay ?? ''}
                  onChange={(e) => update({ fromDay: e.currentTarget.value || null })}
                />
              </div>
              <div class="field">
                <label for="audit-to">To</label>
                <input
                  id="audit-to"
                  type="date"
                  value={filters().toDay ?? ''}
                  onChange={(e) => update({ toDay: e.currentTarget.value || null })}
                />
              </div>
              <Show when={filtered()}>
                <button class="btn ghost small" type="button" onClick={() => setFilters({})}>
                  Clear filters
                </button>
              </Show>
            </form>
            <Show when={page.loading}>
              <div class="state small" role="status">
                <span class="spinner" aria-hidden="true" /> Loading…
              </div>
            </Show>
            <Show
              when={rows().length > 0}
              fallback={
                <p class="state" role="status" data-testid="audit-empty">
                  {filtered() ? 'No events match these filters.' : 'No audited actions yet.'}
                </p>
              }
            >
              <div class="table-wrap">
                <table class="people-table" data-testid="audit-table">
                  <caption class="visually-hidden">Audit log, newest first</caption>
                  <thead>
                    <tr>
                      <th scope="col">Who</th>
                      <th scope="col">What</th>
                      <th scope="col">Target</th>
                      <th scope="col">When</th>
                      <th scope="col">IP</th>
                      <th scope="col">
                        <span class="visually-hidden">Changes</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>{(event) => <EventRow event={event} />}</For>
                  </tbody>
                </table>
              </div>
            </Show>
            <Show when={next()}>
              <button class="btn small" type="button" onClick={() => void loadMore()} disabled={loadingMore()}>
                {loadingMore() ? 'Loading…' : 'Load older events'}
              </button>
            </Show>
            <Status message={moreError()} error />
          </>
        )}
      </Section>
    </Show>
  );
}

export default AuditLogSection;
