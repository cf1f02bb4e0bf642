// The echo guard against the server's own VAD, end to end through talk: the reply's speech leaks
// back into the mic (−10 dB, 30 ms, AEC off) and the simulator's VAD hears it. Without the guard
// the assistant cuts itself off and answers its own echo, over and over; with it (and
// interrupt_response off, Hark cancelling on its own confirmed barge-in) every reply plays whole.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeWav } from '../../main/audio/wav';
import { runTalk, type TalkOptions } from '../../main/talk/talk';
import { speech } from './speech';

const dir = mkdtempSync(join(tmpdir(), 'hark-echo-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const question = join(dir, 'q.wav');
writeWav(question, speech('Tell me about tomorrow.'));
const reply = speech('The weather tomorrow will be sunny with a light breeze from the west, and warm in the afternoon.');

function run(o: Partial<TalkOptions>) {
  return runTalk({
    inputs: [{ kind: 'wav', path: question }, { kind: 'wav', path: question }],
    simulate: true,
    echo: { delayMs: 30, gainDb: -10 },
    simulatorOptions: { respond: () => ({ text: 'The weather tomorrow…', audio: reply }) },
    turnDetection: 'server_vad',
    // A reply of about 6 s: the bound leaves room for a loaded machine.
    turnTimeoutMs: 20_000,
    ...o,
  });
}

describe('echo guard with the server VAD (talk, speaker echo into the mic)', () => {
  test('guard on: both replies play whole; the server\'s echo speech_started is suppressed and kept out of the conversation', async () => {
    const r = await run({ localVoice: { echoGuard: true } });
    assert.ok(r.ok, r.reason);
    const replies = r.items.filter((i) => i.role === 'assistant');
    assert.equal(replies.length, 2);
    for (const a of replies) assert.equal(a.status, 'completed');
    assert.ok(r.voice!.echoSuppressedByServer >= 1, 'the server heard the echo, and Hark did not act on it');
    assert.equal(r.items.filter((i) => i.role === 'user').length, 2, 'no echo turn in the conversation');
    console.log(`guard on: ${replies.length} replies whole; server speech_started suppressed ${r.voice!.echoSuppressedByServer}, local onsets suppressed ${r.voice!.echoSuppressed}`);
  });

  test('guard on: a real interjection over the echo still stops playback at once and cuts the reply', async () => {
    const interjection = join(dir, 'stop.wav');
    writeWav(interjection, speech('Wait, stop there please.', { voice: 'en-us+f3' }));
    const r = await run({ localVoice: { echoGuard: true }, inputs: [{ kind: 'wav', path: question }, { kind: 'wav', path: interjection, interjectAfterMs: 1200 }] });
    assert.ok(r.ok, r.reason);
    const onset = r.timeline!.interjections[0]!.onsetAt;
    const stop = r.timeline!.stops.find((t) => t > onset - 50);
    assert.ok(stop, 'playback stopped');
    console.log(`interjection over echo: playback stopped ${(stop - onset).toFixed(0)} ms after its onset`);
    assert.ok(stop - onset < 150);
    const cut = r.items.find((i) => i.role === 'assistant' && i.status === 'interrupted');
    assert.ok(cut && Math.abs(cut.truncatedAtMs! - r.playedMs![cut.id]!) <= 20);
  });

  test('guard off: the echo cuts the reply (the loop the guard prevents)', async () => {
    const r = await run({ localVoice: { echoGuard: false } });
    const cut = r.items.filter((i) => i.role === 'assistant' && i.status === 'interrupted');
    console.log(`guard off: ${cut.length} replies cut by their own echo`);
    assert.ok(cut.length >= 2);
  });

  test('guard on but interrupt_response left on: the server still cancels on the echo', async () => {
    const r = await run({ localVoice: { echoGuard: true }, serverInterrupts: true });
    const assistant = r.items.filter((i) => i.role === 'assistant');
    const notWhole = assistant.filter((a) => a.status !== 'completed');
    console.log(`guard on, interrupt_response on: ${notWhole.length} of ${assistant.length} replies cancelled by the server`);
    assert.ok(notWhole.length >= 1, 'the server-side cancel is why the guard turns interrupt_response off');
  });
});
