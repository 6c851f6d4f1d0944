/**
 * @module widget/chat/view
 * The chat panel's DOM, in plain TypeScript (no framework: the page stays
 * small). Text is always set with `textContent`, never parsed as HTML.
 * Messages are keyed by client id (else server id) and updated in place, so
 * the `role="log"` live region announces each new message once.
 */
import { textColorOn } from '../shared/color.js';
import type { ChatConfig } from './params.js';
import type { ChatView } from './session.js';
import type { Attachment, ChatMessage } from './transcript.js';

export interface ViewActions {
  send(text: string, attachments: readonly Attachment[]): void;
  /** Upload a file for the next message; rejects with a message for the visitor. */
  upload(file: File, onProgress: (fraction: number) => void): Promise<Attachment>;
  retry(clientMessageId: string): void;
  typing(): void;
  submitEmail(email: string): void;
  close(): void;
}

type Attrs = Record<string, string | boolean>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false) continue;
    el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children) el.append(c);
  return el;
}

function svgIcon(d: string): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  for (const [k, v] of Object.entries({ viewBox: '0 0 24 24', width: '20', height: '20', 'aria-hidden': 'true', focusable: 'false' }))
    svg.setAttribute(k, v);
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('fill', 'currentColor');
  path.setAttribute('d', d);
  svg.append(path);
  return svg;
}

