// What the session core adds to a turn, with the model's delay set to zero: from the last appended
// audio of a push-to-talk turn to the first reply audio reaching the sink. The simulator runs in the
// same process, so its receive/send stamps share the clock and split the total into uplink
// (endTurn → commit received), server (commit → first delta sent) and downlink (delta sent →
// decoded audio handed to the sink).
//   npx tsx bench/core-latency.ts [turns=60]
import { RealtimeSession } from '../main/realtime/session';
import { settingsSchema } from '../common/settings/settings-schema';
import { ToolRegistry } from '../main/tools/tool-registry';
import { startSimulator } from '../simulator/server';

const turns = Number(process.argv[2] ?? 60);
const sim = await startSimulator({ replyDelayMs: 0, paceFactor: Infinity, updateDelayMs: 1, respond: () => ({ text: 'Ok.', audioMs: 400 }) });
const settings = settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, turnDetection: { mode: 'none' }, transcription: { enabled: false } });
const session = new RealtimeSession({ settings, apiKey: 'sk-bench', tools: new ToolRegistry([]) });
await session.connect();
const conn = sim.connections[0]!;
const speech = new Uint8Array(24_000); // 500 ms of PCM16
for (let i = 0; i < speech.length; i += 2) new DataView(speech.buffer).setInt16(i, Math.round(8000 * Math.sin(i / 20)), true);

const rows: Array<{ total: number; up: number; server: number; down: number }> = [];
for (let t = 0; t < turns + 2; t++) {
  session.beginTurn();
  for (let at = 0; at < speech.length; at += 960) session.appendAudio(speech.subarray(at, at + 960));
  const firstAudio = new Promise<number>((resolve) => session.once('audio', () => resolve(performance.now())));
  const done = new Promise<void>((resolve) => session.on('response', function h() { session.off('response', h); resolve(); }));
  const commitsBefore = conn.received.filter((r) => r.event?.type === 'input_audio_buffer.commit').length;
  const deltasBefore = conn.sent.filter((r) => r.event.type === 'response.output_audio.delta').length;
  const t0 = performance.now();
  session.endTurn();
  const t1 = await firstAudio;
  await done;
  const commit = conn.received.filter((r) => r.event?.type === 'input_audio_buffer.commit')[commitsBefore]!.t;
  const delta = conn.sent.filter((r) => r.event.type === 'response.output_audio.delta')[deltasBefore]!.t;
  if (t >= 2) rows.push({ total: t1 - t0, up: commit - t0, server: delta - commit, down: t1 - delta });
}
session.disconnect();
await sim.close();

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const line = (name: string, xs: number[]) => `${name.padEnd(34)} median ${pct(xs, 50).toFixed(2)} ms   p95 ${pct(xs, 95).toFixed(2)} ms`;
console.log(`core latency over ${rows.length} push-to-talk turns (reply delay 0, loopback simulator in-process)`);
console.log(line('last append → first audio at sink', rows.map((r) => r.total)));
console.log(line('  uplink (endTurn → commit received)', rows.map((r) => r.up)));
console.log(line('  simulator (commit → first delta)', rows.map((r) => r.server)));
console.log(line('  downlink (delta sent → sink)', rows.map((r) => r.down)));
