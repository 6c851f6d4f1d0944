/**
 * @module widget/chat/session
 * The visitor's side of a conversation: customer and conversation creation
 * over REST (docs/compatibility.md#clients-built-for-the-original), the `conversation:<id>` channel through
 * the official phoenix client, the offline outbox, resume by `seq`, typing,
 * read receipts, presence and what the host page is told.
 *
 * Ordering and exactly-once: messages leave the outbox one at a time, oldest
 * first, each awaiting its `phx_reply` (the stored message with its `seq`)
 * before the next is pushed. When the connection drops with a push in flight
 * the outcome is unknown, so the same entry (same `client_message_id`) is
 * pushed again after the rejoin; the server stores it at most once and
 * answers with the stored copy. A push the server could not take now (busy,
 * Temporal unreachable: an error reply with `retry_after`) is pushed again the
 * same way, no sooner than `retry_after` and with jitter (`resendDelayMs`), as
 * is a REST retry after a `Retry-After`. Creating the customer and the conversation
 * carries an `Idempotency-Key` kept across retries, so a retry whose first
 * attempt did reach the server gets the same one back (issue #16).
 *
 * Gaps (issue #16): a live `shout` whose `seq` is past the next one expected
 * means broadcasts were lost (the gateway's bus dropped them); the missing
 * public messages are fetched and merged in order (merging dedupes by id). A
 * gap can also be a private note (its seq is never sent to visitors): the
 * fetch then finds nothing, once. When the gateway itself knows it lost
 * broadcasts it errors the channel, and the rejoin's `last_seq` catch-up
 * brings what is missing.
 */
import { Presence, Socket, type Channel } from 'phoenix';
import { conversationTopic, EVENTS, roomTopic } from '../../../gateway/protocol/index.js';
import { storagePrefix, type ChatToHost, type Identity, type PublicMessage } from '../shared/bridge.js';
import { ApiError, type Api } from './api.js';
import { isAgentAvailable } from './availability.js';
import { MemoryStore, newClientId, Outbox, resendDelayMs, type KeyValueStore, type OutboxEntry } from './outbox.js';
import type { ChatConfig } from './params.js';
import {
  cacheable,
  countUnread,
  fromServer,
  lastIncomingSeq,
  lastSeq,
  mergeMessages,
  type Attachment,
  type ChatMessage,
  field,
  readServerMessage,
} from './transcript.js';
import { clearVisitor, loadVisitor, saveVisitor, storageKeys, type VisitorRecord } from './visitor.js';

export interface ChatView {
  render(messages: readonly ChatMessage[]): void;
  /** Who is typing ("Support is typing…"), or null. */
  setTyping(label: string | null): void;
  setAvailability(isAvailable: boolean): void;
  setConnection(state: 'online' | 'offline' | 'idle'): void;
  setEmailGate(isRequired: boolean): void;
  /** A short notice under the header (errors the visitor should know about), or null to clear. */
  showNotice(text: string | null): void;
}

export interface SessionDeps {
  api: Api;
  store: KeyValueStore;
  config: ChatConfig;
  /** Phoenix endpoint, e.g. `https://gw.example.com/socket` (the client appends `/websocket?vsn=2.0.0`). */
  socketUrl: string;
  view: ChatView;
  postToHost(msg: ChatToHost): void;
  /** Keep a copy of the transcript in `store` for an instant redraw (only where the host page cannot read it). */
  cacheTranscript: boolean;
  /** Waits before a resend (ms); tests pass one that records. Default: a timer. */
  wait?: (ms: number) => Promise<void>;
}

/**
 * `message`: the reply JSON, read by `fromServer`. `lost`: the outcome is unknown or the server
 * could not take it now (busy, Temporal unreachable), then `retryAfterSeconds` is what it asked
 * to wait before a resend.
 */
type PushOutcome = { kind: 'ok'; message: unknown } | { kind: 'lost'; retryAfterSeconds?: number } | { kind: 'refused'; reason: string };

const PUSH_TIMEOUT_MS = 10_000;
/** What `POST /api/upload` accepts (a file the browser gives no type is left to the server). */
const UPLOAD_TYPES = new Set([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/zip',
  'application/json',
]);
/** Messages asked for per request when filling a gap. */
const GAP_PAGE = 100;
/** Requests per gap at most (a longer gap is left to the next rejoin's catch-up). */
const GAP_MAX_PAGES = 10;
/** Pushes of one entry that may go unanswered (lost connection, server error) before it is shown as failed. */
const MAX_ATTEMPTS = 8;
const TYPING_THROTTLE_MS = 2_500;
const TYPING_IDLE_MS = 3_000;
const REMOTE_TYPING_TTL_MS = 8_000;

