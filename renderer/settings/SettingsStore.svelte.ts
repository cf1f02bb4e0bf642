// The settings window's state: the settings as main last confirmed them, one draft per section, the
// key's and the hotkey's status, and the messages to show. main validates everything.
import type { AcceleratorCheck, CompanionApi, HotkeyStatus, KeyStatus, Notice, Settings, SettingsPatch, SettingsUpdate } from '../../preload/api';
import { SectionDraft } from './SectionDraft.svelte';
import * as specs from './section-specs';

export class SettingsStore {
  settings = $state.raw<Settings | null>(null);
  key = $state.raw<KeyStatus>({ hasKey: false, source: null });
  hotkey = $state.raw<HotkeyStatus | null>(null);
  /** Notices from accepted saves and from main. */
  notices = $state.raw<Notice[]>([]);
  keyTest = $state.raw<{ ok: boolean; message: string } | null>(null);
  keyError = $state<string | null>(null);
  testingKey = $state(false);
  readonly #unsubscribe: Array<() => void> = [];

  readonly sections = {
    connection: this.#section('Connection', specs.connection),
    instructions: this.#section('Instructions', specs.instructions),
    turnTaking: this.#section('Turn-taking', specs.turnTaking),
    transcription: this.#section('Transcription and noise', specs.transcription),
    talkKey: this.#section('Talk key', specs.talkKey),
    devices: this.#section('Audio devices', specs.devices),
    tools: this.#section('Tools', specs.tools),
    mcp: this.#section('MCP servers', specs.mcp),
    history: this.#section('History', specs.history),
    usage: this.#section('Usage and cost', specs.usage),
    app: this.#section('App', specs.app),
  };
  readonly unsaved = $derived(Object.values(this.sections).filter((s) => s.dirty));

  constructor(private readonly api: CompanionApi) {}

  async start(): Promise<void> {
    this.#unsubscribe.push(
      this.api.on('settings:changed', (s) => this.#confirmed(s)),
      this.api.on('key:status', (k) => (this.key = k)),
      this.api.on('hotkey:status', (h) => (this.hotkey = h)),
      this.api.on('notice', (n) => this.#notice([n])),
    );
    const [settings, key, hotkey] = await Promise.all([this.api.getSettings(), this.api.keyStatus(), this.api.hotkeyStatus()]);
    this.key = key;
    this.hotkey = hotkey;
    this.#confirmed(settings);
  }

  async saveAll(): Promise<void> {
    // One section at a time: each answer is the base the next patch is checked against.
    for (const s of this.unsaved) await s.save();
  }

  async setKey(key: string): Promise<boolean> {
    this.keyTest = null;
    this.keyError = null;
    try {
      this.key = await this.api.setKey({ key });
      return true;
    } catch {
      this.keyError = 'That does not look like an API key: it has no spaces and is 8 to 512 characters long.';
      return false;
    }
  }

  async clearKey(): Promise<void> {
    this.keyTest = null;
    this.keyError = null;
    this.key = await this.api.clearKey();
  }

  async testKey(): Promise<void> {
    this.testingKey = true;
    this.keyTest = null;
    try {
      this.keyTest = await this.api.testKey();
    } catch (err) {
      this.keyTest = { ok: false, message: `The key could not be tested: ${err instanceof Error ? err.message : String(err)}` };
    } finally {
      this.testingKey = false;
    }
  }

  async requestAccessibility(): Promise<void> {
    this.hotkey = await this.api.requestAccessibility();
  }

  checkHotkey(accelerator: string): Promise<AcceleratorCheck> {
    return this.api.checkHotkey({ accelerator });
  }

  dispose(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  #section<F extends object>(title: string, spec: import('./SectionDraft.svelte').SectionSpec<F>): SectionDraft<F> {
    return new SectionDraft(title, spec, (patch) => this.#send(patch));
  }

  async #send(patch: SettingsPatch): Promise<SettingsUpdate> {
    const r = await this.api.updateSettings(patch);
    if (r.ok) {
      this.#confirmed(r.settings);
      this.#notice(r.notices);
    }
    return r;
  }

  #confirmed(s: Settings): void {
    this.settings = s;
    for (const section of Object.values(this.sections)) section.rebase(s);
  }

  #notice(n: Notice[]): void {
    if (n.length) this.notices = [...this.notices, ...n].slice(-5);
  }
}
