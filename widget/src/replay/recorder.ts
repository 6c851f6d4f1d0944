/**
 * @module widget/replay/recorder
 * The session-replay recorder (issue #20), the entry of its own lazily loaded
 * chunk (`/widget/assets/recorder-<hash>.js`, see widget/vite.config.ts and
 * handoff.ts): the loader adds it only when the account enabled recording,
 * this page is not excluded and this tab session was sampled.
 *
 * It records the host page with rrweb's `record()`, private by default: every
 * input's value is masked (`maskAllInputs`), elements with `data-netia-block`
 * (or rrweb's `.rr-block`) and the widget itself are blocked (drawn as an
 * empty box of their size), text inside `.netia-mask` is masked.
 *
 * Transport: `POST /api/browser_sessions` once per tab session (the id is kept
 * in sessionStorage, so the pages of one visit form one session), then its
 * own socket from the host page to `/socket` (the same endpoint, Phoenix
 * version and customer params as the chat page's; a socket of its own because
 * the chat page connects only when a conversation or presence needs one, and
 * the `events:` topic checks the host page's Origin). Events are batched
 * (every second, or at once past 50) through `ReplayQueue`: numbered, resent
 * until a push carrying them is answered `ok` (a `busy` answer or a timeout
 * sends them again a second later), kept in sessionStorage when the
 * page goes away. A hidden tab stops sending and is `session:inactive`; when
 * it shows again it is `session:active` with a fresh full snapshot. Recording
 * stops for good at the session's byte cap or when the server says
 * `session_cap` or `disabled`.
 */
import { Socket, type Channel } from 'phoenix';
import { record } from 'rrweb';
import { EVENTS } from '../../../gateway/protocol/index.js';
import { RECORDER_EVENT, type RecorderHandle, type RecorderOptions, type ReplayCustomer, type StartRecorder } from './handoff.js';
import { replayKey } from './policy.js';
import { ReplayQueue } from './queue.js';

const FLUSH_EVERY_MS = 1_000;
const FLUSH_AT_EVENTS = 50;
const PUSH_TIMEOUT_MS = 15_000;
/** Delays before creating the session again after a network failure or a 5xx. */
const CREATE_RETRY_MS = [2_000, 5_000, 15_000, 30_000];
const REPLAY_EVENTS = 'replay:events';
/** Blocked: marked by the site, rrweb's own class, and the widget itself (its chat is in the conversation already). */
const BLOCK_SELECTOR = '[data-netia-block], netia-chat-widget';
const MASK_TEXT_CLASS = 'netia-mask';

interface StoredSession {
  id: string;
  /** The customer the session was identified with, if any. */
  customerId: string | null;
}

function read(key: string): string | null {
  try {
    return sessionStorage.getItem(key);
  } catch {
    return null;
  }
}

