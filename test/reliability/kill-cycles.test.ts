// The server dies mid-conversation, again and again: before response.created, mid reply audio, mid
// function-call arguments, between turns; it comes back after a random 0–3 s (0–0.6 s here). Each
// cycle: the session is back within its policy delay + 1 s of the server, every finished turn is
// intact and in order, the question in flight is answered once, nothing is duplicated; and memory
// after the last cycle is within +10 % of after the 10th.
//
// HARK_KILL_CYCLES sets the count (npm test: 20; `npm run soak`: 100). Here the server is killed
// in-process (every socket destroyed, the port closed); scripts/kill-cycles.ts (run by the soak)
// SIGKILLs a server process and gives the client's RSS figure.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ConversationItem } from '../../preload/api';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../simulator/server';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import { silence, sleep, speak, startPair, tone, unhandledRejections } from '../realtime/harness';

// A real collection before each memory reading, without a command-line flag.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

const CYCLES = Number(process.env.HARK_KILL_CYCLES ?? 20);
const MAX_RESTART_MS = Number(process.env.HARK_KILL_MAX_RESTART_MS ?? 600);
const POINTS = ['before response.created', 'mid audio', 'mid function-call arguments', 'between turns'] as const;

function rng(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

async function until(cond: () => boolean, ms: number, what: string): Promise<number> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(5);
  }
  return performance.now() - t0;
}

const finished = (items: ConversationItem[]) => items.filter((i) => i.type === 'message' && (i.status === 'completed' || i.status === 'interrupted')).map((i) => `${i.role}:${i.status}:${i.text}`);

