// The local voice detector on real speech: Silero VAD in the worker thread, through SpeechDetector,
// fed espeak-ng sentences with known onsets and ends, and sounds that are not speech.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { concat, detect, musicTones, roomNoise, silence, speech, SOURCE_ROOT, samples, ms, mixInto } from './speech';
import { localVoicePaths } from '../../main/voice/local-voice-paths';

const SENTENCES = [
  'Hello there, could you tell me what time it is in Paris right now?',
  'Stop, wait a second.',
  'What is the weather like tomorrow?',
];

describe('local voice detector (Silero VAD in a worker)', () => {
  test('finds the onset and end of espeak-ng speech within a window or two', async () => {
    const errors: { onset: number; end: number }[] = [];
    for (const [i, text] of SENTENCES.entries()) {
      const clip = speech(text, { voice: i === 1 ? 'en-gb' : 'en-us' });
      const lead = 800 + i * 130;
      const { events } = await detect(concat(silence(lead), clip, silence(1200)));
      const starts = events.filter((e) => e.type === 'start');
      const ends = events.filter((e) => e.type === 'end');
      assert.equal(starts.length, 1, `"${text}": one utterance, got ${JSON.stringify(events)}`);
      assert.equal(ends.length, 1);
      const onsetErr = ms(starts[0]!.sample) - lead;
      const endErr = ms(ends[0]!.sample) - (lead + ms(clip.length));
      errors.push({ onset: Math.round(onsetErr), end: Math.round(endErr) });
      // One Silero window is 32 ms: the onset lands in the window where speech starts or the next.
      assert.ok(onsetErr > -70 && onsetErr < 130, `onset error ${onsetErr} ms`);
      assert.ok(Math.abs(endErr) < 200, `end error ${endErr} ms`);
    }
    console.log('onset/end error (ms):', JSON.stringify(errors));
  });

  test('speech in room noise is still found', async () => {
    const clip = speech('Could you read my notes back to me?');
    const noisy = mixInto(roomNoise(4000, 0.01), clip, samples(1000));
    const { events } = await detect(noisy);
    const start = events.find((e) => e.type === 'start');
    assert.ok(start, JSON.stringify(events));
    assert.ok(Math.abs(ms(start.sample) - 1000) < 100);
  });

  test('no detection in silence, room noise or music-like tones', async () => {
    for (const [name, clip] of [
      ['silence', silence(3000)],
      ['quiet room noise', roomNoise(6000, 0.01, 3)],
      ['loud room noise', roomNoise(6000, 0.08, 4)],
      ['music-like tones', musicTones(6000, 0.3)],
      ['loud music-like tones', musicTones(6000, 0.8)],
    ] as const) {
      const { events } = await detect(clip);
      assert.deepEqual(events.filter((e) => e.type === 'start'), [], `${name}: ${JSON.stringify(events)}`);
    }
  });

  test('CPU: inference time per minute of audio is reported', async () => {
    const clip = concat(...Array.from({ length: 6 }, () => concat(speech(SENTENCES[0]!), silence(1500))));
    const { cpuMsPerMinute } = await detect(clip);
    console.log(`detector CPU: ${cpuMsPerMinute.toFixed(0)} ms per minute of audio (${(cpuMsPerMinute / 600).toFixed(2)} % of one core)`);
    assert.ok(cpuMsPerMinute > 0 && cpuMsPerMinute < 60_000);
  });

  test('a missing model leaves the detector unavailable with the reason in words', async () => {
    const paths = localVoicePaths({ sourceRoot: SOURCE_ROOT });
    const host = new AudioWorkerHost({ ...paths, models: [{ kind: 'silero-vad', path: '/nonexistent/silero_vad_v5.onnx' }] });
    const status = await host.start();
    assert.equal(status.state, 'unavailable');
    assert.match(status.state === 'unavailable' ? status.reason : '', /missing.*silero_vad_v5\.onnx/);
    host.push(new Uint8Array(960)); // frames are ignored, not thrown on
  });

  test('a file that is not a model fails to load and says so', async () => {
    const paths = localVoicePaths({ sourceRoot: SOURCE_ROOT });
    const host = new AudioWorkerHost({ ...paths, models: [{ kind: 'silero-vad', path: new URL('./speech.ts', import.meta.url).pathname }] });
    const status = await host.start();
    assert.equal(status.state, 'unavailable');
    assert.ok(status.state === 'unavailable' && status.reason.length > 0);
  });
});
