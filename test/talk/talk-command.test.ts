import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { decodeWav, encodeWav } from '../../main/audio/wav';
import { startSimulator } from '../../simulator/server';
import { runCommand } from '../support/run-command';

const root = new URL('../..', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'hark-talk-'));

function run(args: string[], env: Record<string, string> = {}) {
  return runCommand(['--import', 'tsx', 'main/talk/talk.ts', ...args], { cwd: root, env: { OPENAI_API_KEY: '', HARK_REALTIME_URL: '', ...env } });
}

/** A WAV as a user would record it: 44.1 kHz stereo, speech-like bursts separated by pauses. */
function speechWav(name: string, pattern: Array<[ms: number, loud: boolean]>, rate = 44_100, channels = 2): string {
  const frames = pattern.reduce((n, [ms]) => n + Math.round((ms * rate) / 1000), 0);
  const out = new Int16Array(frames * channels);
  let f = 0;
  for (const [ms, loud] of pattern) {
    const n = Math.round((ms * rate) / 1000);
    for (let i = 0; i < n; i++, f++) {
      const v = loud ? Math.round(12000 * Math.sin((2 * Math.PI * 220 * f) / rate) * (0.6 + 0.4 * Math.sin((2 * Math.PI * 4 * f) / rate))) : 0;
      for (let c = 0; c < channels; c++) out[f * channels + c] = v;
    }
  }
  const path = join(dir, name);
  writeFileSync(path, encodeWav(out, rate, channels));
  return path;
}

const transcriptOf = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Array<{ role: string; type: string; text: string; status: string; audioMs?: number; truncatedAtMs?: number }>;

describe('talk command', () => {
  const sims: Array<{ close(): Promise<void> }> = [];
  after(async () => {
    for (const s of sims) await s.close();
  });

  test('--simulate: a spoken turn and a typed turn, reply.wav holds what was played, transcript in order', async () => {
    const q = speechWav('question.wav', [[300, false], [1200, true], [400, false]]);
    const out = join(dir, 'reply.wav');
    const tr = join(dir, 'conversation.json');
    const r = await run(['--in', q, '--text', 'What time is it?', '--out', out, '--transcript', tr, '--simulate']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /connecting to the built-in simulator/);
    assert.match(r.stderr, /turn 1\/2: speaking .*question\.wav/);
    assert.match(r.stderr, /turn 2\/2: typing "What time is it\?"/);
    const items = transcriptOf(tr);
    // gpt-realtime-2.1 (the default) says a preamble before the tool call, in the same response.
    assert.deepEqual(items.map((i) => `${i.role}:${i.type}`), ['user:message', 'assistant:message', 'user:message', 'assistant:message', 'tool:function_call', 'tool:function_call_output', 'assistant:message']);
    assert.deepEqual(items.filter((i) => i.role === 'assistant').map((i) => (i as { phase?: string | null }).phase), ['final_answer', 'commentary', 'final_answer']);
    assert.match(r.stderr, /turn 2\/2 done: "It is /, 'the answer, not the preamble, answers the turn');
    assert.ok(items.every((i) => i.status === 'completed'));
    assert.equal(items[2]!.text, 'What time is it?');
    const played = decodeWav(readFileSync(out));
    const replyMs = items.filter((i) => i.role === 'assistant').reduce((n, i) => n + (i.audioMs ?? 0), 0);
    assert.ok(Math.abs((played.length / 24) - replyMs) <= 25, `played ${played.length / 24} ms of ${replyMs} ms`);
  });

  test('push-to-talk: each file is one manual turn', async () => {
    const sim = await startSimulator({ paceFactor: 20 });
    sims.push(sim);
    const a = speechWav('a.wav', [[800, true]], 16_000, 1);
    const b = speechWav('b.wav', [[500, true]], 48_000, 1);
    const r = await run(['--in', a, '--in', b, '--turn-detection', 'none', '--endpoint', sim.url], { OPENAI_API_KEY: 'sk-test' });
    assert.equal(r.code, 0, r.stderr);
    const got = sim.connections[0]!.received.map((x) => x.event.type);
    assert.equal(got.filter((t: string) => t === 'input_audio_buffer.commit').length, 2);
    assert.equal(got.filter((t: string) => t === 'response.create').length, 2);
    const appendedMs = sim.connections[0]!.appendedMs();
    assert.ok(Math.abs(appendedMs - 1300) < 5, `all audio, converted to 24 kHz: ${appendedMs} ms`);
  });

  test('speaking over the reply truncates it: --out has only what was played', async () => {
    const sim = await startSimulator({ paceFactor: 20, respond: ({ turnIndex }) => (turnIndex === 0 ? { text: 'A long answer that will be interrupted before it ends.', audioMs: 6000 } : { text: 'Okay.', audioMs: 500 }) });
    sims.push(sim);
    // Speak, pause long enough for the reply to start, then talk over it.
    const q = speechWav('barge.wav', [[800, true], [2000, false], [800, true], [300, false]]);
    const out = join(dir, 'barge-reply.wav');
    const tr = join(dir, 'barge.json');
    const r = await run(['--in', q, '--out', out, '--transcript', tr, '--endpoint', sim.url], { OPENAI_API_KEY: 'sk-test' });
    assert.equal(r.code, 0, r.stderr);
    const items = transcriptOf(tr);
    const cut = items.find((i) => i.role === 'assistant' && i.status === 'interrupted')!;
    assert.ok(cut, JSON.stringify(items));
    const truncate = sim.connections[0]!.received.map((x) => x.event).find((e) => e.type === 'conversation.item.truncate');
    assert.equal(truncate.audio_end_ms, cut.truncatedAtMs);
    assert.ok(cut.truncatedAtMs! > 500 && cut.truncatedAtMs! < 3000);
    const played = decodeWav(readFileSync(out)).length / 24;
    const last = items.filter((i) => i.role === 'assistant').at(-1)!;
    assert.equal(last.status, 'completed');
    assert.ok(Math.abs(played - (cut.truncatedAtMs! + last.audioMs!)) <= 25, `played ${played} ms`);
  });

  test('a bad key exits non-zero with one line, and no retry', async () => {
    const sim = await startSimulator();
    sims.push(sim);
    const q = speechWav('k.wav', [[500, true]]);
    const r = await run(['--in', q, '--endpoint', sim.url], { OPENAI_API_KEY: 'sk-bad-key-123456' });
    assert.equal(r.code, 1);
    const last = r.stderr.trim().split('\n').at(-1)!;
    assert.match(last, /^talk: The API key was rejected \(invalid API key\)/);
    assert.ok(!r.stderr.includes('sk-bad-key-123456'), 'the key is not printed');
    assert.equal(sim.connections.length, 1);
  });

  test('usage errors and unreadable files are explained', async () => {
    const none = await run([]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /give at least one --in or --text/);
    const bad = join(dir, 'not-a.wav');
    writeFileSync(bad, 'hello');
    const r = await run(['--in', bad, '--simulate']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^talk: .*not-a\.wav is not a readable WAV file/m);
    assert.equal(r.stderr.trim().split('\n').length, 1, 'one line, no stack trace');
    const noKey = await run(['--in', speechWav('x.wav', [[300, true]])]);
    assert.equal(noKey.code, 1);
    assert.match(noKey.stderr, /no API key/);
  });
});
