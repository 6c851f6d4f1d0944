/**
 * Size budget of the widget: `/widget.js` (what every page of a customer's
 * website loads) stays under 15 KB gzipped; the /chat page's total is reported.
 * The build enforces the same budget (widget/vite.config.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import test from 'ava';
import { formatKb, LOADER_GZIP_BUDGET, measureWidget } from '../../widget/build/sizes.js';
import { DIST, ensureWidgetBuilt } from './build-widget.js';

test.before(async () => {
  await ensureWidgetBuilt();
});

test('widget.js is under 15 KB gzipped', (t) => {
  const sizes = measureWidget(DIST);
  t.log(`widget.js: ${formatKb(sizes.loader.bytes)} raw, ${formatKb(sizes.loader.gzip)} gzip (budget ${formatKb(LOADER_GZIP_BUDGET)})`);
  t.true(sizes.loader.gzip < LOADER_GZIP_BUDGET, `widget.js is ${sizes.loader.gzip} bytes gzipped`);
});

test('the chat page size is reported', (t) => {
  const sizes = measureWidget(DIST);
  t.log(`/chat page: ${formatKb(sizes.chat.bytes)} raw, ${formatKb(sizes.chat.gzip)} gzip`);
  for (const [file, size] of Object.entries(sizes.chat.files)) t.log(`  ${file}: ${formatKb(size.bytes)} raw, ${formatKb(size.gzip)} gzip`);
  t.true(sizes.chat.gzip > 0);
  // Not a hard product budget, a tripwire: the page is plain DOM code plus the phoenix client.
  t.true(sizes.chat.gzip < 60 * 1024, `the chat page grew to ${formatKb(sizes.chat.gzip)} gzipped`);
});

test('the session-replay recorder is a chunk of its own that widget.js names but does not contain', (t) => {
  const sizes = measureWidget(DIST);
  t.truthy(sizes.recorder, 'assets/recorder-<hash>.js is built');
  const recorder = sizes.recorder!;
  t.log(`${recorder.file}: ${formatKb(recorder.bytes)} raw, ${formatKb(recorder.gzip)} gzip (loaded only when recording is on)`);
  const loader = readFileSync(path.join(DIST, 'widget.js'), 'utf8');
  t.true(loader.includes(recorder.file), 'widget.js adds the recorder by its hashed name');
  const chunk = readFileSync(path.join(DIST, recorder.file), 'utf8');
  // rrweb's recorder (its mutation buffer and snapshot code) is in the chunk, not in widget.js.
  for (const marker of ['rr_dataURL', 'rr-block']) {
    t.true(chunk.includes(marker), `the recorder chunk has rrweb (${marker})`);
    t.false(loader.includes(marker), `widget.js has no rrweb (${marker})`);
  }
  t.false(
    Object.keys(sizes.chat.files).some((f) => f.includes('recorder')),
    'the chat page does not load the recorder',
  );
});
