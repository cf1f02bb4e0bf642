// The audio path with the page hidden. Headless Chromium offers no CDP call that really hides a page
// (tried: Browser.setWindowBounds minimized and a second tab in front, headless and headful under
// Xvfb without a window manager: visibilityState stayed 'visible'). So this suite does two stronger
// things instead: (1) the page sees itself hidden (visibilityState/hidden overridden before any
// script runs, 'visibilitychange' dispatched), and (2) every main-thread timer is dead: setTimeout,
// setInterval, requestAnimationFrame and requestIdleCallback are replaced with functions that never
// call back. Chromium's hidden-page throttling can only slow timers; an audio path that works with
// no timers at all cannot be hurt by it. A static check backs this up.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { REPO, startSession, type Session } from '../chromium/harness';
import { writeWav } from '../chromium/wav';
import { captureRate, gapless, interruptTruth } from './scenarios';

const dir = mkdtempSync(join(tmpdir(), 'hark-hidden-'));
const wav = writeWav(join(dir, 'tone.wav'), [{ ms: 2000, hz: 440, amp: 0.5 }, { ms: 1000, silence: true }]);

test('static: renderer/audio uses no timers and no polling', () => {
  const files = readdirSync(join(REPO, 'renderer/audio')).filter((f) => f.endsWith('.ts'));
  assert.ok(files.length >= 8);
  for (const f of files) {
    const code = readFileSync(join(REPO, 'renderer/audio', f), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(code, /\b(setTimeout|setInterval|requestAnimationFrame|requestIdleCallback)\b/, f);
  }
});

describe('hidden page, timers dead', () => {
  let s: Session;
  before(async () => {
    s = await startSession(wav);
    // A string, not a function: tsx would wrap a function with helpers that do not exist in the page.
    await s.context.addInitScript({
      content: `
        window.__timerCalls = 0;
        const dead = () => { window.__timerCalls++; return 0; };
        window.setTimeout = dead;
        window.setInterval = dead;
        window.requestAnimationFrame = dead;
        window.requestIdleCallback = dead;
        Object.defineProperty(Document.prototype, 'visibilityState', { get: () => 'hidden', configurable: true });
        Object.defineProperty(Document.prototype, 'hidden', { get: () => true, configurable: true });
        document.addEventListener('DOMContentLoaded', () => document.dispatchEvent(new Event('visibilitychange')));
      `,
    });
    await s.open({ gate: 1 });
  });
  after(async () => {
    await s?.close();
  });

  test('the page believes it is hidden', async () => {
    assert.equal(await s.page.evaluate(() => document.visibilityState), 'hidden');
  });

  test('capture: 50 frames a second of 960 bytes', async () => {
    await captureRate(s);
  });

  test('playback: gapless across deltas', async () => {
    await gapless(s);
  });

  test('interrupt: silent and sample-true', async () => {
    await interruptTruth(s, 'bridge', 21);
  });

  test('nothing on the audio path asked for a timer', async () => {
    assert.equal(await s.page.evaluate(() => (window as any).__timerCalls), 0);
    assert.deepEqual(s.pageErrors, []);
  });
});
