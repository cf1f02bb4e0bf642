// Real recorded sessions (converted to GA), replayed by the simulator and driven by the talk
// command exactly as its `cli` block says. What the client did is checked against each recording's
// `expect`: which replies completed or were cut, what was truncated and cancelled, tool outputs.
// The 2025 and 2026 recordings are two test files over this one harness, so they run side by side.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTalk, type TalkInput } from '../../main/talk/talk';
import { encodeWav } from '../../main/audio/wav';
import { startSimulator } from '../../simulator/server';

const REPLAYS = new URL('../../../shared/fixtures/realtime-replay/', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hark-replay-'));

interface WavSpec {
  rate: number;
  channels: number;
  leadMs: number;
  toneMs: number;
  tailMs: number;
}

function wavFromSpec(spec: WavSpec, name: string): string {
  const n = (ms: number) => Math.round((ms * spec.rate) / 1000);
  const frames = n(spec.leadMs) + n(spec.toneMs) + n(spec.tailMs);
  const out = new Int16Array(frames * spec.channels);
  for (let i = n(spec.leadMs); i < n(spec.leadMs) + n(spec.toneMs); i++) {
    const v = Math.round(12000 * Math.sin((2 * Math.PI * 220 * i) / spec.rate));
    for (let c = 0; c < spec.channels; c++) out[i * spec.channels + c] = v;
  }
  const path = join(dir, name);
  writeFileSync(path, encodeWav(out, spec.rate, spec.channels));
  return path;
}

interface Expect {
  assistant: Array<{ item: string; response: string; text: string; final: 'completed' | 'interrupted'; audioMs: number; phase?: string | null; if?: 'idle' }>;
  user: Array<{ item: string; text: string | null; if?: 'idle'; silent?: boolean }>;
  interrupted: string[];
  cancelled: string[];
  functionCall: { call_id: string; name: string; item: string } | null;
}

export async function replay(name: string, opts: { replaySpeed?: number; idleTimeoutMs?: number } = {}) {
  const scenario = JSON.parse(readFileSync(join(REPLAYS, `${name}.json`), 'utf8')) as { session?: { model?: string }; cli: { turnDetection: 'server_vad' | 'none'; inputs: Array<{ wav?: WavSpec; text?: string }>; timeoutS: number }; expect: Expect };
  const sim = await startSimulator({ replay: join(REPLAYS, `${name}.json`), replaySpeed: opts.replaySpeed ?? 1, paceFactor: 10 });
  const inputs: TalkInput[] = scenario.cli.inputs.map((i, k) => (i.text !== undefined ? { kind: 'text', text: i.text } : { kind: 'wav', path: wavFromSpec(i.wav!, `${name}-${k}.wav`) }));
  const previousKey = process.env.OPENAI_API_KEY;
  process.env.OPENAI_API_KEY = 'sk-test-replay';
  try {
    const transcript = join(dir, `${name}-transcript.json`);
    const log: string[] = [];
    const result = await runTalk(
      { inputs, turnDetection: scenario.cli.turnDetection, endpoint: sim.url, simulate: false, turnTimeoutMs: scenario.cli.timeoutS * 1000, transcript,
        // The model the recording was made with; the URL names it, as a real client's would.
        ...(scenario.session?.model ? { model: scenario.session.model } : {}), ...(opts.idleTimeoutMs ? { idleTimeoutMs: opts.idleTimeoutMs } : {}) },
      (line) => log.push(line),
    );
    const wire = sim.connections[0]!.received.map((r) => r.event);
    const sent = sim.connections[0]!.sent.map((r) => r.event);
    const entries = JSON.parse(readFileSync(transcript, 'utf8')) as Array<Record<string, unknown>>;
    return { result, wire, sent, expect: scenario.expect, entries, log, idle: opts.idleTimeoutMs !== undefined };
  } finally {
    process.env.OPENAI_API_KEY = previousKey;
    await sim.close();
  }
}

export function checkAgainstRecording({ result, wire, sent, expect, entries, idle }: Awaited<ReturnType<typeof replay>>) {
  assert.equal(result.ok, true, result.reason);
  const byId = new Map(result.items.map((i) => [i.id, i]));
  const applies = (x: { if?: 'idle' }) => x.if !== 'idle' || idle;
  for (const a of expect.assistant) {
    if (!applies(a)) {
      assert.equal(byId.get(a.item), undefined, `${a.item} only comes with an idle nudge`);
      continue;
    }
    const item = byId.get(a.item);
    assert.ok(item, `assistant item ${a.item} is in the conversation`);
    assert.equal(item.role, 'assistant');
    assert.equal(item.status, a.final, `${a.item}: ${a.final}`);
    if (a.phase !== undefined) {
      assert.equal(item.phase ?? null, a.phase, `${a.item}: phase`);
      const entry = entries.find((e) => e.id === a.item);
      assert.equal(entry?.phase, a.phase, `${a.item}: phase in --transcript`);
    }
    if (a.final === 'completed') {
      assert.equal(item.text, a.text);
      assert.equal(item.audioMs, a.audioMs);
    } else {
      assert.ok(a.text.startsWith(item.text.trimEnd()), `an interrupted reply keeps only what arrived before the cut: "${item.text}"`);
    }
  }
  // Order: the assistant replies, as the recording has them.
  const replies = result.items.filter((i) => i.role === 'assistant' && i.type === 'message').map((i) => i.id);
  assert.deepEqual(replies, expect.assistant.filter(applies).map((a) => a.item), 'replies in recorded order');
  for (const u of expect.user) {
    if (!applies(u)) continue;
    if (u.silent) {
      // The silent buffer of an idle nudge: no user turn with words.
      const item = byId.get(u.item);
      assert.ok(!item || (item.idle === true && item.text === ''), 'the nudge buffer is not a turn with words');
      continue;
    }
    // A typed message carries the id its client chose; ours chooses its own.
    const item = byId.get(u.item) ?? result.items.find((i) => i.role === 'user' && i.modality === 'text' && i.text === u.text);
    assert.ok(item, `user item ${u.item}`);
    if (u.text !== null) assert.equal(item.text, u.text);
  }
  for (const id of expect.interrupted) {
    const truncates = wire.filter((e) => e.type === 'conversation.item.truncate' && e.item_id === id);
    assert.equal(truncates.length, 1, `one truncate for ${id}`);
    assert.ok(truncates[0].audio_end_ms <= byId.get(id)!.audioMs!, 'never beyond what was received');
    assert.equal(byId.get(id)!.truncatedAtMs, truncates[0].audio_end_ms);
  }
  const cancelledByServer = sent.filter((e) => e.type === 'response.done' && e.response.status === 'cancelled').map((e) => e.response.id);
  assert.deepEqual(cancelledByServer.sort(), [...expect.cancelled].sort());
  if (expect.functionCall) {
    const out = wire.find((e) => e.type === 'conversation.item.create' && e.item.type === 'function_call_output');
    assert.equal(out.item.call_id, expect.functionCall.call_id);
    assert.match(JSON.parse(out.item.output).error, new RegExp(`Unknown tool "${expect.functionCall.name}"`));
    assert.equal(wire.filter((e) => e.type === 'response.create').length, 2, 'one for the turn, one after the tool output');
  }
  assert.deepEqual(sent.filter((e) => e.type === 'error').map((e) => e.error.message), [], 'the client never made the server complain');
}
