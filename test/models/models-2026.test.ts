// Today's models: the settings migration from version 2, reasoning effort and truncation sent by
// model (checked on what the simulator receives, and what it refuses), deprecation notices, and the
// cost arithmetic on the usage blocks recorded from gpt-realtime-2.x sessions.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, test } from 'node:test';
import type { Notice } from '../../preload/api';
import { SettingsStore } from '../../main/settings/settings-store';
import { defaultSettings } from '../../common/settings/settings-schema';
import { acceptsReasoning, deprecationMessage, realtimeDeprecation, transcriptionDeprecation } from '../../common/models';
import { buildSessionConfig } from '../../main/realtime/session-config';
import { cacheHitShare, fromResponseUsage, fromTranscriptionUsage, addUsage, zeroUsage } from '../../main/usage/usage-math';
import { costOf, DEFAULT_PRICES, priceFor } from '../../common/price-table';
import { received, startPair, type Pair } from '../realtime/harness';

const REPLAYS = new URL('../../../shared/fixtures/realtime-replay/', import.meta.url).pathname;
const dir = () => mkdtempSync(join(tmpdir(), 'hark-models-'));

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

describe('settings migration from version 2', () => {
  test('the old default model and transcription model move to the new defaults; new price rows join', async () => {
    const d = dir();
    const v2 = { version: 2, model: 'gpt-realtime', voice: 'cedar', transcription: { model: 'gpt-4o-mini-transcribe', language: 'de' }, usage: { prices: { 'gpt-realtime': { textInput: 5, audioInput: 33, cachedInput: 0.5, textOutput: 17, audioOutput: 65 } } } };
    writeFileSync(join(d, 'settings.json'), JSON.stringify(v2));
    const s = await new SettingsStore({ dir: d }).load();
    assert.equal(s.version, 3);
    assert.equal(s.model, 'gpt-realtime-2.1');
    assert.equal(s.transcription.model, 'gpt-realtime-whisper');
    assert.equal(s.transcription.language, 'de', 'everything else is kept');
    assert.equal(s.voice, 'cedar');
    assert.equal(s.reasoningEffort, 'low');
    assert.equal(s.usage.prices['gpt-realtime']!.textInput, 5, 'an edited price row stays as the user set it');
    assert.deepEqual(s.usage.prices['gpt-realtime-2.1'], DEFAULT_PRICES['gpt-realtime-2.1']);
    assert.equal(JSON.parse(readFileSync(join(d, 'settings.json'), 'utf8')).model, 'gpt-realtime-2.1', 'written back');
  });

  test('a deprecated model the user chose stays, and is flagged with its shutdown date and replacement', async () => {
    const d = dir();
    writeFileSync(join(d, 'settings.json'), JSON.stringify({ version: 2, model: 'gpt-realtime-mini', transcription: { model: 'whisper-1' } }));
    const s = await new SettingsStore({ dir: d }).load();
    assert.equal(s.model, 'gpt-realtime-mini');
    assert.equal(s.transcription.model, 'whisper-1');
    const dep = realtimeDeprecation(s.model)!;
    assert.deepEqual(dep, { shutdown: '2027-01-20', replacement: 'gpt-realtime-2.1-mini' });
    assert.match(deprecationMessage('model', s.model, dep), /shuts it down on 2027-01-20.*gpt-realtime-2\.1-mini/);
    assert.deepEqual(transcriptionDeprecation('whisper-1'), { shutdown: '2027-02-26', replacement: 'gpt-realtime-whisper' });
    assert.equal(realtimeDeprecation('gpt-realtime-2.1'), null);
    assert.equal(transcriptionDeprecation('gpt-realtime-whisper'), null);
  });
});

