// The event log keeps small events whole and cuts only those whose JSON passes its limit, however
// that size comes about: a long string, characters JSON escapes six-fold, or very many fields.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventLog } from '../../main/app/event-log';

function logOf() {
  let fn: ((w: { dir: 'in' | 'out'; event: { type: string } }) => void) | null = null;
  const log = new EventLog({ on: (_e, f) => (fn = f), off: () => {} });
  return { log, add: (event: { type: string; [k: string]: unknown }) => fn!({ dir: 'in', event }) };
}

describe('event log entry size', () => {
  it('keeps a small event whole and cuts each kind of large one to the limit', () => {
    const { log, add } = logOf();
    const small = { type: 'response.output_audio_transcript.delta', item_id: 'item_1', delta: ' word', nested: { a: [1, 2, { b: 'c' }] } };
    add(small);
    add({ type: 'session.update', session: { instructions: 'x'.repeat(20_000) } });
    add({ type: 'escapes', text: '\u0001'.repeat(3000) }); // 3000 characters, 18 000 of JSON
    add({ type: 'many', list: Array.from({ length: 4000 }, (_, i) => i) });
    const [a, b, c, d] = log.entries();
    assert.deepEqual(a!.event, small);
    for (const e of [b, c, d]) {
      const ev = e!.event as { note: string; head: string };
      assert.match(ev.note, /^payload of \d+ characters, shortened$/);
      assert.equal(ev.head.length, 16_000);
    }
    assert.equal(JSON.stringify({ type: 'escapes', text: '\u0001'.repeat(3000) }).length > 16_000, true);
  });
});
