// The TTS helper gives real speech, and the simulator speaks its replies with it: the audio deltas
// are exactly the synthesized words and the transcript is what was said.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClient } from '../simulator/client';
import { decodePcm16, replyTone } from '../../simulator/pcm';
import { startSimulator } from '../../simulator/server';
import { speechShape } from './speech-check';
import { synthesize } from '../../simulator/tts';

describe('synthesized speech', () => {
  it('is speech, not a tone: no dominant frequency, and loudness that follows the words', async () => {
    const pcm = await synthesize('The quick brown fox jumps over the lazy dog, twice.');
    assert.ok(pcm.length / 24_000 > 1.5 && pcm.length / 24_000 < 6, `${pcm.length / 24_000} s`);
    const shape = speechShape(pcm);
    assert.ok(shape.dominantBinShare < 0.25, `one bin holds ${shape.dominantBinShare}`);
    assert.ok(shape.dips >= 4, `${shape.dips} dips between words`);
    // The checker itself tells a tone apart (so the assertion above can fail).
    const tone = speechShape(replyTone(0, 3000));
    assert.ok(tone.dominantBinShare > 0.5 && tone.dips === 0, JSON.stringify(tone));
  });

  it('is the same for the same text, and slower speech is longer', async () => {
    const a = await synthesize('Hello there.');
    const b = await synthesize('Hello there.');
    assert.deepEqual(a, b);
    const slow = await synthesize('Hello there.', { wordsPerMinute: 120 });
    assert.ok(slow.length > a.length * 1.2, `${slow.length} vs ${a.length}`);
  });

  it('the simulator speaks a reply as these words, with the words as its transcript', async () => {
    const sim = await startSimulator({ paceFactor: Infinity, speak: (t) => synthesize(t), respond: () => ({ text: 'It is half past nine.' }) });
    try {
      const c = await TestClient.connect(sim.url);
      await c.waitFor('session.created');
      c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'What time is it?' }] } });
      c.send({ type: 'response.create' });
      const done = await c.waitFor('response.output_audio_transcript.done');
      await c.waitFor('response.done');
      assert.equal(done.transcript, 'It is half past nine.');
      const deltas = c.events.filter((e) => e.type === 'response.output_audio.delta').map((e) => decodePcm16(e.delta));
      const audio = new Int16Array(deltas.reduce((n, d) => n + d.length, 0));
      let at = 0;
      for (const d of deltas) audio.set(d, (at += d.length) - d.length);
      assert.deepEqual(audio, await synthesize('It is half past nine.'));
      c.close();
    } finally {
      await sim.close();
    }
  });
});
