// The settings window: mounts the Svelte form on the app's bridge.
import { mount } from 'svelte';
import type { AppApi } from '../../preload/api';
import Settings from './Settings.svelte';
import { SettingsState } from './settings-state.svelte';

const target = document.getElementById('app')!;
// In the app, preload exposes the whole AppApi as `companion`; the audio-only type is its subset.
const api = window.companion as AppApi | undefined;
if (!api) {
  target.textContent = 'No bridge: open this page inside Hark.';
} else {
  const state = new SettingsState(api);
  mount(Settings, { target, props: { model: state, isMac: navigator.userAgent.includes('Mac OS X') } });
  void state.start();
}
