// The settings window's state: the settings as main last confirmed them, the key's status, the
// hotkey's status, and the messages to show. Methods are the only writers; main validates all.
import type { AcceleratorCheck, AppApi, HotkeyStatus, KeyStatus, Notice, Settings, SettingsPatch } from '../../preload/api';

export class SettingsState {
  settings = $state.raw<Settings | null>(null);
  key = $state.raw<KeyStatus>({ hasKey: false, source: null });
  hotkey = $state.raw<HotkeyStatus | null>(null);
  /** Field errors from the last refused save, and notices from the last accepted one. */
  errors = $state.raw<string[]>([]);
  notices = $state.raw<Notice[]>([]);
  keyTest = $state.raw<{ ok: boolean; message: string } | null>(null);
  busy = $state(false);
  readonly #unsubscribe: Array<() => void> = [];

  constructor(private readonly api: AppApi) {}

  async start(): Promise<void> {
    this.#unsubscribe.push(
      this.api.on('settings:changed', (s) => (this.settings = s)),
      this.api.on('key:status', (k) => (this.key = k)),
      this.api.on('hotkey:status', (h) => (this.hotkey = h)),
      this.api.on('notice', (n) => (this.notices = [...this.notices, n].slice(-5))),
    );
    [this.settings, this.key, this.hotkey] = await Promise.all([this.api.getSettings(), this.api.keyStatus(), this.api.hotkeyStatus()]);
  }

  async save(patch: SettingsPatch): Promise<boolean> {
    this.busy = true;
    try {
      const r = await this.api.updateSettings(patch);
      if (!r.ok) {
        this.errors = r.errors;
        return false;
      }
      this.errors = [];
      this.settings = r.settings;
      if (r.notices.length) this.notices = [...this.notices, ...r.notices].slice(-5);
      return true;
    } finally {
      this.busy = false;
    }
  }

  async setKey(key: string): Promise<void> {
    this.keyTest = null;
    try {
      this.key = await this.api.setKey(key);
    } catch {
      this.keyTest = { ok: false, message: 'That does not look like an API key (no spaces, 8 to 512 characters).' };
    }
  }

  async clearKey(): Promise<void> {
    this.keyTest = null;
    this.key = await this.api.clearKey();
  }

  async testKey(): Promise<void> {
    this.busy = true;
    this.keyTest = null;
    try {
      this.keyTest = await this.api.testKey();
    } finally {
      this.busy = false;
    }
  }

  async requestAccessibility(): Promise<void> {
    this.hotkey = await this.api.requestAccessibility();
  }

  checkHotkey(accelerator: string): Promise<AcceleratorCheck> {
    return this.api.checkHotkey(accelerator);
  }

  dispose(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }
}
