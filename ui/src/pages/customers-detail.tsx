/**
 * `/customers/:id`: one customer — profile (name, email, phone, external id;
 * editable, field errors inline), what the widget reported (last seen, page,
 * browser, OS, time zone), metadata, company (set / unset), tags (add /
 * remove), issues (link, create linked, unlink), conversations (linking to the
 * inbox) and team notes (add / delete). Everything goes through the REST API
 * (lib/api-people.ts); after a change the customer is loaded again.
 */
import { A, useNavigate } from '@solidjs/router';
import { For, Index, Show, createResource, createSignal, type JSX } from 'solid-js';
import { ISSUE_STATE_LABELS, conversationHref, fieldError, peopleApi, type CustomerDetail, type CustomerEdit } from '../lib/api-people';
import { metadataFromRows, metadataRows, type MetadataRow } from '../lib/customer-metadata';
import { formatFullTime, formatListTime } from '../lib/time';
import { CustomerSessions } from '../components/session-links';
import { useSession } from '../stores/session';
import {
  DeleteZone,
  FieldError,
  FormStatus,
  PickForm,
  RecordPage,
  SectionError,
  UnlinkButton,
  load,
  useAction,
  useFormOutcome,
  useRecordChanges,
  valueOf,
} from './customers-kit';
import { CustomerRatings } from '../components/csat';
import { EmailSuppressionNotice } from '../components/email-suppression';
import { CustomerCrm } from '../components/crm';

/**
 * "Text them" (issue #19): an SMS from the account's Twilio number to the customer's phone,
 * recorded in their SMS conversation, which opens next. Refusals (no Twilio, an opted-out
 * number) show the gateway's message.
 */
function TextThem(props: { customerId: string; phone: string }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const navigate = useNavigate();
  const [body, setBody] = createSignal('');
  const [run, error, busy] = useAction(() => undefined);
  const send = async (): Promise<void> => {
    let conversationId: string | null = null;
    const done = await run(async () => {
      const sent = await people.textCustomer(props.customerId, props.phone, body().trim());
      conversationId = sent.conversation_id ?? null;
    });
    if (done && conversationId) navigate(`/inbox/open/${encodeURIComponent(conversationId)}`);
    else if (done) setBody('');
  };
  return (
    <section aria-labelledby="text-them-title">
      <h2 id="text-them-title">Text them</h2>
      <form
        class="note-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (body().trim()) void send();
        }}
      >
        <label for="text-them" class="visually-hidden">{`Text to ${props.phone}`}</label>
        <textarea
          id="text-them"
          rows={2}
          maxLength={1600}
          placeholder={`Text to ${props.phone}`}
          value={body()}
          onInput={(e) => setBody(e.currentTarget.value)}
        />
        <button type="submit" class="btn small" disabled={!body().trim() || busy()}>
          Send text
        </button>
      </form>
      <SectionError error={error()} testId="text-them-error" />
    </section>
  );
}