function timeOf(m: ChatMessage): string {
  const iso = m.createdAt ?? m.sentAt;
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

function sizeLabel(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** A pending upload in the composer tray. */
interface Draft {
  key: number;
  name: string;
  /** 0–1 while uploading; the file once uploaded. */
  progress: number;
  file: Attachment | null;
}

/**
 * `fileBase`: the gateway origin that attachment paths (`file_url`) are relative to.
 */
export function createView(
  root: HTMLElement,
  config: ChatConfig,
  actions: ViewActions,
  fileBase = location.origin,
): ChatView & { focus(): void; applyConfig(c: ChatConfig): void } {
  let cfg = config;
  const title = h('h1', { class: 'title', id: 'netia-title' });
  const subtitle = h('p', { class: 'subtitle' });
  const close = h('button', { type: 'button', class: 'close', 'aria-label': 'Close chat' }, '×');
  close.addEventListener('click', () => actions.close());
  const header = h('header', { class: 'header' }, h('div', { class: 'heading' }, title, subtitle), close);

  const availability = h('p', { class: 'availability', hidden: true });
  const away = h('p', { class: 'away', hidden: true });
  const connection = h('p', { class: 'connection', role: 'status', hidden: true });
  const notice = h('p', { class: 'notice', role: 'alert', hidden: true });

  const greeting = h('div', { class: 'msg from-bot greeting', hidden: true }, h('div', { class: 'bubble' }));
  const log = h(
    'div',
    { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': 'Messages', tabindex: '0' },
    greeting,
  );
  const typingEl = h('p', { class: 'typing', 'aria-live': 'polite', hidden: true });

  const emailInput = h('input', { type: 'email', id: 'netia-email', required: true, autocomplete: 'email' });
  const emailForm = h(
    'form',
    { class: 'email-gate', hidden: true },
    h('label', { for: 'netia-email' }, 'Enter your email to start chatting'),
    h('div', { class: 'row' }, emailInput, h('button', { type: 'submit', class: 'primary' }, 'Start')),
  );
  emailForm.addEventListener('submit', (e) => {
    e.preventDefault();
    const email = emailInput.value.trim();
    if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) actions.submitEmail(email);
    else emailInput.setCustomValidity('Please enter a valid email address');
    emailForm.reportValidity();
  });
  emailInput.addEventListener('input', () => emailInput.setCustomValidity(''));

  const input = h('textarea', { id: 'netia-input', rows: '1', 'aria-label': 'Message', maxlength: '10000' });
  const sendButton = h('button', { type: 'submit', class: 'send', 'aria-label': 'Send message' });
  sendButton.innerHTML =
    '<svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true" focusable="false"><path fill="currentColor" d="M3.4 20.4 21 12 3.4 3.6 3.4 10.1 15 12 3.4 13.9z"/></svg>';
  const fileInput = h('input', { type: 'file', id: 'netia-file', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
  fileInput.setAttribute(
    'accept',
    'image/png,image/jpeg,image/gif,image/webp,application/pdf,text/plain,text/csv,application/zip,application/json,.csv,.zip,.json,.txt,.pdf',
  );
  const attachButton = h('button', { type: 'button', class: 'attach', 'aria-label': 'Attach a file', title: 'Attach a file' });
  attachButton.append(
    svgIcon(
      'M16.5 6.5v10a4.5 4.5 0 0 1-9 0V5a3 3 0 0 1 6 0v10.5a1.5 1.5 0 0 1-3 0V6.5H9v9a3 3 0 0 0 6 0V5a4.5 4.5 0 0 0-9 0v11.5a6 6 0 0 0 12 0v-10z',
    ),
  );
  attachButton.addEventListener('click', () => fileInput.click());
  const tray = h('ul', { class: 'tray', 'aria-label': 'Attachments', hidden: true });
  const uploadStatus = h('p', { class: 'sr-only', role: 'status' });
  const uploadError = h('p', { class: 'upload-error', role: 'alert', hidden: true });
  const composer = h('form', { class: 'composer' }, attachButton, fileInput, input, sendButton);
  const composerArea = h('div', { class: 'composer-area' }, tray, uploadError, uploadStatus, composer);

  let drafts: Draft[] = [];
  let draftKey = 0;
  const isUploading = (): boolean => drafts.some((d) => d.file === null);
  const renderTray = (): void => {
    tray.hidden = drafts.length === 0;
    tray.replaceChildren(
      ...drafts.map((d) => {
        const label = d.file ? `${d.name} (${sizeLabel(d.file.size)})` : `${d.name}: uploading ${Math.round(d.progress * 100)}%`;
        const item = h('li', { class: `draft${d.file ? ' is-ready' : ' is-uploading'}` }, h('span', { class: 'draft-name' }, label));
        if (!d.file) {
          const bar = h('progress', { max: '100', 'aria-label': `Uploading ${d.name}` });
          bar.value = Math.round(d.progress * 100);
          item.append(bar);
        } else {
          const remove = h('button', { type: 'button', class: 'link', 'aria-label': `Remove ${d.name}` }, 'Remove');
          remove.addEventListener('click', () => {
            drafts = drafts.filter((x) => x !== d);
            renderTray();
            input.focus();
          });
          item.append(remove);
        }
        return item;
      }),
    );
    sendButton.disabled = isUploading();
  };
  const showUploadError = (text: string | null): void => {
    uploadError.hidden = text === null;
    uploadError.textContent = text ?? '';
  };
  const attach = (files: Iterable<File>): void => {
    showUploadError(null);
    for (const file of files) {
      const draft: Draft = { key: ++draftKey, name: file.name, progress: 0, file: null };
      drafts.push(draft);
      uploadStatus.textContent = `Uploading ${file.name}…`;
      actions
        .upload(file, (fraction) => {
          draft.progress = fraction;
          renderTray();
        })
        .then((uploaded) => {
          draft.file = uploaded;
          uploadStatus.textContent = `${file.name} attached.`;
          renderTray();
        })
        .catch((err: unknown) => {
          drafts = drafts.filter((x) => x !== draft);
          uploadStatus.textContent = '';
          showUploadError(err instanceof Error ? err.message : `${file.name} could not be uploaded.`);
          renderTray();
        });
    }
    renderTray();
  };
  fileInput.addEventListener('change', () => {
    const files = Array.from(fileInput.files ?? []);
    fileInput.value = '';
    if (files.length > 0) attach(files);
  });
  // Drag & drop onto the composer.
  composerArea.addEventListener('dragover', (e) => {
    if (!e.dataTransfer?.types.includes('Files')) return;
    e.preventDefault();
    composerArea.classList.add('is-dragging');
  });
  composerArea.addEventListener('dragleave', () => composerArea.classList.remove('is-dragging'));
  composerArea.addEventListener('drop', (e) => {
    composerArea.classList.remove('is-dragging');
    const files = Array.from(e.dataTransfer?.files ?? []);
    if (files.length === 0) return;
    e.preventDefault();
    attach(files);
  });

  const submit = (): void => {
    const text = input.value;
    if (isUploading()) return;
    const ready = drafts.flatMap((d) => (d.file ? [d.file] : []));
    if (text.trim() === '' && ready.length === 0) return;
    input.value = '';
    drafts = [];
    renderTray();
    showUploadError(null);
    uploadStatus.textContent = '';
    autosize();
    actions.send(text, ready);
  };
  composer.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      submit();
    }
  });
  const autosize = (): void => {
    input.style.height = 'auto';
    input.style.height = `${Math.min(input.scrollHeight, 120)}px`;
  };
  input.addEventListener('input', () => {
    autosize();
    actions.typing();
  });

  const brand = h(
    'p',
    { class: 'brand' },
    'Powered by ',
    h('a', { href: 'https://netia.ai', target: '_blank', rel: 'noopener noreferrer' }, 'Netia'),
  );

  const app = h('div', { class: 'app' }, header, availability, away, connection, notice, log, typingEl, emailForm, composerArea, brand);
  root.replaceChildren(app);

  // Keyboard: Esc closes; Tab cycles inside the panel (focus trap while it is open).
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      actions.close();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusables = Array.from(app.querySelectorAll<HTMLElement>('button, a[href], input, textarea, [tabindex="0"]')).filter(
      (el) => el !== fileInput && !el.closest('[hidden]') && !(el as HTMLButtonElement).disabled,
    );
    const first = focusables[0];
    const last = focusables[focusables.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && (document.activeElement === first || !app.contains(document.activeElement))) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });

  const rows = new Map<string, HTMLElement>();
  let isAvailable = true;

  function applyConfig(c: ChatConfig): void {
    cfg = c;
    document.documentElement.style.setProperty('--primary', c.primaryColor);
    document.documentElement.style.setProperty('--on-primary', textColorOn(c.primaryColor));
    title.textContent = c.title;
    document.title = c.title;
    subtitle.textContent = c.subtitle;
    subtitle.hidden = c.subtitle === '';
    input.placeholder = c.newMessagePlaceholder;
    emailInput.placeholder = c.emailPlaceholder;
    brand.hidden = c.isBrandingHidden;
    const greetingText = greeting.firstElementChild as HTMLElement;
    greetingText.textContent = c.greeting;
    greeting.hidden = c.greeting === '';
    renderAvailability();
  }

  function renderAvailability(): void {
    availability.hidden = !cfg.showAgentAvailability;
    availability.className = `availability ${isAvailable ? 'is-online' : 'is-away'}`;
    availability.textContent = isAvailable ? cfg.agentAvailableText : cfg.agentUnavailableText;
    away.textContent = cfg.awayMessage;
    away.hidden = isAvailable || cfg.awayMessage === '';
  }

  function authorOf(m: ChatMessage): string {
    if (m.from === 'customer') return 'You';
    if (m.from === 'bot') return cfg.companyName ? `${cfg.companyName} assistant` : 'Assistant';
    return m.author ?? (cfg.companyName || 'Support');
  }

  function row(m: ChatMessage): HTMLElement {
    const key = m.clientMessageId ?? m.id ?? '';
    let el = rows.get(key);
    if (!el) {
      el = h(
        'div',
        { class: 'msg', 'data-key': key },
        h('span', { class: 'who' }),
        h('div', { class: 'bubble' }),
        h('div', { class: 'files' }),
        h('div', { class: 'meta' }),
      );
      rows.set(key, el);
    }
    el.className = `msg from-${m.from}${m.status !== 'sent' ? ` is-${m.status}` : ''}`;
    if (m.seq !== null) el.dataset.seq = String(m.seq);
    const [who, bubble, files, meta] = Array.from(el.children) as [HTMLElement, HTMLElement, HTMLElement, HTMLElement];
    // "Name: message" for screen readers; the colon is not drawn.
    who.replaceChildren(authorOf(m), h('span', { class: 'sr-only' }, ': '));
    if (bubble.textContent !== m.body) bubble.textContent = m.body;
    bubble.hidden = m.body === '';
    const attachments = m.attachments ?? [];
    const signature = attachments.map((a) => a.id).join(',');
    if (files.dataset.ids !== signature) {
      files.dataset.ids = signature;
      files.replaceChildren(...attachments.map(attachmentEl));
    }
    files.hidden = attachments.length === 0;
    meta.replaceChildren();
    if (m.status === 'pending') meta.append('Sending…');
    else if (m.status === 'failed') {
      meta.append(`Not sent${m.error && m.error !== 'Not sent' ? ` (${m.error})` : ''}. `);
      const retry = h('button', { type: 'button', class: 'link' }, 'Retry');
      retry.addEventListener('click', () => actions.retry(m.clientMessageId ?? ''));
      meta.append(retry);
    } else meta.append(timeOf(m));
    return el;
  }

  /** An image as a thumbnail (alt = its name), anything else as a download link; only http(s) URLs on the gateway. */
  function attachmentEl(a: Attachment): HTMLElement {
    let url: URL;
    try {
      url = new URL(a.file_url, fileBase);
    } catch {
      return h('span', { class: 'file' }, a.filename);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return h('span', { class: 'file' }, a.filename);
    const href = url.href;
    if (/^image\/(png|jpeg|gif|webp)$/.test(a.content_type)) {
      return h(
        'a',
        { class: 'file is-image', href, target: '_blank', rel: 'noopener' },
        h('img', { src: href, alt: a.filename, loading: 'lazy' }),
      );
    }
    return h(
      'a',
      { class: 'file', href, target: '_blank', rel: 'noopener', download: a.filename },
      a.filename,
      h('span', { class: 'file-size' }, ` (${sizeLabel(a.size)})`),
    );
  }

  return {
    applyConfig,
    render(messages) {
      const wanted = new Set<string>();
      let prev: Element = greeting;
      for (const m of messages) {
        const el = row(m);
        wanted.add(el.dataset.key ?? '');
        if (prev.nextElementSibling !== el) prev.after(el);
        prev = el;
      }
      for (const [key, el] of rows) {
        if (!wanted.has(key)) {
          el.remove();
          rows.delete(key);
        }
      }
      log.scrollTop = log.scrollHeight;
    },
    setTyping(label) {
      typingEl.hidden = label === null;
      typingEl.replaceChildren();
      if (label !== null) typingEl.append(h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), label);
    },
    setAvailability(value) {
      isAvailable = value;
      renderAvailability();
    },
    setConnection(state) {
      connection.hidden = state !== 'offline';
      connection.textContent = state === 'offline' ? 'Reconnecting… messages you write will be sent when the connection is back.' : '';
    },
    setEmailGate(isRequired) {
      emailForm.hidden = !isRequired;
      composer.hidden = isRequired;
      composerArea.hidden = isRequired;
    },
    showNotice(text) {
      notice.hidden = text === null;
      notice.textContent = text ?? '';
    },
    focus() {
      (composer.hidden ? emailInput : input).focus();
    },
  };
}
