// The first-run guide in the real companion page (Debian Chromium, the session core and the
// simulator): every step, the refused microphone with its words and "try again", the talk key that
// cannot work here, skipping and starting again from settings. Screenshots for the README.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { HotkeyStatus, KeyStatus } from '../../preload/api';
import { writeWav } from '../../main/audio/wav';
import { synthesize } from '../../simulator/tts';
import { waitFor } from '../chromium/harness';
import { SHOTS, startCompanionStack, type CompanionStack } from './stack';

const HOLD: HotkeyStatus = { requested: 'hold', active: 'hold', backend: 'key-hook', accelerator: 'Ctrl+Shift+Space', problem: null };

/** main's answers for the key and the talk key, recording what the page asked. */
function shell(o: { key?: KeyStatus; hotkey?: HotkeyStatus } = {}) {
  const calls: Array<{ channel: string; payload: unknown }> = [];
  let key: KeyStatus = o.key ?? { hasKey: false, source: null };
  const invoke = (channel: string, payload: unknown): unknown => {
    calls.push({ channel, payload });
    if (channel === 'key:status') return key;
    if (channel === 'key:set') return (key = { hasKey: true, source: 'stored' });
    if (channel === 'key:test') return { ok: true, message: 'The key works: the server accepted it.' };
    if (channel === 'hotkey:status') return o.hotkey ?? HOLD;
    if (channel === 'window:open-mic-settings') return false;
    return undefined;
  };
  return { calls, invoke };
}

async function speechWav(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'hark-guide-'));
  const path = join(dir, 'hello.wav');
  // Chromium loops the fake-capture file: a few seconds of words keep the meter moving.
  const words = await synthesize('Hello Hark, can you hear me? One, two, three, four, five.');
  writeWav(path, words);
  return path;
}

