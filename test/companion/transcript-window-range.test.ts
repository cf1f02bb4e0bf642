// The transcript's window, counted without a page (renderer/companion/transcript-window.ts): which
// items it renders and how many entries it hides, with calls and outputs as one card, forgotten
// items as none; and that finding the window reads the newest items only, since inside Svelte's
// $derived each item read is a dependency (a whole-list pass made every streamed delta O(n)).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ConversationItem } from '../../preload/api';
import { hiddenAbove, PAGE, startFor, WINDOW, windowStart } from '../../renderer/companion/transcript-window';

const msg = (n: number, over: Partial<ConversationItem> = {}): ConversationItem => ({ id: `m${n}`, role: 'user', type: 'message', text: `${n}`, status: 'completed', modality: 'text', createdAt: n, ...over });
const call = (n: number): ConversationItem => ({ ...msg(n), type: 'function_call', role: 'assistant', callId: `c${n}`, name: 't' });
const output = (n: number, of: number): ConversationItem => ({ ...msg(n), type: 'function_call_output', role: 'tool', callId: `c${of}` });

/** The items behind a proxy that counts the indices read, as Svelte's tracking would see them. */
function counted(items: ConversationItem[]) {
  const read = new Set<number>();
  const proxy = new Proxy(items, {
    get(t, k, r) {
      if (typeof k === 'string' && /^\d+$/.test(k)) read.add(Number(k));
      return Reflect.get(t, k, r);
    },
  });
  return { proxy, read };
}

describe('transcript window', () => {
  test('the newest WINDOW entries; the rest counted as hidden', () => {
    const items = Array.from({ length: 1000 }, (_, n) => msg(n));
    const start = windowStart(items, null);
    assert.equal(start, 1000 - WINDOW);
    assert.equal(hiddenAbove(items, start).count, 1000 - WINDOW);
    assert.equal(startFor(items, PAGE, start), 1000 - WINDOW - PAGE);
    assert.equal(windowStart(items.slice(0, 20), null), 0, 'a short conversation is all shown');
    assert.equal(hiddenAbove(items.slice(0, 20), 0).count, 0);
  });

  test('a call and its output are one entry, forgotten items none, an output without its call one', () => {
    const items = [output(0, 99), msg(1), msg(2, { forgotten: true }), call(3), output(4, 3), msg(5)];
    assert.equal(startFor(items, 2), 3, 'the call and the last message');
    const above = hiddenAbove(items, 3);
    assert.equal(above.count, 2, 'the orphan output and the message; not the forgotten one');
    assert.deepEqual([...hiddenAbove(items, 4).calls], ['c3'], 'a hidden call is known to the outputs below it');
  });

  test('finding the window reads only the newest items, however long the conversation', () => {
    const items = Array.from({ length: 5000 }, (_, n) => (n % 10 === 0 ? msg(n, { forgotten: true }) : msg(n)));
    const { proxy, read } = counted(items);
    windowStart(proxy, null);
    assert.ok(read.size <= WINDOW * 1.2, `${read.size} items read`);
    assert.ok(Math.min(...read) >= 5000 - WINDOW * 1.2);
  });

  test('an anchor holds the start as items arrive, and follows a deletion above it', () => {
    const items = Array.from({ length: 400 }, (_, n) => msg(n));
    const anchor = { id: 'm100', index: 100 };
    assert.equal(windowStart(items, anchor), 100);
    items.push(msg(400));
    assert.equal(windowStart(items, anchor), 100, 'a new item does not move it');
    items.splice(10, 1);
    assert.equal(windowStart(items, anchor), 99);
    assert.equal(anchor.index, 99, 'the found index is kept: one search, not one per delta');
    assert.equal(windowStart(items, { id: 'gone', index: 5 }), items.length - WINDOW, 'an anchor no longer there: the newest window');
  });
});