export class ChatSession {
  readonly #deps: SessionDeps;
  readonly #outbox: Outbox;
  #visitor: VisitorRecord;
  #messages: ChatMessage[] = [];
  #socket: Socket | null = null;
  #conv: Channel | null = null;
  #convId: string | null = null;
  #room: Channel | null = null;
  #presenceKeys: string[] | null = null;
  #isOpen = false;
  #isJoined = false;
  /** Flushes waiting for the conversation channel; null means the conversation was abandoned (start another). */
  #joinWaiters: Array<(channel: Channel | null) => void> = [];
  #downWaiters = new Set<() => void>();
  #isFlushing = false;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #retryDelay = 1_000;
  #pendingIdentity: Identity | null = null;
  #pageUrl: string | null = null;
  #typingSentAt = 0;
  #typingIdle: ReturnType<typeof setTimeout> | undefined;
  #remoteTyping: ReturnType<typeof setTimeout> | undefined;
  #seenPushed = 0;
  #lastUnread = -1;
  #hasForgottenConversation = false;
  #hasNotice = false;
  /** Idempotency key of the customer being created, for the body it was chosen for (a changed body is a new request). */
  #customerKey: { body: string; key: string } | null = null;
  /** Idempotency key of the conversation being created, for the customer it was chosen for. */
  #conversationKey: { customerId: string; key: string } | null = null;
  /** Highest seq known to have nothing public missing below it beyond what we hold (gaps checked). */
  #checkedThrough = 0;
  /** Gaps whose fill failed (offline): tried again after the next join. */
  #pendingGaps: Array<{ conversationId: string; after: number; before: number }> = [];
  /** The customer last told to the host page (`customer`). */
  #announcedCustomer: string | null = null;
  /** Test hook: lose the reply to the next shout and close the socket right after writing it (outcome unknown). */
  dropAfterNextPush = false;

