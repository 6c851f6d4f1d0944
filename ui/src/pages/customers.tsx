/**
 * `/customers` (loaded on demand): the customer directory — search (name,
 * email, `key:value` metadata terms), filters by company, tag and last seen,
 * pages (keyset: Next follows the API's `next` cursor; a page reached by
 * number alone is asked for by number), and a CSV export of the same
 * filters (the API's `format=csv`). The filters live in the URL, so going back from a customer
 * finds the same page. `/customers/:id` is the customer page
 * (customers-detail.tsx).
 */
import { A, useSearchParams } from '@solidjs/router';
import { For, Show, createResource, createSignal, onCleanup, type JSX } from 'solid-js';
import { describeError } from '../lib/api';
import { LAST_SEEN_CHOICES, conversationHref, peopleApi, type DirectoryQuery } from '../lib/api-people';
import { formatListTime } from '../lib/time';
import { useSession } from '../stores/session';
import { CustomerDetailPage } from './customers-detail';
import { ListOrRecord, Loader, Pager, load, useRecordChanges } from './customers-kit';

function Directory(): JSX.Element {
  const [, { api }] = useSession();
  const people = peopleApi(api);
  const [params, setParams] = useSearchParams<{
    q?: string;
    company?: string;
    tag?: string;
    seen?: string;
    page?: string;
    after?: string;
  }>();
  const query = (): DirectoryQuery => ({
    q: params.q ?? '',
    company_id: params.company ?? '',
    tag_id: params.tag ?? '',
    last_seen: params.seen ?? '',
    page: Math.max(1, Number(params.page) || 1),
    after: params.after ?? '',
  });
  // Keyset pages: the cursor that loaded each page number seen (a page without one is asked for by number).
  const cursors = new Map<number, string>();
  const goTo = (n: number, next: string | null): void => {
    const current = query().page ?? 1;
    if (n === current + 1 && next) cursors.set(n, next);
    setParams({ page: n > 1 ? String(n) : undefined, after: n > 1 ? cursors.get(n) : undefined });
  };
  const [page, { refetch }] = createResource(query, (q) => load(() => people.listCustomers(q)));
  useRecordChanges('customer', null, () => void refetch());
  const [companies] = createResource(() => people.listCompanies().catch(() => []));
  const [tags] = createResource(() => people.listTags().catch(() => []));
  const companyName = (id: string | null): string => (id ? (companies()?.find((c) => c.id === id)?.name ?? '') : '');

  // The search box updates the URL a moment after typing stops.
  const [search, setSearch] = createSignal(params.q ?? '');
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onSearch = (value: string): void => {
    setSearch(value);
    clearTimeout(timer);
    timer = setTimeout(() => setParams({ q: value || undefined, page: undefined, after: undefined }), 300);
  };
  onCleanup(() => clearTimeout(timer));
  const filter = (key: 'company' | 'tag' | 'seen', value: string): void =>
    setParams({ [key]: value || undefined, page: undefined, after: undefined });
  const filtered = (): boolean => Boolean(query().q || query().company_id || query().tag_id || query().last_seen);

  const [exporting, setExporting] = createSignal(false);
  const [exportError, setExportError] = createSignal<string | null>(null);
  const exportCsv = async (): Promise<void> => {
    setExporting(true);
    setExportError(null);
    try {
      const csv = await people.exportCustomers(query());
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'customers.csv';
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (err) {
      setExportError(describeError(err));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section class="people" aria-labelledby="customers-title">
      <header class="people-head">
        <h1 id="customers-title">Customers</h1>
        <button type="button" class="btn small" onClick={() => void exportCsv()} disabled={exporting()} data-testid="export-csv">
          {exporting() ? 'Exporting…' : 'Export CSV'}
        </button>
      </header>
      <Show when={exportError()}>
        <p class="form-error" role="alert">
          Could not export: {exportError()}
        </p>
      </Show>
      <form class="people-filters" role="search" aria-label="Filter customers" onSubmit={(e) => e.preventDefault()}>
        <div class="field">
          <label for="customer-search">Search</label>
          <input
            id="customer-search"
            type="search"
            placeholder="Name, email or key:value"
            value={search()}
            onInput={(e) => onSearch(e.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for="customer-company">Company</label>
          <select id="customer-company" value={params.company ?? ''} onChange={(e) => filter('company', e.currentTarget.value)}>
            <option value="">Any company</option>
            <For each={companies() ?? []}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="customer-tag">Tag</label>
          <select id="customer-tag" value={params.tag ?? ''} onChange={(e) => filter('tag', e.currentTarget.value)}>
            <option value="">Any tag</option>
            <For each={tags() ?? []}>{(t) => <option value={t.id}>{t.name}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for="customer-seen">Last seen</label>
          <select id="customer-seen" value={params.seen ?? ''} onChange={(e) => filter('seen', e.currentTarget.value)}>
            <For each={LAST_SEEN_CHOICES}>{(c) => <option value={c.value}>{c.label}</option>}</For>
          </select>
        </div>
      </form>
      <Loader
        data={page}
        loading="customers"
        what="customers"
        retry={() => void refetch()}
        empty={(p) => p.data.length === 0}
        whenEmpty={
          <p class="state" role="status" data-testid="customers-empty">
            {filtered()
              ? 'No customer matches these filters.'
              : 'No customers yet. Visitors who chat through the widget, email or text you appear here.'}
          </p>
        }
      >
        {(p) => (
          <>
            <div class="table-wrap" aria-busy={page.loading}>
              <table class="people-table" data-testid="customers-table">
                <caption class="visually-hidden">
                  Customers, most recently seen first (page {p().page_number} of {p().total_pages})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Email</th>
                    <th scope="col" class="wide-only">
                      Company
                    </th>
                    <th scope="col">Last seen</th>
                    <th scope="col" class="wide-only">
                      Latest conversation
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <For each={p().data}>
                    {(c) => (
                      <tr data-customer-id={c.id}>
                        <th scope="row">
                          <A href={`/customers/${encodeURIComponent(c.id)}`}>{c.title}</A>
                        </th>
                        <td class="ellipsis">{c.email ?? '—'}</td>
                        <td class="wide-only">{companyName(c.company_id) || '—'}</td>
                        <td>
                          <time datetime={c.last_seen_at}>{formatListTime(c.last_seen_at)}</time>
                        </td>
                        <td class="wide-only">
                          <Show when={c.conversations[0]} fallback="—">
                            {(conv) => (
                              <A href={conversationHref(conv())} aria-label={`Latest conversation with ${c.title} (${conv().status})`}>
                                {conv().status}
                              </A>
                            )}
                          </Show>
                        </td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
            <Pager
              label="Customers"
              page={p().page_number}
              totalPages={p().total_pages}
              total={p().total_entries}
              onPage={(n) => goTo(n, p().next)}
            />
            <Show when={p().total_pages <= 1}>
              <p class="small muted" data-testid="customers-count">
                {p().total_entries} {p().total_entries === 1 ? 'customer' : 'customers'}
              </p>
            </Show>
          </>
        )}
      </Loader>
    </section>
  );
}

export default function CustomersPage(): JSX.Element {
  return <ListOrRecord list={() => <Directory />} record={(id) => <CustomerDetailPage id={id} />} />;
}
