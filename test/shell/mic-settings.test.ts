// "Open microphone settings" from the first-run guide: the system's own prompt on macOS, then its
// privacy page; Windows' privacy page; nothing to open on Linux (the guide shows the steps).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openMicSettings } from '../../main/shell/mic-settings';

function electron(granted: boolean) {
  const opened: string[] = [];
  let asked = 0;
  return { opened, asked: () => asked, e: { askForMicrophone: async () => (asked++, granted), openSystemSettings: async (u: string) => void opened.push(u) } };
}

describe('microphone settings', () => {
  it('macOS asks again first; refused, it opens Privacy & Security → Microphone', async () => {
    const yes = electron(true);
    assert.equal(await openMicSettings('darwin', yes.e), true);
    assert.deepEqual(yes.opened, []);
    const no = electron(false);
    assert.equal(await openMicSettings('darwin', no.e), true);
    assert.equal(no.asked(), 1);
    assert.deepEqual(no.opened, ['x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone']);
  });

  it('Windows opens ms-settings:privacy-microphone; Linux has no page to open', async () => {
    const win = electron(false);
    assert.equal(await openMicSettings('win32', win.e), true);
    assert.deepEqual(win.opened, ['ms-settings:privacy-microphone']);
    assert.equal(win.asked(), 0);
    const linux = electron(false);
    assert.equal(await openMicSettings('linux', linux.e), false);
    assert.deepEqual(linux.opened, []);
  });
});