  constructor(deps: SessionDeps) {
    this.#deps = deps;
    const { accountId } = deps.config;
    this.#visitor = loadVisitor(deps.store, accountId);
    this.#outbox = new Outbox(deps.store, storageKeys(accountId).outbox);
    this.#messages = mergeMessages(
      this.#visitor.messages.map((m) => ({ ...m, status: 'sent' as const })),
      this.#pendingFromOutbox(),
    ).list;
  }

  get messages(): readonly ChatMessage[] {
    return this.#messages;
  }

  get socket(): Socket | null {
    return this.#socket;
  }

  get visitor(): Readonly<VisitorRecord> {
    return this.#visitor;
  }

  get outboxSize(): number {
    return this.#outbox.size;
  }

  /** Restore the visitor, fetch history, connect when there is something to listen to. */
  async start(): Promise<void> {
    const { api, config, view } = this.#deps;
    view.render(this.#messages);
    this.#updateEmailGate();
    this.#announceUnread();
    this.#announceCustomer();
    if (this.#visitor.customerId) {
      try {
        if (!(await api.customerExists(this.#visitor.customerId, config.accountId, this.#visitor.customerToken))) this.#forgetCustomer();
      } catch {
        // Offline or server trouble: keep what we know and find out later.
      }
    }
    // Presence costs a socket per page view: only when the page shows availability or an away message.
    if (config.showAgentAvailability || config.awayMessage) this.#joinRoom();
    else this.#updateAvailability();
    if (this.#visitor.conversationId) {
      await this.#loadHistory();
      this.#joinConversation(this.#visitor.conversationId);
    }
    if (this.#outbox.size > 0) void this.flush();
  }

  /** The visitor pressed send. Empty and whitespace-only messages without files are ignored. */
  send(text: string, attachments: readonly Attachment[] = []): void {
    const body = text.trim();
    if (body === '' && attachments.length === 0) return;
    const entry = this.#outbox.enqueue(body, newClientId(), new Date().toISOString(), attachments);
    this.#apply([this.#pendingMessage(entry)]);
    this.#stopTyping();
    void this.flush();
  }

  /**
   * Upload a file the visitor attached (to send with the next message). Only
   * uploaded files enter the outbox: offline, this fails at once rather than
   * keeping the bytes. Rejects with a message to show the visitor.
   */
  async upload(file: File, onProgress?: (fraction: number) => void): Promise<Attachment> {
    const { api, config } = this.#deps;
    if (typeof navigator !== 'undefined' && navigator.onLine === false) {
      throw new Error('You are offline. Attach the file again when the connection is back.');
    }
    if (file.type && !UPLOAD_TYPES.has(file.type)) {
      throw new Error(`${file.name}: this type of file cannot be sent (images, PDF, text, CSV, JSON or ZIP only).`);
    }
    try {
      await this.#ensureCustomer();
      return await api.upload(config.accountId, this.#visitor.customerId, this.#visitor.customerToken, file, onProgress);
    } catch (err) {
      if (err instanceof ApiError) {
        if (err.status === 0) throw new Error('You are offline. Attach the file again when the connection is back.');
        if (err.status === 413) throw new Error(`${file.name} is too large to send.`);
        if (err.status === 422) throw new Error(err.message);
      }
      throw new Error(`${file.name} could not be uploaded. Please try again.`);
    }
  }

  /** Put a failed message back in the queue (the visitor pressed "Retry"). */
  retry(clientMessageId: string): void {
    const failed = this.#messages.find((m) => m.clientMessageId === clientMessageId && m.status === 'failed');
    if (!failed) return;
    this.#messages = this.#messages.filter((m) => m !== failed);
    const entry = this.#outbox.enqueue(failed.body, clientMessageId, failed.sentAt ?? new Date().toISOString(), failed.attachments);
    this.#apply([this.#pendingMessage(entry)]);
    void this.flush();
  }

  /** The panel was opened or closed by the host page. */
  setOpen(isOpen: boolean): void {
    this.#isOpen = isOpen;
    this.markRead();
  }

  /** The visitor can see the transcript now: agent messages count as read and the server hears `messages:seen`. */
  markRead(): void {
    if (!this.#isOpen || document.visibilityState === 'hidden') return;
    const seq = lastIncomingSeq(this.#messages);
    if (seq > this.#visitor.readSeq) {
      this.#visitor.readSeq = seq;
      this.#save();
    }
    this.#announceUnread();
    this.#pushSeen();
  }

  setPageUrl(url: string): void {
    this.#pageUrl = url;
  }

  /** Host page `Netia.identify(...)`: find or update the customer; another person's identity starts afresh. */
  async identify(identity: Identity): Promise<void> {
    const { api, config, view } = this.#deps;
    const key = identity.external_id ?? identity.email ?? null;
    if (key && this.#visitor.identityKey && key !== this.#visitor.identityKey) this.#forgetCustomer();
    this.#pendingIdentity = { ...this.#pendingIdentity, ...identity };
    if (key) this.#visitor.identityKey = key;
    if (identity.email) this.#visitor.email = identity.email;
    this.#save();
    this.#updateEmailGate();
    try {
      if (identity.external_id) {
        const known = await api.identify(config.accountId, identity, this.#visitor.customerToken);
        if (known && known.id !== this.#visitor.customerId) this.#adoptCustomer(known.id, known.customerToken);
        else if (known?.customerToken && !this.#visitor.customerToken) this.#visitor.customerToken = known.customerToken;
      }
      if (this.#visitor.customerId) {
        await api.updateCustomer(
          this.#visitor.customerId,
          config.accountId,
          this.#customerFields(),
          identity.user_hash,
          this.#visitor.customerToken,
        );
        if (!this.#conv) {
          await this.#loadHistory();
          if (this.#visitor.conversationId) this.#joinConversation(this.#visitor.conversationId);
        }
      }
      view.showNotice(null);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 401 || err.status === 403)) {
        view.showNotice('We could not verify your identity. Please reload the page.');
      }
    }
    if (this.#outbox.size > 0) void this.flush();
  }

  /** The visitor typed in the composer: tell the agents, at most every few seconds. */
  typing(): void {
    if (!this.#isJoined || !this.#conv) return;
    const now = Date.now();
    if (now - this.#typingSentAt > TYPING_THROTTLE_MS) {
      this.#typingSentAt = now;
      this.#conv.push(EVENTS.typing, { typing: true });
    }
    clearTimeout(this.#typingIdle);
    this.#typingIdle = setTimeout(() => this.#stopTyping(), TYPING_IDLE_MS);
  }

  /** The email form (requireEmailUpfront) was submitted. */
  async submitEmail(email: string): Promise<void> {
    await this.identify({ email });
  }

  /** `Netia.shutdown()`: forget the visitor in this browser and close the connection. */
  shutdown(): void {
    this.#leaveConversation();
    this.#room?.leave();
    this.#room = null;
    this.#socket?.disconnect();
    this.#socket = null;
    clearTimeout(this.#retryTimer);
    this.#outbox.clear();
    clearVisitor(this.#deps.store, this.#deps.config.accountId);
    this.#visitor = loadVisitor(this.#deps.store, this.#deps.config.accountId);
    this.#pendingIdentity = null;
    this.#messages = [];
    this.#deps.view.render(this.#messages);
    this.#updateEmailGate();
    this.#announceUnread();
  }

  /** Whether the email form must be filled before chatting. */
  get isEmailRequired(): boolean {
    return this.#deps.config.requireEmailUpfront && !this.#visitor.email;
  }

  // --- sending --------------------------------------------------------------

  /** Send everything in the outbox, in order; returns when the outbox is empty or sending must wait. */
  async flush(): Promise<void> {
    if (this.#isFlushing || this.isEmailRequired) return;
    this.#isFlushing = true;
    clearTimeout(this.#retryTimer);
    try {
      for (let entry = this.#outbox.peek(); entry; entry = this.#outbox.peek()) {
        await this.#ensureConversation();
        const channel = await this.#joined();
        if (!channel) continue;
        const outcome = await this.#pushShout(channel, entry);
        if (outcome.kind === 'ok') {
          this.#outbox.remove(entry.clientMessageId);
          this.#retryDelay = 1_000;
          this.#merge([outcome.message], { isOwn: true });
        } else if (outcome.kind === 'refused' || entry.attempts + 1 >= MAX_ATTEMPTS) {
          this.#outbox.remove(entry.clientMessageId);
          const reason = outcome.kind === 'refused' ? outcome.reason : 'Not sent';
          this.#apply([{ ...this.#pendingMessage(entry), status: 'failed', error: reason }]);
        } else {
          this.#outbox.markAttempt(entry.clientMessageId);
          // Unknown outcome: wait for the channel to be back (or a moment, if it never went down), then resend.
          // A server that said when to come back (busy, Temporal unreachable) is not asked again sooner.
          if (this.#isJoined || outcome.retryAfterSeconds !== undefined) await this.#delay(outcome.retryAfterSeconds);
        }
      }
    } catch (err) {
      if (err instanceof ApiError && !err.isTransient) {
        // The server refuses to create the customer or conversation (e.g. identity verification): say so, keep the queue.
        this.#deps.view.showNotice(
          err.status === 401 || err.status === 403 ? 'We could not verify your identity.' : 'Messages cannot be sent right now.',
        );
      }
      this.#scheduleRetry(err instanceof ApiError ? err.retryAfterSeconds : undefined);
    } finally {
      this.#isFlushing = false;
    }
  }

  #scheduleRetry(retryAfterSeconds?: number): void {
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => void this.flush(), resendDelayMs(this.#retryDelay, retryAfterSeconds));
    this.#retryDelay = Math.min(this.#retryDelay * 2, 30_000);
  }

  /** The backoff (doubling up to 30 s) or the server's `retry_after` when longer, with jitter (`resendDelayMs`). */
  #delay(retryAfterSeconds?: number): Promise<void> {
    const ms = resendDelayMs(this.#retryDelay, retryAfterSeconds);
    this.#retryDelay = Math.min(this.#retryDelay * 2, 30_000);
    if (this.#deps.wait) return this.#deps.wait(ms);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  #pushShout(channel: Channel, entry: OutboxEntry): Promise<PushOutcome> {
    const isDropped = this.dropAfterNextPush;
    this.dropAfterNextPush = false;
    return new Promise((resolve) => {
      let isDone = false;
      const finish = (outcome: PushOutcome): void => {
        if (isDone) return;
        isDone = true;
        this.#downWaiters.delete(onDown);
        resolve(outcome);
      };
      const onDown = (): void => finish({ kind: 'lost' });
      this.#downWaiters.add(onDown);
      channel
        .push(
          EVENTS.shout,
          {
            body: entry.body,
            client_message_id: entry.clientMessageId,
            sent_at: entry.sentAt,
            customer_id: this.#visitor.customerId,
            ...(entry.attachments?.length ? { file_ids: entry.attachments.map((a) => a.id) } : {}),
          },
          PUSH_TIMEOUT_MS,
        )
        .receive('ok', (reply: unknown) => finish(isDropped ? { kind: 'lost' } : { kind: 'ok', message: reply }))
        .receive('error', (reply?: { reason?: unknown; errors?: unknown; retry_after?: unknown }) => {
          // Field errors are final (too long, empty); anything else may pass on a later try, no
          // sooner than the server's `retry_after` when it gave one.
          if (reply && typeof reply.errors === 'object' && reply.errors !== null) {
            finish({ kind: 'refused', reason: typeof reply.reason === 'string' ? reply.reason : 'Refused' });
          } else if (typeof reply?.retry_after === 'number' && reply.retry_after > 0) {
            finish({ kind: 'lost', retryAfterSeconds: reply.retry_after });
          } else finish({ kind: 'lost' });
        })
        .receive('timeout', () => finish({ kind: 'lost' }));
      if (isDropped) this.#socket?.disconnect();
    });
  }

  async #ensureCustomer(): Promise<string> {
    const { api, config } = this.#deps;
    if (!this.#visitor.customerId) {
      const identity = this.#pendingIdentity;
      const fields = this.#customerFields();
      const body = JSON.stringify([fields, identity?.user_hash ?? null]);
      if (this.#customerKey?.body !== body) this.#customerKey = { body, key: newClientId() };
      const created = await api.createCustomer(config.accountId, fields, identity?.user_hash, this.#customerKey.key);
      this.#customerKey = null;
      this.#visitor.customerId = created.id;
      this.#visitor.customerToken = created.customerToken;
      this.#save();
    }
    return this.#visitor.customerId;
  }

  async #ensureConversation(): Promise<void> {
    const { api, config } = this.#deps;
    const customerId = await this.#ensureCustomer();
    if (!this.#visitor.conversationId) {
      // Created without a message, then joined, then the first message is a shout: so the visitor
      // is listening before any reply (the original could miss the first bot reply: Q12).
      let id: string;
      if (this.#conversationKey?.customerId !== customerId) this.#conversationKey = { customerId, key: newClientId() };
      try {
        id = await api.createConversation(
          config.accountId,
          customerId,
          config.inboxId,
          this.#visitor.customerToken,
          this.#conversationKey.key,
        );
        this.#conversationKey = null;
      } catch (err) {
        if (err instanceof ApiError && err.status === 422) {
          // The customer is gone (deleted by an agent): the retry starts with a new one.
          this.#forgetCustomer();
          throw new ApiError(0, err.message);
        }
        throw err;
      }
      this.#visitor.conversationId = id;
      this.#visitor.readSeq = 0;
      this.#visitor.notifiedSeq = 0;
      this.#save();
    }
    if (this.#convId !== this.#visitor.conversationId) this.#joinConversation(this.#visitor.conversationId);
  }

  #joined(): Promise<Channel | null> {
    if (this.#isJoined && this.#conv) return Promise.resolve(this.#conv);
    return new Promise((resolve) => this.#joinWaiters.push(resolve));
  }

  #wakeJoinWaiters(channel: Channel | null): void {
    const waiters = this.#joinWaiters;
    this.#joinWaiters = [];
    for (const w of waiters) w(channel);
  }

  #customerFields(): Record<string, unknown> {
    const identity = this.#pendingIdentity ?? {};
    const page = this.#pageUrl ? safeUrl(this.#pageUrl) : null;
    const nav = typeof navigator === 'undefined' ? undefined : navigator;
    return {
      ...(identity.email || this.#visitor.email ? { email: identity.email ?? this.#visitor.email } : {}),
      ...(identity.name ? { name: identity.name } : {}),
      ...(identity.phone ? { phone: identity.phone } : {}),
      ...(identity.external_id ? { external_id: identity.external_id } : {}),
      metadata: { ...this.#deps.config.metadata, ...identity.metadata },
      ...(page ? { current_url: page.href, host: page.host, pathname: page.pathname } : {}),
      ...(nav ? { browser_language: nav.language } : {}),
      time_zone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      lib: 'netia-widget',
    };
  }

  // --- receiving ------------------------------------------------------------

  #ensureSocket(): Socket {
    if (this.#socket) return this.#socket;
    const { config, view } = this.#deps;
    const socket = new Socket(this.#deps.socketUrl, {
      params: { account_id: config.accountId, ...(config.inboxId ? { inbox_id: config.inboxId } : {}) },
      heartbeatIntervalMs: 30_000,
      reconnectAfterMs: (tries: number) => [250, 500, 1_000, 2_000][tries - 1] ?? 5_000,
      rejoinAfterMs: (tries: number) => [300, 1_000, 2_000][tries - 1] ?? 5_000,
      // phoenix reads window.sessionStorage otherwise, which throws in a third-party frame whose storage is blocked.
      sessionStorage: new MemoryStore(),
    });
    socket.onOpen(() => view.setConnection('online'));
    socket.onClose(() => {
      view.setConnection('offline');
      this.#channelDown();
    });
    socket.onError(() => view.setConnection('offline'));
    socket.connect();
    this.#socket = socket;
    return socket;
  }

  #joinConversation(conversationId: string): void {
    this.#leaveConversation();
    const socket = this.#ensureSocket();
    this.#convId = conversationId;
    // Params are read at every (re)join, so a rejoin asks for exactly what this page has not seen.
    const channel = socket.channel(conversationTopic(conversationId), () => ({
      customer_id: this.#visitor.customerId,
      ...(this.#visitor.customerToken ? { customer_token: this.#visitor.customerToken } : {}),
      last_seq: lastSeq(this.#messages),
    }));
    channel.on(EVENTS.shout, (payload: unknown) => this.#onShout(payload));
    channel.on(EVENTS.typing, (payload: unknown) => this.#onRemoteTyping(payload));
    channel.onError(() => this.#channelDown());
    channel
      .join()
      .receive('ok', (response: unknown) => {
        if (this.#conv !== channel) return;
        const missed = field(response, 'messages');
        if (Array.isArray(missed)) this.#merge(missed);
        this.#isJoined = true;
        this.#retryDelay = 1_000;
        this.#deps.view.setConnection('online');
        if (this.#hasNotice) this.#deps.view.showNotice(null);
        this.#hasNotice = false;
        this.#wakeJoinWaiters(channel);
        this.#seenPushed = 0;
        this.markRead();
        for (const gap of this.#pendingGaps.splice(0)) {
          if (gap.conversationId === this.#visitor.conversationId) void this.#fillGap(gap.after, gap.before);
        }
        void this.flush();
      })
      .receive('error', (reply?: { reason?: string }) => {
        if (this.#conv !== channel) return;
        if (reply?.reason === 'unauthorized' && !this.#hasForgottenConversation) {
          // The conversation is gone for this visitor (archived, deleted): the next message starts a new one.
          this.#hasForgottenConversation = true;
          this.#leaveConversation();
          this.#visitor.conversationId = null;
          this.#messages = this.#messages.filter((m) => m.status !== 'sent');
          this.#save();
          this.#deps.view.render(this.#messages);
          this.#wakeJoinWaiters(null);
        } else if (!this.#hasNotice) {
          // Refused again (origin not allowed, rate limited…): phoenix keeps retrying; the queue waits.
          this.#hasNotice = true;
          this.#deps.view.showNotice('Chat is unavailable right now. Your messages will be sent when it is back.');
        }
      });
    this.#conv = channel;
  }

  #leaveConversation(): void {
    if (this.#conv) this.#conv.leave();
    this.#checkedThrough = 0;
    this.#conv = null;
    this.#convId = null;
    this.#isJoined = false;
  }

  #channelDown(): void {
    this.#isJoined = false;
    const waiters = [...this.#downWaiters];
    this.#downWaiters.clear();
    for (const w of waiters) w();
  }

  #joinRoom(): void {
    const socket = this.#ensureSocket();
    const room = socket.channel(roomTopic(this.#deps.config.accountId), {});
    const presence = new Presence(room);
    presence.onSync(() => {
      this.#presenceKeys = presence.list((key: string) => key);
      this.#updateAvailability();
    });
    room
      .join()
      .receive('ok', () => this.#updateAvailability())
      .receive('error', () => {
        // This server does not offer the presence room to visitors: working hours alone decide.
        room.leave();
        this.#room = null;
        this.#presenceKeys = null;
        this.#updateAvailability();
      });
    this.#room = room;
    this.#updateAvailability();
  }

  #updateAvailability(): void {
    this.#deps.view.setAvailability(
      isAgentAvailable({ presenceKeys: this.#presenceKeys, isOutsideWorkingHours: this.#deps.config.isOutsideWorkingHours }),
    );
  }

  async #loadHistory(): Promise<void> {
    const { api, config, store } = this.#deps;
    if (!this.#visitor.customerId) return;
    // A server without the route answers every visit the same: ask again a day later, not on each page.
    const missingKey = `${storagePrefix(config.accountId)}history-route-missing`;
    const missingAt = Number(store.getItem(missingKey) ?? 0);
    if (Date.now() - missingAt < 86_400_000) return;
    try {
      const conversations = await api.customerConversations(this.#visitor.customerId, config.accountId, this.#visitor.customerToken);
      if (!conversations) {
        store.setItem(missingKey, String(Date.now()));
        return;
      }
      const current =
        conversations.find((c) => c.id === this.#visitor.conversationId) ?? (this.#visitor.conversationId ? undefined : conversations[0]);
      if (!current) return;
      if (!this.#visitor.conversationId) {
        this.#visitor.conversationId = current.id;
        this.#save();
      }
      this.#merge(current.messages);
    } catch {
      // The rejoin's catch-up (last_seq) still brings what is missing.
    }
  }

  /** A live message: merged at once; when its seq leaves a gap after what we hold, the gap is fetched. */
  #onShout(payload: unknown): void {
    const { seq: rawSeq, conversation_id: conversationId } = readServerMessage(payload);
    const seq = typeof rawSeq === 'number' && Number.isInteger(rawSeq) ? rawSeq : null;
    const convId = this.#visitor.conversationId;
    const isOurs = typeof conversationId !== 'string' || convId === null || conversationId === convId;
    const known = Math.max(lastSeq(this.#messages), this.#checkedThrough);
    const hasGap = isOurs && seq !== null && known > 0 && seq > known + 1;
    this.#merge([payload]);
    if (hasGap) void this.#fillGap(known, seq);
  }

  /** Fetch the public messages with after < seq < before (newest first, page by page) and merge them in. */
  async #fillGap(after: number, before: number): Promise<void> {
    const { api, config } = this.#deps;
    const convId = this.#visitor.conversationId;
    const customerId = this.#visitor.customerId;
    if (!convId || !customerId) return;
    let upper = before;
    try {
      for (let page = 0; page < GAP_MAX_PAGES && upper > after + 1; page++) {
        const limit = Math.min(upper - after - 1, GAP_PAGE);
        const rows = await api.messagesBefore(customerId, config.accountId, this.#visitor.customerToken, convId, upper, limit);
        if (this.#visitor.conversationId !== convId) return;
        this.#merge(rows);
        const seqs = rows.map((m) => readServerMessage(m).seq).filter((n): n is number => typeof n === 'number' && Number.isInteger(n));
        if (rows.length < limit || seqs.length === 0) break;
        upper = Math.min(...seqs);
      }
      this.#checkedThrough = Math.max(this.#checkedThrough, before);
    } catch {
      this.#pendingGaps.push({ conversationId: convId, after, before });
    }
  }

  /** Server JSON (shout, push reply, join reply, history) into the transcript; other conversations' messages are ignored. */
  #merge(incoming: readonly unknown[], opts: { isOwn?: boolean } = {}): void {
    const convId = this.#visitor.conversationId;
    const parsed: ChatMessage[] = [];
    for (const m of incoming) {
      const msg = fromServer(m);
      if (!msg || (msg.conversationId && convId && msg.conversationId !== convId)) continue;
      parsed.push(msg);
    }
    this.#apply(parsed, opts);
  }

  #apply(parsed: readonly ChatMessage[], opts: { isOwn?: boolean } = {}): void {
    if (parsed.length === 0) return;
    const { list, added } = mergeMessages(this.#messages, parsed);
    this.#messages = list;
    const stored = parsed.filter((m) => m.status === 'sent');
    if (stored.length > 0) {
      if (stored.some((m) => m.from !== 'customer')) this.#deps.view.setTyping(null);
      this.#notifyHost(opts.isOwn ? stored : added.filter((m) => m.status === 'sent'), opts.isOwn === true);
      this.#save();
    }
    this.#deps.view.render(this.#messages);
    this.markRead();
    this.#announceUnread();
  }

  #notifyHost(messages: readonly ChatMessage[], isOwn: boolean): void {
    for (const m of messages) {
      if (m.seq === null || m.id === null) continue;
      if (m.from === 'customer' && !isOwn) continue;
      if (m.from !== 'customer') {
        if (m.seq <= this.#visitor.notifiedSeq) continue;
        this.#visitor.notifiedSeq = m.seq;
      }
      const message: PublicMessage = {
        id: m.id,
        seq: m.seq,
        body: m.body,
        from: m.from,
        author: m.author,
        conversation_id: m.conversationId ?? this.#visitor.conversationId ?? '',
        created_at: m.createdAt,
      };
      this.#deps.postToHost({ type: 'message', message });
    }
  }

  #onRemoteTyping(payload: unknown): void {
    const type = field(payload, 'type');
    const name = field(payload, 'name');
    // A customer's own typing is never shown to itself (servers may echo it with our customer id).
    if (type !== 'ai' && field(payload, 'user_id') === undefined && field(payload, 'customer_id') === this.#visitor.customerId) return;
    clearTimeout(this.#remoteTyping);
    if (field(payload, 'typing') === false) {
      this.#deps.view.setTyping(null);
      return;
    }
    // AI: `{typing, type: "ai"}`; agents: `{typing, type: "agent", user_id, name?}` (gateway/protocol/wire `TypingEvent`).
    const who =
      type === 'ai'
        ? this.#deps.config.companyName || 'Assistant'
        : (typeof name === 'string' && name) || this.#deps.config.companyName || 'Support';
    this.#deps.view.setTyping(`${who} is typing…`);
    this.#remoteTyping = setTimeout(() => this.#deps.view.setTyping(null), REMOTE_TYPING_TTL_MS);
  }

  #stopTyping(): void {
    clearTimeout(this.#typingIdle);
    if (this.#typingSentAt === 0) return;
    this.#typingSentAt = 0;
    if (this.#isJoined && this.#conv) this.#conv.push(EVENTS.typing, { typing: false });
  }

  #pushSeen(): void {
    const seq = this.#visitor.readSeq;
    if (!this.#isJoined || !this.#conv || seq <= this.#seenPushed) return;
    this.#seenPushed = seq;
    this.#conv.push(EVENTS.messagesSeen, { seq });
  }

  #announceUnread(): void {
    const count = countUnread(this.#messages, this.#visitor.readSeq);
    if (count === this.#lastUnread) return;
    this.#lastUnread = count;
    this.#deps.postToHost({ type: 'unread', count });
  }

  // --- visitor record --------------------------------------------------------

  /** Identify named a customer this browser did not know: continue as that customer (their latest conversation comes from history). */
  #adoptCustomer(customerId: string, customerToken: string | null): void {
    this.#leaveConversation();
    this.#visitor = { ...this.#visitor, customerId, customerToken, conversationId: null, readSeq: 0, notifiedSeq: 0, messages: [] };
    this.#messages = this.#messages.filter((m) => m.status !== 'sent');
    this.#save();
    this.#deps.view.render(this.#messages);
  }

  #forgetCustomer(): void {
    this.#leaveConversation();
    const { email, identityKey } = this.#visitor;
    this.#visitor = {
      customerId: null,
      customerToken: null,
      conversationId: null,
      readSeq: 0,
      notifiedSeq: 0,
      email,
      identityKey,
      messages: [],
    };
    this.#messages = this.#messages.filter((m) => m.status !== 'sent');
    this.#save();
    this.#deps.view.render(this.#messages);
  }

  #save(): void {
    this.#visitor.messages = this.#deps.cacheTranscript ? cacheable(this.#messages) : [];
    saveVisitor(this.#deps.store, this.#deps.config.accountId, this.#visitor);
    this.#announceCustomer();
  }

  /** Tell the host page the visitor's customer when it is new (the session-replay recorder identifies its session with it). */
  #announceCustomer(): void {
    const { customerId, customerToken } = this.#visitor;
    if (!customerId || customerId === this.#announcedCustomer) return;
    this.#announcedCustomer = customerId;
    this.#deps.postToHost({ type: 'customer', customerId, customerToken });
  }

  #updateEmailGate(): void {
    this.#deps.view.setEmailGate(this.isEmailRequired);
  }

  #pendingFromOutbox(): ChatMessage[] {
    return this.#outbox.list().map((e) => this.#pendingMessage(e));
  }

  #pendingMessage(entry: OutboxEntry): ChatMessage {
    return {
      id: null,
      seq: null,
      clientMessageId: entry.clientMessageId,
      body: entry.body,
      from: 'customer',
      author: null,
      sentAt: entry.sentAt,
      createdAt: null,
      conversationId: this.#visitor?.conversationId ?? null,
      status: 'pending',
      ...(entry.attachments?.length ? { attachments: entry.attachments } : {}),
    };
  }
}

function safeUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
