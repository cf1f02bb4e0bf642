// One client in its own process, for `npm run bench` (bench/run.ts spawns it, pinned where it can):
// connects to the parent's simulator, plays one workload's user side, and prints its own CPU (OS
// accounting), event-loop delay, memory and what reached its sink, as one JSON line.
//   node --expose-gc --import tsx bench/child.ts CLIENT WORKLOAD=URL [WORKLOAD=URL …] [--smoke]
// (several workloads in one process only in --smoke, where process start-up would dominate)
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { nowNs, readStamp, writeStamp } from '../simulator/stamp';
import type { BenchClient } from './clients/client';
import { sizeOf, type WorkloadName } from './workloads';

// Each process loads only its own client's library: the agents SDK, for one, starts a tracing
// exporter when it is imported, which must not run (and cost) in the other clients' processes.
export const CLIENTS = {
  hark: async () => new (await import('./clients/hark')).HarkClient(false),
  'hark-app': async () => new (await import('./clients/hark')).HarkClient(true),
  'agents-realtime': async () => new (await import('./clients/agents-realtime')).AgentsClient(),
  openai: async () => new (await import('./clients/openai-ws')).OpenAIWsClient(),
  null: async () => new (await import('./clients/null-ws')).NullClient(),
} satisfies Record<string, () => Promise<BenchClient>>;
export type ClientName = keyof typeof CLIENTS;

export interface ChildResult {
  client: ClientName;
  workload: WorkloadName;
  deflate: string;
  cpuMs: number;
  wallMs: number;
  replyAudioMs: number;
  responses: number;
  appends: number;
  /** Per chunk at the sink: [response tag, send time ns, latency ns]. */
  sink: [number, number, number][];
  loopP99Ms: number;
  loopMaxMs: number;
  rssStartMb: number;
  rssEndMb: number;
  heapStartMb: number;
  heapEndMb: number;
  /** Soak: CPU µs per append, each turn. */
  perAppendUs: number[];
}

const FRAME_SAMPLES = 480; // 20 ms at 24 kHz, the app's frame
const speech = (i: number) => {
  const f = new Int16Array(FRAME_SAMPLES);
  for (let n = 0; n < f.length; n++) f[n] = Math.round(Math.sin((2 * Math.PI * 220 * (i * FRAME_SAMPLES + n)) / 24000) * 0.3 * 32767);
  return f;
};
const SPEECH = Array.from({ length: 11 }, (_, i) => speech(i)); // 220 Hz repeats every 11 frames' phase closely enough
const SILENCE = new Int16Array(FRAME_SAMPLES);

async function main(): Promise<void> {
  const clientName = process.argv[2] as ClientName;
  const smoke = process.argv.includes('--smoke');
  for (const pair of process.argv.slice(3).filter((a) => a.includes('='))) {
    const at = pair.indexOf('=');
    const result = await runWorkload(clientName, pair.slice(0, at) as WorkloadName, pair.slice(at + 1), smoke);
    process.stdout.write(`BENCH-RESULT ${JSON.stringify(result)}\n`);
  }
  setTimeout(() => process.exit(0), 100).unref();
}

