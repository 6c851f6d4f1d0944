/**
 * Settings → Session replay (issue #20), for admins: whether the widget records
 * visitors' pages (rrweb, in widget/src/replay), the share of tab sessions
 * recorded, the paths never recorded, the notice visitors see (with a preview),
 * the size cap per session and how long recordings are kept, and what is always
 * private (inputs masked; `data-netia-block` and `.netia-mask` for the rest).
 * Agents see that only admins may open it, and nothing is requested for them.
 */
import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { CheckRow, Section, Status, load, useSaver } from '../../components/settings-kit';
import { ApiError } from '../../lib/api';
import {
  DEFAULT_REPLAY_NOTICE,
  REPLAY_LIMITS,
  bytesToMb,
  checkPathPattern,
  parseBounded,
  sessionReplayApi,
  type SessionReplayApi,
  type SessionReplaySettings,
} from '../../lib/api-session-replay';
import { useSession } from '../../stores/session';

const MB = 1024 * 1024;

/** The server's message for one field of a refused save, if it named one. */
const fieldError = (err: unknown, key: string): string | undefined => {
  if (!(err instanceof ApiError) || !err.errors) return undefined;
  return (err.errors[`session_replay.${key}`] ?? err.errors[key])?.join(', ');
};

/** What the visitor sees next to the launcher while a page is recorded (widget/src/loader/styles.ts `.rec`). */
function NoticePreview(props: { text: string }): JSX.Element {
  return (
    <figure
      data-testid="replay-notice-preview"
      style={{
        margin: '8px 0 0',
        padding: '18px 16px',
        'border-radius': '10px',
        background: 'linear-gradient(135deg,#f3f1ec,#e6ece8)',
        display: 'flex',
        'align-items': 'center',
        'justify-content': 'flex-end',
        gap: '12px',
        'min-height': '84px',
      }}
    >
      <figcaption class="visually-hidden">Preview of the notice in the widget</figcaption>
      <span
        style={{
          display: 'inline-flex',
          'align-items': 'center',
          gap: '6px',
          'max-width': '300px',
          padding: '6px 12px',
          'border-radius': '16px',
          background: '#1f2328',
          color: '#fff',
          font: '500 12px/1.35 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif',
          'box-shadow': '0 2px 10px rgba(0,0,0,.25)',
        }}
      >
        <span aria-hidden="true" style={{ flex: 'none', width: '8px', height: '8px', 'border-radius': '50%', background: '#f85149' }} />
        <span>{props.text}</span>
        <span aria-hidden="true" style={{ 'padding-left': '4px', opacity: 0.8 }}>
          ×
        </span>
      </span>
      <span
        aria-hidden="true"
        style={{
          flex: 'none',
          width: '48px',
          height: '48px',
          'border-radius': '50%',
          background: '#1677ff',
          'box-shadow': '0 4px 14px rgba(0,0,0,.28)',
        }}
      />
    </figure>
  );
}

