// The settings window: mounts the Svelte form on the app's bridge, styled like the companion window.
import { mount } from 'svelte';
import type { CompanionApi } from '../../preload/api';
import '../companion/theme.css';
import './settings.css';
import { NotesEditor } from './NotesEditor.svelte';
import Settings from './Settings.svelte';
import { SettingsStore } from './SettingsStore.svelte';
import { ToolsStore } from './ToolsStore.svelte';

function mountSettings(api: CompanionApi, target: HTMLElement) {
  const model = new SettingsStore(api);
  const tools = new ToolsStore(api);
  const notes = new NotesEditor(api);
  mount(Settings, { target, props: { model, tools, notes, isMac: navigator.userAgent.includes('Mac OS X') } });
  return Promise.all([model.start(), tools.start(), notes.start()]);
}

const target = document.getElementById('app')!;
// In the app, preload exposes the whole CompanionApi as `companion`.
const api = window.companion;
if (api) void mountSettings(api, target);
else target.textContent = 'No bridge: open this page inside Hark.';
