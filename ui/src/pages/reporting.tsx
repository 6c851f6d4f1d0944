/** Reporting (netia-api.md §9.1), shown only when the server has `GET /api/reporting`. */
import { For, Match, Switch, createResource, type JSX } from 'solid-js';
import { ApiError, describeError } from '../lib/api';
import { useSession } from '../stores/session';

export default function ReportingPage(): JSX.Element {
  const [, { api }] = useSession();
  const to = new Date();
  const from = new Date(to.getTime() - 30 * 24 * 3600_000);
  const [report] = createResource(() =>
    api.reporting(from.toISOString(), to.toISOString()).then(
      (data) => ({ data, unavailable: false, error: null as string | null }),
      (err: unknown) => ({ data: null, unavailable: err instanceof ApiError && err.isMissingRoute, error: describeError(err) }),
    ),
  );
  const number = (key: string): string => {
    const v = report()?.data?.[key];
    return typeof v === 'number' ? (Number.isInteger(v) ? String(v) : v.toFixed(1)) : '—';
  };
  return (
    <section class="settings-section reporting" aria-labelledby="reporting-title">
      <h1 id="reporting-title">Reporting · last 30 days</h1>
      <Switch>
        <Match when={report.loading}>
          <div class="state" role="status"><span class="spinner" aria-hidden="true" /> Loading…</div>
        </Match>
        <Match when={report()?.unavailable}>
          <div class="state unavailable" data-testid="not-available">Reporting is not available on this server yet.</div>
        </Match>
        <Match when={report()?.error}>
          <div class="state error" role="alert">Could not load the report: {report()!.error}</div>
        </Match>
        <Match when={report()?.data}>
          <div class="kpis">
            <For each={[['average_time_to_first_reply', 'Avg. first reply (s)'], ['median_time_to_first_reply', 'Median first reply (s)'], ['average_time_to_resolution', 'Avg. resolution (s)']] as const}>
              {([key, label]) => (
                <div class="kpi">
                  <span class="kpi-value">{number(key)}</span>
                  <span class="small muted">{label}</span>
                </div>
              )}
            </For>
          </div>
        </Match>
      </Switch>
    </section>
  );
}
