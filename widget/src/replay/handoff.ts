/**
 * @module widget/replay/handoff
 * How the loader (`/widget.js`, a classic script that cannot share chunks)
 * and the lazily loaded recorder chunk (`/widget/assets/recorder-<hash>.js`)
 * meet without a second global: the loader adds the chunk's `<script>` with a
 * listener for `RECORDER_EVENT`, and the chunk, while it runs, dispatches that
 * event on its own script element (`document.currentScript`) with its
 * `startRecorder` as the detail. Types only, plus the event name.
 */
import type { ReplaySettings } from './policy.js';

export const RECORDER_EVENT = 'netia:recorder';

export interface ReplayCustomer {
  id: string;
  token: string | null;
}

export interface RecorderOptions {
  /** The gateway's base URL (REST and `/socket`), as the loader resolved it. */
  base: string;
  accountId: string;
  settings: ReplaySettings;
  /** The visitor's customer when the chat page has told the loader already. */
  customer: ReplayCustomer | null;
  /** Recording started (true) or stopped for good (false): the loader shows or hides its notice. */
  onRecording(isRecording: boolean): void;
}

export interface RecorderHandle {
  /** The chat page knows the visitor's customer now: the session is identified with it. */
  setCustomer(customer: ReplayCustomer): void;
  /** Stop recording (`Netia.shutdown`); `finish` also tells the server the session ended. */
  stop(finish: boolean): void;
}

export type StartRecorder = (options: RecorderOptions) => RecorderHandle;
