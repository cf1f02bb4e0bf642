// B5 test 1's memory figure, measured as B5 asks: the server is a separate process, SIGKILLed at
// random points (before response.created, mid reply audio, mid function-call arguments, between
// turns) and restarted on the same port after a random 0–3 s; the client's RSS, and its heap and
// array buffers after a full collection, are read after the 10th and the last cycle. (The
// in-process test/reliability/kill-cycles.test.ts checks turns and timing; its process also holds
// a fresh simulator per cycle, so its RSS is not the client's.) Run by `npm run soak`, or alone:
// `tsx scripts/kill-cycles.ts [cycles]`.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RealtimeSession } from '../main/realtime/session';
import { settingsSchema } from '../common/settings/settings-schema';
import { ToolRegistry } from '../main/tools/tool-registry';
import { currentTimeTool } from '../main/tools/builtin/current-time';
import { Speaker } from '../main/talk/speaker';
import { startChildSimulator } from '../simulator/child-process';
import { median } from '../bench/stats';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const POINTS = ['before response.created', 'mid audio', 'mid function-call arguments', 'between turns'] as const;

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const statusMiB = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN) / 1024;

const serverOptions = (port: number) =>
  `{ port: ${port}, paceFactor: 4, updateDelayMs: 1, transcriptionDelayMs: 10, replyDelayMs: 150, respond: (ctx) => (ctx.toolOutputs.length === 0 && /tool/.test(ctx.userText ?? '') ? { toolCalls: [{ name: 'get_current_time', arguments: JSON.stringify({ note: 'x'.repeat(200) }) }] } : { text: 'answer number ' + ctx.turnIndex + ', given in several words so it streams for a while', audioMs: 900 }) }`;

function tone(ms: number): Uint8Array {
  const n = Math.round((ms * 24_000) / 1000);
  const out = new Int16Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.round(16000 * Math.sin((2 * Math.PI * 440 * i) / 24_000));
  return new Uint8Array(out.buffer);
}

