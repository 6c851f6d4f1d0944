/**
 * `/companies` (loaded on demand): the account's companies by name, with a
 * search and a create form; `/companies/:id`: one company — edit its details,
 * delete it (after a confirmation; its customers stay, without a company), and
 * its customers with their latest conversation (page-numbered, from the
 * customer directory filtered by company).
 */
import { A } from '@solidjs/router';
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { conversationHref, fieldError, peopleApi, type Company, type CompanyEdit } from '../lib/api-people';
import { formatListTime } from '../lib/time';
import { useSession } from '../stores/session';
import {
  DeleteZone,
  FieldError,
  FormStatus,
  ListOrRecord,
  Loader,
  MoreButton,
  Pager,
  RecordPage,
  load,
  useFormOutcome,
  usePagedList,
  useRecordChanges,
} from './customers-kit';

const FIELDS = [
  { key: 'name', label: 'Name', type: 'text' },
  { key: 'website_url', label: 'Website', type: 'url' },
  { key: 'industry', label: 'Industry', type: 'text' },
  { key: 'external_id', label: 'External id', type: 'text' },
  { key: 'description', label: 'Description', type: 'textarea' },
] as const;
type FieldKey = (typeof FIELDS)[number]['key'];

function valuesOf(c: Company | undefined): Record<FieldKey, string> {
  return {
    name: c?.name ?? '',
    website_url: c?.website_url ?? '',
    industry: c?.industry ?? '',
    external_id: c?.external_id ?? '',
    description: c?.description ?? '',
  };
}

/** Create (no `company`) or edit form; field errors inline. */
function CompanyForm(props: { company?: Company; prefix: string; submitLabel: string; onSaved: (c: Company) => void }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [values, setValues] = createSignal(valuesOf(props.company));
  const { errors, status, reset, saved, failed } = useFormOutcome();
  const [saving, setSaving] = createSignal(false);
  const submit = async (e: SubmitEvent): Promise<void> => {
    e.preventDefault();
    const v = values();
    const input: CompanyEdit = {
      name: v.name.trim(),
      website_url: v.website_url.trim() || null,
      industry: v.industry.trim() || null,
      external_id: v.external_id.trim() || null,
      description: v.description.trim() || null,
    };
    setSaving(true);
    reset();
    try {
      const company = props.company ? await people.updateCompany(props.company.id, input) : await people.createCompany(input);
      saved(props.company ? 'Saved.' : `Created ${company.name}.`);
      if (!props.company) setValues(valuesOf(undefined));
      props.onSaved(company);
    } catch (err) {
      failed(err);
    } finally {
      setSaving(false);
    }
  };
  const id = (k: FieldKey): string => `${props.prefix}-${k}`;
  return (
    <form class="company-form" onSubmit={(e) => void submit(e)} novalidate>
      <For each={FIELDS}>
        {(f) => (
          <div class="field">
            <label for={id(f.key)}>
              {f.label}
              {f.key === 'name' ? ' (required)' : ''}
            </label>
            <Show
              when={f.type === 'textarea'}
              fallback={
                <input
                  id={id(f.key)}
                  type={f.type}
                  value={values()[f.key]}
                  aria-invalid={fieldError(errors(), f.key) ? 'true' : undefined}
                  aria-describedby={`${id(f.key)}-error`}
                  onInput={(e) => setValues({ ...values(), [f.key]: e.currentTarget.value })}
                />
              }
            >
              <textarea
                id={id(f.key)}
                rows={2}
                value={values()[f.key]}
                aria-invalid={fieldError(errors(), f.key) ? 'true' : undefined}
                aria-describedby={`${id(f.key)}-error`}
                onInput={(e) => setValues({ ...values(), [f.key]: e.currentTarget.value })}
              />
            </Show>
            <FieldError id={`${id(f.key)}-error`} message={fieldError(errors(), f.key)} />
          </div>
        )}
      </For>
      <div class="form-actions">
        <button class="btn primary small" type="submit" disabled={saving()}>
          {saving() ? 'Saving…' : props.submitLabel}
        </button>
        <FormStatus status={status()} testId={`${props.prefix}-status`} />
      </div>
    </form>
  );
}

