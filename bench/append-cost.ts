// The cost of one mic append against the size of the conversation, on a quiet or a busy machine
// alike: B5's soak compares CPU per append at minute 10 and minute 120 to catch a buffer that grows
// with the session, but on a shared 2-core box the two minutes see different loads. Here two
// sessions run side by side, one empty and one holding a long conversation, and are measured in
// ABBA order, so load hits both and the ratio is what the conversation costs.
//   npx tsx bench/append-cost.ts [items=1300] [rounds=10]
import { RealtimeSession } from '../main/realtime/session';
import { settingsSchema } from '../common/settings/settings-schema';
import { ToolRegistry } from '../main/tools/tool-registry';
import { startChildSimulator } from '../simulator/child-process';
import { median } from './stats';

const items = Number(process.argv[2] ?? 1300);
const rounds = Number(process.argv[3] ?? 10);
const FRAME = new Uint8Array(960); // 20 ms of silence at 24 kHz
const BATCH = 50;

const sim = await startChildSimulator('{ paceFactor: 20 }');
const open = async () => {
  const session = new RealtimeSession({
    settings: settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url } }),
    apiKey: 'sk-test-append-cost',
    tools: new ToolRegistry([]),
    playback: { stop: async () => ({ itemId: null, playedMs: 0 }) },
  });
  // The app's listeners are on: what the window is sent per event is part of the cost.
  session.on('item', () => {});
  session.on('state', () => {});
  await session.connect();
  return session;
};
const empty = await open();
const long = await open();
for (let i = 0; i < items; i++) {
  const user = i % 2 === 0;
  long.conversation.upsert(`item_seed_${i}`, { role: user ? 'user' : 'assistant', type: 'message', modality: 'audio', text: `${user ? 'question' : 'answer'} number ${i}, given in several words so it is a sentence`, status: 'completed' });
}

/** CPU µs per append over `n` batches, letting the socket drain between them as 20 ms frames would. */
async function measure(session: RealtimeSession, n = 20): Promise<number> {
  let us = 0;
  for (let b = 0; b < n; b++) {
    const c0 = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) session.appendAudio(FRAME);
    const c = process.cpuUsage(c0);
    us += c.user + c.system;
    await new Promise((r) => setTimeout(r, 5));
  }
  return us / (n * BATCH);
}

await measure(empty);
await measure(long);
const a: number[] = [];
const b: number[] = [];
for (let r = 0; r < rounds; r++) {
  if (r % 2 === 0) {
    a.push(await measure(empty));
    b.push(await measure(long));
  } else {
    b.push(await measure(long));
    a.push(await measure(empty));
  }
}
const ratios = a.map((x, i) => b[i]! / x);
console.log(`CPU per append: empty conversation ${median(a).toFixed(1)} µs, ${long.conversation.items().length} items ${median(b).toFixed(1)} µs; ratio median ${median(ratios).toFixed(3)} (min ${Math.min(...ratios).toFixed(3)}, max ${Math.max(...ratios).toFixed(3)}) over ${rounds} ABBA rounds`);
empty.disconnect();
long.disconnect();
await sim.kill();
