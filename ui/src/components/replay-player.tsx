/**
 * The session replay player (issue #20), loaded on demand with the visitors
 * page; the rrweb code is a further dynamic import, so neither is in the
 * console's initial bundle (tests/ui/bundle-size.test.ts).
 *
 * - LIVE (the session is on the presence topic): rrweb's `Replayer` in live
 *   mode. What the server stored so far is fetched first (the page's full
 *   snapshot was taken before the agent arrived), then every event pushed on
 *   `events:admin:<account>:<session>` is added as it arrives, skipping seqs
 *   already applied. The baseline is "always in the past", so each event is
 *   applied as soon as it arrives: the latency is the network's, and a clock
 *   skew between visitor and agent cannot hold events back.
 * - RECORDED: every stored event, page by page with a progress bar, in
 *   `rrweb-player` (timeline, play/pause, speed, skip inactivity). When a live
 *   session ends the player switches to this mode by itself.
 * Problems are said in words: not found, deleted, nothing recorded yet, the
 * watch refused (another account), the connection lost.
 */
import { Match, Show, Switch, createEffect, createSignal, on, onCleanup, onMount, type JSX } from 'solid-js';
import type { Replayer, eventWithTime } from 'rrweb';
import 'rrweb/dist/style.css';
import 'rrweb-player/dist/style.css';
import { ApiError, describeError } from '../lib/api';
import {
  FULL_SNAPSHOT,
  META,
  browserSessionsApi,
  fromLastSnapshot,
  loadAllEvents,
  type BrowserSession,
  type ReplayEvent,
  type StoredEvent,
} from '../lib/api-browser-sessions';
import { useSession } from '../stores/session';
import { watchSessionEvents } from '../stores/replay';

type Phase =
  | { kind: 'loading'; loaded: number; total: number | null }
  | { kind: 'waiting' }
  | { kind: 'playing' }
  | { kind: 'empty' }
  | { kind: 'error'; message: string };

const asRrweb = (e: ReplayEvent): eventWithTime => e as unknown as eventWithTime;

function hasSnapshot(events: ReplayEvent[]): boolean {
  return events.some((e) => e.type === FULL_SNAPSHOT);
}

/** Words for a failed load: the session's absence is not a server error. */
function problem(err: unknown): string {
  if (err instanceof ApiError && err.status === 404)
    return 'This session was not found: it may have been deleted, or it was never recorded.';
  if (err instanceof ApiError && err.status === 410) return 'This session was deleted.';
  if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return 'You cannot view this session.';
  return `The recording could not be loaded: ${describeError(err)}`;
}

/** Scale the replayer's frame (sized like the visitor's window) to the width of its box. */
function fit(box: HTMLElement, wrapper: HTMLElement, width: number, height: number): void {
  const scale = Math.min(1, box.clientWidth / Math.max(1, width));
  wrapper.style.transform = `scale(${scale})`;
  wrapper.style.transformOrigin = 'top left';
  box.style.height = `${Math.ceil(height * scale)}px`;
}

