// A shared screen in history: its size, bytes and tokens are always kept; its thumbnail only when
// the user allowed it (off by default); the Markdown export shows the thumbnail or says what was
// shared. The stand-in session emits the items a look produces.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { ConversationItem } from '../../preload/api';
import { HistoryRecorder } from '../../main/history/history-recorder';
import { HistoryStore } from '../../main/history/history-store';
import { toMarkdown } from '../../main/history/markdown-export';

const THUMB = 'data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ==';
const shared = (id: string): ConversationItem => ({
  id,
  role: 'user',
  type: 'message',
  text: 'Look at my screen.',
  status: 'completed',
  modality: 'text',
  image: { thumbnail: THUMB, width: 1280, height: 720, bytes: 48_000, tokens: 1105, source: 'screen' },
  createdAt: Date.parse('2026-12-01T10:00:00Z'),
});

async function record(keepImages: boolean) {
  const store = new HistoryStore({ dir: mkdtempSync(join(tmpdir(), 'hark-history-')) });
  await store.open(null);
  const session = new EventEmitter();
  const rec = new HistoryRecorder({ session: session as never, store, settings: () => ({ enabled: true, saveAudio: false, retentionDays: null }), model: () => 'gpt-realtime-2.1', keepImages: () => keepImages });
  session.emit('item', shared('u1'));
  session.emit('item', { ...shared('a1'), role: 'assistant', text: 'I can see a spreadsheet.', image: undefined });
  await rec.flush();
  const [hit] = await store.list();
  return (await store.get(hit!.id))!;
}

describe('a shared screen in history', () => {
  test('by default: the size and cost are kept, the thumbnail is not; the export says what was shared', async () => {
    const conv = await record(false);
    const img = conv.items[0]!.image!;
    assert.equal(img.thumbnail, undefined);
    assert.deepEqual({ w: img.width, h: img.height, bytes: img.bytes, tokens: img.tokens }, { w: 1280, h: 720, bytes: 48_000, tokens: 1105 });
    const md = toMarkdown(conv.summary, conv.items);
    assert.match(md, /_Shared the screen: 1280×720 JPEG, 47 KB, ~1,105 image tokens \(the picture itself was not kept/);
    assert.doesNotMatch(md, /data:image/);
  });

  test('allowed: the thumbnail is kept and the export shows it inline', async () => {
    const conv = await record(true);
    assert.equal(conv.items[0]!.image!.thumbnail, THUMB);
    assert.ok(toMarkdown(conv.summary, conv.items).includes(`![Shared the screen: 1280×720 JPEG, 47 KB, ~1,105 image tokens](${THUMB})`));
  });
});
