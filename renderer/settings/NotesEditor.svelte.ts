// The notes the model remembers, as an editable list saved whole ('notes:save'). Notes changed
// meanwhile (the model's remember_note) replace the list unless the user is editing it.
import { MAX_NOTE_CHARS, MAX_NOTES, type CompanionApi, type Note } from '../../preload/api';

interface Row {
  /** Stable key for the list; the note's id once it has one. */
  key: string;
  id?: string;
  text: string;
}

let nextKey = 0;
const rowOf = (n: Note): Row => ({ key: n.id, id: n.id, text: n.text });
const same = (rows: Row[], notes: Note[]) => rows.length === notes.length && rows.every((r, i) => r.id === notes[i]!.id && r.text === notes[i]!.text);

export class NotesEditor {
  rows = $state<Row[]>([]);
  saved = $state.raw<Note[]>([]);
  error = $state<string | null>(null);
  saving = $state(false);
  readonly dirty = $derived(!same(this.rows, this.saved));
  readonly full = $derived(this.rows.length >= MAX_NOTES);
  readonly tooLong = $derived(this.rows.some((r) => r.text.length > MAX_NOTE_CHARS));
  readonly #unsubscribe: Array<() => void> = [];

  constructor(private readonly api: CompanionApi) {}

  async start(): Promise<void> {
    this.#unsubscribe.push(this.api.on('notes:changed', (notes) => this.#confirmed(notes, false)));
    this.#confirmed(await this.api.listNotes(), true);
  }

  add(): Row {
    const row = { key: `new-${nextKey++}`, text: '' };
    this.rows.push(row);
    return row;
  }

  remove(key: string): void {
    this.rows = this.rows.filter((r) => r.key !== key);
  }

  revert(): void {
    this.rows = this.saved.map(rowOf);
    this.error = null;
  }

  async save(): Promise<void> {
    this.saving = true;
    this.error = null;
    const sent = JSON.stringify(this.rows);
    try {
      const notes = await this.api.saveNotes({ notes: this.rows.map((r) => (r.id ? { id: r.id, text: r.text } : { text: r.text })) });
      // Edits made while the save was on its way stay, as unsaved changes.
      this.#confirmed(notes, JSON.stringify(this.rows) === sent);
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      this.error = `The notes were not saved: ${m.replace(/^.*invalid payload: /, '')}.`;
    } finally {
      this.saving = false;
    }
  }

  dispose(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }

  #confirmed(notes: Note[], force: boolean): void {
    const clean = !this.dirty;
    this.saved = notes;
    if (force || clean) this.rows = notes.map(rowOf);
  }
}
