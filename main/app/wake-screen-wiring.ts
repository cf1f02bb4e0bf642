// The wake word and "look at my screen" joined to the app, in one place beside services.ts so the
// composition root only calls this: the wake-word mode with its own worker and its idle return to
// waiting, the screen look with its tool, the periodic mode following the connection, and the
// events, notices and tray items both need.
import type { EventChannel, Events, LookResult, ScreenWindowList, WakeStatus } from '../../preload/api';
import type { RealtimeSession } from '../realtime/session';
import type { SettingsStore } from '../settings/settings-store';
import { CaptureRefused, type ScreenCapturer } from '../screen/screen-capturer';
import { ScreenLook } from '../screen/screen-look';
import { lookAtScreenTool } from '../tools/builtin/look-at-screen';
import type { ToolHost } from '../tools/tool-host';
import { AudioWorkerHost } from '../voice/audio-worker-host';
import type { LocalVoice } from '../voice/local-voice';
import { phraseWords, wakeWordPaths } from '../voice/wake-word-paths';
import { WakeWordMode, type WakeState } from '../voice/wake-word-mode';
import { IdleDisconnect } from './idle-disconnect';
import type { RendererLink } from './renderer-link';

export interface WakeScreenOptions {
  electron: { screenCapturer?: ScreenCapturer };
  distDir: string;
  wakeWordRoot?: { sourceRoot: string };
  settings: SettingsStore;
  session: RealtimeSession;
  localVoice: LocalVoice;
  tools: ToolHost;
  link: RendererLink;
  emit: <K extends EventChannel>(channel: K, payload: Events[K]) => void;
  /** The talk action: connects (the daily cap may refuse) and opens a push-to-talk turn. */
  talk: () => Promise<void>;
  renderTray: () => void;
}

/** Without desktopCapturer (the tests' fake Electron, `talk`), looking says so instead of failing. */
const NO_CAPTURER: ScreenCapturer = {
  permission: () => 'granted',
  listWindows: async () => [],
  capture: async () => {
    throw new CaptureRefused('Screen capture is not available in this build of Hark.', 'failed');
  },
};

/** The user's side of looking (the window's button and picker, the tray, the switch); the window tests serve the same. */
export function userLook(look: ScreenLook) {
  return {
    /** The screen, or the window picked in the companion window. */
    async lookAtScreen(a: { windowTitle?: string } = {}): Promise<LookResult> {
      const r = await look.look('user', a.windowTitle ? { windowTitle: a.windowTitle } : {});
      return r.sent ? { sent: true, message: `Sent: ${r.image.width}×${r.image.height}, ~${r.image.tokens.toLocaleString('en-US')} image tokens.` } : { sent: false, message: r.message };
    },
    /** The picker's list; a refusal comes back in words, as a look's does (a thrown error would reach the window wrapped in IPC words). */
    async listWindows(): Promise<ScreenWindowList> {
      try {
        return { windows: await look.windows() };
      } catch (err) {
        return { windows: [], message: err instanceof CaptureRefused ? err.message : `The windows could not be listed: ${(err as Error).message}` };
      }
    },
  };
}

export function wireWakeAndScreen(o: WakeScreenOptions) {
  const { settings, session, emit } = o;
  const wakeSettings = () => settings.get().wakeWord;

  const wake = new WakeWordMode({
    session,
    voice: o.localVoice,
    settings: wakeSettings,
    createWorker: (choice) => new AudioWorkerHost(wakeWordPaths(o.wakeWordRoot ?? { distDir: o.distDir }, choice)),
    connect: async () => {
      await o.talk();
      return session.isReady;
    },
    holdMic: (open) => o.link.holdGate(open),
  });
  const status = (s: WakeState, heard = false): WakeStatus => ({ state: s.state, ...('phrase' in s ? { phrase: s.phrase } : {}), ...('reason' in s ? { reason: s.reason } : {}), ...(heard ? { heard } : {}) });
  wake.on('state', (s) => {
    emit('wake:state', status(s));
    if (s.state === 'unavailable') emit('notice', { level: 'warning', code: 'wake_unavailable', message: `The wake word could not start (${s.reason}). Hark works without it: press talk.` });
    o.renderTray();
  });
  wake.on('wake', (w) => {
    emit('wake:state', status(wake.state, true));
    session.emit('wire', { dir: 'in', event: { type: 'local.wake', phrase: w.phrase, score: Number(w.score.toFixed(3)) } });
  });
  // A conversation goes back to waiting after the wake word's own quiet time (not the app's idle minutes).
  const idle = new IdleDisconnect({
    session,
    idleMinutes: () => (wakeSettings().enabled ? wakeSettings().idleSeconds / 60 : null),
    notify: () => emit('notice', { level: 'info', code: 'wake_idle', message: `No speech for ${wakeSettings().idleSeconds} s: disconnected, and waiting for “${phraseWords(wakeSettings())}” again.` }),
  });

  const look = new ScreenLook({ capturer: o.electron.screenCapturer ?? NO_CAPTURER, approvals: o.tools.approvals, session, settings: () => settings.get().screen });
  o.tools.registry.add(lookAtScreenTool(look));
  look.on('capture', (c) => emit('screen:capture', c));
  look.on('permission', ({ message }) => emit('notice', { level: 'error', code: 'screen_permission', message }));
  const followPeriodic = () => look.setPeriodic(session.isReady);
  session.on('state', followPeriodic);

  // Each watches its own slice (the settings store finds what changed).
  const unwatch = [
    settings.watch((s) => s.wakeWord, () => {
      void wake.apply();
      idle.refresh();
    }),
    settings.watch((s) => s.screen.periodicSeconds, () => {
      look.setPeriodic(false);
      followPeriodic();
    }),
  ];

  return {
    wake,
    look,
    start: () => wake.apply(),
    ...userLook(look),
    trayInput: () => {
      const w = wakeSettings();
      return { wake: { enabled: w.enabled, waiting: wake.state.state === 'waiting', phrase: phraseWords(w) }, look: true };
    },
    async stop(): Promise<void> {
      for (const u of unwatch) u();
      session.off('state', followPeriodic);
      idle.dispose();
      look.dispose();
      await wake.dispose();
    },
  };
}