/** A metadata value as shown: objects as JSON. */
function text(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function Fact(props: { label: string; value: string | null | undefined }): JSX.Element {
  return (
    <Show when={props.value}>
      <dt>{props.label}</dt>
      <dd>{props.value}</dd>
    </Show>
  );
}

const PROFILE_FIELDS = [
  { key: 'name', label: 'Name', type: 'text', autocomplete: 'name' },
  { key: 'email', label: 'Email', type: 'email', autocomplete: 'email' },
  { key: 'phone', label: 'Phone', type: 'tel', autocomplete: 'tel' },
  { key: 'external_id', label: 'External id', type: 'text', autocomplete: 'off' },
] as const;
type ProfileKey = (typeof PROFILE_FIELDS)[number]['key'];

function ProfileForm(props: { customer: CustomerDetail; onSaved: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const initial = (): Record<ProfileKey, string> => ({
    name: props.customer.name ?? '',
    email: props.customer.email ?? '',
    phone: props.customer.phone ?? '',
    external_id: props.customer.external_id ?? '',
  });
  const [values, setValues] = createSignal(initial());
  const { errors, status, reset, saved, failed } = useFormOutcome();
  const [saving, setSaving] = createSignal(false);
  const changed = (): CustomerEdit => {
    const now = values();
    const was = initial();
    const out: CustomerEdit = {};
    for (const f of PROFILE_FIELDS) if (now[f.key].trim() !== was[f.key]) out[f.key] = now[f.key].trim() || null;
    return out;
  };
  const save = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const edit = changed();
    if (Object.keys(edit).length === 0) return;
    setSaving(true);
    reset();
    try {
      await people.updateCustomer(props.customer.id, edit);
      saved('Saved.');
      props.onSaved();
    } catch (err) {
      failed(err);
    } finally {
      setSaving(false);
    }
  };
  return (
    <form class="profile-form" onSubmit={(e) => void save(e)} aria-labelledby="profile-title" novalidate>
      <h2 id="profile-title">Profile</h2>
      <For each={PROFILE_FIELDS}>
        {(f) => (
          <div class="field">
            <label for={`customer-${f.key}`}>{f.label}</label>
            <input
              id={`customer-${f.key}`}
              type={f.type}
              autocomplete={f.autocomplete}
              value={values()[f.key]}
              aria-invalid={fieldError(errors(), f.key) ? 'true' : undefined}
              aria-describedby={`customer-${f.key}-error`}
              onInput={(e) => setValues({ ...values(), [f.key]: e.currentTarget.value })}
            />
            <FieldError id={`customer-${f.key}-error`} message={fieldError(errors(), f.key)} />
          </div>
        )}
      </For>
      <div class="form-actions">
        <button class="btn primary small" type="submit" disabled={saving() || Object.keys(changed()).length === 0}>
          {saving() ? 'Saving…' : 'Save profile'}
        </button>
        <FormStatus status={status()} testId="profile-status" />
      </div>
    </form>
  );
}

/**
 * The metadata as facts, and an editor behind "Edit metadata": one row per key (name, value, remove),
 * "Add a field", save (the whole object is replaced), refusals at their row.
 */
function MetadataSection(props: { customerId: string; metadata: Record<string, unknown>; onSaved: () => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [editing, setEditing] = createSignal(false);
  const [rows, setRows] = createSignal<MetadataRow[]>([]);
  const [invalid, setInvalid] = createSignal<{ row: number; error: string } | null>(null);
  const [run, error, saving] = useAction(() => {
    setEditing(false);
    props.onSaved();
  });
  const edit = (): void => {
    const current = metadataRows(props.metadata);
    setRows(current.length > 0 ? current : [{ key: '', value: '', json: false }]);
    setInvalid(null);
    setEditing(true);
  };
  const change = (i: number, patch: Partial<MetadataRow>): void => {
    setRows(rows().map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const save = (e: Event): void => {
    e.preventDefault();
    const result = metadataFromRows(rows());
    if (!result.ok) {
      setInvalid({ row: result.row, error: result.error });
      document.getElementById(`metadata-key-${result.row}`)?.focus();
      return;
    }
    setInvalid(null);
    void run(() => people.updateCustomer(props.customerId, { metadata: result.metadata }));
  };
  return (
    <Show
      when={editing()}
      fallback={
        <>
          <Show when={Object.keys(props.metadata).length > 0} fallback={<p class="small muted">None.</p>}>
            <dl class="details" data-testid="customer-metadata">
              <For each={Object.entries(props.metadata)}>{([k, v]) => <Fact label={k} value={text(v)} />}</For>
            </dl>
          </Show>
          <button type="button" class="btn small" onClick={edit}>
            Edit metadata
          </button>
        </>
      }
    >
      <form class="metadata-form" onSubmit={save} aria-label="Edit metadata" data-testid="metadata-form">
        <Index each={rows()}>
          {(row, i) => (
            <div class="metadata-row">
              <label class="visually-hidden" for={`metadata-key-${i}`}>{`Name of field ${i + 1}`}</label>
              <input
                id={`metadata-key-${i}`}
                placeholder="name"
                value={row().key}
                aria-invalid={invalid()?.row === i ? 'true' : undefined}
                aria-describedby={invalid()?.row === i ? 'metadata-invalid' : undefined}
                onInput={(e) => change(i, { key: e.currentTarget.value })}
              />
              <label class="visually-hidden" for={`metadata-value-${i}`}>{`Value of field ${i + 1}${row().json ? ' (JSON)' : ''}`}</label>
              <input
                id={`metadata-value-${i}`}
                placeholder={row().json ? 'JSON value' : 'value'}
                value={row().value}
                onInput={(e) => change(i, { value: e.currentTarget.value })}
              />
              <button
                type="button"
                class="btn ghost small"
                aria-label={`Remove field ${row().key || i + 1}`}
                onClick={() => setRows(rows().filter((_, j) => j !== i))}
              >
                ×
              </button>
            </div>
          )}
        </Index>
        <Show when={invalid()}>
          {(v) => (
            <p class="form-error small" id="metadata-invalid" role="alert">
              {`Field ${v().row + 1}: ${v().error}`}
            </p>
          )}
        </Show>
        <SectionError error={error()} testId="metadata-error" />
        <div class="form-actions">
          <button type="button" class="btn small" onClick={() => setRows([...rows(), { key: '', value: '', json: false }])}>
            Add a field
          </button>
          <button type="submit" class="btn primary small" disabled={saving()}>
            {saving() ? 'Saving…' : 'Save metadata'}
          </button>
          <button type="button" class="btn ghost small" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </div>
      </form>
    </Show>
  );
}

export function CustomerDetailPage(props: { id: string }): JSX.Element {
  const [session, { api }] = useSession();
  const isAdmin = (): boolean => session.me?.role === 'admin';
  const people = peopleApi(api);
  const [detail, { refetch }] = createResource(
    () => props.id,
    (id) => load(() => people.getCustomer(id)),
  );
  const reload = (): void => void refetch();
  useRecordChanges('customer', () => props.id, reload);
  const [companies] = createResource(() => load(() => people.listCompanies()));
  const [tags] = createResource(() => load(() => people.listTags()));
  const [issues, { refetch: refetchIssues }] = createResource(() => load(() => people.listIssues()));

  const [runCompany, companyError, companyBusy] = useAction(reload);
  const [runTag, tagError, tagBusy] = useAction(reload);
  const [runIssue, issueError, issueBusy] = useAction(() => {
    reload();
    void refetchIssues();
  });
  const [runNote, noteError, noteBusy] = useAction(reload);
  const [newIssue, setNewIssue] = createSignal('');
  const [note, setNote] = createSignal('');

  return (
    <RecordPage kind="customer" plural="customers" data={detail} retry={reload}>
      {(c) => (
        <>
          <h1 id="customer-title">{c().title}</h1>
          <p class="small muted">
            Last seen <time datetime={c().last_seen_at}>{formatFullTime(c().last_seen_at)}</time> · first seen {c().first_seen}
          </p>
          <div class="people-columns">
            <div>
              <Show when={c().id} keyed>
                <ProfileForm customer={c()} onSaved={reload} />
              </Show>
              <EmailSuppressionNotice email={c().email} />
              <Show when={c().phone}>{(phone) => <TextThem customerId={c().id} phone={phone()} />}</Show>
              <section aria-labelledby="visit-title">
                <h2 id="visit-title">Last visit</h2>
                <dl class="details" data-testid="customer-visit">
                  <Fact label="Page" value={c().current_url ?? c().pathname} />
                  <Fact label="Browser" value={c().browser} />
                  <Fact label="OS" value={c().os} />
                  <Fact label="Time zone" value={c().time_zone} />
                  <Fact label="Host" value={c().host} />
                  <Fact label="IP" value={c().ip} />
                </dl>
                <Show when={!c().current_url && !c().browser && !c().os && !c().time_zone}>
                  <p class="small muted">The widget has not reported a visit.</p>
                </Show>
              </section>
              <CustomerSessions customerId={c().id} />
              <section aria-labelledby="metadata-title">
                <h2 id="metadata-title">Metadata</h2>
                <Show when={c().id} keyed>
                  <MetadataSection customerId={c().id} metadata={c().metadata} onSaved={reload} />
                </Show>
              </section>
              <Show when={isAdmin()}>
                <DeleteZone kind="customer" back="/customers" remove={() => people.deleteCustomer(c().id)}>
                  {`Delete ${c().title}? Their conversations, notes and tags are deleted too; this cannot be undone.`}
                </DeleteZone>
              </Show>
            </div>
            <div>
              <section aria-labelledby="company-title">
                <h2 id="company-title">Company</h2>
                <Show
                  when={c().company}
                  fallback={
                    <p class="small muted" data-testid="customer-company">
                      No company.
                    </p>
                  }
                >
                  {(co) => (
                    <p data-testid="customer-company">
                      <A href={`/companies/${encodeURIComponent(co().id)}`}>{co().name}</A>{' '}
                      <button
                        type="button"
                        class="btn small"
                        disabled={companyBusy()}
                        onClick={() => void runCompany(() => people.unsetCompany(co().id, c().id))}
                      >
                        Remove from company
                      </button>
                    </p>
                  )}
                </Show>
                <PickForm
                  id="set-company"
                  label="Company to put this customer in"
                  placeholder="Choose a company…"
                  options={(valueOf(companies()) ?? []).filter((co) => co.id !== c().company_id)}
                  optionLabel={(co) => co.name}
                  button="Set company"
                  busy={companyBusy()}
                  onPick={(id) => runCompany(() => people.setCompany(id, c().id))}
                />
                <SectionError error={companyError()} testId="company-error" />
              </section>

              <section aria-labelledby="tags-title">
                <h2 id="tags-title">Tags</h2>
                <ul class="chips" data-testid="customer-tags" aria-label="Tags of this customer">
                  <For each={c().tags} fallback={<li class="small muted">No tags.</li>}>
                    {(t) => (
                      <li class="chip" style={t.color ? { 'border-color': t.color } : undefined}>
                        {t.name}
                        <button
                          type="button"
                          class="chip-remove"
                          aria-label={`Remove tag ${t.name}`}
                          disabled={tagBusy()}
                          onClick={() => void runTag(() => people.untagCustomer(c().id, t.id))}
                        >
                          ×
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
                <PickForm
                  id="add-tag"
                  label="Tag to add"
                  placeholder="Choose a tag…"
                  options={(valueOf(tags()) ?? []).filter((t) => !c().tags.some((x) => x.id === t.id))}
                  optionLabel={(t) => t.name}
                  button="Add tag"
                  busy={tagBusy()}
                  onPick={(id) => runTag(() => people.tagCustomer(c().id, id))}
                />
                <SectionError error={tagError()} testId="tag-error" />
              </section>

              <section aria-labelledby="issues-title">
                <h2 id="issues-title">Issues</h2>
                <ul class="rows" data-testid="customer-issues">
                  <For each={c().issues ?? []} fallback={<li class="small muted">No linked issues.</li>}>
                    {(i) => (
                      <li data-issue-id={i.id}>
                        <A href={`/issues/${encodeURIComponent(i.id)}`}>{i.title}</A>
                        <span class="tag">{ISSUE_STATE_LABELS[i.state]}</span>
                        <UnlinkButton
                          label={`Unlink issue ${i.title}`}
                          busy={issueBusy()}
                          onUnlink={() => void runIssue(() => people.unlinkCustomer(i.id, c().id))}
                        />
                      </li>
                    )}
                  </For>
                </ul>
                <PickForm
                  id="link-issue"
                  label="Issue to link"
                  placeholder="Choose an issue…"
                  options={(valueOf(issues()) ?? []).filter((i) => !(c().issues ?? []).some((x) => x.id === i.id))}
                  optionLabel={(i) => i.title}
                  button="Link issue"
                  busy={issueBusy()}
                  onPick={(id) => runIssue(() => people.linkCustomer(id, c().id))}
                />
                <form
                  class="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const title = newIssue().trim();
                    if (title)
                      void runIssue(() => people.createIssue({ title, customer_id: c().id })).then((done) => done && setNewIssue(''));
                  }}
                >
                  <label for="new-issue" class="visually-hidden">
                    Title of a new issue for this customer
                  </label>
                  <input
                    id="new-issue"
                    type="text"
                    placeholder="New issue title"
                    value={newIssue()}
                    onInput={(e) => setNewIssue(e.currentTarget.value)}
                  />
                  <button type="submit" class="btn small" disabled={!newIssue().trim() || issueBusy()}>
                    Create issue
                  </button>
                </form>
                <SectionError error={issueError()} testId="issue-error" />
              </section>

              <section aria-labelledby="conversations-title">
                <h2 id="conversations-title">Conversations</h2>
                <ul class="rows" data-testid="customer-conversations">
                  <For each={c().conversations ?? []} fallback={<li class="small muted">No conversations.</li>}>
                    {(conv) => (
                      <li>
                        <A href={conversationHref(conv)}>{conv.subject ?? `Conversation by ${conv.source}`}</A>
                        <span class="tag">{conv.status}</span>
                        <span class="small muted">{formatListTime(conv.last_activity_at)}</span>
                      </li>
                    )}
                  </For>
                </ul>
              </section>

              <CustomerRatings customerId={c().id} />
              <CustomerCrm customerId={c().id} />

              <section aria-labelledby="notes-title">
                <h2 id="notes-title">Team notes</h2>
                <ul class="notes" data-testid="customer-notes">
                  <For each={c().notes ?? []} fallback={<li class="small muted">No notes yet.</li>}>
                    {(n) => (
                      <li data-note-id={n.id}>
                        <p>{n.body}</p>
                        <span class="small muted">
                          {n.author?.display_name ?? n.author?.email ?? ''} {formatListTime(n.created_at)}
                        </span>{' '}
                        <button
                          type="button"
                          class="link-btn small"
                          aria-label={`Delete note “${n.body.slice(0, 40)}”`}
                          disabled={noteBusy()}
                          onClick={() => void runNote(() => people.deleteNote(n.id))}
                        >
                          Delete
                        </button>
                      </li>
                    )}
                  </For>
                </ul>
                <form
                  class="note-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const body = note().trim();
                    if (body) void runNote(() => people.addNote(c().id, body)).then((done) => done && setNote(''));
                  }}
                >
                  <label for="new-note" class="visually-hidden">
                    Add a note about this customer
                  </label>
                  <textarea
                    id="new-note"
                    rows={2}
                    placeholder="Add a note about this customer"
                    value={note()}
                    onInput={(e) => setNote(e.currentTarget.value)}
                  />
                  <button type="submit" class="btn small" disabled={!note().trim() || noteBusy()}>
                    Add note
                  </button>
                </form>
                <SectionError error={noteError()} testId="note-error" />
              </section>
            </div>
          </div>
        </>
      )}
    </RecordPage>
  );
}
