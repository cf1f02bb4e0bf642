import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeAudioDelta } from '../../main/realtime/audio-delta';
import { AudioUplink } from '../../main/realtime/audio-uplink';
import { buildEndpoint, endpointFromEnv } from '../../main/realtime/endpoint';
import { classifyClose, classifyErrorEvent } from '../../main/realtime/errors';
import { backoffDelay, DEFAULT_BACKOFF } from '../../main/realtime/reconnect-policy';
import { buildSessionConfig } from '../../main/realtime/session-config';
import { resolveApiKey } from '../../main/settings/api-key';
import { defaultSettings, settingsSchema } from '../../common/settings/settings-schema';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import { ToolRegistry } from '../../main/tools/tool-registry';

describe('endpoints', () => {
  test('OpenAI: GA URL with the model, Bearer auth, no beta header', () => {
    const e = buildEndpoint({ kind: 'openai' }, 'gpt-realtime', 'sk-x');
    assert.equal(e.url, 'wss://api.openai.com/v1/realtime?model=gpt-realtime');
    assert.deepEqual(e.headers, { Authorization: 'Bearer sk-x' });
  });
  test('Azure: /openai/v1/realtime on the resource, deployment as model, api-key header, no api-version', () => {
    const e = buildEndpoint({ kind: 'azure', url: 'https://res.openai.azure.com/openai/realtime?api-version=2024-10-01-preview&deployment=old', deployment: 'my-rt' }, 'gpt-realtime', 'az-key');
    assert.equal(e.url, 'wss://res.openai.azure.com/openai/v1/realtime?model=my-rt');
    assert.deepEqual(e.headers, { 'api-key': 'az-key' });
  });
  test('custom: ws:// allowed for local servers; an explicit model in the URL wins', () => {
    assert.equal(buildEndpoint({ kind: 'custom', url: 'ws://127.0.0.1:9000/v1/realtime' }, 'm', 'k').url, 'ws://127.0.0.1:9000/v1/realtime?model=m');
    assert.equal(buildEndpoint({ kind: 'custom', url: 'wss://h/v1/realtime?model=x' }, 'm', 'k').url, 'wss://h/v1/realtime?model=x');
    assert.deepEqual(endpointFromEnv({ HARK_REALTIME_URL: 'ws://localhost:1/v1/realtime' }), { kind: 'custom', url: 'ws://localhost:1/v1/realtime' });
    assert.equal(settingsSchema.safeParse({ endpoint: { kind: 'custom', url: 'http://x' } }).success, false);
  });
  test('OPENAI_API_KEY overrides the stored key', () => {
    assert.equal(resolveApiKey({ stored: 'stored', env: { OPENAI_API_KEY: 'env' } }), 'env');
    assert.equal(resolveApiKey({ stored: ' stored ', env: {} }), 'stored');
    assert.equal(resolveApiKey({ stored: '', env: {} }), null);
  });
});

