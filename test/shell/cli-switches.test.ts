// Command-line switches of a second launch reach the running instance.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dispatchCli, parseCliSwitches, type CliTargets } from '../../main/shell/cli-switches';

function recorder() {
  const calls: string[] = [];
  const t: CliTargets = {
    toggleTalk: () => void calls.push('toggle'),
    pttDown: () => void calls.push('down'),
    pttUp: () => void calls.push('up'),
    cancelTalk: () => void calls.push('cancel'),
    showCompanion: () => void calls.push('show'),
    showSettings: () => void calls.push('settings'),
  };
  return { t, calls };
}

describe('cli switches', () => {
  it('finds our switches among Chromium\'s and the app path, in order', () => {
    const argv = ['/opt/Hark/hark', '--no-sandbox', '--ptt-down', '--enable-features=X', '--PTT-UP', 'file.txt'];
    assert.deepEqual(parseCliSwitches(argv), ['ptt-down', 'ptt-up']);
    assert.deepEqual(parseCliSwitches(['/usr/bin/hark']), []);
  });

  it('dispatches each switch to its target', () => {
    const { t, calls } = recorder();
    dispatchCli(['hark', '--toggle-talk', '--cancel-talk', '--show', '--settings'], t);
    assert.deepEqual(calls, ['toggle', 'cancel', 'show', 'settings']);
  });
});
