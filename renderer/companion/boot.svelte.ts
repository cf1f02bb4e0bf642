/// <reference types="vite/client" />
// Starts the companion window on a bridge (preload's window.companion in the app, the test bridge in
// Chromium tests): builds the stores, mounts the Svelte app, catches up with main, boots the audio.
import { mount } from 'svelte';
import type { Notice, Settings } from '../../preload/api';
import { AudioEngine } from '../audio/audio-engine';
import type { DeviceOption } from '../audio/devices';
import { speakerHint } from '../audio/output-kind';
import App from './App.svelte';
import { ApprovalStore } from './ApprovalStore.svelte';
import { ask, type Bridge } from './bridge';
import { deviceSettings } from './device-settings';
import { ConversationStore } from './ConversationStore.svelte';
import { EventLogStore } from './EventLogStore.svelte';
import { HistoryStore } from './HistoryStore.svelte';
import { ModeStore } from './ModeStore.svelte';
import { NoticeStore } from './NoticeStore.svelte';
import { SessionStore } from './SessionStore.svelte';
import { UsageStore } from './UsageStore.svelte';
import { AudioStatus } from './AudioStatus.svelte';
import { OnboardingStore } from './OnboardingStore.svelte';
import './theme.css';

export async function bootCompanion(bridge: Bridge, target: HTMLElement) {
  const stores = {
    bridge,
    session: new SessionStore(bridge),
    conversation: new ConversationStore(bridge),
    notices: new NoticeStore(bridge),
    usage: new UsageStore(bridge),
    history: new HistoryStore(bridge),
    log: new EventLogStore(bridge),
    approvals: new ApprovalStore(bridge),
    mode: new ModeStore(bridge),
    audio: new AudioStatus(),
    onboarding: new OnboardingStore(),
  };
  const status = $state({ text: 'Starting audio…' });
  target.replaceChildren();
  mount(App, { target, props: { stores, status } });

  // Events from here on update the stores; the snapshot fills in what happened before this window.
  const snap = await ask(bridge.snapshot && (() => bridge.snapshot()), null);
  if (snap) {
    stores.session.state = snap.state;
    stores.conversation.reset(snap.items);
  }
  void stores.usage.load();
  void stores.approvals.load();
  void stores.mode.load();

  try {
    // main announces the mic gate when this page loads, usually before the engine listens: start it
    // in the state the session implies, and let 'mic:gate' events take over from there.
    const st = stores.session.state;
    const gateOpen = stores.session.connected && !st.muted && (st.turnDetection !== 'none' || st.turnOpen);
    const settings = await ask(bridge.getSettings && (() => bridge.getSettings!()), null);
    const devices = settings ? deviceSettings(bridge, settings.devices) : null;
    const engine = await AudioEngine.start({ companion: bridge, gateOpen, ...(devices ? { inputStore: devices.input, outputStore: devices.output } : {}) });
    engine.events.levels = (l) => stores.session.setLevels(l);
    engine.events.notice = (n) => stores.notices.add(n);
    // The state main announced before the engine listened decides whether the mic stays open.
    void engine.followSession(stores.session.state);
    if (settings) engine.player.setVolume(settings.outputVolume ?? 1);
    if (devices) {
      bridge.on('settings:changed', (s) => {
        engine.player.setVolume(s.outputVolume ?? 1);
        const changed = devices.update(s.devices);
        if (changed.input) void engine.applyInputChoice();
        if (changed.output) void engine.applyOutputChoice();
      });
    }
    stores.session.audioReady = true;
    stores.audio.attach(engine);
    status.text = engine.micProblem ? `Audio ready; the microphone is off: ${engine.micProblem.message}` : 'Audio ready.';
    engine.events.mic = (p) => {
      stores.audio.micProblem = p;
      status.text = p ? `Audio ready; the microphone is off: ${p.message}` : 'Audio ready.';
    };
    void hintSpeakers(engine, settings, (n) => stores.notices.add(n));
    return { stores, engine };
  } catch (e) {
    const message = `Audio failed to start: ${e instanceof Error ? e.message : String(e)}`;
    status.text = message;
    stores.notices.add({ level: 'error', message, code: 'audio_start' });
    return { stores, engine: null };
  }
}

/** Once per start: on speakers (no headset), a line on headphones and, if off, half-duplex. */
async function hintSpeakers(engine: AudioEngine, settings: Settings | null, add: (n: Notice) => void): Promise<void> {
  try {
    const [outputs, inputs] = await Promise.all([engine.listOutputs(), engine.listInputs()]);
    const chosen = (list: DeviceOption[], stored: { label: string } | null | undefined) => stored?.label ?? list.find((d) => d.isDefault)?.label ?? list[0]?.label ?? '';
    const hint = speakerHint(chosen(outputs, settings?.devices.output), chosen(inputs, settings?.devices.input), settings?.localVoice.halfDuplex ?? false);
    if (hint) add({ level: 'info', message: hint, code: 'speakers_hint' });
  } catch {
    // Device labels are a nicety; without them there is simply no hint.
  }
}