function ExcludedPaths(props: { paths: string[]; onChange: (paths: string[]) => void; disabled: boolean }): JSX.Element {
  const [input, setInput] = createSignal('');
  const [invalid, setInvalid] = createSignal<string | null>(null);
  const add = (): void => {
    const checked = checkPathPattern(input(), props.paths);
    if ('error' in checked) {
      setInvalid(checked.error);
      return;
    }
    setInvalid(null);
    props.onChange([...props.paths, checked.pattern]);
    setInput('');
  };
  return (
    <fieldset>
      <legend>Pages never recorded</legend>
      <p class="small muted" id="replay-paths-help">
        Paths matched against the page’s path (no domain, no query): <code>/checkout</code> is that page only, <code>/account/*</code> every
        page under it, <code>*payment*</code> any path containing “payment”. Changes apply when you save.
      </p>
      <Show
        when={props.paths.length > 0}
        fallback={<p class="small muted">No excluded paths: every page with the widget may be recorded.</p>}
      >
        <ul class="rows" aria-label="Excluded paths" data-testid="replay-excluded-paths">
          <For each={props.paths}>
            {(p) => (
              <li>
                <code>{p}</code>
                <span class="spacer" />
                <button
                  class="btn ghost small"
                  type="button"
                  disabled={props.disabled}
                  onClick={() => props.onChange(props.paths.filter((x) => x !== p))}
                >
                  Remove<span class="visually-hidden">{` ${p}`}</span>
                </button>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="inline-form">
        <label for="replay-path-input">Exclude a path</label>
        <input
          id="replay-path-input"
          placeholder="/checkout/*"
          value={input()}
          disabled={props.disabled}
          onInput={(e) => setInput(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          aria-invalid={invalid() !== null ? 'true' : undefined}
          aria-describedby="replay-paths-help replay-path-error"
        />
        <button class="btn small" type="button" disabled={props.disabled} onClick={add}>
          Add path
        </button>
      </div>
      <p class="form-error" id="replay-path-error" role="alert" data-testid="replay-path-error">
        {invalid() ?? ''}
      </p>
    </fieldset>
  );
}

function ReplayForm(props: { initial: SessionReplaySettings; api: SessionReplayApi }): JSX.Element {
  const [saved, setSaved] = createSignal(props.initial);
  const [enabled, setEnabled] = createSignal(props.initial.enabled);
  const [rate, setRate] = createSignal(String(Math.round(props.initial.sample_rate * 1000) / 10));
  const [paths, setPaths] = createSignal([...props.initial.excluded_paths]);
  const [notice, setNotice] = createSignal(props.initial.notice_text ?? '');
  const [maxMb, setMaxMb] = createSignal(bytesToMb(props.initial.max_session_bytes));
  const [retention, setRetention] = createSignal(String(props.initial.retention_days));
  const [errors, setErrors] = createSignal<Record<string, string | undefined>>({});
  const [message, failed, save] = useSaver();
  const minMb = REPLAY_LIMITS.minSessionBytes / MB;
  const maxMbLimit = REPLAY_LIMITS.maxSessionBytes / MB;

  const submit = (e: Event): void => {
    e.preventDefault();
    const r = parseBounded(rate(), 0, 100, false);
    const m = parseBounded(maxMb(), minMb, maxMbLimit, false);
    const d = parseBounded(retention(), REPLAY_LIMITS.minRetentionDays, REPLAY_LIMITS.maxRetentionDays, true);
    const text = notice().trim();
    const found = {
      sample_rate: 'error' in r ? r.error : undefined,
      max_session_bytes: 'error' in m ? m.error : undefined,
      retention_days: 'error' in d ? d.error : undefined,
      notice_text: text.length > REPLAY_LIMITS.maxNoticeLength ? `At most ${REPLAY_LIMITS.maxNoticeLength} characters.` : undefined,
    };
    setErrors(found);
    if ('error' in r || 'error' in m || 'error' in d || found.notice_text) return;
    const changes = {
      enabled: enabled(),
      sample_rate: Math.round(r.value * 10) / 1000,
      excluded_paths: paths(),
      notice_text: text === '' ? null : text,
      max_session_bytes: Math.round(m.value * MB),
      retention_days: d.value,
    };
    void save(
      async () => {
        try {
          setSaved(await props.api.save(changes));
        } catch (err) {
          setErrors({
            sample_rate: fieldError(err, 'sample_rate'),
            excluded_paths: fieldError(err, 'excluded_paths'),
            notice_text: fieldError(err, 'notice_text'),
            max_session_bytes: fieldError(err, 'max_session_bytes'),
            retention_days: fieldError(err, 'retention_days'),
          });
          throw err;
        }
      },
      changes.enabled
        ? 'Session replay settings saved. Visitors’ pages are recorded from their next page load.'
        : 'Session replay settings saved. Nothing is recorded.',
    );
  };

  const invalidProps = (key: string): JSX.HTMLAttributes<HTMLInputElement> => ({
    'aria-invalid': errors()[key] ? 'true' : undefined,
    'aria-describedby': errors()[key] ? `replay-${key}-error` : undefined,
  });
  const fieldErrorText = (key: string): JSX.Element => (
    <Show when={errors()[key]}>
      <p id={`replay-${key}-error`} class="form-error" data-testid={`replay-${key}-error`}>
        {errors()[key]}
      </p>
    </Show>
  );

  return (
    <form onSubmit={submit} novalidate aria-describedby="replay-help">
      <p id="replay-help" class="small muted">
        The chat widget can record what visitors do on your pages so agents can watch a session live or replay it when helping. Nothing is
        recorded until you turn it on here.
      </p>
      <CheckRow id="replay-enabled" checked={enabled()} onChange={setEnabled} describedBy="replay-state">
        Record visitors’ sessions
      </CheckRow>
      <p class="small muted" id="replay-state" data-testid="replay-state">
        {saved().enabled ? 'Recording is on.' : 'Recording is off.'}
      </p>

      <div class="field">
        <label for="replay-sample-rate">Share of visits recorded (%)</label>
        <input
          id="replay-sample-rate"
          inputmode="decimal"
          value={rate()}
          onInput={(e) => setRate(e.currentTarget.value)}
          {...invalidProps('sample_rate')}
        />
        <p class="small muted">Decided once per browser tab: a visit is recorded on all its pages, or on none.</p>
        {fieldErrorText('sample_rate')}
      </div>

      <ExcludedPaths paths={paths()} onChange={setPaths} disabled={false} />
      {fieldErrorText('excluded_paths')}

      <div class="field">
        <label for="replay-notice">Notice shown to visitors while recording</label>
        <textarea
          id="replay-notice"
          rows={2}
          maxLength={REPLAY_LIMITS.maxNoticeLength}
          placeholder={DEFAULT_REPLAY_NOTICE}
          value={notice()}
          onInput={(e) => setNotice(e.currentTarget.value)}
          aria-describedby="replay-notice-help"
        />
        <p class="small muted" id="replay-notice-help">
          Empty: “{DEFAULT_REPLAY_NOTICE}” Visitors always see a notice while they are recorded, and screen readers announce it.
        </p>
        {fieldErrorText('notice_text')}
        <NoticePreview text={notice().trim() || DEFAULT_REPLAY_NOTICE} />
      </div>

      <div class="field">
        <label for="replay-max-size">Largest recording per visit (MB)</label>
        <input
          id="replay-max-size"
          inputmode="decimal"
          value={maxMb()}
          onInput={(e) => setMaxMb(e.currentTarget.value)}
          {...invalidProps('max_session_bytes')}
        />
        <p class="small muted">
          Recording stops when a visit reaches it ({minMb} to {maxMbLimit} MB).
        </p>
        {fieldErrorText('max_session_bytes')}
      </div>

      <div class="field">
        <label for="replay-retention">Keep recordings for (days)</label>
        <input
          id="replay-retention"
          inputmode="numeric"
          value={retention()}
          onInput={(e) => setRetention(e.currentTarget.value)}
          {...invalidProps('retention_days')}
        />
        <p class="small muted">
          Older recordings are deleted ({REPLAY_LIMITS.minRetentionDays} to {REPLAY_LIMITS.maxRetentionDays} days).
        </p>
        {fieldErrorText('retention_days')}
      </div>

      <section aria-labelledby="replay-privacy-title" class="replay-privacy" data-testid="replay-privacy">
        <h2 id="replay-privacy-title">Privacy</h2>
        <ul class="small">
          <li>
            What visitors type is never recorded: every input, text area and select is masked (shown as <code>*</code>), passwords included.
          </li>
          <li>
            Add <code>data-netia-block</code> to an element to leave it out entirely (recorded as an empty box of its size), for example{' '}
            <code>{'<div data-netia-block>…</div>'}</code>.
          </li>
          <li>
            Add the class <code>netia-mask</code> to mask an element’s text (for example <code>{'<span class="netia-mask">…</span>'}</code>
            for names, addresses or order numbers).
          </li>
          <li>The chat widget itself is never recorded, and pages you exclude above are not recorded at all.</li>
        </ul>
      </section>

      <Status message={message()} error={failed()} testId="replay-status" />
      <button class="btn primary" type="submit">
        Save session replay settings
      </button>
    </form>
  );
}

function AdminReplay(): JSX.Element {
  const [, { api }] = useSession();
  const replay = sessionReplayApi(api);
  const [data, { refetch }] = createResource(() => load(() => replay.settings()));
  return (
    <Section title="Session replay" data={data} what="Session replay" onRetry={() => void refetch()}>
      {(initial) => <ReplayForm initial={initial} api={replay} />}
    </Section>
  );
}

export function SessionReplaySection(): JSX.Element {
  const [session] = useSession();
  return (
    <Show
      when={session.me?.role === 'admin'}
      fallback={
        <section class="settings-section" aria-labelledby="replay-title">
          <h1 id="replay-title">Session replay</h1>
          <p class="state unavailable" role="status" data-testid="no-permission">
            Only admins can see and change the session replay settings.
          </p>
        </section>
      }
    >
      <AdminReplay />
    </Show>
  );
}
