/** The customer page's metadata rows (ui/src/lib/customer-metadata.ts): round trip, types kept, refusals. */
import { unitModuleTest } from '../../helpers/modules.js';
import { metadataFromRows, metadataRows } from '../../../ui/src/lib/customer-metadata.js';

const test = unitModuleTest(import.meta.url);

test('untouched rows save the same object: strings stay strings, other values keep their type', (t) => {
  const metadata = { plan: 'gold', seats: 42, beta: true, address: { city: 'Oslo' }, code: '007' };
  const result = metadataFromRows(metadataRows(metadata));
  t.deepEqual(result, { ok: true, metadata });
});

test('a new row is text; empty rows are ignored; keys are trimmed', (t) => {
  const rows = [...metadataRows({ plan: 'gold' }), { key: ' seats ', value: '42', json: false }, { key: '', value: '  ', json: false }];
  t.deepEqual(metadataFromRows(rows), { ok: true, metadata: { plan: 'gold', seats: '42' } });
});

test('a value without a name, a repeated name, a long name and broken JSON are refused at their row', (t) => {
  t.like(metadataFromRows([{ key: '', value: 'x', json: false }]), { ok: false, row: 0 });
  t.like(metadataFromRows([...metadataRows({ a: '1' }), { key: 'a', value: '2', json: false }]), { ok: false, row: 1 });
  t.like(metadataFromRows([{ key: 'k'.repeat(65), value: 'x', json: false }]), { ok: false, row: 0 });
  t.like(metadataFromRows([{ key: 'seats', value: '4 2', json: true }]), { ok: false, row: 0 });
});
