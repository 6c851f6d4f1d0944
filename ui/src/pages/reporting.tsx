/**
 * Reporting (docs/compatibility.md#reporting-and-onboarding), shown only when the server has `GET /api/reporting`.
 * A date range (last 7/30/90 days or custom, ≤ 366 days), conversations per day
 * (bars) and messages per day by source (lines) drawn as inline SVG, each with
 * a text alternative and a table fallback; first-response and resolution
 * median/p90; a per-agent table. The page is its own lazy chunk (app.tsx): no
 * chart library, nothing here weighs on the initial bundle.
 */
import { For, Match, Show, Switch, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { ApiError, describeError, type Report, type ReportDateCount } from '../lib/api';
import { formatDuration } from '../lib/time';
import { useSession } from '../stores/session';
import { CsatReportPanel } from '../components/csat';
import { SlaReportPanel } from '../components/sla-report';

const DAY_MS = 24 * 3600_000;
const MAX_DAYS = 366;
const PRESETS = [7, 30, 90] as const;
const COLORS = ['#2453d4', '#d9480f', '#2b8a3e', '#862e9c', '#e67700', '#0b7285', '#5c7cfa', '#c2255c'];

/** Visually hidden, still read by screen readers. */
const SR_ONLY: JSX.CSSProperties = {
  position: 'absolute',
  width: '1px',
  height: '1px',
  overflow: 'hidden',
  clip: 'rect(0 0 0 0)',
  'white-space': 'nowrap',
};

const TABLE: JSX.CSSProperties = { 'text-align': 'left', 'border-spacing': '14px 4px', margin: '0 -14px' };
const PAIR: JSX.CSSProperties = { display: 'inline-flex', 'align-items': 'center', gap: '8px' };

interface Range {
  from: Date;
  to: Date;
}

function lastDays(days: number): Range {
  const to = new Date();
  return { from: new Date(to.getTime() - days * DAY_MS), to };
}

/** `YYYY-MM-DD` of a date in UTC (the server groups by UTC day). */
function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Every UTC day of the range, oldest first. */
function daysOf(range: Range): string[] {
  const out: string[] = [];
  const start = Date.parse(`${utcDay(range.from)}T00:00:00Z`);
  for (let t = start; t <= range.to.getTime() && out.length <= MAX_DAYS + 1; t += DAY_MS) out.push(utcDay(new Date(t)));
  return out;
}

const CHART_W = 640;
const CHART_H = 180;
const PAD = { left: 32, right: 8, top: 10, bottom: 22 };

function Axis(props: { max: number; days: string[] }): JSX.Element {
  const innerH = CHART_H - PAD.top - PAD.bottom;
  const ticks = createMemo(() => [0, Math.ceil(props.max / 2), props.max].filter((v, i, a) => a.indexOf(v) === i));
  const step = createMemo(() => Math.max(1, Math.ceil(props.days.length / 6)));
  const x = (i: number): number => PAD.left + ((i + 0.5) * (CHART_W - PAD.left - PAD.right)) / Math.max(props.days.length, 1);
  return (
    <g aria-hidden="true" font-size="10" fill="#6b7280">
      <For each={ticks()}>
        {(v) => {
          const y = PAD.top + innerH - (v / Math.max(props.max, 1)) * innerH;
          return (
            <>
              <line x1={PAD.left} x2={CHART_W - PAD.right} y1={y} y2={y} stroke="#e5e7eb" />
              <text x={PAD.left - 4} y={y + 3} text-anchor="end">
                {v}
              </text>
            </>
          );
        }}
      </For>
      <For each={props.days}>
        {(d, i) => (
          <Show when={i() % step() === 0}>
            <text x={x(i())} y={CHART_H - 6} text-anchor="middle">
              {d.slice(5)}
            </text>
          </Show>
        )}
      </For>
    </g>
  );
}

/** The figure every chart shares: caption, accessible SVG with its description and axis, and what follows it (legend, table). */
function ChartFrame(props: {
  id: string;
  title: string;
  description: string;
  max: number;
  days: string[];
  after: JSX.Element;
  children: JSX.Element;
}): JSX.Element {
  return (
    <figure class="chart" style={{ margin: '0 0 16px' }}>
      <figcaption id={`${props.id}-title`}>
        <strong>{props.title}</strong>
      </figcaption>
      <svg
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        viewBox={`0 0 ${CHART_W} ${CHART_H}`}
        width="100%"
        style={{ 'max-width': `${CHART_W}px`, display: 'block' }}
        data-testid={`${props.id}-chart`}
      >
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        <Axis max={props.max} days={props.days} />
        {props.children}
      </svg>
      {props.after}
    </figure>
  );
}

function BarChart(props: { id: string; title: string; days: string[]; counts: ReportDateCount[] }): JSX.Element {
  const values = createMemo(() => {
    const by = new Map(props.counts.map((c) => [c.date, c.count]));
    return props.days.map((d) => ({ date: d, count: by.get(d) ?? 0 }));
  });
  const max = createMemo(() => Math.max(1, ...values().map((v) => v.count)));
  const total = createMemo(() => values().reduce((n, v) => n + v.count, 0));
  const busiest = createMemo(() => values().reduce((a, b) => (b.count > a.count ? b : a), { date: '—', count: 0 }));
  const innerW = CHART_W - PAD.left - PAD.right;
  const innerH = CHART_H - PAD.top - PAD.bottom;
  const slot = (): number => innerW / Math.max(values().length, 1);
  return (
    <ChartFrame
      id={props.id}
      title={props.title}
      description={
        total() === 0
          ? `None over ${values().length} days.`
          : `${total()} in total over ${values().length} days; busiest day ${busiest().date} with ${busiest().count}.`
      }
      max={max()}
      days={props.days}
      after={
        <details>
          <summary>Show as table</summary>
          <div class="table-wrap">
            <table class="report-table" style={TABLE}>
              <caption style={SR_ONLY}>{props.title}</caption>
              <thead>
                <tr>
                  <th scope="col">Date</th>
                  <th scope="col">Count</th>
                </tr>
              </thead>
              <tbody>
                <For each={values()}>
                  {(v) => (
                    <tr>
                      <th scope="row">{v.date}</th>
                      <td>{v.count}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
        </details>
      }
    >
      <For each={values()}>
        {(v, i) => {
          const h = (v.count / max()) * innerH;
          return (
            <rect
              x={PAD.left + i() * slot() + slot() * 0.15}
              y={PAD.top + innerH - h}
              width={Math.max(slot() * 0.7, 1)}
              height={h}
              fill={COLORS[0]}
            >
              <title>{`${v.date}: ${v.count}`}</title>
            </rect>
          );
        }}
      </For>
    </ChartFrame>
  );
}

function LineChart(props: { id: string; title: string; days: string[]; rows: Report['messages_by_date_and_source'] }): JSX.Element {
  const series = createMemo(() => {
    const sources = [...new Set(props.rows.map((r) => r.source))].sort();
    return sources.map((source, i) => {
      const by = new Map(props.rows.filter((r) => r.source === source).map((r) => [r.date, r.count]));
      return { source, color: COLORS[i % COLORS.length]!, values: props.days.map((d) => by.get(d) ?? 0) };
    });
  });
  const max = createMemo(() => Math.max(1, ...series().flatMap((s) => s.values)));
  const innerW = CHART_W - PAD.left - PAD.right;
  const innerH = CHART_H - PAD.top - PAD.bottom;
  const x = (i: number): number => PAD.left + ((i + 0.5) * innerW) / Math.max(props.days.length, 1);
  const y = (v: number): number => PAD.top + innerH - (v / max()) * innerH;
  return (
    <ChartFrame
      id={props.id}
      title={props.title}
      description={
        series().length === 0
          ? 'No messages in this period.'
          : series()
              .map((s) => {
                const n = s.values.reduce((a, b) => a + b, 0);
                return `${s.source}: ${n} ${n === 1 ? 'message' : 'messages'}`;
              })
              .join('; ')
      }
      max={max()}
      days={props.days}
      after={
        <>
          <ul class="legend" aria-hidden="true" style={{ display: 'flex', gap: '12px', 'list-style': 'none', padding: 0, margin: '4px 0' }}>
            <For each={series()}>
              {(s) => (
                <li class="small">
                  <span style={{ display: 'inline-block', width: '10px', height: '10px', background: s.color, 'margin-right': '4px' }} />
                  {s.source}
                </li>
              )}
            </For>
          </ul>
          <details>
            <summary>Show as table</summary>
            <div class="table-wrap">
              <table class="report-table" style={TABLE}>
                <caption style={SR_ONLY}>{props.title}</caption>
                <thead>
                  <tr>
                    <th scope="col">Date</th>
                    <For each={series()}>{(s) => <th scope="col">{s.source}</th>}</For>
                  </tr>
                </thead>
                <tbody>
                  <For each={props.days}>
                    {(d, i) => (
                      <tr>
                        <th scope="row">{d}</th>
                        <For each={series()}>{(s) => <td>{s.values[i()]}</td>}</For>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </details>
        </>
      }
    >
      <For each={series()}>
        {(s) => (
          <g>
            <polyline fill="none" stroke={s.color} stroke-width="2" points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} />
            <For each={s.values}>
              {(v, i) => (
                <circle cx={x(i())} cy={y(v)} r="2.5" fill={s.color}>
                  <title>{`${props.days[i()]} ${s.source}: ${v}`}</title>
                </circle>
              )}
            </For>
          </g>
        )}
      </For>
    </ChartFrame>
  );
}

export default function ReportingPage(): JSX.Element {
  const [, { api }] = useSession();
  const [preset, setPreset] = createSignal<number | 'custom'>(30);
  const [range, setRange] = createSignal<Range>(lastDays(30));
  const [customFrom, setCustomFrom] = createSignal(utcDay(new Date(Date.now() - 30 * DAY_MS)));
  const [customTo, setCustomTo] = createSignal(utcDay(new Date()));
  const [rangeError, setRangeError] = createSignal<string | null>(null);

  const [report] = createResource(range, (r) =>
    api.reporting(r.from.toISOString(), r.to.toISOString()).then(
      (data) => ({ data, unavailable: false, error: null as string | null }),
      (err: unknown) => ({ data: null, unavailable: err instanceof ApiError && err.isMissingRoute, error: describeError(err) }),
    ),
  );
  const days = createMemo(() => daysOf(range()));
  const isEmpty = (r: Report): boolean => r.conversations_by_date.length === 0 && r.messages_by_date.length === 0;

  const choosePreset = (n: number): void => {
    setPreset(n);
    setRangeError(null);
    setRange(lastDays(n));
  };
  const applyCustom = (e: SubmitEvent): void => {
    e.preventDefault();
    const from = new Date(`${customFrom()}T00:00:00Z`);
    // The whole "to" day is included.
    const to = new Date(Date.parse(`${customTo()}T00:00:00Z`) + DAY_MS);
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return void setRangeError('Choose both dates.');
    if (to <= from) return void setRangeError('The end date must not be before the start date.');
    if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) return void setRangeError(`Choose at most ${MAX_DAYS} days.`);
    setRangeError(null);
    setPreset('custom');
    setRange({ from, to });
  };
  const title = (): string => {
    const p = preset();
    return p === 'custom' ? `${customFrom()} – ${customTo()}` : `last ${p} days`;
  };

  return (
    <section class="settings-section reporting" aria-labelledby="reporting-title">
      <h1 id="reporting-title">Reporting · {title()}</h1>
      <div
        class="report-range"
        role="group"
        aria-label="Date range"
        style={{ display: 'flex', gap: '8px', 'flex-wrap': 'wrap', 'align-items': 'end', margin: '0 0 16px' }}
      >
        <For each={PRESETS}>
          {(n) => (
            <button
              type="button"
              class="btn small"
              classList={{ primary: preset() === n }}
              aria-pressed={preset() === n}
              onClick={() => choosePreset(n)}
            >
              Last {n} days
            </button>
          )}
        </For>
        <form class="field inline" style={{ 'margin-bottom': 0, 'flex-wrap': 'wrap' }} onSubmit={applyCustom} aria-label="Custom range">
          {/* Each label stays with its date when the form wraps (360 px). */}
          <span style={PAIR}>
            <label for="report-from">From</label>
            <input id="report-from" type="date" value={customFrom()} onInput={(e) => setCustomFrom(e.currentTarget.value)} />
          </span>
          <span style={PAIR}>
            <label for="report-to">To</label>
            <input id="report-to" type="date" value={customTo()} onInput={(e) => setCustomTo(e.currentTarget.value)} />
          </span>
          <button type="submit" class="btn small" classList={{ primary: preset() === 'custom' }}>
            Apply
          </button>
        </form>
      </div>
      <Show when={rangeError()}>
        <div class="state small error" role="alert">
          {rangeError()}
        </div>
      </Show>
      <Switch>
        <Match when={report.loading}>
          <div class="state" role="status">
            <span class="spinner" aria-hidden="true" /> Loading…
          </div>
        </Match>
        <Match when={report()?.unavailable}>
          <div class="state unavailable" data-testid="not-available">
            Reporting is not available on this server yet.
          </div>
        </Match>
        <Match when={report()?.error}>
          <div class="state error" role="alert">
            Could not load the report: {report()!.error}
          </div>
        </Match>
        <Match when={report()?.data && isEmpty(report()!.data!)}>
          <div class="state" data-testid="report-empty">
            No conversations or messages in this period.
          </div>
        </Match>
        <Match when={report()?.data}>
          {(data) => (
            <>
              <div class="kpis" style={{ 'margin-bottom': '16px' }}>
                <For
                  each={
                    [
                      [data().median_time_to_first_reply, 'Median first response'],
                      [data().p90_time_to_first_reply, 'p90 first response'],
                      [data().median_time_to_resolution, 'Median resolution'],
                      [data().p90_time_to_resolution, 'p90 resolution'],
                    ] as const
                  }
                >
                  {([value, label]) => (
                    <div class="kpi">
                      <span class="kpi-value">{formatDuration(value)}</span>
                      <span class="small muted">{label}</span>
                    </div>
                  )}
                </For>
              </div>
              <BarChart id="report-conversations" title="Conversations per day" days={days()} counts={data().conversations_by_date} />
              <LineChart id="report-messages" title="Messages per day by source" days={days()} rows={data().messages_by_date_and_source} />
              <h2>Agents</h2>
              <Show when={data().per_agent.length > 0} fallback={<div class="state small">No agents.</div>}>
                <div class="table-wrap">
                  <table class="report-table" style={TABLE} data-testid="report-agents">
                    <thead>
                      <tr>
                        <th scope="col">Agent</th>
                        <th scope="col">Conversations assigned</th>
                        <th scope="col">Messages sent</th>
                        <th scope="col">Median first response</th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={data().per_agent}>
                        {(a) => (
                          <tr>
                            <th scope="row">{a.user.email}</th>
                            <td>{a.conversations_assigned}</td>
                            <td>{a.messages_sent}</td>
                            <td>{formatDuration(a.median_first_reply)}</td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
              </Show>
            </>
          )}
        </Match>
      </Switch>
      <CsatReportPanel from={range().from} to={range().to} />
      <SlaReportPanel from={range().from} to={range().to} />
    </section>
  );
}
