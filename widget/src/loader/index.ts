/**
 * @module widget/loader
 * `/widget.js`: the script a website embeds. It defines one global, `Netia`,
 * and adds one element, `<netia-chat-widget>`, whose shadow root holds the
 * launcher button and the iframe of the `/chat` page (served by the gateway,
 * on the gateway's origin). Host and iframe talk only through `postMessage`,
 * each checking the other's origin and window.
 *
 *   <script src="https://chat.example.com/widget.js" data-token="ACCOUNT_ID" async></script>
 *
 * or, before the script has loaded:
 *
 *   window.Netia = window.Netia || function () { (Netia.q = Netia.q || []).push(arguments) };
 *   Netia('init', { token: 'ACCOUNT_ID', title: 'Support' });
 */
import { readChatMessage, sanitizeIdentity, storagePrefix, wrap, type HostToChat, type Identity } from '../shared/bridge.js';
import { textColorOn } from '../shared/color.js';
import type { PublicWidgetSettings } from '../../../gateway/protocol/wire/index.js';
import { buildChatUrl, chatBase, chatPage, optionsFromDataset, safeUrl, type NetiaOptions } from './options.js';
import { HOST_STYLE, ICONS, SHADOW_CSS } from './styles.js';
import { RECORDER_EVENT, type RecorderHandle, type ReplayCustomer, type StartRecorder } from '../replay/handoff.js';
import { decideSampled, isPathExcluded, readReplaySettings, replayKey } from '../replay/policy.js';

/** `assets/recorder-<hash>.js`, named by the build (widget/vite.config.ts). */
declare const __NETIA_RECORDER_FILE__: string;

/** The stored settings the loader itself applies (the chat page reads the rest). */
type LauncherSettings = Partial<
  Pick<
    PublicWidgetSettings,
    'is_open_by_default' | 'custom_icon_url' | 'iframe_url_override' | 'icon_variant' | 'new_messages_notification_text' | 'title'
  >
> & {
  /** Session replay (issue #20): read by `readReplaySettings`. */
  session_replay?: unknown;
};

const SETTINGS_TIMEOUT_MS = 8_000;

type EventName = 'message' | 'open' | 'close' | 'unread' | 'ready';
type Listener = (payload?: unknown) => void;

interface Widget {
  host: HTMLElement;
  box: HTMLElement;
  button: HTMLButtonElement;
  badge: HTMLElement;
  /** The new-messages notice next to the launcher. */
  notice: HTMLButtonElement;
  noticeText: string;
  panel: HTMLElement;
  iframe: HTMLIFrameElement;
  /** Origin of the framed chat page ('' until the settings decided which page that is: nothing is accepted before). */
  chatOrigin: string;
  /** The host-storage key remembering that the visitor closed the panel. */
  closedKey: string;
  isReady: boolean;
  isOpen: boolean;
  unread: number;
  queue: HostToChat[];
  onMessage: (e: MessageEvent) => void;
  onKey: (e: KeyboardEvent) => void;
  onShutdown?: () => void;
  /** The visitor's customer, as the chat page last told (the recorder identifies its session with it). */
  customer: ReplayCustomer | null;
  /** The session-replay recorder, once its chunk has loaded and started. */
  recorder?: RecorderHandle;
  /** The "this page may be recorded" notice, while recording. */
  recNotice?: HTMLElement;
}

interface NetiaApi {
  (method: string, ...args: unknown[]): unknown;
  init(opts?: NetiaOptions): void;
  open(focus?: boolean): void;
  close(): void;
  toggle(): void;
  isOpen(): boolean;
  identify(identity: Identity): void;
  shutdown(): Promise<void>;
  on(event: EventName, fn: Listener): () => void;
  off(event: EventName, fn: Listener): void;
  readonly version: string;
}

/** `window.Netia`: the snippet's queue (`q`) before this script runs, the API (with `version`) after. */
const win: Window & { Netia?: { q?: ArrayLike<unknown>[]; version?: string } } = window;