/** Live: follows the session as the visitor records. `onProblem` when the watch is refused. */
function LivePlayer(props: {
  accountId: string;
  session: BrowserSession | null;
  sessionId: string;
  onEvents: (all: ReplayEvent[]) => void;
}): JSX.Element {
  const [, { api }] = useSession();
  const sessions = browserSessionsApi(api);
  const [phase, setPhase] = createSignal<Phase>({ kind: 'loading', loaded: 0, total: null });
  let box!: HTMLDivElement;
  let replayer: Replayer | undefined;
  let size = { width: 1024, height: 640 };
  let lastSeq = -1;
  let historyLoaded = false;
  let disposed = false;
  const all: ReplayEvent[] = [];
  /** Pushed while the history loads: applied after it, without the seqs it already had. */
  const queued: { seq: number | null; event: ReplayEvent }[] = [];

  const accept = (batch: { seq: number | null; event: ReplayEvent }[]): ReplayEvent[] => {
    const fresh: ReplayEvent[] = [];
    for (const { seq, event } of batch) {
      if (seq !== null) {
        if (seq <= lastSeq) continue;
        lastSeq = seq;
      }
      fresh.push(event);
    }
    all.push(...fresh);
    return fresh;
  };

  const start = async (events: ReplayEvent[]): Promise<void> => {
    const { Replayer: ReplayerClass } = await import('rrweb');
    if (disposed || replayer) return;
    // useVirtualDom off: events applied "synchronously" go to rrweb's virtual DOM, which only a seek flushes
    // to the page; live, each one must reach the real DOM at once.
    replayer = new ReplayerClass([], {
      root: box,
      liveMode: true,
      useVirtualDom: false,
      mouseTail: false,
      showWarning: false,
      UNSAFE_replayCanvas: false,
    });
    replayer.on('resize', (d) => {
      const dim = d as { width: number; height: number };
      size = dim;
      fit(box, replayer!.wrapper, dim.width, dim.height);
    });
    // Every event is "in the past" of this baseline, so each is applied as soon as it is added.
    replayer.startLive(Number.MAX_SAFE_INTEGER);
    for (const e of events) replayer.addEvent(asRrweb(e));
    replayer.iframe.setAttribute('title', 'Live view of the visitor’s page');
    setPhase({ kind: 'playing' });
  };

  const apply = (fresh: ReplayEvent[]): void => {
    if (fresh.length === 0) return;
    props.onEvents(all);
    if (replayer) for (const e of fresh) replayer.addEvent(asRrweb(e));
    else if (hasSnapshot(all)) void start(fromLastSnapshot(all));
  };

  const watch = watchSessionEvents(api, props.accountId, props.sessionId, {
    onEvents: (batch) => {
      if (!historyLoaded) queued.push(...batch);
      else apply(accept(batch));
    },
  });
  onCleanup(() => {
    disposed = true;
    watch.close();
    replayer?.destroy();
  });
  const onResize = (): void => {
    if (replayer) fit(box, replayer.wrapper, size.width, size.height);
  };
  window.addEventListener('resize', onResize);
  onCleanup(() => window.removeEventListener('resize', onResize));

  onMount(() => {
    void (async () => {
      let history: StoredEvent[] = [];
      try {
        history = await loadAllEvents(sessions, props.sessionId, {
          total: props.session?.event_count ?? null,
          onProgress: (loaded, total) => setPhase({ kind: 'loading', loaded, total }),
        });
      } catch (err) {
        // A session that is live but not stored yet has no events to fetch: the live ones are enough.
        if (!(err instanceof ApiError && err.status === 404)) setPhase({ kind: 'error', message: problem(err) });
      }
      if (disposed) return;
      accept(history.map((h) => ({ seq: h.seq, event: h.event })));
      historyLoaded = true;
      accept(queued.splice(0));
      if (all.length) props.onEvents(all);
      if (hasSnapshot(all)) await start(fromLastSnapshot(all));
      else if (phase().kind !== 'error') setPhase({ kind: 'waiting' });
    })();
  });

  return (
    <div class="replay-stage">
      <Switch>
        <Match when={watch.state() === 'unauthorized'}>
          <p class="state error" role="alert">
            You cannot watch this session: it belongs to another account, or your session has ended.
          </p>
        </Match>
        <Match when={phase().kind === 'error' && phase()}>
          {(p) => (
            <p class="state error" role="alert">
              {(p() as { message: string }).message}
            </p>
          )}
        </Match>
        <Match when={phase().kind === 'loading' && phase()}>
          {(p) => <Progress loaded={(p() as { loaded: number }).loaded} total={(p() as { total: number | null }).total} />}
        </Match>
        <Match when={phase().kind === 'waiting'}>
          <p class="state" role="status" data-testid="replay-waiting">
            <span class="spinner" aria-hidden="true" /> No events yet: waiting for the visitor’s page to send its first snapshot…
          </p>
        </Match>
      </Switch>
      <Show when={watch.state() === 'reconnecting'}>
        <p class="state small" role="status">
          Connection lost: reconnecting. The view resumes where it left off.
        </p>
      </Show>
      <div class="replay-frame" ref={box} data-testid="replay-live" aria-label="Live view of the visitor’s page" role="region" />
    </div>
  );
}

function Progress(props: { loaded: number; total: number | null }): JSX.Element {
  const label = (): string =>
    props.total ? `Loading the recording: ${props.loaded} of ${props.total} events` : `Loading the recording: ${props.loaded} events`;
  return (
    <div class="state replay-progress" role="status" data-testid="replay-progress">
      <label for="replay-progress-bar">{label()}</label>
      {/* Without a known total the bar is indeterminate: a progress element without a value (setting it to undefined throws). */}
      <Show when={props.total} fallback={<progress id="replay-progress-bar" />}>
        {(total) => <progress id="replay-progress-bar" max={total()} value={Math.min(props.loaded, total())} />}
      </Show>
    </div>
  );
}