describe('session configuration', () => {
  test('GA shape only, from settings', () => {
    const s = settingsSchema.parse({ voice: 'cedar', transcription: { language: 'fr' }, turnDetection: { mode: 'server_vad', silenceDurationMs: 700, idleTimeoutMs: 60_000 }, noiseReduction: 'far_field' });
    const c = buildSessionConfig(s, new ToolRegistry([currentTimeTool()]).definitions()) as Record<string, any>;
    assert.equal(c.type, 'realtime');
    for (const beta of ['voice', 'modalities', 'turn_detection', 'input_audio_transcription', 'input_audio_format', 'temperature', 'model']) assert.ok(!(beta in c), `no top-level ${beta}`);
    assert.deepEqual(c.output_modalities, ['audio']);
    assert.equal(c.audio.output.voice, 'cedar');
    assert.deepEqual(c.audio.input.format, { type: 'audio/pcm', rate: 24000 });
    assert.deepEqual(c.audio.input.transcription, { model: 'gpt-realtime-whisper', language: 'fr' });
    assert.deepEqual(c.audio.input.noise_reduction, { type: 'far_field' });
    assert.equal(c.audio.input.turn_detection.silence_duration_ms, 700);
    assert.equal(c.audio.input.turn_detection.idle_timeout_ms, 60_000);
    assert.equal(c.tools[0].name, 'get_current_time');
    assert.equal(c.tools[0].parameters.type, 'object');
    assert.ok(!('$schema' in c.tools[0].parameters));
  });
  test('semantic VAD, push-to-talk and switched-off features', () => {
    const semantic = buildSessionConfig(settingsSchema.parse({ turnDetection: { mode: 'semantic_vad', eagerness: 'low' } }), []) as any;
    assert.deepEqual(semantic.audio.input.turn_detection, { type: 'semantic_vad', eagerness: 'low', create_response: true, interrupt_response: true });
    const manual = buildSessionConfig(settingsSchema.parse({ turnDetection: { mode: 'none' }, transcription: { enabled: false }, noiseReduction: 'off' }), []) as any;
    assert.equal(manual.audio.input.turn_detection, null);
    assert.equal(manual.audio.input.transcription, null);
    assert.equal(manual.audio.input.noise_reduction, null);
  });
  test('wrong settings are refused with a readable reason', () => {
    const r = settingsSchema.safeParse({ turnDetection: { threshold: 3 }, transcription: { language: 'French' } });
    assert.equal(r.success, false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    assert.deepEqual(paths.sort(), ['transcription.language', 'turnDetection.threshold']);
    assert.deepEqual(defaultSettings().turnDetection.mode, 'server_vad');
  });
});

describe('audio uplink', () => {
  test('20 ms frames leave at once; large pieces go out in 40 ms chunks; odd bytes are dropped', () => {
    const chunks: number[] = [];
    const up = new AudioUplink((b64, bytes) => {
      assert.equal(Buffer.from(b64, 'base64').length, bytes);
      chunks.push(bytes);
    });
    up.push(new Uint8Array(960));
    assert.deepEqual(chunks, [960]);
    up.push(new Uint8Array(48 * 100 + 1));
    assert.deepEqual(chunks, [960, 1920, 1920, 960]);
    up.push(new Uint8Array(48 * 10));
    assert.equal(chunks.length, 4, 'under 20 ms waits for more');
    up.flush();
    assert.deepEqual(chunks.slice(4), [480], 'the end of a turn sends the rest');
    assert.equal(up.sentMs, 130);
    up.push(new Uint8Array(100));
    up.reset();
    up.flush();
    assert.equal(chunks.length, 5, 'reset forgets pending audio');
  });
  test('audio deltas: valid base64 decodes once; garbage is refused whole', () => {
    const pcm = Buffer.from([1, 0, 2, 0, 3, 0]);
    assert.deepEqual(decodeAudioDelta(pcm.toString('base64')), pcm);
    assert.equal(decodeAudioDelta('QUJD$$RA=='), null);
    assert.equal(decodeAudioDelta('QUJ'), null);
    assert.equal(decodeAudioDelta(42), null);
    assert.equal(decodeAudioDelta(Buffer.from([1, 2, 3]).toString('base64'))!.length, 2, 'a half sample is dropped');
    // Bad characters of a length that looks right: a space, padding in the middle, symbols.
    for (const bad of ['QUJ DRA=', 'QQ==QUJD', 'QUJD$$RB', 'QUJDRA=A', '*$%!QUJD']) assert.equal(decodeAudioDelta(bad), null, bad);
    const long = Buffer.alloc(4800, 7).toString('base64');
    for (let at = 0; at < long.length; at += 997) assert.equal(decodeAudioDelta(`${long.slice(0, at)}!${long.slice(at + 1)}`), null, `a bad character at ${at}`);
    assert.equal(decodeAudioDelta('')!.length, 0);
  });
});

describe('errors and backoff', () => {
  test('fatal error codes and close codes', () => {
    assert.equal(classifyErrorEvent('invalid_api_key', 'x').fatal, true);
    assert.equal(classifyErrorEvent('insufficient_quota', 'x').fatal, true);
    assert.equal(classifyErrorEvent('server_error', 'busy').fatal, false);
    const auth = classifyClose(3000, 'invalid_request_error.invalid_api_key', classifyErrorEvent('invalid_api_key', ''));
    assert.equal(auth.fatal, true);
    assert.match(auth.message, /invalid API key/);
    assert.equal(classifyClose(4000, 'invalid_request_error.invalid_model', null).fatal, true);
    for (const c of [1001, 1005, 1006, 1009, 1011, 1012, 1013, 1015]) assert.equal(classifyClose(c, '', null).fatal, false, `${c}`);
    for (const c of [1000, 1002, 1003, 1007, 1008, 1010]) assert.equal(classifyClose(c, '', null).fatal, true, `${c}`);
  });
  test('backoff doubles with jitter and is capped', () => {
    const lo = (n: number) => backoffDelay(n, DEFAULT_BACKOFF, () => 0);
    const hi = (n: number) => backoffDelay(n, DEFAULT_BACKOFF, () => 1);
    assert.deepEqual([1, 2, 3, 4, 5, 6].map(hi), [1000, 2000, 4000, 8000, 15000, 15000]);
    assert.deepEqual([1, 2].map(lo), [750, 1500]);
    assert.ok(lo(1) >= 750, 'never a loop faster than about once a second');
  });
});
