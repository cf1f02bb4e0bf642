// The wake word inside the app (fake Electron, the real workers, the simulator): with the mode on,
// Hark starts disconnected, holds the mic gate open and says it is waiting (window and tray); the
// phrase arriving as the renderer's 20 ms frames connects it, with the earcon's cue; the tray's
// toggle turns it off and releases the mic.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Services } from '../../main/app/services';
import { createAppServices } from '../fakes/app-services';
import { localVoicePaths } from '../../main/voice/local-voice-paths';
import { startSimulator, type Simulator } from '../../simulator/server';
import { createFakeElectron, type FakeElectron } from '../fakes/electron';
import { until } from '../support/until';
import { concat, silence } from '../voice/speech';
import { say } from '../voice/wake-audio';

const KEY = 'sk-proj-CANARY-KEY-0123456789abcdefXYZ';
const ROOT = new URL('../../', import.meta.url).pathname;
let open: { services: Services; sim: Simulator } | null = null;
afterEach(async () => {
  await open?.services.stop();
  await open?.sim.close();
  open = null;
});

describe('app: the wake word (fake Electron, simulator)', () => {
  it('starts waiting, not connected; the phrase in the mic frames connects; the tray toggle turns it off', async () => {
    const sim = await startSimulator({ paceFactor: 10, updateDelayMs: 1 });
    const fake: FakeElectron = createFakeElectron();
    writeFileSync(join(fake.userData, 'settings.json'), JSON.stringify({ version: 2, wakeWord: { enabled: true } }));
    const services = await createAppServices(fake, {
      env: { HARK_REALTIME_URL: sim.url, OPENAI_API_KEY: KEY },
      localVoicePaths: localVoicePaths({ sourceRoot: ROOT }),
      wakeWordRoot: { sourceRoot: ROOT },
    });
    open = { services, sim };
    await services.start([]);
    const w = fake.windows[0]!;
    const sent = (channel: string) => w.webContents.sent.filter((m) => m.channel === channel).map((m) => m.payload as Record<string, unknown>);
    await until(() => sent('wake:state').some((s) => s.state === 'waiting'), 'waiting', 15_000);
    assert.equal(sim.connections.length, 0, 'a key is set, but nothing connects while waiting');
    assert.deepEqual(sent('mic:gate').at(-1), { open: true }, 'the mic is held open for the phrase');
    assert.equal(fake.trays[0]!.menu!.items[0]!.label, 'Waiting for “Hey Jarvis”');

    // The renderer's frames: a quiet room, the phrase, a question.
    const mic = concat(silence(2500), say('hey, jarvis', 'en-us+m3', 180), silence(300), say('what time is it', 'en-us', 175), silence(800));
    for (let at = 0; at + 480 <= mic.length; at += 480) {
      const f = mic.slice(at, at + 480);
      fake.ipcMain.send('audio:frame', f.buffer, w.event());
      if (at % (480 * 25) === 0) await new Promise((r) => setImmediate(r));
    }
    await until(() => sent('wake:state').some((s) => s.state === 'awake' && s.heard === true), 'the wake (with the earcon cue)', 10_000);
    await until(() => services.session.isReady, 'connected after the phrase', 10_000);
    assert.equal(sim.connections.length, 1);

    fake.trays[0]!.click('Wake word (“Hey Jarvis”)');
    await until(() => sent('wake:state').at(-1)?.state === 'off', 'off after the toggle');
    assert.equal(services.settings.get().wakeWord.enabled, false);
  });
});
