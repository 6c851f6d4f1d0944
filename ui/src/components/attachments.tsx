/**
 * Files in the console (issue #17, item 1). `<AttachmentList>` shows a
 * message's files, whatever brought them (widget, agent, Gmail, forwarded
 * email, MMS): images as thumbnails that open a lightbox (a modal dialog:
 * Escape or the close button closes it and focus goes back to the thumbnail),
 * other files as download cards with name, size and type. `createUploads()`
 * is the composer's side: files added by button, paste or drop are checked
 * against the server's limits, uploaded one by one with a progress bar, can be
 * removed before sending, and give `file_ids` for the message.
 */
import { For, Show, createSignal, onCleanup, type JSX } from 'solid-js';
import { createStore, produce } from 'solid-js/store';
import {
  describeType,
  formatBytes,
  isInlineImage,
  refusalOf,
  uploadApi,
  uploadFile,
  UploadError,
  type FileJson,
  type UploadLimits,
} from '../lib/upload';
import { useSession } from '../stores/session';

/** Only paths of this server or http(s) URLs are used as links (a file_url is a path: services/files). */
function fileHref(url: string): string | null {
  if (url.startsWith('/') && !url.startsWith('//')) return url;
  return /^https?:\/\//i.test(url) ? url : null;
}

function Lightbox(props: { file: FileJson; onClose: () => void }): JSX.Element {
  let closeBtn: HTMLButtonElement | undefined;
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      props.onClose();
    } else if (e.key === 'Tab') {
      // Two focusable things in the dialog: keep focus inside it.
      const box = (e.currentTarget as HTMLElement).querySelectorAll<HTMLElement>('a, button');
      const first = box[0];
      const last = box[box.length - 1];
      if (e.shiftKey && document.activeElement === first) {
        e.preventDefault();
        last?.focus();
      } else if (!e.shiftKey && document.activeElement === last) {
        e.preventDefault();
        first?.focus();
      }
    }
  };
  queueMicrotask(() => closeBtn?.focus());
  return (
    <div
      class="lightbox"
      role="dialog"
      aria-modal="true"
      aria-label={`Image: ${props.file.filename}`}
      onKeyDown={onKey}
      onClick={() => props.onClose()}
    >
      <figure onClick={(e) => e.stopPropagation()}>
        <img src={fileHref(props.file.file_url) ?? ''} alt={props.file.filename} />
        <figcaption>
          <span>{props.file.filename}</span> <span class="muted">{formatBytes(props.file.size)}</span>{' '}
          <a class="btn small" href={fileHref(props.file.file_url) ?? undefined} download={props.file.filename}>
            Download
          </a>{' '}
          <button type="button" class="btn small" ref={closeBtn} onClick={() => props.onClose()}>
            Close
          </button>
        </figcaption>
      </figure>
    </div>
  );
}

