// The talk-key field's validation and its translation for the key hook.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acceleratorProblem, toKeyCombo } from '../../common/settings/accelerator';
import { settingsSchema } from '../../common/settings/settings-schema';

describe('accelerators', () => {
  it('accepts modifier combinations and bare function keys', () => {
    for (const a of ['CommandOrControl+Shift+Space', 'Alt+F9', 'F13', 'Super+K', 'Ctrl+Alt+num5', 'Control+Plus']) assert.equal(acceleratorProblem(a), null, a);
  });

  it('explains what is wrong with a combination', () => {
    assert.match(acceleratorProblem('')!, /Press a key/);
    assert.match(acceleratorProblem('Space')!, /alone would fire while you type/);
    assert.match(acceleratorProblem('Ctrl+Shift')!, /Add a key/);
    assert.match(acceleratorProblem('Ctrl+A+B')!, /Only one key/);
    assert.match(acceleratorProblem('Ctrl+Banana')!, /not a key Hark knows/);
    assert.match(acceleratorProblem('Ctrl+Ctrl+A')!, /twice/);
    assert.match(acceleratorProblem('Ctrl++')!, /Plus/);
  });

  it('translates for the hook, CommandOrControl per platform', () => {
    assert.deepEqual(toKeyCombo('CommandOrControl+Shift+Space', 'linux'), { key: 'Space', ctrl: true, alt: false, shift: true, meta: false });
    assert.deepEqual(toKeyCombo('CommandOrControl+Up', 'darwin'), { key: 'ArrowUp', ctrl: false, alt: false, shift: false, meta: true });
    assert.equal(toKeyCombo('Ctrl+VolumeUp', 'linux'), null, 'a key the hook cannot see');
  });

  it('the settings schema refuses a bad talk key with the same words', () => {
    const r = settingsSchema.safeParse({ hotkey: { talk: 'Space' } });
    assert.equal(r.success, false);
    assert.match(r.error!.issues[0]!.message, /alone would fire/);
  });
});
