// Device choice: list inputs/outputs, remember the user's pick (deviceId, label as a fallback since
// Chromium re-hashes ids when site data is cleared), and resolve it against what is plugged in now.

export type DeviceKind = 'audioinput' | 'audiooutput';

export interface DeviceOption {
  deviceId: string;
  label: string;
  isDefault: boolean;
}

export interface StoredChoice {
  deviceId: string;
  label: string;
}

/** Where a choice is remembered. Injectable so tests and the settings store can replace it. */
export interface ChoiceStore {
  load(): StoredChoice | null;
  save(choice: StoredChoice | null): void;
}

export function localStorageStore(key: string, storage: Storage = localStorage): ChoiceStore {
  return {
    load() {
      try {
        const v = JSON.parse(storage.getItem(key) ?? 'null') as unknown;
        if (v && typeof v === 'object' && typeof (v as StoredChoice).deviceId === 'string' && typeof (v as StoredChoice).label === 'string') {
          return { deviceId: (v as StoredChoice).deviceId, label: (v as StoredChoice).label };
        }
      } catch {
        /* a corrupt entry is the same as no choice */
      }
      return null;
    },
    save(choice) {
      if (choice) storage.setItem(key, JSON.stringify(choice));
      else storage.removeItem(key);
    },
  };
}

export function memoryStore(initial: StoredChoice | null = null): ChoiceStore {
  let v = initial;
  return { load: () => v, save: (c) => void (v = c) };
}

export async function listDevices(mediaDevices: MediaDevices, kind: DeviceKind): Promise<DeviceOption[]> {
  const all = await mediaDevices.enumerateDevices();
  return all
    .filter((d) => d.kind === kind)
    .map((d, i) => ({
      deviceId: d.deviceId,
      label: d.label || (kind === 'audioinput' ? `Microphone ${i + 1}` : `Speaker ${i + 1}`),
      isDefault: d.deviceId === 'default',
    }));
}

export type Resolution =
  | { kind: 'default' }
  | { kind: 'chosen'; device: DeviceOption }
  /** The remembered device is not plugged in: the default is used and the user should be told. */
  | { kind: 'missing'; choice: StoredChoice };

/** Finds the remembered device: by id first, then by label (ids change when site data is cleared). */
export function resolveChoice(choice: StoredChoice | null, devices: DeviceOption[]): Resolution {
  if (!choice || choice.deviceId === 'default' || choice.deviceId === '') return { kind: 'default' };
  const byId = devices.find((d) => d.deviceId === choice.deviceId);
  if (byId) return { kind: 'chosen', device: byId };
  const byLabel = choice.label ? devices.find((d) => d.label === choice.label && !d.isDefault) : undefined;
  if (byLabel) return { kind: 'chosen', device: byLabel };
  return { kind: 'missing', choice };
}

export function unpluggedSentence(kind: DeviceKind, label: string): string {
  const what = kind === 'audioinput' ? 'microphone' : 'speaker';
  const name = label ? `“${label}”` : `The chosen ${what}`;
  return `${name} is not connected, so Hark is using the default ${what}. It will switch back when it is plugged in again.`;
}

export function replugSentence(kind: DeviceKind, label: string): string {
  const what = kind === 'audioinput' ? 'microphone' : 'speaker';
  return `“${label}” is connected again; Hark is using it as the ${what}.`;
}