if (!win.Netia?.version) {
  const script = document.currentScript as HTMLScriptElement | null;
  const scriptSrc = script?.src || undefined;
  const listeners: Partial<Record<EventName, Set<Listener>>> = {};
  let widget: Widget | null = null;

  const emit = (name: EventName, payload?: unknown): void => {
    for (const fn of listeners[name] ?? []) {
      try {
        fn(payload);
      } catch (err) {
        // A host listener's error must not break the widget; rethrow it outside our stack.
        setTimeout(() => {
          throw err;
        });
      }
    }
  };

  const send = (w: Widget, msg: HostToChat): void => {
    if (w.isReady && w.iframe.contentWindow) w.iframe.contentWindow.postMessage(wrap(msg), w.chatOrigin);
    else w.queue.push(msg);
  };

  const setColor = (w: Widget, color: string): void => {
    if (typeof CSS !== 'undefined' && CSS.supports && !CSS.supports('color', color)) return;
    w.box.style.setProperty('--netia-color', color);
    w.box.style.setProperty('--netia-on-color', textColorOn(color));
  };

  const setUnread = (w: Widget, count: number): void => {
    // A new message while the panel is closed: say so next to the launcher until it is opened or read.
    if (count > w.unread && !w.isOpen) {
      w.notice.textContent = w.noticeText;
      w.notice.hidden = false;
    }
    if (count === 0 || w.isOpen) w.notice.hidden = true;
    w.unread = count;
    w.badge.textContent = count > 9 ? '9+' : String(count);
    w.badge.hidden = count === 0;
    w.button.setAttribute(
      'aria-label',
      (w.isOpen ? 'Close chat' : 'Open chat') + (count > 0 ? `, ${count} unread message${count > 1 ? 's' : ''}` : ''),
    );
  };

  const el = <K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string>): HTMLElementTagNameMap[K] => {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    return node;
  };

  /** Write (or with null remove) a key of the host's localStorage; storage may be blocked. */
  const hostStore = (key: string, value: string | null): void => {
    try {
      if (value === null) localStorage.removeItem(key);
      else localStorage.setItem(key, value);
    } catch {
      /* quota or blocked */
    }
  };

  const hostRead = (key: string): string | null => {
    try {
      return localStorage.getItem(key);
    } catch {
      return null;
    }
  };

  /** The account's stored widget settings, or {} when they cannot be had in time (host CSP, network). */
  const fetchSettings = (base: string, opts: NetiaOptions, account: string): Promise<LauncherSettings> => {
    const q = new URLSearchParams({ account_id: account });
    if (opts.inbox) q.set('inbox_id', opts.inbox);
    const abort = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = setTimeout(() => abort?.abort(), SETTINGS_TIMEOUT_MS);
    return fetch(`${base}/api/widget_settings?${q.toString()}`, { credentials: 'omit', signal: abort?.signal })
      .then((res) => (res.ok ? (res.json() as Promise<{ data?: unknown }>) : null))
      .then((body) => (body && typeof body.data === 'object' && body.data ? (body.data as LauncherSettings) : {}))
      .catch(() => ({}))
      .finally(() => clearTimeout(timer));
  };

  /** sessionStorage of the host page (per tab); storage may be blocked. */
  const tabStore = (key: string, value?: string): string | null => {
    try {
      if (value !== undefined) sessionStorage.setItem(key, value);
      return sessionStorage.getItem(key);
    } catch {
      return null;
    }
  };

  /**
   * Tell the visitor this page is recorded (`text`), or stop telling (null): a note next to the
   * launcher, announced by screen readers, that the visitor may hide for this tab session; the
   * launcher stays described by it either way.
   */
  const showRecording = (w: Widget, account: string, text: string | null): void => {
    w.recNotice?.remove();
    w.recNotice = undefined;
    w.button.removeAttribute('aria-describedby');
    if (text === null || widget !== w) return;
    const rec = el('div', { class: 'rec', id: 'netia-rec', 'data-testid': 'netia-recording-notice' });
    const label = el('span', { class: 'rec-text' });
    label.textContent = text;
    const hide = el('button', { type: 'button', class: 'rec-hide', 'aria-label': 'Hide the recording notice' });
    hide.textContent = String.fromCharCode(215); // ×, whatever charset the host page gives this script
    rec.append(label, hide);
    const hiddenKey = replayKey(account, 'notice');
    hide.addEventListener('click', () => {
      tabStore(hiddenKey, 'hidden');
      label.className = 'rec-text is-hidden';
      hide.remove();
      w.button.focus();
    });
    if (tabStore(hiddenKey) === 'hidden') {
      label.className = 'rec-text is-hidden';
      hide.remove();
    }
    w.recNotice = rec;
    w.box.querySelector('.live')?.append(rec);
    w.button.setAttribute('aria-describedby', 'netia-rec');
  };

  /**
   * Session replay (issue #20): add the recorder chunk when the account records, this page is
   * not excluded and this tab session was sampled (decided once, kept in sessionStorage).
   * Nothing is loaded otherwise.
   */
  const startReplay = (w: Widget, base: string, account: string, raw: unknown): void => {
    const settings = readReplaySettings(raw);
    if (!settings || isPathExcluded(location.pathname, settings.excludedPaths)) return;
    const sampledKey = replayKey(account, 'sampled');
    const { sampled, store } = decideSampled(settings.sampleRate, tabStore(sampledKey));
    tabStore(sampledKey, store);
    if (!sampled) return;
    const script = el('script', { src: `${base}/widget/${__NETIA_RECORDER_FILE__}`, async: '' });
    script.addEventListener(
      RECORDER_EVENT,
      (e) => {
        if (widget !== w) return;
        const start = (e as CustomEvent<StartRecorder>).detail;
        w.recorder = start({
          base,
          accountId: account,
          settings,
          customer: w.customer,
          onRecording: (on) => showRecording(w, account, on ? settings.noticeText : null),
        });
      },
      { once: true },
    );
    (document.head ?? document.documentElement).append(script);
  };

  /** This account's keys in the host's localStorage (only used when the iframe is denied its own storage). */
  const hostItems = (prefix: string): Record<string, string> => {
    const items: Record<string, string> = {};
    try {
      for (let i = 0; i < localStorage.length; i++) {
        const key = localStorage.key(i);
        if (key && key.startsWith(prefix)) items[key] = localStorage.getItem(key) ?? '';
      }
    } catch {
      /* storage blocked here too: the chat keeps the visitor in memory */
    }
    return items;
  };

  const mount = (opts: NetiaOptions): Widget | null => {
    const base = chatBase(opts, scriptSrc, location.href);
    const account = (opts.token ?? opts.accountId ?? '').trim();
    if (!account) {
      console.warn('Netia: no account id; add data-token="<account id>" to the script tag or pass { token } to Netia.init');
      return null;
    }
    const host = document.createElement('netia-chat-widget');
    host.style.cssText = HOST_STYLE;
    const root = host.attachShadow({ mode: 'open' });
    if (typeof CSSStyleSheet === 'function' && 'adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
      // Constructed sheets also work under a host CSP without 'unsafe-inline'.
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(SHADOW_CSS);
      root.adoptedStyleSheets = [sheet];
    } else {
      const style = document.createElement('style');
      style.textContent = SHADOW_CSS;
      root.append(style);
    }
    const title = opts.title || 'Chat';
    const prefix = storagePrefix((opts.token ?? opts.accountId ?? '').trim().toLowerCase());
    // The launcher stays invisible until the settings say what it looks like (no flash of the default icon).
    const box = el('div', { class: opts.hideLauncher ? 'netia is-pending is-hidden-launcher' : 'netia is-pending' });
    const panel = el('div', { class: 'panel', id: 'netia-panel', role: 'dialog', 'aria-label': title });
    panel.hidden = true;
    const iframe = el('iframe', { title, allow: 'clipboard-write' });
    panel.append(iframe);
    const button = el('button', {
      type: 'button',
      class: 'launcher',
      'aria-controls': 'netia-panel',
      'aria-expanded': 'false',
      'aria-label': 'Open chat',
    });
    button.innerHTML = ICONS;
    const badge = el('span', { class: 'badge', 'aria-hidden': 'true' });
    badge.hidden = true;
    button.append(badge);
    const notice = el('button', { type: 'button', class: 'notice' });
    notice.hidden = true;
    notice.addEventListener('click', () => api.open());
    // Screen readers hear the notice when it appears (the launcher's label also counts unread messages).
    const live = el('div', { class: 'live', 'aria-live': 'polite' });
    live.append(notice);
    box.append(panel, live, button);
    root.append(box);

    const w: Widget = {
      host,
      box,
      button,
      badge,
      notice,
      noticeText: 'View new messages',
      panel,
      iframe,
      chatOrigin: '',
      closedKey: `${prefix}closed`,
      isReady: false,
      isOpen: false,
      unread: 0,
      queue: [],
      customer: null,
      onMessage: (e) => {
        if (e.origin !== w.chatOrigin || e.source !== iframe.contentWindow) return;
        const msg = readChatMessage(e.data);
        if (!msg) return;
        switch (msg.type) {
          case 'ready': {
            w.isReady = true;
            if (!opts.primaryColor && typeof msg.color === 'string') setColor(w, msg.color);
            const queued = w.queue;
            w.queue = [];
            if (msg.needsStorage) send(w, { type: 'storage', items: hostItems(prefix) });
            send(w, { type: 'context', url: location.href });
            for (const m of queued) send(w, m);
            emit('ready');
            break;
          }
          case 'message':
            emit('message', msg.message);
            break;
          case 'unread':
            setUnread(w, msg.count);
            emit('unread', msg.count);
            break;
          case 'close-request':
            api.close();
            break;
          case 'store':
            // Only this account's keys, and nothing huge.
            if (!msg.key.startsWith(prefix) || (msg.value !== null && msg.value.length > 1_000_000)) break;
            hostStore(msg.key, msg.value);
            break;
          case 'shutdown-done':
            w.onShutdown?.();
            break;
          case 'customer':
            w.customer = { id: msg.customerId, token: msg.customerToken };
            w.recorder?.setCustomer(w.customer);
            break;
        }
      },
      onKey: (e) => {
        if (e.key === 'Escape' && w.isOpen && document.activeElement === host) api.close();
      },
    };
    if (opts.primaryColor) setColor(w, opts.primaryColor);
    button.addEventListener('click', () => api.toggle());
    window.addEventListener('message', w.onMessage);
    document.addEventListener('keydown', w.onKey);
    (document.body ?? document.documentElement).append(host);
    void fetchSettings(base, opts, account).then((settings) => configure(w, opts, settings, base, title));
    return w;
  };

  /** Apply the stored settings (the embed code's options win), then frame the chat page. */
  const configure = (w: Widget, opts: NetiaOptions, s: LauncherSettings, base: string, title: string): void => {
    if (widget !== w) return; // shut down meanwhile
    const gatewayOrigin = new URL(base).origin;
    const url = buildChatUrl(
      opts,
      base,
      location.origin,
      chatPage(opts.iframeUrlOverride, s.iframe_url_override, gatewayOrigin, location.origin),
    )!;
    // Messages go to, and are accepted from, exactly the origin of the page actually framed.
    w.chatOrigin = new URL(url).origin;
    w.box.classList.add((opts.iconVariant || s.icon_variant) === 'filled' ? 'v-filled' : 'v-outlined');
    const icon = safeUrl(opts.customIconUrl || s.custom_icon_url, [location.origin, gatewayOrigin]);
    if (icon) {
      // Its alt text names the chat, as the embed code or the settings title it.
      const alt = opts.title || (typeof s.title === 'string' && s.title.trim()) || title;
      const img = el('img', { class: 'icon', src: icon, alt, referrerpolicy: 'no-referrer' });
      // A broken image gives the default icon back.
      img.addEventListener('error', () => {
        img.remove();
        w.box.classList.remove('has-icon');
      });
      w.box.classList.add('has-icon');
      w.button.prepend(img);
    }
    const text = (opts.newMessagesNotificationText || s.new_messages_notification_text || '').trim();
    if (text) w.noticeText = text.slice(0, 120);
    w.box.classList.remove('is-pending');
    // Let the host page finish loading first; the iframe runs while hidden (unread badge, queued messages).
    const load = (): void => {
      w.iframe.src = url;
    };
    if (document.readyState === 'complete') load();
    else window.addEventListener('load', load, { once: true });
    // Open on a first visit, not once the visitor closed it, and not over the whole screen of a phone.
    const byDefault = opts.isOpenByDefault ?? s.is_open_by_default === true;
    if (byDefault && hostRead(w.closedKey) === null && !matchMedia('(max-width:480px)').matches) api.open(false);
    startReplay(w, base, (opts.token ?? opts.accountId ?? '').trim(), s.session_replay);
  };

  const api = Object.assign(
    (method: string, ...args: unknown[]): unknown => {
      const fn: unknown = Reflect.get(api, method);
      return typeof fn === 'function' ? (fn as (...a: unknown[]) => unknown)(...args) : undefined;
    },
    {
      version: '1',
      init(opts: NetiaOptions = {}): void {
        if (widget) return;
        const start = (): void => {
          if (widget) return;
          widget = mount(opts);
          if (opts.customer) api.identify(opts.customer);
          if (opts.open) api.open();
        };
        if (document.body) start();
        else document.addEventListener('DOMContentLoaded', start, { once: true });
      },
      open(focus = true): void {
        const w = widget;
        if (!w || w.isOpen) return;
        w.isOpen = true;
        hostStore(w.closedKey, null);
        w.panel.hidden = false;
        w.box.classList.add('is-open');
        w.button.setAttribute('aria-expanded', 'true');
        setUnread(w, w.unread);
        send(w, { type: 'open' });
        if (focus) w.iframe.focus();
        emit('open');
      },
      close(): void {
        const w = widget;
        if (!w || !w.isOpen) return;
        const hadFocus = document.activeElement === w.host;
        w.isOpen = false;
        hostStore(w.closedKey, '1');
        w.panel.hidden = true;
        w.box.classList.remove('is-open');
        w.button.setAttribute('aria-expanded', 'false');
        setUnread(w, w.unread);
        send(w, { type: 'close' });
        if (hadFocus) w.button.focus();
        emit('close');
      },
      toggle(): void {
        if (widget?.isOpen) api.close();
        else api.open();
      },
      isOpen(): boolean {
        return widget?.isOpen ?? false;
      },
      identify(identity: Identity): void {
        const clean = sanitizeIdentity(identity);
        if (widget && clean) send(widget, { type: 'identify', identity: clean });
      },
      /** Forget the visitor in this browser (e.g. on logout) and remove the widget; `init` may be called again. */
      shutdown(): Promise<void> {
        const w = widget;
        if (!w) return Promise.resolve();
        widget = null;
        hostStore(w.closedKey, null);
        w.recorder?.stop(true);
        return new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            window.removeEventListener('message', w.onMessage);
            document.removeEventListener('keydown', w.onKey);
            w.host.remove();
            resolve();
          };
          const timer = setTimeout(done, 1_500);
          w.onShutdown = done;
          if (w.isReady) send(w, { type: 'shutdown' });
          else done();
        });
      },
      on(event: EventName, fn: Listener): () => void {
        (listeners[event] ??= new Set()).add(fn);
        return () => api.off(event, fn);
      },
      off(event: EventName, fn: Listener): void {
        listeners[event]?.delete(fn);
      },
    },
  ) as NetiaApi;

  const queued = Array.from(win.Netia?.q ?? []);
  win.Netia = api;
  for (const args of queued) {
    const [method, ...rest] = Array.from(args);
    if (typeof method === 'string') api(method, ...rest);
  }
  if (script && (script.dataset.token || script.dataset.accountId)) api.init(optionsFromDataset({ ...script.dataset }));
}
