// Barge-in latency, local path vs server path: from the interjection's speech onset to the moment the
// speaker stopped, through the talk command with real espeak-ng speech and the simulator holding its
// speech_started back 400 ms (a realistic network + server VAD delay). Also the detector's CPU.
//   node --import tsx bench/barge-in-latency.ts [runs=10]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeWav } from '../main/audio/wav';
import { runTalk } from '../main/talk/talk';
import { percentile } from '../test/chromium/analysis';
import { detect, speech, concat, silence } from '../test/voice/speech';

const RUNS = Number(process.argv[2] ?? 10);
const dir = mkdtempSync(join(tmpdir(), 'hark-bench-barge-'));
const wav = (name: string, pcm: Int16Array) => {
  const p = join(dir, `${name}.wav`);
  writeWav(p, pcm);
  return p;
};
const question = wav('q', speech('Tell me a long story about the sea.'));
const interjections = ['Wait, stop there please.', 'Hold on a second.', 'No, that is not it.', 'Stop.', 'Sorry, can I ask something?'].map((t, i) => wav(`i${i}`, speech(t, { voice: i % 2 ? 'en-gb' : 'en-us' })));
const reply = speech('Once upon a time, far out on the grey and restless sea, there lived an old sailor who had seen every storm the world could make, and who told his stories to anyone who would listen.');

async function once(local: boolean, k: number): Promise<number> {
  const r = await runTalk({
    inputs: [{ kind: 'wav', path: question }, { kind: 'wav', path: interjections[k % interjections.length]!, interjectAfterMs: 900 + (k % 5) * 250 }],
    simulate: true,
    simulatorOptions: { speechStartedDelayMs: 400, respond: ({ turnIndex }) => (turnIndex === 0 ? { text: 'Once…', audio: reply } : { text: 'Sure.', audioMs: 400 }) },
    turnDetection: 'server_vad',
    turnTimeoutMs: 20_000,
    localVoice: local ? (process.env.BENCH_NO_GUARD ? { echoGuard: false } : {}) : false,
  });
  if (!r.ok) throw new Error(r.reason);
  const onset = r.timeline!.interjections[0]!.onsetAt;
  const stop = r.timeline!.stops.find((t) => t > onset - 50);
  if (stop === undefined) throw new Error('not stopped');
  return stop - onset;
}

const stat = (xs: number[]) => ({ n: xs.length, median: +percentile(xs, 50).toFixed(1), p95: +percentile(xs, 95).toFixed(1), max: +Math.max(...xs).toFixed(1) });
const local: number[] = [];
const server: number[] = [];
for (let k = 0; k < RUNS; k++) {
  local.push(await once(true, k));
  if (process.env.BENCH_VERBOSE) console.error(`run ${k}: local ${local.at(-1)!.toFixed(0)} ms`);
  if (!process.env.BENCH_LOCAL_ONLY) server.push(await once(false, k));
}
const cpu = (await detect(concat(...Array.from({ length: 10 }, () => concat(reply, silence(2000)))))).cpuMsPerMinute;
console.log(JSON.stringify({ bargeInStopAfterOnsetMs: { local: stat(local), server: stat(server) }, detectorCpuMsPerMinuteOfAudio: +cpu.toFixed(0) }, null, 2));
rmSync(dir, { recursive: true, force: true });
