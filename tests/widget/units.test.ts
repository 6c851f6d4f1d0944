/**
 * The widget's unit tests (no services, no browser) in one process: each module below is what used to be
 * a test file of its own (tests/helpers/modules.ts, `unitModuleTest`).
 */
import './units/outbox.js';
import './units/params.js';
import './units/replay-queue.js';
import './units/resend.js';
import './units/transcript.js';