function CompanyList(): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [name, setName] = createSignal('');
  const { list, refetch, more } = usePagedList(name, (n, after) => people.companyPage(n, after));
  useRecordChanges('company', null, refetch);
  return (
    <section class="people" aria-labelledby="companies-title">
      <header class="people-head">
        <h1 id="companies-title">Companies</h1>
      </header>
      <div class="people-columns">
        <div>
          <div class="field" role="search">
            <label for="company-search">Search by name</label>
            <input id="company-search" type="search" value={name()} onInput={(e) => setName(e.currentTarget.value)} />
          </div>
          <Loader
            data={list}
            loading="companies"
            what="companies"
            retry={refetch}
            empty={(items) => items.length === 0}
            whenEmpty={
              <p class="state" role="status" data-testid="companies-empty">
                {name().trim() ? 'No company has that name.' : 'No companies yet. Create one to group the customers who work there.'}
              </p>
            }
          >
            {(items) => (
              <ul class="rows" data-testid="companies-list" aria-label="Companies">
                <For each={items()}>
                  {(c) => (
                    <li data-company-id={c.id}>
                      <A href={`/companies/${encodeURIComponent(c.id)}`}>{c.name}</A>
                      <span class="small muted">{[c.industry, c.website_url].filter(Boolean).join(' · ')}</span>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Loader>
          <MoreButton more={more} what="companies" />
        </div>
        <section aria-labelledby="new-company-title">
          <h2 id="new-company-title">New company</h2>
          <CompanyForm prefix="new-company" submitLabel="Create company" onSaved={refetch} />
        </section>
      </div>
    </section>
  );
}

/** A customer's conversations, loaded when asked for (a disclosure under its row). */
function CustomerConversations(props: { customerId: string; name: string }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [open, setOpen] = createSignal(false);
  const [list, { refetch }] = createResource(
    () => (open() ? props.customerId : undefined),
    (id) => load(() => people.customerConversations(id)),
  );
  const panelId = `conversations-of-${props.customerId}`;
  return (
    <div class="disclosure">
      <button type="button" class="link-btn small" aria-expanded={open()} aria-controls={panelId} onClick={() => setOpen(!open())}>
        {open() ? 'Hide conversations' : 'All conversations'}
        <span class="visually-hidden"> of {props.name}</span>
      </button>
      <Show when={open()}>
        <div id={panelId}>
          <Loader data={list} loading="conversations" what="conversations" retry={() => void refetch()} eager>
            {(page) => (
              <ul class="plain-list" data-testid={`conversations-${props.customerId}`}>
                <For each={page().data} fallback={<li class="small muted">None.</li>}>
                  {(conv) => (
                    <li>
                      <A href={conversationHref(conv)}>{conv.subject ?? `Conversation by ${conv.source}`}</A>{' '}
                      <span class="tag">{conv.status}</span> <span class="small muted">{formatListTime(conv.last_activity_at)}</span>
                    </li>
                  )}
                </For>
              </ul>
            )}
          </Loader>
        </div>
      </Show>
    </div>
  );
}

function CompanyCustomers(props: { companyId: string }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [page, setPage] = createSignal(1);
  const [list, { refetch }] = createResource(
    () => ({ company_id: props.companyId, page: page() }),
    (q) => load(() => people.listCustomers(q)),
  );
  useRecordChanges(
    'company',
    () => props.companyId,
    () => void refetch(),
  );
  return (
    <section aria-labelledby="company-customers-title">
      <h2 id="company-customers-title">Customers</h2>
      <Loader
        data={list}
        loading="its customers"
        what="its customers"
        retry={() => void refetch()}
        empty={(p) => p.data.length === 0}
        whenEmpty={
          <p class="small muted" data-testid="company-customers-empty">
            No customers in this company. Set the company from a customer's page.
          </p>
        }
      >
        {(p) => (
          <>
            <ul class="rows" data-testid="company-customers">
              <For each={p().data}>
                {(c) => (
                  <li data-customer-id={c.id}>
                    <A href={`/customers/${encodeURIComponent(c.id)}`}>{c.title}</A>
                    <span class="small muted">{c.email ?? ''}</span>
                    <Show when={c.conversations[0]}>
                      {(conv) => (
                        <A
                          href={conversationHref(conv())}
                          class="small"
                          aria-label={`Latest conversation with ${c.title} (${conv().status})`}
                        >
                          Latest conversation: {conv().status}, {formatListTime(conv().last_activity_at)}
                        </A>
                      )}
                    </Show>
                    <Show when={c.conversations.length > 0}>
                      <CustomerConversations customerId={c.id} name={c.title} />
                    </Show>
                  </li>
                )}
              </For>
            </ul>
            <Pager
              label="Company customers"
              page={p().page_number}
              totalPages={p().total_pages}
              total={p().total_entries}
              onPage={setPage}
            />
          </>
        )}
      </Loader>
    </section>
  );
}

function CompanyPage(props: { id: string }): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [company, { refetch, mutate }] = createResource(
    () => props.id,
    (id) => load(() => people.getCompany(id)),
  );
  useRecordChanges(
    'company',
    () => props.id,
    () => void refetch(),
  );
  return (
    <RecordPage kind="company" plural="companies" data={company} retry={() => void refetch()}>
      {(c) => (
        <>
          <h1 id="company-title">{c().name}</h1>
          <div class="people-columns">
            <section aria-labelledby="company-edit-title">
              <h2 id="company-edit-title">Details</h2>
              <Show when={c().id} keyed>
                <CompanyForm
                  company={c()}
                  prefix="company"
                  submitLabel="Save company"
                  onSaved={(saved) => mutate({ ok: true, value: saved })}
                />
              </Show>
              <DeleteZone kind="company" back="/companies" remove={() => people.deleteCompany(c().id)}>
                Delete {c().name}? Its customers stay, without a company. This cannot be undone.
              </DeleteZone>
            </section>
            <CompanyCustomers companyId={c().id} />
          </div>
        </>
      )}
    </RecordPage>
  );
}

export default function CompaniesPage(): JSX.Element {
  return <ListOrRecord list={() => <CompanyList />} record={(id) => <CompanyPage id={id} />} />;
}
