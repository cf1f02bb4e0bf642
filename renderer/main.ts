// Minimal companion page until the Svelte window lands: boots the audio engine on the bridge and
// shows levels and notices.
import { AudioEngine } from './audio/audio-engine';

const status = document.getElementById('status')!;
const inMeter = document.getElementById('input-level') as HTMLMeterElement;
const outMeter = document.getElementById('output-level') as HTMLMeterElement;
const notice = document.getElementById('notice')!;

async function boot(): Promise<void> {
  if (!window.companion) {
    status.textContent = 'No bridge: open this page inside Hark.';
    return;
  }
  const engine = await AudioEngine.start({ companion: window.companion });
  engine.events.levels = (l) => {
    inMeter.value = l.input.rms;
    outMeter.value = l.output.rms;
  };
  engine.events.notice = (n) => {
    notice.textContent = n.message;
  };
  status.textContent = 'Audio ready.';
}

boot().catch((e: unknown) => {
  status.textContent = `Audio failed to start: ${e instanceof Error ? e.message : String(e)}`;
});
