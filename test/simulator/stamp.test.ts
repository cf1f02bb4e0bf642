// The benchmark's latency stamps: what the simulator writes into reply PCM reads back in another
// process's terms (the monotonic clock), each response gets its own tag, and an appended chunk's
// stamp becomes an uplink figure. The stamp is too quiet for the VAD to hear as speech.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestClient } from './client';
import { decodePcm16, encodePcm16, rms } from '../../simulator/pcm';
import { startSimulator } from '../../simulator/server';
import { nowNs, PcmStamps, readStamp, STAMP_SAMPLES, writeStamp } from '../../simulator/stamp';

describe('PCM latency stamps', () => {
  it('round-trips a time and a tag, through bytes as a client sink sees them', () => {
    const at = 0x0123_4567_89ab_cdefn;
    const pcm = writeStamp(new Int16Array(480), 0xbeef, at);
    const bytes = new Uint8Array(pcm.buffer.slice(0));
    assert.deepEqual(readStamp(bytes), { at, tag: 0xbeef });
    assert.ok(rms(pcm, 0, pcm.length) < 0.001, 'the stamp is far below the VAD threshold');
    assert.equal(readStamp(new Int16Array(STAMP_SAMPLES - 1)), null);
  });

  it('the simulator stamps each reply delta with its send time and response tag, and reads uplink stamps', async () => {
    const stamps = new PcmStamps();
    const sim = await startSimulator({ paceFactor: Infinity, updateDelayMs: 1, stamps, respond: () => ({ text: 'Ok.', audioMs: 300 }) });
    try {
      const c = await TestClient.connect(sim.url);
      c.send({ type: 'session.update', session: { type: 'realtime', audio: { input: { turn_detection: null } } } });
      await c.waitFor('session.updated');
      const before = nowNs();
      c.send({ type: 'input_audio_buffer.append', audio: encodePcm16(writeStamp(new Int16Array(480), 0)) });
      for (let r = 0; r < 2; r++) {
        c.send({ type: 'conversation.item.create', item: { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'hi' }] } });
        c.send({ type: 'response.create' });
        await c.waitFor('response.done', () => c.events.filter((e) => e.type === 'response.done').length === r + 1);
      }
      const deltas = c.events.filter((e) => e.type === 'response.output_audio.delta');
      const read = deltas.map((d) => readStamp(decodePcm16(d.delta))!);
      assert.ok(read.every((s) => s.at >= before && s.at <= nowNs()), 'send times are on the shared monotonic clock');
      assert.deepEqual([...new Set(read.map((s) => s.tag))], [1, 2]);
      assert.equal(stamps.uplinkNs.length, 1);
      assert.ok(stamps.uplinkNs[0]! > 0);
    } finally {
      await sim.close();
    }
  });
});