describe('kill the server mid-response', () => {
  test(`${CYCLES} kill/restart cycles`, { timeout: 30_000 + CYCLES * 15_000 }, async () => {
    const rand = rng(5);
    let wantTool = false;
    const options: SimulatorOptions = {
      paceFactor: 4,
      updateDelayMs: 1,
      transcriptionDelayMs: 10,
      replyDelayMs: 150,
      userTranscript: ({ turnIndex }) => `question ${turnIndex}`,
      // For the "mid function-call arguments" cycles the reply is a tool call with long arguments.
      respond: (ctx) => (ctx.toolOutputs.length === 0 && wantTool ? { toolCalls: [{ name: 'get_current_time', arguments: JSON.stringify({ note: 'x'.repeat(200) }) }] } : { text: `answer number ${ctx.turnIndex}, given in several words so it streams for a while`, audioMs: 900 }),
    } as SimulatorOptions;
    let sim: Simulator = await startSimulator(options);
    const port = sim.port;
    const pair = await startPair({ simulator: sim, tools: [currentTimeTool('Europe/Paris')], session: { backoff: { baseMs: 100, maxMs: 400, stableMs: 5000, maxAttempts: 1000, minIntervalMs: 1000 } } });
    const { session } = pair;
    const reconnectMs: number[] = [];
    const rss: number[] = [];
    const heap: number[] = [];
    try {
      await session.connect();
      for (let cycle = 0; cycle < CYCLES; cycle++) {
        const point = POINTS[cycle % POINTS.length]!;
        const before = finished(session.conversation.items());
        const conn = sim.connections.at(-1)!;
        wantTool = point === 'mid function-call arguments';
        speak(session, tone(400), silence(700));
        // (After the transcript: a question killed before it was transcribed is lost with the
        // session's audio, and the user is told it failed; it is not one to answer.)
        const from = conn.sent.length;
        const sentSince = (type: string) => conn.sent.slice(from).some((e) => e.event.type === type);
        if (point === 'before response.created') await until(() => sentSince('conversation.item.input_audio_transcription.completed'), 8000, 'the transcript');
        else if (point === 'mid audio') await until(() => sentSince('response.output_audio.delta'), 8000, 'reply audio');
        else if (point === 'mid function-call arguments') await until(() => sentSince('response.function_call_arguments.delta'), 8000, 'call arguments');
        else await until(() => session.state.phase === 'listening' && sentSince('response.done'), 8000, 'the turn to finish');
        // Kill: every socket destroyed at once, the port closed.
        await sim.close();
        wantTool = false;
        await sleep(Math.floor(rand() * MAX_RESTART_MS));
        sim = await startSimulator({ ...options, port });
        const back = performance.now();
        await until(() => session.isReady, 5000, 'the reconnect');
        const delay = session.state.reconnect?.inMs ?? 0;
        reconnectMs.push(performance.now() - back);
        assert.ok(performance.now() - back <= 1000 + Math.max(delay, 1000), `cycle ${cycle}: reconnected ${Math.round(performance.now() - back)} ms after the server came back`);
        // The turn in flight is answered in the new session (unless the kill came between turns).
        await until(() => session.state.phase === 'listening' && !session.conversation.items().some((i) => i.status === 'in_progress'), 10_000, `cycle ${cycle} (${point}) to settle`);
        if (point !== 'between turns') {
          await until(() => sim.connections.at(-1)!.sent.some((e) => e.event.type === 'response.done'), 10_000, `cycle ${cycle} (${point}): the question in flight to be answered`).catch((err) => {
            throw new Error(`${(err as Error).message}; items ${JSON.stringify(session.conversation.items().map((i) => [i.role, i.type, i.status, i.text.slice(0, 20)]))}; new session got ${JSON.stringify(sim.connections.at(-1)!.received.map((r) => r.event?.type))}`);
          });
          await until(() => session.state.phase === 'listening', 10_000, 'listening');
        }
        // Finished turns intact and in order: what was finished before is a prefix of what is now.
        const now = finished(session.conversation.items());
        assert.deepEqual(now.slice(0, before.length), before, `cycle ${cycle}: finished turns changed`);
        const ids = session.conversation.items().map((i) => i.id);
        assert.equal(new Set(ids).size, ids.length, 'no item twice');
        if (cycle === 9 || cycle === CYCLES - 1) {
          gc();
          rss.push(process.memoryUsage().rss);
          heap.push(process.memoryUsage().heapUsed);
        }
      }
      // Every user question has exactly one completed reply after it (interrupted ones may sit between).
      const msgs = session.conversation.items().filter((i) => i.type === 'message' && i.status !== 'failed');
      for (let k = 0; k < msgs.length; k++) {
        if (msgs[k]!.role !== 'user') continue;
        const rest = msgs.slice(k + 1);
        const next = rest.findIndex((i) => i.role === 'user');
        const replies = (next < 0 ? rest : rest.slice(0, next)).filter((i) => i.status === 'completed');
        if (next >= 0 || replies.length) assert.ok(replies.length <= 1, `question ${k} answered ${replies.length} times`);
      }
      const sorted = [...reconnectMs].sort((a, b) => a - b);
      const p = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!);
      const growth = rss.length === 2 ? (rss[1]! / rss[0]! - 1) * 100 : 0;
      const heapGrowth = heap.length === 2 ? (heap[1]! / heap[0]! - 1) * 100 : 0;
      console.log(`${CYCLES} kill cycles: reconnect after the server is back p50 ${p(0.5)} ms, max ${p(1)} ms; RSS after cycle 10 ${(rss[0]! / 2 ** 20).toFixed(1)} MiB, after the last ${(rss.at(-1)! / 2 ** 20).toFixed(1)} MiB (${growth.toFixed(1)} %); heap ${heapGrowth.toFixed(1)} %; ${session.stats.reconnects} reconnects`);
      // This process also holds the simulator (a fresh one per cycle) and the growing conversation,
      // so only its retained heap is checked here; scripts/kill-cycles.ts measures the client's RSS
      // against a server process.
      if (heap.length === 2) assert.ok(heapGrowth <= 10, `heap grew ${heapGrowth.toFixed(1)} %`);
      assert.equal(unhandledRejections(), 0);
    } finally {
      await pair.close();
      await sim.close();
    }
  });
});