/** A message's files: image thumbnails (lightbox) and download cards. */
export function AttachmentList(props: { files: readonly FileJson[] }): JSX.Element {
  const [open, setOpen] = createSignal<{ file: FileJson; opener: HTMLElement } | null>(null);
  const close = (): void => {
    const opener = open()?.opener;
    setOpen(null);
    opener?.focus();
  };
  return (
    <>
      <ul class="attachments" aria-label="Attachments" data-testid="attachments">
        <For each={props.files}>
          {(f) => (
            <li>
              <Show
                when={isInlineImage(f.content_type) && fileHref(f.file_url)}
                fallback={
                  <a class="file-card" href={fileHref(f.file_url) ?? undefined} download={f.filename} data-testid="file-card">
                    <span class="file-icon" aria-hidden="true">
                      <svg
                        viewBox="0 0 16 16"
                        width="16"
                        height="16"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="1.4"
                        stroke-linejoin="round"
                      >
                        <path d="M4 1.5h5.5L13 5v9.5H4z" />
                        <path d="M9.5 1.5V5H13" />
                      </svg>
                    </span>
                    <span class="file-name">{f.filename}</span>
                    <span class="small muted">
                      {formatBytes(f.size)} · {describeType(f.content_type)}
                    </span>
                  </a>
                }
              >
                {(src) => (
                  <button
                    type="button"
                    class="thumb"
                    aria-label={`Open image ${f.filename} (${formatBytes(f.size)})`}
                    onClick={(e) => setOpen({ file: f, opener: e.currentTarget })}
                  >
                    <img src={src()} alt={f.filename} loading="lazy" />
                  </button>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={open()}>{(o) => <Lightbox file={o().file} onClose={close} />}</Show>
    </>
  );
}

export interface PendingFile {
  key: number;
  name: string;
  size: number;
  type: string;
  /** 0..1 while uploading. */
  progress: number;
  state: 'uploading' | 'done' | 'failed';
  error?: string;
  file?: FileJson;
}

let limitsCache: Promise<UploadLimits | null> | undefined;
let nextKey = 1;

/** The composer's uploads: add (button, paste, drop), remove, the ids to send, and the refusals to show. */
export function createUploads() {
  const [, { api }] = useSession();
  const [files, setFiles] = createStore<PendingFile[]>([]);
  const controllers = new Map<number, AbortController>();
  onCleanup(() => {
    for (const c of controllers.values()) c.abort();
  });
  const limits = (): Promise<UploadLimits | null> =>
    (limitsCache ??= uploadApi(api)
      .limits()
      .catch(() => {
        limitsCache = undefined; // not cached: asked again next time (the server still checks)
        return null;
      }));
  const patch = (key: number, p: Partial<PendingFile>): void => {
    setFiles(
      produce((list) => {
        const item = list.find((f) => f.key === key);
        if (item) Object.assign(item, p);
      }),
    );
  };

  const start = async (file: File, key: number): Promise<void> => {
    const controller = new AbortController();
    controllers.set(key, controller);
    const attempt = (token: string | undefined) =>
      uploadFile(file, file.name, {
        token,
        signal: controller.signal,
        onProgress: (loaded, total) => patch(key, { progress: total ? loaded / total : 0 }),
      });
    try {
      let stored: FileJson;
      try {
        stored = await attempt(api.session()?.token);
      } catch (err) {
        if (!(err instanceof UploadError) || err.status !== 401) throw err;
        const renewed = await api.renew().catch(() => null);
        if (!renewed) throw err;
        stored = await attempt(renewed.token);
      }
      patch(key, { state: 'done', progress: 1, file: stored });
    } catch (err) {
      if (controller.signal.aborted) return;
      patch(key, { state: 'failed', error: err instanceof Error ? err.message : 'The upload failed.' });
    } finally {
      controllers.delete(key);
    }
  };

  return {
    files,
    async add(list: Iterable<File>): Promise<void> {
      const incoming = [...list];
      if (incoming.length === 0) return;
      const l = await limits();
      for (const file of incoming) {
        const key = nextKey++;
        const type = file.type || 'application/octet-stream';
        const max = l?.max_files_per_message ?? 10;
        const refusal =
          files.filter((f) => f.state !== 'failed').length >= max
            ? `“${file.name}” was not added: a message can carry at most ${max} files.`
            : refusalOf({ name: file.name, size: file.size, type }, l);
        setFiles(files.length, {
          key,
          name: file.name,
          size: file.size,
          type,
          progress: 0,
          state: refusal ? 'failed' : 'uploading',
          ...(refusal ? { error: refusal } : {}),
        });
        if (!refusal) void start(file, key);
      }
    },
    remove(key: number): void {
      controllers.get(key)?.abort();
      setFiles((list) => list.filter((f) => f.key !== key));
    },
    clear(): void {
      for (const c of controllers.values()) c.abort();
      setFiles([]);
    },
    isUploading: (): boolean => files.some((f) => f.state === 'uploading'),
    /** Plain copies (not this store's proxies): they go into the conversations store with the message. */
    done: (): FileJson[] => files.filter((f) => f.state === 'done' && f.file).map((f) => ({ ...f.file! })),
  };
}

export type Uploads = ReturnType<typeof createUploads>;

/** The files waiting in the composer: progress, refusal, remove. */
export function PendingUploads(props: { uploads: Uploads }): JSX.Element {
  return (
    <Show when={props.uploads.files.length > 0}>
      <ul class="pending-files" aria-label="Files to send" data-testid="pending-files">
        <For each={props.uploads.files}>
          {(f) => (
            <li class={`pending-file ${f.state}`} data-state={f.state}>
              <span class="file-name">{f.name}</span>
              <span class="small muted">{formatBytes(f.size)}</span>
              <Show when={f.state === 'uploading'}>
                <progress max="1" value={f.progress} aria-label={`Uploading ${f.name}`} />
              </Show>
              <Show when={f.state === 'done'}>
                <span class="small muted">Ready</span>
              </Show>
              <Show when={f.state === 'failed'}>
                <span class="form-error small" role="alert">
                  {f.error}
                </span>
              </Show>
              <button type="button" class="btn ghost small" aria-label={`Remove ${f.name}`} onClick={() => props.uploads.remove(f.key)}>
                ✕
              </button>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

/** The attach button (a labelled file input) of the composer. */
export function AttachButton(props: { uploads: Uploads; id: string }): JSX.Element {
  return (
    <span class="attach">
      <input
        id={props.id}
        class="visually-hidden"
        type="file"
        multiple
        onChange={(e) => {
          const input = e.currentTarget;
          void props.uploads.add(input.files ? [...input.files] : []);
          input.value = '';
        }}
      />
      <label for={props.id} class="btn ghost small" title="Attach files (or paste or drop them)">
        <svg
          aria-hidden="true"
          viewBox="0 0 16 16"
          width="14"
          height="14"
          fill="none"
          stroke="currentColor"
          stroke-width="1.4"
          stroke-linecap="round"
        >
          <path d="M10.5 5v5.5a2.5 2.5 0 0 1-5 0V4a1.75 1.75 0 0 1 3.5 0v6.5a1 1 0 0 1-2 0V5" />
        </svg>{' '}
        Attach
      </label>
    </span>
  );
}

/** Files of a paste or a drop (never text: a drop of text stays the browser's). */
export function filesOf(data: DataTransfer | null): File[] {
  if (!data) return [];
  return [...data.files];
}
