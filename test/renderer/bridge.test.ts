// The test bridge: the same CompanionApi contract as preload, validated on the node side with the
// contract's schemas. A frame from the page arrives as exactly 960 bytes; a delta from node is
// rendered in the page; invokes round-trip and bad payloads are refused.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FRAME_BYTES } from '../../preload/api';
import { CHANNELS } from '../../preload/channels';

const sendSchemas = { 'audio:frame': CHANNELS['audio:frame'].req };
import { CSP_META } from '../../main/shell/csp';
import { extent } from '../chromium/analysis';
import { sleep, startSession, waitFor, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';
import { emitTone, ev } from './scenarios';

const dir = mkdtempSync(join(tmpdir(), 'hark-bridge-'));
const wav = writeWav(join(dir, 'tone.wav'), [{ ms: 1000, hz: 440, amp: 0.5 }]);

describe('test bridge', () => {
  let s: Session;
  before(async () => {
    s = await startSession(wav, { onInvoke: (channel) => (channel === 'session:snapshot' ? { state: null, items: [], usage: null } : undefined) });
    await s.open({ gate: 1 });
  });
  after(async () => {
    await s?.close();
  });

  test('a captured frame arrives in node as exactly 960 bytes and passes sendSchemas', async () => {
    const f = await waitFor(() => s.received.frames[0], 5000, 'a frame');
    assert.ok(f.pcm instanceof ArrayBuffer);
    assert.equal(f.pcm.byteLength, FRAME_BYTES);
    assert.equal(sendSchemas['audio:frame'].safeParse(f.pcm).success, true);
    assert.deepEqual(s.received.invalid, []);
  });

  test('an audio:delta emitted from node is rendered in the page', async () => {
    await ev(s, 'tapReset');
    emitTone(s, 'resp-b', 'item-b', [4800]);
    s.bridge.emit('audio:done', { responseId: 'resp-b', itemId: 'item-b' });
    await sleep(500);
    const tap = await ev<{ rate: number; samples: number[] }>(s, 'tapDump');
    const e = extent(tap.samples, 0.01);
    assert.ok(e);
    assert.ok(Math.abs(((e.last - e.first + 2) / tap.rate) * 1000 - 200) < 1);
  });

  test('invokes are validated and round-trip; invalid payloads are refused before any handler', async () => {
    await s.page.evaluate(() => (window as any).hark.engine['companion'].setMuted({ muted: true }));
    assert.deepEqual(s.received.invokes.at(-1), { channel: 'mic:mute', payload: { muted: true } });
    const snap = await s.page.evaluate(() => (window as any).hark.engine['companion'].snapshot());
    assert.deepEqual(snap, { state: null, items: [], usage: null });
    const err = await s.page.evaluate(() =>
      (window as any).hark.engine['companion'].sendText({ text: '   ' }).then(
        () => 'resolved',
        (e: Error) => e.message,
      ),
    );
    assert.match(err, /invalid payload for text:send/);
    assert.equal(s.received.invalid.at(-1)?.channel, 'text:send');
    assert.ok(!s.received.invokes.some((i) => i.channel === 'text:send'));
  });
});

describe('strict CSP', () => {
  let s: Session;
  before(async () => {
    s = await startSession(wav);
  });
  after(async () => {
    await s?.close();
  });

  test('the built app page boots its worklets under script-src self, and blob: worklets are refused', async () => {
    const { buildPages } = await import('../chromium/harness');
    const { readdirSync, readFileSync } = await import('node:fs');
    const out = await buildPages();
    const assets = readdirSync(join(out, 'assets'));
    assert.ok(assets.some((f) => f.startsWith('capture.worklet')) && assets.some((f) => f.startsWith('player.worklet')));
    for (const f of assets) assert.doesNotMatch(readFileSync(join(out, 'assets', f), 'utf8'), /blob:/, f);
    // Every page carries the app's one policy (main sends the same as a header).
    for (const page of ['renderer/index.html', 'renderer/settings.html', 'test/bridge/harness.html']) {
      const html = readFileSync(join(out, page), 'utf8');
      assert.ok(html.includes(`<meta http-equiv="Content-Security-Policy" content="${CSP_META}" />`), page);
    }
    assert.match(CSP_META, /script-src 'self'/);
    assert.doesNotMatch(CSP_META, /blob:|unsafe-eval|unsafe-inline/);
    // The real page, with a stub bridge standing in for preload.
    await s.context.addInitScript({
      content: `window.companion = { on: () => () => {}, sendAudioFrame() {}, reportInterrupted() {} };
`,
    });
    await s.open({}, 'renderer/index.html');
    await waitFor(async () => (await s.page.textContent('#status')) !== 'Starting audio…', 8000, 'app boot');
    assert.equal(await s.page.textContent('#status'), 'Audio ready.');
    const blobResult = await s.page.evaluate(async () => {
      const ctx = new AudioContext();
      const url = URL.createObjectURL(new Blob(['registerProcessor("x", class extends AudioWorkletProcessor { process() { return true; } })'], { type: 'text/javascript' }));
      try {
        await ctx.audioWorklet.addModule(url);
        return 'loaded';
      } catch (e) {
        return (e as Error).name;
      }
    });
    assert.notEqual(blobResult, 'loaded');
    // (Chromium reports this violation to the console, not as a document securitypolicyviolation event.)
    assert.equal(blobResult, 'AbortError');
  });
});