function readJson<T>(key: string): T | null {
  try {
    const raw = read(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    /* quota or blocked: the next page starts over, the server ignores what it has */
  }
}

class Recorder implements RecorderHandle {
  readonly #o: RecorderOptions;
  readonly #queue: ReplayQueue;
  #customer: ReplayCustomer | null;
  #session: StoredSession | null;
  #socket: Socket | null = null;
  #channel: Channel | null = null;
  #isJoined = false;
  #stopRecording: (() => void) | undefined;
  #isPaused = false;
  #isStopped = false;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  /** Id of the push in flight: a late reply to an older push must not confirm a newer one. */
  #pushId = 0;
  #createAttempt = 0;
  /** The session was kept from an earlier page of this tab (the server may have ended it since). */
  #isRestored = false;
  #isCreating = false;
  #onVisibility = (): void => this.#visibilityChanged();
  #onPageHide = (): void => this.#persist(true);

  constructor(options: RecorderOptions) {
    this.#o = options;
    this.#customer = options.customer;
    const { accountId } = options;
    const meta = ReplayQueue.parse(read(replayKey(accountId, 'queue')));
    const pending = ReplayQueue.parse(read(replayKey(accountId, 'pending')));
    write(replayKey(accountId, 'pending'), null);
    // The pending events of the last page (if it could write them) go first; the seq counter is the higher of the two.
    const state = meta ?? pending;
    this.#queue = new ReplayQueue(
      options.settings.maxSessionBytes,
      state ? { ...state, nextSeq: Math.max(meta?.nextSeq ?? 1, pending?.nextSeq ?? 1), pending: pending?.pending ?? [] } : null,
    );
    this.#session = readJson<StoredSession>(replayKey(accountId, 'session'));
    this.#isRestored = this.#session !== null;
  }

  start(): void {
    document.addEventListener('visibilitychange', this.#onVisibility);
    window.addEventListener('pagehide', this.#onPageHide);
    this.#isPaused = document.visibilityState === 'hidden';
    this.#record();
    this.#o.onRecording(true);
    if (this.#session) this.#connect();
    else void this.#createSession();
  }

  setCustomer(customer: ReplayCustomer): void {
    this.#customer = customer;
    if (this.#isStopped) return;
    if (!this.#session && !this.#isCreating) void this.#createSession();
    else this.#identify();
  }

  stop(finish: boolean): void {
    this.#end(finish ? 'shutdown' : 'refused');
  }

  /**
   * Stop for good. `cap` / `disabled`: no more recording in this tab session (the loader reads
   * the sampling decision as "no"); `shutdown`: the visitor is forgotten, the session finished.
   */
  #end(why: 'cap' | 'disabled' | 'refused' | 'too_large' | 'shutdown'): void {
    if (this.#isStopped) return;
    this.#isStopped = true;
    const finish = why === 'cap' || why === 'shutdown';
    this.#stopRecording?.();
    this.#stopRecording = undefined;
    clearTimeout(this.#flushTimer);
    document.removeEventListener('visibilitychange', this.#onVisibility);
    window.removeEventListener('pagehide', this.#onPageHide);
    this.#channel?.leave();
    this.#socket?.disconnect();
    this.#queue.clear();
    const { accountId } = this.#o;
    if (why === 'cap' || why === 'disabled') write(replayKey(accountId, 'sampled'), '0');
    if (why === 'shutdown') for (const what of ['session', 'queue', 'pending', 'sampled'] as const) write(replayKey(accountId, what), null);
    else this.#persist(false);
    if (finish && this.#session) void this.#post(`/api/browser_sessions/${encodeURIComponent(this.#session.id)}/finish`, {});
    this.#o.onRecording(false);
  }

  // ---- recording ---------------------------------------------------------------------------------

  #record(): void {
    this.#stopRecording = record({
      emit: (event) => this.#add(event),
      maskAllInputs: true,
      maskInputOptions: { password: true },
      blockSelector: BLOCK_SELECTOR,
      maskTextClass: MASK_TEXT_CLASS,
      maskTextSelector: `.${MASK_TEXT_CLASS}`,
      // Nothing that could carry what the visitor types or sees in a canvas.
      recordCanvas: false,
      collectFonts: false,
      inlineImages: false,
      slimDOMOptions: 'all',
      // Full snapshot every 10 min so a long session's replay can start near any point.
      checkoutEveryNms: 10 * 60 * 1000,
    });
  }

  #add(event: unknown): void {
    if (this.#isStopped || this.#isPaused) return;
    const result = this.#queue.add(event);
    if (result === 'session_cap') {
      this.#end('cap');
      return;
    }
    // An event larger than a push (a huge page's snapshot) cannot be sent: the page is not recorded further.
    if (result === 'too_large') {
      this.#end('too_large');
      return;
    }
    if (this.#queue.waiting >= FLUSH_AT_EVENTS) this.#flush();
    else this.#scheduleFlush();
  }

  #visibilityChanged(): void {
    if (this.#isStopped) return;
    if (document.visibilityState === 'hidden') {
      this.#flush();
      this.#isPaused = true;
      if (this.#isJoined) this.#channel?.push(EVENTS.sessionInactive, {});
      this.#persist(true);
    } else if (this.#isPaused) {
      this.#isPaused = false;
      if (this.#isJoined) this.#channel?.push(EVENTS.sessionActive, {});
      // What changed while hidden was not recorded: start the replay over from the page as it is now.
      record.takeFullSnapshot(true);
    }
  }

  // ---- transport ---------------------------------------------------------------------------------

  #scheduleFlush(): void {
    if (this.#flushTimer !== undefined) return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flush();
    }, FLUSH_EVERY_MS);
  }

  #flush(): void {
    const channel = this.#channel;
    if (this.#isStopped || !this.#isJoined || !channel) return;
    const batch = this.#queue.takeBatch();
    if (!batch) return;
    const id = ++this.#pushId;
    this.#persist(false);
    channel
      .push(REPLAY_EVENTS, { events: batch }, PUSH_TIMEOUT_MS)
      .receive('ok', (reply: { acked_seq?: number }) => {
        if (id !== this.#pushId) return;
        this.#queue.confirm(reply?.acked_seq);
        if (this.#queue.size === 0) this.#persist(false);
        if (this.#queue.waiting >= FLUSH_AT_EVENTS) this.#flush();
        else if (this.#queue.size > 0) this.#scheduleFlush();
      })
      .receive('error', (reply: { reason?: string }) => {
        if (id !== this.#pushId) return;
        const reason = reply?.reason;
        if (reason === 'session_cap') return this.#end('cap');
        if (reason === 'disabled') return this.#end('disabled');
        // `busy`: the server's replay writes are backed up and stored nothing; the same events go again.
        if (reason === 'busy') {
          this.#queue.release();
          return this.#scheduleFlush();
        }
        // `too_large` / `invalid`: sending the same events again would be refused again; drop them.
        this.#queue.confirm(undefined);
        this.#scheduleFlush();
      })
      .receive('timeout', () => {
        if (id !== this.#pushId) return;
        this.#queue.release();
        this.#scheduleFlush();
      });
  }

  #connect(): void {
    const session = this.#session;
    if (!session || this.#isStopped) return;
    const { base, accountId } = this.#o;
    const socket = (this.#socket ??= new Socket(`${base.replace(/^http/, 'ws')}/socket`, {}));
    socket.connect();
    // The join payload is read at every (re)join: the latest customer proves the visitor where the account requires it.
    const channel = socket.channel(`events:${accountId}:${session.id}`, () =>
      this.#customer ? { customer_id: this.#customer.id, ...(this.#customer.token ? { customer_token: this.#customer.token } : {}) } : {},
    );
    this.#channel = channel;
    let hasJoined = false;
    channel.onError(() => {
      this.#isJoined = false;
    });
    channel
      .join()
      .receive('ok', () => {
        hasJoined = true;
        this.#isJoined = true;
        // A push whose reply the drop swallowed: its events go again (the server ignores the seqs it has).
        this.#pushId++;
        this.#queue.release();
        if (this.#isPaused) channel.push(EVENTS.sessionInactive, {});
        this.#identify();
        this.#flush();
      })
      .receive('error', (reply: { reason?: string }) => {
        channel.leave();
        this.#channel = null;
        this.#isJoined = false;
        if (reply?.reason === 'disabled') this.#end('disabled');
        else if (!hasJoined && this.#isRestored && this.#session === session) {
          this.#isRestored = false;
          // A session kept from an earlier page that the server no longer takes: start a new one, once.
          this.#session = null;
          write(replayKey(accountId, 'session'), null);
          this.#queue.reset();
          void this.#createSession(true);
        } else this.#end('refused');
      });
  }

  async #createSession(isRestart = false): Promise<void> {
    if (this.#isStopped || this.#isCreating) return;
    this.#isCreating = true;
    try {
      const customer = this.#customer;
      const res = await this.#post('/api/browser_sessions', {
        browser_session: {
          account_id: this.#o.accountId,
          ...(customer ? { customer_id: customer.id } : {}),
          metadata: {
            url: location.href,
            user_agent: navigator.userAgent,
            language: navigator.language,
            screen_width: screen.width,
            screen_height: screen.height,
          },
          started_at: new Date().toISOString(),
        },
        ...(customer?.token ? { customer_token: customer.token } : {}),
      });
      if (this.#isStopped) return;
      if (res.status === 401 || res.status === 403) {
        // Without a customer the account may need one first (customer tokens): the chat's customer starts it. Else: off.
        if (customer) this.#end('refused');
        return;
      }
      const id = (res.body as { data?: { id?: unknown } } | null)?.data?.id;
      if (res.status >= 400 && res.status < 500) return this.#end('refused');
      if (res.status === 0 || res.status >= 500 || typeof id !== 'string') {
        const delay = CREATE_RETRY_MS[this.#createAttempt++];
        if (delay === undefined) this.#end('refused');
        else setTimeout(() => void this.#createSession(isRestart), delay);
        return;
      }
      this.#session = { id, customerId: customer?.id ?? null };
      write(replayKey(this.#o.accountId, 'session'), JSON.stringify(this.#session));
      if (isRestart) record.takeFullSnapshot(true);
      this.#connect();
    } finally {
      this.#isCreating = false;
    }
  }

  #identify(): void {
    const session = this.#session;
    const customer = this.#customer;
    if (!session || !customer || session.customerId === customer.id || this.#isStopped) return;
    session.customerId = customer.id;
    write(replayKey(this.#o.accountId, 'session'), JSON.stringify(session));
    void this.#post(`/api/browser_sessions/${encodeURIComponent(session.id)}/identify`, {
      customer_id: customer.id,
      ...(customer.token ? { customer_token: customer.token } : {}),
    }).then((res) => {
      // Not taken (network): try again with the next join.
      if (res.status === 0 || res.status >= 500) session.customerId = null;
    });
  }

  async #post(path: string, body: unknown): Promise<{ status: number; body: unknown }> {
    try {
      const res = await fetch(this.#o.base + path, {
        method: 'POST',
        credentials: 'omit',
        keepalive: true,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return { status: res.status, body: await res.json().catch(() => null) };
    } catch {
      return { status: 0, body: null };
    }
  }

  /** Keep the seq counter (always) and, with `withPending`, the unconfirmed events for the next page of this tab. */
  #persist(withPending: boolean): void {
    const { accountId } = this.#o;
    const state = this.#queue.toState();
    write(replayKey(accountId, 'queue'), JSON.stringify({ ...state, pending: [] }));
    if (withPending && state.pending.length > 0) write(replayKey(accountId, 'pending'), JSON.stringify(state));
  }
}

const startRecorder: StartRecorder = (options) => {
  const recorder = new Recorder(options);
  recorder.start();
  return recorder;
};

// Hand `startRecorder` to the loader that added this script (handoff.ts).
document.currentScript?.dispatchEvent(new CustomEvent(RECORDER_EVENT, { detail: startRecorder }));
