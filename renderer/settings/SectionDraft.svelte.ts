// One section of the settings form: the user's values, what differs from main's confirmed settings
// (sent as exactly that patch), and main's refusal kept at the fields until the next save. A refused
// save leaves the user's input as typed; other sections are untouched.
import type { Settings, SettingsPatch, SettingsUpdate } from '../../preload/api';
import { errorsAt, errorsElsewhere } from './field-errors';
import { diffPatch } from './settings-patch';

export interface SectionSpec<F> {
  /** The form's values, from the settings. */
  read(s: Settings): F;
  /** The settings fields the form stands for; the section owns exactly these. */
  write(f: F): Record<string, unknown>;
  /** Dotted paths of the fields this section shows, to place main's errors. */
  fields: readonly string[];
  /** Objects sent whole when changed (unions). */
  atomic?: readonly string[];
}

export class SectionDraft<F extends object> {
  form = $state() as F;
  errors = $state.raw<string[]>([]);
  saving = $state(false);
  /** Set after a save went through, until the next edit is saved or refused. */
  saved = $state(false);
  #base = $state.raw<Settings | null>(null);
  // Assigned in the constructor; the derived values below read it lazily.
  private readonly spec: SectionSpec<F>;
  private readonly send: (patch: SettingsPatch) => Promise<SettingsUpdate>;

  readonly patch = $derived.by(() => this.#diff());
  readonly dirty = $derived(Object.keys(this.patch).length > 0);
  readonly elsewhere = $derived.by(() => this.#unplaced());

  constructor(
    readonly title: string,
    spec: SectionSpec<F>,
    send: (patch: SettingsPatch) => Promise<SettingsUpdate>,
  ) {
    this.spec = spec;
    this.send = send;
  }

  /** main's settings changed (load, a save, the tray): a clean form follows; an edited one keeps the edits. */
  rebase(s: Settings): void {
    const clean = !this.#base || !this.dirty;
    this.#base = s;
    if (clean) this.form = this.spec.read(s);
  }

  revert(): void {
    if (this.#base) this.form = this.spec.read(this.#base);
    this.errors = [];
  }

  #diff(): Record<string, unknown> {
    const base = this.#base;
    return base ? diffPatch(this.spec.write(this.form), this.spec.write(this.spec.read(base)), this.spec.atomic) : {};
  }

  #values(): string {
    return JSON.stringify(this.spec.write($state.snapshot(this.form) as F));
  }

  #unplaced(): string[] {
    return errorsElsewhere(this.errors, this.spec.fields);
  }

  errorsAt(field: string): string[] {
    return errorsAt(this.errors, field);
  }

  async save(): Promise<boolean> {
    if (!this.dirty || this.saving) return !this.dirty;
    this.saving = true;
    this.saved = false;
    const sent = this.#values();
    try {
      const r = await this.send($state.snapshot(this.patch) as SettingsPatch);
      if (!r.ok) {
        this.errors = r.errors;
        return false;
      }
      this.errors = [];
      this.saved = true;
      this.#base = r.settings;
      // What the user typed while the save was on its way stays, as unsaved changes.
      if (this.#values() === sent) this.form = this.spec.read(r.settings);
      return true;
    } catch (err) {
      this.errors = [err instanceof Error ? err.message : String(err)];
      return false;
    } finally {
      this.saving = false;
    }
  }
}
