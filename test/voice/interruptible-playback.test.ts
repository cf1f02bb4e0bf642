// The pausable player against a player that behaves like the renderer's: after a stop it refuses
// more audio of the cut response, and it counts a re-pushed item from zero. A false start must
// still resume audibly, and a later truncate must still be the position the listener heard.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PlayedPosition } from '../../preload/api';
import type { AudioOut, PlaybackPort } from '../../main/realtime/session';
import { InterruptiblePlayback } from '../../main/voice/interruptible-playback';

/** Renders on demand; like renderer/audio/player.ts it refuses cut responses and counts per segment. */
class RendererLikePlayer implements PlaybackPort {
  readonly segmentCounts = true;
  private queue: AudioOut[] = [];
  private cut = new Set<string>();
  private live = new Set<string>();
  private segment: { itemId: string; played: number } | null = null;
  refused = 0;
  push(a: AudioOut): void {
    if (this.cut.has(a.responseId)) {
      this.refused++;
      return;
    }
    this.live.add(a.responseId);
    this.queue.push(a);
  }
  /** Plays `ms` of whatever is queued. */
  play(ms: number): void {
    let bytes = ms * 48;
    while (bytes > 0 && this.queue.length) {
      const head = this.queue[0]!;
      if (!this.segment || this.segment.itemId !== head.itemId) this.segment = { itemId: head.itemId, played: 0 };
      const n = Math.min(bytes, head.pcm.length);
      this.segment.played += n / 48;
      bytes -= n;
      if (n === head.pcm.length) this.queue.shift();
      else this.queue[0] = { ...head, pcm: head.pcm.subarray(n) };
    }
  }
  async stop(): Promise<PlayedPosition> {
    for (const r of this.live) this.cut.add(r);
    this.live.clear();
    this.queue = [];
    const pos = { itemId: this.segment?.itemId ?? null, playedMs: this.segment?.played ?? 0 };
    this.segment = null; // a re-pushed item starts a new segment, counted from 0
    return pos;
  }
}

const chunk = (ms: number): AudioOut => ({ responseId: 'resp_1', itemId: 'item_1', pcm: Buffer.alloc(ms * 48, 1) });

describe('interruptible playback over a renderer-like player', () => {
  test('a false start resumes audibly, and a later stop reports what was heard in all', async () => {
    const player = new RendererLikePlayer();
    const playback = new InterruptiblePlayback(player, (a) => player.push(a));
    playback.push(chunk(1000));
    playback.push(chunk(1000));
    player.play(500);
    assert.deepEqual(await playback.pause(), { itemId: 'item_1', playedMs: 500 });
    playback.push(chunk(500)); // arrives while paused
    assert.equal(playback.resume(), true);
    player.play(300);
    assert.equal(player.refused, 0, 'the resumed audio is accepted, not refused as a cut response');
    const pos = await playback.stop();
    assert.deepEqual(pos, { itemId: 'item_1', playedMs: 800 }, 'the truncate point counts from the item start');
  });

  test('a confirmed barge-in after a pause truncates at the pause', async () => {
    const player = new RendererLikePlayer();
    const playback = new InterruptiblePlayback(player, (a) => player.push(a));
    playback.push(chunk(2000));
    player.play(640);
    await playback.pause();
    player.play(200); // nothing plays while paused
    assert.deepEqual(await playback.stop(), { itemId: 'item_1', playedMs: 640 });
  });
});
