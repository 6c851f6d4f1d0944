/**
 * Size budget of the widget: `/widget.js` (what every page of a customer's
 * website loads) stays under 15 KB gzipped; the /chat page's total is reported.
 * The build enforces the same budget (widget/vite.config.ts).
 */
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
