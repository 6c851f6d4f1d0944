/**
 * The SLA block of Reporting (issue #21; docs/sla.md): attainment (met / (met + missed)) of the
 * SLA clocks completed in the page's date range (`GET /api/reporting/sla`), in total and per
 * metric, policy, agent (the assignee when the clock completed) and inbox, as tables with their
 * own loading, empty, error and "not available" states.
 */
import { For, Match, Switch, createResource, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { METRIC_LABELS, attainmentText, slaApi, type SlaReport } from '../lib/api-sla';
import { useSession } from '../stores/session';

const TABLE = { width: '100%', 'border-collapse': 'collapse', 'margin-bottom': '16px' } as const;

type Bucket = Pick<SlaReport, 'completed' | 'met' | 'breached' | 'attainment'>;

function BucketTable(props: {
  caption: string;
  head: string;
  rows: Array<{ key: string; label: string; bucket: Bucket }>;
  testId: string;
}): JSX.Element {
  return (
    <table class="report-table sla-report-table" style={TABLE} data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{props.head}</th>
          <th scope="col">Met</th>
          <th scope="col">Missed</th>
          <th scope="col">Attainment</th>
        </tr>
      </thead>
      <tbody>
        <For each={props.rows}>
          {(r) => (
            <tr data-row={r.key}>
              <th scope="row">{r.label}</th>
              <td>{r.bucket.met}</td>
              <td>{r.bucket.breached}</td>
              <td>{attainmentText(r.bucket.attainment)}</td>
            </tr>
          )}
        </For>
      </tbody>
    </table>
  );
}

export function SlaReportPanel(props: { from: Date; to: Date }): JSX.Element {
  const [, { api }] = useSession();
  const sla = slaApi(api);
  const [report, { refetch }] = createResource(
    () => ({ from: props.from.toISOString(), to: props.to.toISOString() }),
    (r) =>
      sla.report(r.from, r.to).then(
        (data) => ({ data, unavailable: false, error: null as string | null }),
        (err: unknown) => ({ data: null, unavailable: err instanceof ApiError && err.isMissingRoute, error: describeError(err) }),
      ),
  );
  return (
    <section aria-labelledby="sla-report-title" data-testid="sla-report">
      <h2 id="sla-report-title">SLA attainment</h2>
      <Switch>
        <Match when={report.loading}>
          <div class="state small" role="status">
            <span class="spinner" aria-hidden="true" /> Loading SLA attainment…
          </div>
        </Match>
        <Match when={report()?.unavailable}>
          <div class="state small unavailable">SLA reporting is not available on this server yet.</div>
        </Match>
        <Match when={report()?.error}>
          <div class="state small error" role="alert" data-testid="sla-report-error">
            Could not load SLA attainment: {report()!.error}{' '}
            <button class="btn small" type="button" onClick={() => void refetch()}>
              Try again
            </button>
          </div>
        </Match>
        <Match when={report()?.data?.completed === 0}>
          <div class="state small" data-testid="sla-report-empty">
            No SLA target was met or missed in this period. Targets come from the policies in Settings → SLA.
          </div>
        </Match>
        <Match when={report()?.data}>
          {(data) => (
            <>
              <div class="kpis" style={{ 'margin-bottom': '16px' }}>
                <div class="kpi">
                  <span class="kpi-value" data-testid="sla-attainment">
                    {attainmentText(data().attainment)}
                  </span>
                  <span class="small muted">Targets met</span>
                </div>
                <div class="kpi">
                  <span class="kpi-value" data-testid="sla-met">
                    {data().met}
                  </span>
                  <span class="small muted">Met</span>
                </div>
                <div class="kpi">
                  <span class="kpi-value" data-testid="sla-breached">
                    {data().breached}
                  </span>
                  <span class="small muted">Missed</span>
                </div>
              </div>
              <BucketTable
                caption="SLA attainment per target"
                head="Target"
                testId="sla-report-metrics"
                rows={data().per_metric.map((b) => ({ key: b.metric, label: METRIC_LABELS[b.metric], bucket: b }))}
              />
              <BucketTable
                caption="SLA attainment per policy"
                head="Policy"
                testId="sla-report-policies"
                rows={data().per_policy.map((b) => ({ key: b.policy_id ?? b.policy_name, label: b.policy_name, bucket: b }))}
              />
              <BucketTable
                caption="SLA attainment per agent"
                head="Agent"
                testId="sla-report-agents"
                rows={data().per_agent.map((b) => ({
                  key: String(b.agent?.id ?? 'none'),
                  label: b.agent ? (b.agent.display_name ?? b.agent.email) : 'Unassigned',
                  bucket: b,
                }))}
              />
              <BucketTable
                caption="SLA attainment per inbox"
                head="Inbox"
                testId="sla-report-inboxes"
                rows={data().per_inbox.map((b) => ({ key: b.inbox_id ?? 'none', label: b.inbox_name ?? 'No inbox', bucket: b }))}
              />
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