/** Recorded: every stored event in rrweb-player (or the ones the live view collected when none are stored). */
function RecordedPlayer(props: { session: BrowserSession | null; sessionId: string; fallback: ReplayEvent[] }): JSX.Element {
  const [, { api }] = useSession();
  const sessions = browserSessionsApi(api);
  const [phase, setPhase] = createSignal<Phase>({ kind: 'loading', loaded: 0, total: props.session?.event_count ?? null });
  let box!: HTMLDivElement;
  let player: { $destroy: () => void; getReplayer: () => Replayer } | undefined;
  const abort = { aborted: false };
  onCleanup(() => {
    abort.aborted = true;
    player?.$destroy();
  });
  onMount(() => {
    void (async () => {
      let events: ReplayEvent[];
      try {
        const stored = await loadAllEvents(sessions, props.sessionId, {
          total: props.session?.event_count ?? null,
          onProgress: (loaded, total) => setPhase({ kind: 'loading', loaded, total }),
          signal: abort,
        });
        events = stored.length ? stored.map((s) => s.event) : props.fallback;
      } catch (err) {
        if (props.fallback.length && err instanceof ApiError && err.status === 404) events = props.fallback;
        else {
          setPhase({ kind: 'error', message: problem(err) });
          return;
        }
      }
      if (abort.aborted) return;
      const playable = events.slice(events.findIndex((e) => e.type === META || e.type === FULL_SNAPSHOT));
      if (!hasSnapshot(playable) || playable.length < 2) {
        setPhase({ kind: 'empty' });
        return;
      }
      const { default: RrwebPlayer } = await import('rrweb-player');
      if (abort.aborted) return;
      const width = Math.max(320, box.clientWidth);
      player = new RrwebPlayer({
        target: box,
        props: {
          events: playable.map(asRrweb),
          width,
          height: Math.round(width * 0.58),
          autoPlay: true,
          skipInactive: true,
          speedOption: [1, 2, 4, 8],
          showController: true,
          mouseTail: false,
          UNSAFE_replayCanvas: false,
        },
      }) as unknown as typeof player;
      player?.getReplayer().iframe.setAttribute('title', 'Recording of the visitor’s page');
      setPhase({ kind: 'playing' });
    })();
  });
  return (
    <div class="replay-stage">
      <Switch>
        <Match when={phase().kind === 'error' && phase()}>
          {(p) => (
            <p class="state error" role="alert">
              {(p() as { message: string }).message}
            </p>
          )}
        </Match>
        <Match when={phase().kind === 'loading' && phase()}>
          {(p) => <Progress loaded={(p() as { loaded: number }).loaded} total={(p() as { total: number | null }).total} />}
        </Match>
        <Match when={phase().kind === 'empty'}>
          <p class="state" role="status" data-testid="replay-empty">
            No events were recorded for this session yet, so there is nothing to replay.
          </p>
        </Match>
      </Switch>
      <div class="replay-recorded" ref={box} data-testid="replay-recorded" role="region" aria-label="Recording of the visitor’s page" />
    </div>
  );
}

/**
 * The player of one session: live while `live` is true, recorded after (the switch happens by
 * itself when the visitor leaves). `accountId` is the agent's account (the topic it joins).
 */
export default function ReplayPlayer(props: {
  accountId: string;
  sessionId: string;
  session: BrowserSession | null;
  live: boolean;
}): JSX.Element {
  // What the live view saw: replayed afterwards if the server stored nothing (or before its routes exist).
  let seen: ReplayEvent[] = [];
  const [mode, setMode] = createSignal<'live' | 'recorded'>(props.live ? 'live' : 'recorded');
  createEffect(
    on(
      () => props.live,
      (live) => setMode(live ? 'live' : 'recorded'),
      { defer: true },
    ),
  );
  return (
    <div class="replay-player" data-mode={mode()} data-testid="replay-player">
      <p class="replay-mode" role="status" aria-live="polite">
        <Show when={mode() === 'live'} fallback={<span class="badge-recorded">Recording</span>}>
          <span class="badge-live">
            <span class="live-dot" aria-hidden="true" /> Live
          </span>{' '}
          <span class="small muted">You see the visitor’s page as they use it.</span>
        </Show>
      </p>
      <Show when={mode() === 'live'} fallback={<RecordedPlayer session={props.session} sessionId={props.sessionId} fallback={seen} />}>
        <LivePlayer accountId={props.accountId} session={props.session} sessionId={props.sessionId} onEvents={(all) => (seen = all)} />
      </Show>
    </div>
  );
}
