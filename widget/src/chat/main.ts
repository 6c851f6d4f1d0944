/**
 * @module widget/chat/main
 * Entry of the `/chat` page (the iframe the loader embeds, or a page of its
 * own when opened directly). It talks to the host page only through
 * `postMessage`, to exactly the origin the browser confirms as its parent,
 * and accepts only messages from that window and origin.
 */
import './styles.css';
import { readHostMessage, wrap, type ChatToHost, type HostToChat } from '../shared/bridge.js';
import { createApi } from './api.js';
import { MemoryStore, type KeyValueStore } from './outbox.js';
import { parseChatParams, resolveApiBase, resolveConfig, resolveParentOrigin, type WidgetSettings } from './params.js';
import { ChatSession } from './session.js';
import { HostBackedStore, probeLocalStorage, type StorageKind } from './storage.js';
import { createView } from './view.js';
import { createSurveyPanel } from './survey.js';
import { storageKeys } from './visitor.js';

const SETTINGS_TIMEOUT_MS = 3_000;
const HOST_STORAGE_TIMEOUT_MS = 2_000;

/** How far the page got (`data-netia-boot` on its root element): what a support engineer or a test reads when a chat seems stuck. */
function stage(name: 'view' | 'settings' | 'storage' | 'session' | 'started' | 'failed'): void {
  document.documentElement.dataset.netiaBoot = name;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | null> {
  return Promise.race([promise, new Promise<null>((resolve) => setTimeout(() => resolve(null), ms))]);
}

async function boot(): Promise<void> {
  const params = parseChatParams(new URLSearchParams(location.search));
  const root = document.getElementById('app');
  if (!root) return;
  const initial = resolveConfig(params);
  if (!initial) {
    root.textContent = 'This chat is not configured: the embed code must name an account (data-token).';
    return;
  }
  const isFramed = window.parent !== window;
  const ancestors = location.ancestorOrigins ? Array.from(location.ancestorOrigins) : undefined;
  const parentOrigin = isFramed ? resolveParentOrigin(params.origin, ancestors, document.referrer) : undefined;
  const post = (msg: ChatToHost): void => {
    if (parentOrigin) window.parent.postMessage(wrap(msg), parentOrigin);
  };
  document.documentElement.classList.toggle('is-standalone', !parentOrigin);

  // Host messages can arrive before the session exists: keep them until it does.
  const early: HostToChat[] = [];
  const bridge: { deliver?: (msg: HostToChat) => void; onStorage?: (items: Record<string, string>) => void } = {};
  window.addEventListener('message', (e: MessageEvent) => {
    if (!parentOrigin || e.source !== window.parent || e.origin !== parentOrigin) return;
    const msg = readHostMessage(e.data);
    if (!msg) return;
    if (msg.type === 'storage') bridge.onStorage?.(msg.items);
    else if (bridge.deliver) bridge.deliver(msg);
    else early.push(msg);
  });

  const apiBase = resolveApiBase(params.baseUrl, location.origin);
  let api = createApi(apiBase);
  // The view exists before the session (which renders into it); its actions reach the session once it does. A visitor
  // who sends while the chat is still starting (its settings or the host's storage on the way) is not lost: the
  // send waits for the session, which then shows and sends it.
  const ref: { session?: ChatSession } = {};
  const waiting: Array<(session: ChatSession) => void> = [];
  const withSession = (act: (session: ChatSession) => void): void => {
    if (ref.session) act(ref.session);
    else waiting.push(act);
  };
  const view = createView(
    root,
    initial,
    {
      send: (text, attachments) => withSession((session) => session.send(text, attachments)),
      upload: (file, onProgress) =>
        ref.session ? ref.session.upload(file, onProgress) : Promise.reject(new Error('The chat is still starting. Please try again.')),
      retry: (id) => withSession((session) => session.retry(id)),
      typing: () => ref.session?.typing(),
      submitEmail: (email) => withSession((session) => void session.submitEmail(email)),
      close: () => post({ type: 'close-request' }),
    },
    apiBase,
  );
  view.applyConfig(initial);
  stage('view');

  const settings: WidgetSettings | null = await withTimeout(
    api.widgetSettings(initial.accountId, initial.inboxId),
    SETTINGS_TIMEOUT_MS,
  ).catch(() => null);
  stage('settings');
  const config = resolveConfig(params, settings) ?? initial;
  view.applyConfig(config);
  // The stored base_url (when the embed code gave none) moves the visitor's REST and socket calls, on this origin only.
  const sessionBase = resolveApiBase(params.baseUrl ?? settings?.base_url, location.origin);
  if (sessionBase !== apiBase) api = createApi(sessionBase);

  // The satisfaction survey sits above the composer (issue #21).
  const survey = createSurveyPanel(sessionBase);
  root.querySelector('.composer-area')?.before(survey.element);

  const own = probeLocalStorage();
  const hostItems = own || !parentOrigin ? null : new Promise<Record<string, string>>((resolve) => (bridge.onStorage = resolve));
  post({ type: 'ready', color: config.primaryColor, title: config.title, needsStorage: own === null });
  stage('storage');
  let store: KeyValueStore;
  let storageKind: StorageKind;
  const snapshot = hostItems ? await withTimeout(hostItems, HOST_STORAGE_TIMEOUT_MS) : null;
  if (own) {
    store = own;
    storageKind = 'local';
  } else if (snapshot) {
    store = new HostBackedStore(snapshot, (key, value) => post({ type: 'store', key, value }));
    storageKind = 'host';
  } else {
    store = new MemoryStore();
    storageKind = 'memory';
  }

  const chat = new ChatSession({
    api,
    store,
    config,
    socketUrl: `${sessionBase.replace(/^http/, 'ws')}/socket`,
    view,
    postToHost: post,
    // The transcript copy stays out of the host page's reach: with host-backed storage, history comes from the server.
    cacheTranscript: storageKind === 'local',
    onSurvey: (payload) => survey.offer(payload),
  });
  ref.session = chat;
  stage('session');
  for (const act of waiting.splice(0)) act(chat);

  const handle = (msg: HostToChat): void => {
    switch (msg.type) {
      case 'open':
        chat.setOpen(true);
        view.focus();
        break;
      case 'close':
        chat.setOpen(false);
        break;
      case 'identify':
        void chat.identify(msg.identity);
        break;
      case 'context':
        chat.setPageUrl(msg.url);
        break;
      case 'shutdown':
        chat.shutdown();
        post({ type: 'shutdown-done' });
        break;
      case 'storage':
        break;
    }
  };
  bridge.deliver = handle;
  for (const msg of early.splice(0)) handle(msg);
  document.addEventListener('visibilitychange', () => chat.markRead());
  window.addEventListener('online', () => void chat.flush());
  if (!parentOrigin) chat.setOpen(true);

  if (params.isTest) {
    // Test hooks (tests/widget/): cut and restore this page's socket, lose the next reply, drop the transcript copy.
    const testWindow: Window & { __netiaTest?: unknown } = window;
    testWindow.__netiaTest = {
      disconnect: () => chat.socket?.disconnect(),
      connect: () => chat.socket?.connect(),
      dropAfterNextPush: () => {
        chat.dropAfterNextPush = true;
      },
      clearCachedTranscript: () => {
        const key = storageKeys(config.accountId).visitor;
        const raw = store.getItem(key);
        if (raw) store.setItem(key, JSON.stringify({ ...(JSON.parse(raw) as object), messages: [] }));
      },
      state: () => ({ storage: storageKind, outbox: chat.outboxSize, visitor: chat.visitor, messages: chat.messages }),
    };
  }
  await chat.start();
  stage('started');
  await survey.load(config.accountId, chat.visitor.customerId, chat.visitor.customerToken);
}

boot().catch((err: unknown) => {
  stage('failed');
  document.documentElement.dataset.netiaBootError = String(err).slice(0, 200);
  // Nothing rendered yet: say so instead of leaving a blank frame (later failures are shown by the chat itself).
  const root = document.getElementById('app');
  if (root && !root.hasChildNodes()) root.textContent = 'The chat could not start. Please reload the page.';
  console.error(err);
});
