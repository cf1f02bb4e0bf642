// Local barge-in through the talk command: real espeak-ng speech as the mic, the simulator as the
// server with its speech_started held back 400 ms. Playback must stop on Hark's own detection,
// long before the server's word, and the truncate must still be what the speaker rendered.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeWav } from '../../main/audio/wav';
import { runTalk, type TalkResult } from '../../main/talk/talk';
import { speech } from './speech';

const dir = mkdtempSync(join(tmpdir(), 'hark-barge-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const wav = (name: string, pcm: Int16Array) => {
  const path = join(dir, `${name}.wav`);
  writeWav(path, pcm);
  return path;
};
const question = wav('question', speech('Tell me a long story about the sea.'));
const interjection = wav('interjection', speech('Wait, stop there please.'));
const reply = speech('Once upon a time, far out on the grey and restless sea, there lived an old sailor who had seen every storm the world could make, and who told his stories to anyone who would listen.');

async function interrupted(localVoice: boolean, turnDetection: 'server_vad' | 'semantic_vad' = 'server_vad'): Promise<TalkResult & { latencyMs: number }> {
  const r = await runTalk({
    inputs: [{ kind: 'wav', path: question }, { kind: 'wav', path: interjection, interjectAfterMs: 1200 }],
    simulate: true,
    simulatorOptions: { speechStartedDelayMs: 400, respond: ({ turnIndex }) => (turnIndex === 0 ? { text: 'Once upon a time…', audio: reply } : { text: 'Sure.', audioMs: 500 }) },
    turnDetection,
    turnTimeoutMs: 20_000,
    localVoice: localVoice ? {} : false,
  });
  assert.ok(r.ok, r.reason);
  const onset = r.timeline!.interjections[0]!.onsetAt;
  const stop = r.timeline!.stops.find((t) => t > onset - 50);
  assert.ok(stop, 'playback was stopped');
  return { ...r, latencyMs: stop - onset };
}

function assertTruncatedToRendered(r: TalkResult): void {
  const cut = r.items.find((i) => i.role === 'assistant' && i.truncatedAtMs !== undefined);
  assert.ok(cut, 'the interrupted reply is truncated');
  assert.equal(cut.status, 'interrupted');
  assert.ok(Math.abs(cut.truncatedAtMs! - r.playedMs![cut.id]!) <= 20, `truncated at ${cut.truncatedAtMs} ms, rendered ${r.playedMs![cut.id]} ms`);
  assert.equal(r.items.filter((i) => i.truncatedAtMs !== undefined).length, 1, 'nothing cut twice');
}

describe('local barge-in (talk, simulator with speech_started 400 ms late)', () => {
  test('server VAD: playback stops within ~150 ms of the interjection, on local detection', async () => {
    const r = await interrupted(true);
    console.log(`local barge-in: playback stopped ${r.latencyMs.toFixed(0)} ms after the interjection's onset`);
    assert.equal(r.voice!.detector, 'ready');
    assert.ok(r.latencyMs < 150, `stopped ${r.latencyMs} ms after onset`);
    assert.equal(r.voice!.bargeIns, 1);
    assertTruncatedToRendered(r);
  });

  test('semantic VAD: the same', async () => {
    const r = await interrupted(true, 'semantic_vad');
    assert.ok(r.latencyMs < 150, `stopped ${r.latencyMs} ms after onset`);
    assertTruncatedToRendered(r);
  });

  test('without the local detector the stop waits for the server (the 400 ms it holds back)', async () => {
    const r = await interrupted(false);
    console.log(`server barge-in: playback stopped ${r.latencyMs.toFixed(0)} ms after the interjection's onset`);
    assert.equal(r.voice!.detector, 'off');
    assert.ok(r.latencyMs > 400, `stopped ${r.latencyMs} ms after onset`);
    assertTruncatedToRendered(r);
  });
});
