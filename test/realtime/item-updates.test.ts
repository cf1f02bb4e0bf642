// How often the window hears about a reply while it streams: an audio delta changes only the
// item's audio length, which the window reads after a cut, so it must not become one
// conversation:item message per delta (about 50 a second, 500 in a fast stream). Whenever the item
// does change (a cut, the end), the message carries the audio length received so far.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { ConversationItem } from '../../preload/api';
import { linkSessionToRenderer, RendererPlayback } from '../../main/app/renderer-link';
import { replyCompleted, silence, sleep, speak, startPair, tone, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

/** What the window receives as conversation:item, each copied at send time as IPC does. */
function windowItems(p: Pair): ConversationItem[] {
  const got: ConversationItem[] = [];
  linkSessionToRenderer(p.session, new RendererPlayback(() => {}), (channel, payload) => {
    if (channel === 'conversation:item') got.push(structuredClone(payload as ConversationItem));
  });
  return got;
}

describe('conversation:item while a reply streams', () => {
  test('sixty audio deltas of one reply are not sixty item messages; the last one has the whole audio length', async () => {
    pair = await startPair({ sim: { respond: () => ({ text: 'Ok.', audioMs: 3000 }), audioChunkMs: 50, paceFactor: Infinity } });
    const items = windowItems(pair);
    await pair.session.connect();
    speak(pair.session, tone(600), silence(700));
    const reply = await replyCompleted(pair.session);
    const deltas = pair.audio.filter((a) => a.itemId === reply.id).length;
    const messages = items.filter((i) => i.id === reply.id);
    assert.equal(deltas, 60);
    assert.ok(messages.length < 15, `${messages.length} item messages for ${deltas} deltas`);
    assert.equal(messages.at(-1)!.audioMs, 3000);
  });

  test('a cut reply reaches the window with the audio received so far, so the heard part can be shown', async () => {
    pair = await startPair({ sim: { respond: () => ({ text: 'This is a long answer that goes on for quite a while so that there is time to interrupt it.', audioMs: 6000 }), paceFactor: 4 } });
    const items = windowItems(pair);
    await pair.session.connect();
    speak(pair.session, tone(600), silence(700));
    await waitForPhase(pair.session, 'assistant-speaking');
    await sleep(700);
    const assistant = pair.session.conversation.items().find((i) => i.role === 'assistant')!;
    speak(pair.session, tone(500));
    await pair.sim.connections[0]!.waitFor('conversation.item.truncate', undefined, 'received');
    const receivedMs = pair.audio.filter((a) => a.itemId === assistant.id).reduce((n, a) => n + a.bytes / 48, 0);
    const cut = items.filter((i) => i.id === assistant.id && i.status === 'interrupted').at(-1)!;
    assert.ok(cut, 'the window heard of the cut');
    assert.equal(cut.audioMs, Math.round(receivedMs));
    assert.ok(cut.truncatedAtMs! < cut.audioMs!);
  });
});