export async function killCycles(cycles: number, maxRestartMs = 3000): Promise<{ ok: boolean }> {
  const rand = rng(5);
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  let server = await startChildSimulator(serverOptions(port));
  const speaker = new Speaker({ record: false });
  const session = new RealtimeSession({
    settings: settingsSchema.parse({ endpoint: { kind: 'custom', url: server.url } }),
    apiKey: 'sk-test-CANARY-kill-00000',
    tools: new ToolRegistry([currentTimeTool('Europe/Paris')]),
    playback: speaker,
    backoff: { baseMs: 100, maxMs: 400, stableMs: 5000, maxAttempts: 1000, minIntervalMs: 1000 },
  });
  session.on('audio', (a) => speaker.push(a));
  const seen: string[] = [];
  session.on('wire', (w: { dir: string; event: { type?: string } }) => {
    if (w.dir === 'in' && w.event.type) seen.push(w.event.type);
  });
  const until = async (cond: () => boolean, ms: number, what: string) => {
    const t0 = performance.now();
    while (!cond()) {
      if (performance.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await sleep(5);
    }
  };
  /** After a full collection, every cycle: RSS, and its anonymous part (the process's own memory, without the pages of the node binary and its libraries the kernel maps in and out). */
  const mem: Array<{ rss: number; anon: number; heap: number; buffers: number }> = [];
  const backMs: number[] = [];
  const closeMs: number[] = [];
  /** From the kill to the player's stop, for cycles killed while reply audio was playing. */
  const stopMs: number[] = [];
  let failures = 0;
  await session.connect();
  for (let cycle = 0; cycle < cycles; cycle++) {
    const point = POINTS[cycle % POINTS.length]!;
    seen.length = 0;
    try {
      if (point === 'mid function-call arguments') session.sendText('please call the tool');
      else {
        const q = tone(400);
        const s = new Uint8Array(700 * 48);
        for (const clip of [q, s]) for (let at = 0; at < clip.length; at += 960) session.appendAudio(clip.subarray(at, at + 960));
      }
      if (point === 'before response.created') await until(() => seen.includes('conversation.item.input_audio_transcription.completed'), 8000, 'the transcript');
      else if (point === 'mid audio') await until(() => seen.includes('response.output_audio.delta'), 8000, 'reply audio');
      else if (point === 'mid function-call arguments') await until(() => seen.includes('response.function_call_arguments.delta'), 8000, 'call arguments');
      else await until(() => seen.includes('response.done') && session.state.phase === 'listening', 8000, 'the turn to finish');
    } catch (err) {
      failures++;
      console.log(`cycle ${cycle} (${point}): ${(err as Error).message}`);
    }
    const stopsBefore = speaker.stops.length;
    const playing = speaker.isPlaying;
    const killedAt = performance.now();
    const exited = server.kill();
    // Close detection: the session leaves its ready state.
    const closeTimer = (async () => {
      while (session.isReady && performance.now() - killedAt < 5000) await sleep(1);
      closeMs.push(performance.now() - killedAt);
      // (A reply that finished playing on its own before the close was seen needed no stop.)
      if (playing && speaker.stops.length > stopsBefore) stopMs.push(speaker.stops.at(-1)! - killedAt);
      else if (playing && speaker.isPlaying) stopMs.push(Infinity);
    })();
    await exited;
    await closeTimer;
    await sleep(Math.floor(rand() * maxRestartMs));
    server = await startChildSimulator(serverOptions(port));
    const back = performance.now();
    try {
      await until(() => session.isReady, 20_000, 'the reconnect');
      backMs.push(performance.now() - back);
      await until(() => session.state.phase === 'listening' && !session.conversation.items().some((i) => i.status === 'in_progress'), 15_000, 'the turn to settle');
    } catch (err) {
      failures++;
      console.log(`cycle ${cycle} (${point}): ${(err as Error).message}`);
    }
    gc();
    const m = process.memoryUsage();
    const anon = statusMiB('RssAnon');
    mem.push({ rss: m.rss / 2 ** 20, anon, heap: m.heapUsed / 2 ** 20, buffers: m.arrayBuffers / 2 ** 20 });
    if ((cycle + 1) % 10 === 0) {
      // RSS moves with V8's heap reservation, the allocator and the file pages mapped in, so show them beside it.
      console.log(`after cycle ${cycle + 1}: RSS ${(m.rss / 2 ** 20).toFixed(1)} MiB (anonymous ${anon.toFixed(1)}, file ${statusMiB('RssFile').toFixed(1)}), V8 heap reserved ${(m.heapTotal / 2 ** 20).toFixed(1)} MiB, used after gc ${(m.heapUsed / 2 ** 20).toFixed(2)} MiB, external ${(m.external / 2 ** 20).toFixed(2)} MiB`);
    }
  }
  session.disconnect();
  speaker.close();
  await server.kill();
  const sorted = [...backMs].sort((a, b) => a - b);
  const pct = (x: number, y: number) => ((y / x - 1) * 100).toFixed(1);
  const [a, b] = [mem[Math.min(9, mem.length - 1)]!, mem.at(-1)!];
  // One reading is one moment of the allocator; five around each point (cycles 8–12, the last five) are the level.
  const level = (from: number, to: number, k: 'rss' | 'anon') => median(mem.slice(from, to).map((x) => x[k]));
  const [early, late] = [(k: 'rss' | 'anon') => level(7, 12, k), (k: 'rss' | 'anon') => level(mem.length - 5, mem.length, k)];
  console.log(`${cycles} kill cycles (server SIGKILLed, restarted after 0–${maxRestartMs} ms): reconnected after the server was back p50 ${Math.round(sorted[Math.floor(sorted.length / 2)] ?? NaN)} ms, max ${Math.round(sorted.at(-1) ?? NaN)} ms; ${failures} cycles with a timeout; ${session.conversation.items().length} items kept`);
  const p95 = (v: number[]) => [...v].sort((x, y) => x - y)[Math.min(v.length - 1, Math.floor(0.95 * v.length))] ?? NaN;
  console.log(`close detected after the kill: p95 ${p95(closeMs).toFixed(1)} ms, max ${Math.max(...closeMs).toFixed(1)} ms; the dead reply's playback stopped after the kill (${stopMs.length} cycles killed mid-playback): p95 ${p95(stopMs).toFixed(1)} ms, max ${Math.max(...stopMs).toFixed(1)} ms`);
  console.log(`client memory after cycle 10 → after cycle ${cycles}: RSS ${a.rss.toFixed(1)} → ${b.rss.toFixed(1)} MiB (${pct(a.rss, b.rss)} %; criterion ≤ +10 %), heap after gc ${a.heap.toFixed(2)} → ${b.heap.toFixed(2)} MiB (${pct(a.heap, b.heap)} %), array buffers ${a.buffers.toFixed(2)} → ${b.buffers.toFixed(2)} MiB`);
  console.log(`client memory, median of five readings around cycle 10 → the last five: RSS ${early('rss').toFixed(1)} → ${late('rss').toFixed(1)} MiB (${pct(early('rss'), late('rss'))} %), anonymous ${early('anon').toFixed(1)} → ${late('anon').toFixed(1)} MiB (${pct(early('anon'), late('anon'))} %)`);
  return { ok: failures === 0 && late('rss') <= early('rss') * 1.1 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await killCycles(Number(process.argv[2] ?? 100));
  process.exit(r.ok ? 0 : 1);
}