describe('first-run guide', () => {
  const stacks: CompanionStack[] = [];
  after(async () => {
    for (const s of stacks) await s.close();
  });

  it('walks the key, the microphone, the speaker, the talk key and the tip, then stays closed', async () => {
    const sh = shell();
    const st = await startCompanionStack({ onboarding: true, connect: false, invoke: sh.invoke, micWav: await speechWav() });
    stacks.push(st);
    const { page } = st;
    await page.waitForSelector('[data-testid=step-key]');
    assert.match((await page.textContent('[data-testid=onboarding]'))!, /stored encrypted/);
    assert.match((await page.textContent('[data-testid=onboarding]'))!, /OPENAI_API_KEY/);
    await page.screenshot({ path: join(SHOTS, 'onboarding-key.png') });
    await page.fill('#guide-key', 'sk-test-onboarding-1234');
    await page.click('text=Save and test');
    await page.waitForSelector('[data-testid=key-result].ok');
    assert.match((await page.textContent('[data-testid=key-result]'))!, /✓ The key works/);
    assert.deepEqual(sh.calls.find((c) => c.channel === 'key:set')?.payload, { key: 'sk-test-onboarding-1234' });
    assert.ok(sh.calls.some((c) => c.channel === 'key:test'), 'the existing key test ran');
    await page.click('[data-testid=step-key] >> text=Next');

    // The microphone: the fake mic speaks; the meter moves and says so.
    await page.waitForSelector('[data-testid=step-mic]');
    await waitFor(async () => (await page.textContent('[data-testid=mic-heard]')) === '✓ Hark hears you.', 10_000, 'the meter to hear the voice');
    await page.screenshot({ path: join(SHOTS, 'onboarding-mic.png') });
    await page.click('[data-testid=step-mic] >> text=Next');

    // The speaker: the chime really reaches the output.
    await page.waitForSelector('[data-testid=step-speaker]');
    await page.click('text=Play a test sound');
    await page.waitForSelector('[data-testid=chime-played]', { timeout: 5000 });
    const peak = Number(await page.getAttribute('[data-testid=chime-played]', 'data-peak'));
    assert.ok(peak > 0.1, `the chime's peak at the output: ${peak}`);
    assert.equal(await page.textContent('[data-testid=chime-played]'), 'Did you hear it?');
    await page.click('[data-testid=step-speaker] >> text=No');
    assert.match((await page.textContent('[data-testid=speaker-help]'))!, /Settings → Audio devices/);
    await page.click('[data-testid=step-speaker] >> text=Yes');

    // The talk key: "press and hold it now"; main reports the press, the guide shows it was seen.
    await page.waitForSelector('[data-testid=step-talk-key]');
    assert.match((await page.textContent('[data-testid=step-talk-key]'))!, /Press and hold Ctrl\+Shift\+Space now/);
    assert.equal(await page.textContent('[data-testid=talk-key-seen]'), 'Waiting for the key…');
    st.s.bridge.emit('hotkey:pressed', { down: true });
    await waitFor(async () => /^✓ Seen: Ctrl\+Shift\+Space \(held\)\.$/.test((await page.textContent('[data-testid=talk-key-seen]')) ?? ''), 5000, 'the press to be seen');
    st.s.bridge.emit('hotkey:pressed', { down: false });
    await page.click('[data-testid=step-talk-key] >> text=Next');

    await page.waitForSelector('[data-testid=step-tip]');
    assert.match((await page.textContent('[data-testid=step-tip]'))!, /headphones/i);
    await page.click('text=Finish');
    await page.waitForSelector('[data-testid=onboarding]', { state: 'detached' });
    // Done is remembered: a reload does not bring it back.
    await page.reload();
    await waitFor(async () => (await page.textContent('#status')) === 'Audio ready.', 15_000, 'the page to boot again');
    assert.equal(await page.$('[data-testid=onboarding]'), null);
    assert.deepEqual(st.s.pageErrors, []);
  });

  it('a refused microphone says exactly where to allow it, offers Try again, and throws nothing', async () => {
    const sh = shell({ key: { hasKey: true, source: 'env' } });
    const st = await startCompanionStack({ onboarding: true, denyMic: true, invoke: sh.invoke });
    stacks.push(st);
    const { page } = st;
    // The window itself: not "Permission denied", but what happened.
    assert.match((await page.textContent('#status'))!, /^Audio ready; the microphone is off: Hark may not use the microphone/);
    await page.waitForSelector('[data-testid=step-key]');
    assert.match((await page.textContent('[data-testid=step-key]'))!, /uses the key in OPENAI_API_KEY/);
    await page.click('[data-testid=step-key] >> text=Skip');
    await page.waitForSelector('[data-testid=mic-problem]');
    assert.equal(await page.textContent('[data-testid=mic-problem]'), 'Hark may not use the microphone: the system refused it.');
    const steps = (await page.textContent('[data-testid=mic-steps]'))!;
    // Chromium here runs on Linux: PipeWire/PulseAudio, and the portal under Flatpak or Snap.
    assert.match(steps, /PipeWire or PulseAudio/);
    assert.match(steps, /Flatpak/);
    assert.match(steps, /Snap/);
    await page.screenshot({ path: join(SHOTS, 'onboarding-mic-refused.png') });
    await page.click('text=Try again');
    await page.waitForSelector('[data-testid=mic-problem]');
    // The session moves on (connect, disconnect): the engine's mic problem is no uncaught error.
    st.session.disconnect();
    await st.services.connect();
    await waitFor(() => st.session.state.phase === 'listening', 5000, 'connected again');
    await new Promise((r) => setTimeout(r, 300));
    assert.deepEqual(st.s.pageErrors, []);
    // Replies still play without a microphone: a typed turn gets its spoken answer.
    st.session.sendText('Hello?');
    await waitFor(() => st.session.conversation.items().some((i) => i.role === 'assistant' && i.status === 'completed'), 10_000, 'the reply');
  });

  it('a talk key that cannot work here says why and offers toggle and the desktop shortcut', async () => {
    const wayland: HotkeyStatus = { requested: 'hold', active: 'none', backend: 'none', accelerator: 'Ctrl+Shift+Space', problem: 'Global shortcuts are not available in this Wayland session (it needs the desktop\'s GlobalShortcuts portal).' };
    const sh = shell({ key: { hasKey: true, source: 'stored' }, hotkey: wayland });
    const st = await startCompanionStack({ onboarding: true, connect: false, invoke: sh.invoke });
    stacks.push(st);
    const { page } = st;
    for (const step of ['key', 'mic', 'speaker']) {
      await page.waitForSelector(`[data-testid=step-${step}]`);
      await page.click(`[data-testid=step-${step}] >> text=Skip`);
    }
    await page.waitForSelector('[data-testid=talk-key-problem]');
    assert.match((await page.textContent('[data-testid=talk-key-problem]'))!, /Wayland/);
    assert.match((await page.textContent('[data-testid=step-talk-key]'))!, /hark --toggle-talk/);
    await page.click('text=Use toggle: press to talk, press again to send');
    await waitFor(() => st.shellCalls.includes('settings:update'), 5000, 'the settings update');
    const update = st.s.received.invokes.find((i) => i.channel === 'settings:update');
    assert.deepEqual(update?.payload, { hotkey: { style: 'toggle' } });
  });

  it('each step can be skipped; settings starts the guide again', async () => {
    const sh = shell({ key: { hasKey: true, source: 'stored' } });
    const st = await startCompanionStack({ onboarding: true, connect: false, invoke: sh.invoke });
    stacks.push(st);
    const { page } = st;
    for (const step of ['key', 'mic', 'speaker', 'talk-key']) {
      await page.waitForSelector(`[data-testid=step-${step}]`);
      await page.click(`[data-testid=step-${step}] >> text=Skip`);
    }
    // A skipped step can be revisited from the step dots.
    await page.click('button[aria-label^="Step 2: The microphone (skipped)"]');
    await page.waitForSelector('[data-testid=step-mic]');
    await page.click('[data-testid=step-mic] >> text=Skip');
    await page.click('text=Finish');
    await page.waitForSelector('[data-testid=onboarding]', { state: 'detached' });

    // The settings window, same origin: "Show the setup guide" brings it back in the companion window.
    const settings = await st.s.context.newPage();
    await settings.goto(`${st.s.origin}/renderer/settings.html`);
    await settings.click('[data-testid=show-guide]');
    await page.waitForSelector('[data-testid=step-key]', { timeout: 5000 });
    assert.ok(st.s.received.invokes.some((i) => i.channel === 'window:open-companion'), 'the companion window is brought up');
    await settings.close();
  });
});
