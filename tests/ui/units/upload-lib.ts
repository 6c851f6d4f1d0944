/**
 * The console's pure upload and profile helpers (ui/src/lib/upload.ts,
 * ui/src/lib/api-me.ts): refusals say what the server would refuse, in words;
 * sizes read as people write them; the server's error bodies become one line;
 * a profile form sends only what changed.
 */
import { unitModuleTest } from '../../helpers/modules.js';
import { profileChanges } from '../../../ui/src/lib/api-me.js';
import { formatBytes, refusalOf, uploadErrorMessage } from '../../../ui/src/lib/upload.js';

const test = unitModuleTest(import.meta.url);

const limits = { max_bytes: 4096, content_types: ['image/png', 'text/plain'], max_files_per_message: 10 };

test('a file is refused before upload when it is empty, too large or of a type the server does not accept', (t) => {
  t.is(refusalOf({ name: 'a.png', size: 10, type: 'image/png' }, limits), null);
  t.regex(refusalOf({ name: 'big.png', size: 5000, type: 'image/png' }, limits)!, /“big\.png” is too large \(4\.9 KB\); the limit is 4 KB/);
  t.regex(refusalOf({ name: 'x.html', size: 10, type: 'text/html' }, limits)!, /text\/html files are not accepted/);
  t.regex(refusalOf({ name: 'e.txt', size: 0, type: 'text/plain' }, limits)!, /is empty/);
  t.is(refusalOf({ name: 'x.html', size: 10, type: 'text/html' }, null), null, 'without limits, the server decides');
});

test('sizes and server refusals read as sentences', (t) => {
  t.is(formatBytes(1), '1 byte');
  t.is(formatBytes(1536), '1.5 KB');
  t.is(formatBytes(25 * 1024 * 1024), '25 MB');
  t.is(uploadErrorMessage(422, { errors: { file: ['type text/html is not accepted'] } }), 'The file type text/html is not accepted.');
  t.is(
    uploadErrorMessage(413, { error: { status: 413, message: 'The account’s file storage quota is used up' } }),
    'The account’s file storage quota is used up',
  );
  t.is(uploadErrorMessage(413, undefined), 'The file is too large for the server.');
});

test('the profile form sends only changed fields, blanks as null, the signature without trailing blanks', (t) => {
  const saved = { display_name: 'Ada', full_name: null, signature: 'Ada\nSupport' };
  t.deepEqual(profileChanges(saved, { display_name: 'Ada', full_name: '', signature: 'Ada\nSupport\n\n' }), {});
  t.deepEqual(profileChanges(saved, { display_name: ' ', full_name: 'Ada Lovelace', signature: '' }), {
    display_name: null,
    full_name: 'Ada Lovelace',
    signature: null,
  });
});
