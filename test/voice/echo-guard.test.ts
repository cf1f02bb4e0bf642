// The echo guard over ≥ 50 replies per coupling: the reply's own speech (espeak-ng) leaks back into
// the mic with a 10–50 ms delay at −30 to −10 dB, browser AEC off. With the guard on, the assistant
// never interrupts itself and a real interjection over the echo still barges in at once; with it
// off, the echo alone triggers barge-ins. The rates per coupling are printed for the closing note.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { simulateEcho, type SimReply } from './echo-sim';
import { speech } from './speech';

const TEXTS = [
  'The weather tomorrow will be sunny with a light breeze from the west.',
  'I have added that to your notes, and I will remind you at five.',
  'Paris is six hours ahead of New York at this time of year.',
  'Sure. The meeting with Anna moved to Thursday morning at ten.',
  'Here is a short poem about the sea, the sky, and a small boat.',
];
const COUPLINGS = [
  { delayMs: 10, gainDb: -10 },
  { delayMs: 30, gainDb: -20 },
  { delayMs: 50, gainDb: -30 },
];
const PLAIN = 50;
const INTERJECTED = 10;

function replies(): SimReply[] {
  const voices = TEXTS.map((t, i) => speech(t, { voice: i % 2 ? 'en-gb' : 'en-us' }));
  const interjection = speech('Wait, stop, that is not what I meant.', { voice: 'en-us+f3' });
  const out: SimReply[] = [];
  for (let i = 0; i < PLAIN; i++) out.push({ pcm: voices[i % voices.length]! });
  for (let i = 0; i < INTERJECTED; i++) out.push({ pcm: voices[i % voices.length]!, interjection: { pcm: interjection, atMs: 900 + (i % 4) * 300 } });
  return out;
}

/**
 * False barge-in: a reply cut with no one talking over it (the assistant interrupted itself).
 * Missed: an interjection that did not stop playback within 150 ms of its onset. A playback already
 * paused when the interjection began (a false start just before it) counts as stopped in time.
 */
function rates(list: SimReply[], bargeIns: Awaited<ReturnType<typeof simulateEcho>>['bargeIns']) {
  let falseBargeIns = 0;
  let missed = 0;
  const latencies: number[] = [];
  for (const [i, r] of list.entries()) {
    const b = bargeIns[i];
    const onset = r.interjection?.atMs;
    if (onset === undefined) {
      if (b) falseBargeIns++;
      continue;
    }
    if (!b) {
      missed++;
      continue;
    }
    latencies.push(Math.round(b.atMs - onset));
    if (b.atMs - onset > 150) missed++;
  }
  return { falseRate: falseBargeIns / PLAIN, falseBargeIns, missedRate: missed / INTERJECTED, missed, latencies };
}

describe('echo guard (speaker-to-mic coupling, AEC off)', () => {
  for (const c of COUPLINGS) {
    test(`${c.gainDb} dB at ${c.delayMs} ms: no self-interruption with the guard on; interjections still barge in`, async () => {
      const list = replies();
      const on = await simulateEcho(list, { ...c, settings: { echoGuard: true } });
      const off = await simulateEcho(list, { ...c, settings: { echoGuard: false } });
      const rOn = rates(list, on.bargeIns);
      const rOff = rates(list, off.bargeIns);
      const selfOff = off.bargeIns.slice(0, PLAIN).filter(Boolean).length;
      console.log(
        `coupling ${c.gainDb} dB / ${c.delayMs} ms over ${list.length} replies: guard on: false ${(rOn.falseRate * 100).toFixed(1)} %, missed ${(rOn.missedRate * 100).toFixed(0)} %, suppressed ${on.suppressed}, false starts resumed ${on.falseStarts}, latency ${JSON.stringify(rOn.latencies)} ms; ` +
          `guard off: false ${(rOff.falseRate * 100).toFixed(1)} % (${selfOff} of ${PLAIN} replies cut by their own echo), missed ${(rOff.missedRate * 100).toFixed(0)} %`,
      );
      assert.equal(on.bargeIns.slice(0, PLAIN).filter(Boolean).length, 0, 'the assistant never interrupts itself with the guard on');
      assert.ok(on.suppressed >= PLAIN / 2, `echo onsets suppressed and counted (${on.suppressed})`);
      const logged = on.notes.filter((n) => n.type === 'local.echo_suppressed');
      assert.equal(logged.length, on.suppressed, 'each suppression is an event-log line');
      assert.equal(logged.at(-1)!.count, on.suppressed, 'carrying the count so far');
      assert.ok(rOn.missed <= 1, `interjections over the echo barge in (${rOn.missed} of ${INTERJECTED} missed)`);
      // A false start pauses the reply for a moment and then plays on; it must stay rare.
      assert.ok(on.falseStarts <= list.length / 4, `false starts: ${on.falseStarts}`);
      assert.ok(selfOff > 0, 'without the guard the echo does cut replies (the test is not trivially passing)');
    });
  }
});