describe('reasoning effort and truncation by model', () => {
  test('which models take reasoning: the 2.x family and unknown 2.x-looking names, not 1.5 or the 2025 models', () => {
    for (const m of ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini', 'gpt-realtime-2', 'gpt-realtime-2-2026-05-07', 'gpt-realtime-3']) assert.equal(acceptsReasoning(m), true, m);
    for (const m of ['gpt-realtime-1.5', 'gpt-realtime', 'gpt-realtime-mini', 'my-azure-deployment']) assert.equal(acceptsReasoning(m), false, m);
    const cfg = (model: string) => buildSessionConfig({ ...defaultSettings(), model, reasoningEffort: 'high' }, []) as Record<string, any>;
    assert.deepEqual(cfg('gpt-realtime-2.1').reasoning, { effort: 'high' });
    assert.equal('reasoning' in cfg('gpt-realtime-1.5'), false);
    assert.deepEqual(cfg('gpt-realtime-2.1').truncation, { type: 'retention_ratio', retention_ratio: 0.8, token_limits: { post_instructions: 32_000 } });
    assert.equal(cfg('gpt-realtime-1.5').truncation.token_limits.post_instructions, 32_000 - 4_096, 'capped to what a 32k model has room for');
  });

  for (const [model, sendsReasoning] of [['gpt-realtime-2.1', true], ['gpt-realtime-1.5', false]] as const) {
    test(`${model}: the server ${sendsReasoning ? 'receives' : 'never receives'} reasoning, and accepts the session`, async () => {
      pair = await startPair({ settings: { model, reasoningEffort: 'medium' } });
      const notices: Notice[] = [];
      pair.session.on('notice', (n) => notices.push(n));
      await pair.session.connect();
      const update = received(pair.sim, 'session.update')[0];
      assert.equal('reasoning' in update.session, sendsReasoning);
      if (sendsReasoning) assert.deepEqual(update.session.reasoning, { effort: 'medium' });
      assert.deepEqual(notices.filter((n) => n.level !== 'info'), [], 'the server accepted it');
      assert.equal(pair.sim.connections[0]!.session.truncation.type, 'retention_ratio');
      // The server's own defaults for the model are read: 2.x reports 500 ms and marin.
      assert.equal(pair.session.reported?.silenceDurationMs, sendsReasoning ? 500 : 200);
      assert.equal(pair.session.reported?.voice, sendsReasoning ? 'marin' : 'alloy');
    });
  }

  test('a value the server rejects is explained in words, and the session goes on', async () => {
    // An Azure deployment name that hides a model without reasoning, told it reasons.
    pair = await startPair({
      settings: { model: 'gpt-realtime-2.1', reasoningEffort: 'low', instructions: 'Be brief.' },
      sim: { faults: { rejectNextUpdate: { code: 'unsupported_parameter', message: "Unsupported parameter: 'session.reasoning' is not supported with this deployment.", param: 'session.reasoning' } } },
    });
    const notices: Notice[] = [];
    pair.session.on('notice', (n) => notices.push(n));
    await pair.session.connect();
    const n = notices.find((x) => x.code === 'unsupported_parameter')!;
    assert.match(n.message, /does not take a reasoning effort/);
    const updates = received(pair.sim, 'session.update');
    assert.equal(updates.length, 2, 'the settings are sent again without the refused field');
    assert.equal('reasoning' in updates[1].session, false);
    assert.equal(pair.sim.connections[0]!.session.instructions.startsWith('Be brief.'), true, 'the other settings still apply');
    assert.equal(pair.session.state.phase, 'listening');
  });
});

interface Recorded {
  usage: Record<string, any>;
}
function recordedUsage(name: string): Recorded[] {
  const s = JSON.parse(readFileSync(join(REPLAYS, `${name}.json`), 'utf8')) as { steps: Array<{ send?: Record<string, any> }> };
  return s.steps.filter((x) => x.send?.type === 'response.done').map((x) => ({ usage: x.send!.response.usage }));
}

describe('cost arithmetic on recorded usage blocks', () => {
  test('idle-nudge (gpt-realtime-2.1-mini): reasoning tokens are inside text output and are counted once', () => {
    const [first] = recordedUsage('idle-nudge');
    const u = fromResponseUsage(first!.usage as never);
    // Recorded: input 23 text; output 44 text (31 of them reasoning) + 16 audio.
    assert.equal(u.outputTextTokens, 44);
    assert.equal(u.outputReasoningTokens, 31);
    assert.equal(u.outputTokens, 60, 'output = text + audio, reasoning not added again');
    const p = priceFor('gpt-realtime-2.1-mini', DEFAULT_PRICES)!;
    const expected = (23 * 0.6 + 44 * 2.4 + 16 * 20) / 1e6;
    assert.ok(Math.abs(costOf(u, p)! - expected) < 1e-12, `${costOf(u, p)} vs ${expected}`);
  });

  test('three-turns: cached tokens are part of input, priced at the cached rate of their modality; the cache drops to 0', () => {
    const blocks = recordedUsage('three-turns').map((r) => fromResponseUsage(r.usage as never));
    assert.deepEqual(blocks.map((b) => b.inputCachedTokens), [0, 64, 0], 'a hit, then caching drops to 0 mid-session');
    const hit = blocks[1]!;
    // Recorded: 43 text + 96 audio input, 64 of the audio cached; output 18 text + 43 audio.
    assert.equal(hit.inputTokens, hit.inputTextTokens + hit.inputAudioTokens);
    assert.equal(hit.cachedAudioTokens, 64);
    const p = DEFAULT_PRICES['gpt-realtime-2.1']!;
    const expected = (43 * 4 + (96 - 64) * 32 + 64 * 0.4 + 18 * 24 + 43 * 64) / 1e6;
    assert.ok(Math.abs(costOf(hit, p)! - expected) < 1e-12);
    const all = blocks.reduce(addUsage, zeroUsage());
    assert.ok(Math.abs(cacheHitShare(all)! - 64 / (42 + 139 + 187)) < 1e-12);
    assert.equal(cacheHitShare(zeroUsage()), null);
  });

  test('transcription billed by duration is counted, not dropped ($0.017 a minute for gpt-realtime-whisper)', () => {
    const t = fromTranscriptionUsage({ type: 'duration', seconds: 90 })!;
    assert.equal(t.transcriptionSeconds, 90);
    const usd = costOf(t, DEFAULT_PRICES['gpt-realtime-2.1']!, DEFAULT_PRICES['gpt-realtime-whisper']!)!;
    assert.ok(Math.abs(usd - 1.5 * 0.017) < 1e-12, String(usd));
    const tokens = fromTranscriptionUsage({ type: 'tokens', input_tokens: 30, output_tokens: 7 })!;
    assert.equal(tokens.transcriptionInputTokens, 30);
    assert.equal(fromTranscriptionUsage({ type: 'something-new' }), null);
  });

  test('image input has its own price', () => {
    const u = fromResponseUsage({ input_tokens: 1000, output_tokens: 0, input_token_details: { text_tokens: 0, audio_tokens: 0, image_tokens: 1000, cached_tokens: 0 } } as never);
    assert.ok(Math.abs(costOf(u, DEFAULT_PRICES['gpt-realtime-2.1']!)! - 1000 * 5 / 1e6) < 1e-12);
  });
});

describe('phase through history and Markdown', () => {
  test('a preamble is stored with its phase and exported as one; forgotten and idle items are not exported', async () => {
    const { HistoryStore } = await import('../../main/history/history-store');
    const { toMarkdown } = await import('../../main/history/markdown-export');
    const store = new HistoryStore({ dir: dir() });
    await store.open(null);
    const base = { type: 'message' as const, status: 'completed' as const, modality: 'audio' as const };
    const items = [
      { ...base, id: 'u1', role: 'user' as const, text: 'Weather in London?', createdAt: 1 },
      { ...base, id: 'a1', role: 'assistant' as const, text: 'I’ll check the weather.', phase: 'commentary' as const, createdAt: 2 },
      { ...base, id: 'a2', role: 'assistant' as const, text: 'Foggy, 12 degrees.', phase: 'final_answer' as const, createdAt: 3 },
      { ...base, id: 'u2', role: 'user' as const, text: '', idle: true as const, createdAt: 4 },
      { ...base, id: 'u3', role: 'user' as const, text: '', forgotten: true as const, createdAt: 5 },
    ];
    const id = store.newId();
    await store.append(id, [{ t: 'start', v: 1, id, startedAt: 0, model: 'gpt-realtime-2.1' }, ...items.map((item) => ({ t: 'item' as const, at: item.createdAt, item }))]);
    const back = (await store.get(id))!;
    assert.deepEqual(back.items.map((i) => i.phase ?? null), [null, 'commentary', 'final_answer', null, null]);
    const md = toMarkdown(back.summary, back.items);
    assert.match(md, /\*\*Hark\*\* \(spoken\) \(preamble, while checking\)[^\n]*\n\n> I’ll check the weather\./);
    assert.match(md, /\*\*Hark\*\* \(spoken\) ·[^\n]*\n\n> Foggy, 12 degrees\./);
    assert.equal((md.match(/\*\*You\*\*/g) ?? []).length, 1, 'only the turn with words');
  });
});

describe('talk --idle-timeout', () => {
  test('sets the idle timeout of server VAD; a bad value or another mode is explained', async () => {
    const { parseTalkArgs } = await import('../../main/talk/talk');
    assert.equal(parseTalkArgs(['--text', 'hi', '--idle-timeout', '6000']).idleTimeoutMs, 6000);
    assert.equal(parseTalkArgs(['--text', 'hi']).idleTimeoutMs, undefined);
    assert.throws(() => parseTalkArgs(['--text', 'hi', '--idle-timeout', '100']), /between 5000 and 1800000/);
    assert.throws(() => parseTalkArgs(['--text', 'hi', '--idle-timeout', 'soon']), /whole milliseconds/);
    assert.throws(() => parseTalkArgs(['--text', 'hi', '--idle-timeout', '6000', '--turn-detection', 'none']), /needs --turn-detection server_vad/);
  });
});

describe('transcription billed by duration, through the session and the meter', () => {
  test('a spoken turn with gpt-realtime-whisper: its seconds reach the conversation totals and the cost', async () => {
    const { DailyLedger } = await import('../../main/usage/daily-ledger');
    const { UsageMeter } = await import('../../main/usage/usage-meter');
    const { usageSettingsSchema } = await import('../../common/settings/usage-settings');
    const { toneWithSilence, encodePcm16 } = await import('../../simulator/pcm');
    pair = await startPair({ sim: { userTranscript: () => 'hello there', respond: () => ({ text: 'Hi.', audioMs: 400 }) }, settings: { transcription: { enabled: true, model: 'gpt-realtime-whisper' } } });
    const ledger = new DailyLedger(dir(), () => {});
    await ledger.load();
    const settings = usageSettingsSchema.parse({});
    const meter = new UsageMeter({ session: pair.session, ledger, settings: () => settings, model: () => 'gpt-realtime-2.1', transcriptionModel: () => 'gpt-realtime-whisper' });
    const transcribed = new Promise<void>((resolve) => pair!.session.once('transcription', () => resolve()));
    await pair.session.connect();
    const pcm = toneWithSilence(200, 2500, 900);
    pair.session.appendAudio(Buffer.from(Buffer.from(encodePcm16(pcm), 'base64')));
    await transcribed;
    const s = meter.summary();
    assert.equal(s.conversation.usage.transcriptionSeconds, 3, 'whole seconds, as the server reports them');
    assert.ok(s.conversation.costUsd! >= (3 / 60) * 0.017 - 1e-12);
    meter.dispose();
  });
});