async function runWorkload(clientName: ClientName, workload: WorkloadName, url: string, smoke: boolean): Promise<ChildResult> {
  const size = sizeOf(workload, smoke);
  const client = await CLIENTS[clientName]();

  const sink: ChildResult['sink'] = [];
  let replyBytes = 0;
  let responses = 0;
  let firstAudioAt = 0; // ms (performance.now) of the current reply's first chunk
  let waiters: (() => void)[] = [];
  const wake = () => {
    const w = waiters;
    waiters = [];
    for (const f of w) f();
  };
  const until = async (pred: () => boolean, what: string, timeoutMs = 30_000) => {
    const deadline = performance.now() + timeoutMs;
    while (!pred()) {
      if (performance.now() > deadline) throw new Error(`${clientName}/${workload}: timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 50).unref();
      });
    }
  };
  await client.connect(url, {
    audio(pcm) {
      const s = readStamp(pcm);
      if (s) sink.push([s.tag, Number(s.at), Number(nowNs() - s.at)]);
      if (firstAudioAt === 0) firstAudioAt = performance.now();
      replyBytes += pcm.byteLength;
      wake();
    },
    responseDone() {
      responses++;
      wake();
    },
  }, workload === 'tools');

  let appends = 0;
  const append = (frame: Int16Array) => {
    client.append(writeStamp(frame.slice(), 0));
    appends++;
  };
  const burst = (speechMs: number, silenceMs: number) => {
    for (let i = 0; i < speechMs / 20; i++) append(SPEECH[i % SPEECH.length]!);
    for (let i = 0; i < silenceMs / 20; i++) append(SILENCE);
  };

  global.gc?.();
  const mem0 = process.memoryUsage();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const perAppendUs: number[] = [];

  if (workload === 'conversation') {
    // Real time: a frame every 20 ms all along, as a mic does; every other turn speaks over the reply.
    let next = performance.now();
    let frameNo = 0;
    const tick = async (frame: Int16Array) => {
      append(frame === SILENCE ? SILENCE : SPEECH[frameNo % SPEECH.length]!);
      frameNo++;
      next += 20;
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    };
    const deadline = () => performance.now() + 20_000;
    for (let turn = 0; turn < size.turns; turn++) {
      for (let i = 0; i < (size.speechMs ?? 800) / 20; i++) await tick(SPEECH[0]!);
      const before = responses;
      firstAudioAt = 0;
      const end = deadline();
      const bargeIn = turn % 2 === 0 && turn < size.turns - 1;
      // Barge-in: speak a quarter into the reply (while it still streams); else listen to it to the end, then 300 ms more.
      while (performance.now() < end) {
        if (bargeIn && firstAudioAt > 0 && performance.now() >= firstAudioAt + size.replyMs / 4) break;
        if (!bargeIn && responses > before && firstAudioAt > 0 && performance.now() >= firstAudioAt + size.replyMs + 300) break;
        await tick(SILENCE);
      }
      if (performance.now() >= end) throw new Error(`${clientName}/conversation: turn ${turn} got no reply`);
    }
    await until(() => responses >= size.turns, 'the last reply');
  } else {
    const perTurn = workload === 'tools' ? 2 : 1;
    for (let turn = 0; turn < size.turns; turn++) {
      const before = responses;
      const c = process.cpuUsage();
      const a = appends;
      burst(workload === 'soak' ? 300 : 600, 700);
      await until(() => responses >= before + perTurn, `turn ${turn}'s reply`, workload === 'flood' ? 120_000 : 30_000);
      const used = process.cpuUsage(c);
      perAppendUs.push((used.user + used.system) / (appends - a));
    }
  }

  const cpu = process.cpuUsage(cpu0);
  const wallMs = performance.now() - t0;
  loop.disable();
  global.gc?.();
  const mem1 = process.memoryUsage();
  const result: ChildResult = {
    client: clientName,
    workload,
    deflate: client.deflate,
    cpuMs: (cpu.user + cpu.system) / 1000,
    wallMs,
    replyAudioMs: replyBytes / 48,
    responses,
    appends,
    sink,
    loopP99Ms: loop.percentile(99) / 1e6,
    loopMaxMs: loop.max / 1e6,
    rssStartMb: mem0.rss / 2 ** 20,
    rssEndMb: mem1.rss / 2 ** 20,
    heapStartMb: mem0.heapUsed / 2 ** 20,
    heapEndMb: mem1.heapUsed / 2 ** 20,
    perAppendUs,
  };
  await client.close();
  return result;
}

main().catch((err) => {
  console.error(`bench child: ${(err as Error).stack ?? JSON.stringify(err)}`);
  process.exit(1);
});
