// The microphone and speaker chosen in the settings window are the ones the audio engine uses:
// device choices are stored in the app's settings (main), not in this page's localStorage, and a
// change made in settings reaches the engine at once.
import type { ChoiceStore, StoredChoice } from '../audio/devices';
import type { Settings } from '../../preload/api';
import type { Bridge } from './bridge';

type Devices = Settings['devices'];

export interface DeviceSettings {
  input: ChoiceStore;
  output: ChoiceStore;
  /** Takes the settings main announced; returns which choices changed. */
  update(devices: Devices): { input: boolean; output: boolean };
}

export function deviceSettings(bridge: Bridge, initial: Devices): DeviceSettings {
  const current: Devices = { ...initial };
  const store = (kind: keyof Devices): ChoiceStore => ({
    load: () => current[kind],
    save(choice: StoredChoice | null) {
      current[kind] = choice;
      void bridge.updateSettings?.({ devices: { [kind]: choice } }).catch(() => {});
    },
  });
  const same = (a: StoredChoice | null, b: StoredChoice | null) => a?.deviceId === b?.deviceId && a?.label === b?.label;
  return {
    input: store('input'),
    output: store('output'),
    update(devices) {
      const changed = { input: !same(current.input, devices.input), output: !same(current.output, devices.output) };
      Object.assign(current, devices);
      return changed;
    },
  };
}
