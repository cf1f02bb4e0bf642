// The real key hook (uiohook-napi) in its own process under Xvfb, driven by xdotool: key down and
// key up arrive in main's KeyHookHost from the child, auto-repeat is one press, other chords are
// ignored, and without a display the child reports an error instead of aborting.
import assert from 'node:assert/strict';
import { fork, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import type { FromHook, ToHook } from '../../main/shell/hotkeys/hook-protocol';
import { KeyHookHost, type HookChild } from '../../main/shell/hotkeys/key-hook-host';
import { until } from '../support/until';

const CHILD = new URL('../../main/shell/hotkeys/key-hook-child.ts', import.meta.url).pathname;
const has = (cmd: string) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
const missing = ['Xvfb', 'xdotool'].filter((c) => !has(c));

/** node's fork, shaped like Electron's UtilityProcess. */
function forkChild(env: NodeJS.ProcessEnv): HookChild {
  const cp: ChildProcess = fork(CHILD, [], { execArgv: ['--import', 'tsx'], env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    postMessage: (m: ToHook) => void cp.send(m),
    on: (event: 'message' | 'exit', fn: (x: never) => void) => cp.on(event, (x: unknown) => fn((event === 'exit' ? (x ?? -1) : x) as never)),
    kill: () => cp.kill(),
  } as HookChild;
}

function xdotool(display: string, ...args: string[]): void {
  const r = spawnSync('xdotool', args, { env: { ...process.env, DISPLAY: display } });
  assert.equal(r.status, 0, r.stderr.toString());
}

function collect(host: KeyHookHost): Array<FromHook['type']> {
  const events: Array<FromHook['type']> = [];
  host.on('down', () => events.push('down'));
  host.on('up', () => events.push('up'));
  return events;
}


describe('key hook under Xvfb', { skip: missing.length ? `not installed: ${missing.join(', ')}` : false }, () => {
  let xvfb: ChildProcess;
  let display = '';
  before(async () => {
    xvfb = spawn('Xvfb', ['-displayfd', '1', '-screen', '0', '1024x600x24', '-nolisten', 'tcp'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const [chunk] = (await once(xvfb.stdout!, 'data')) as [Buffer];
    display = `:${chunk.toString().trim()}`;
  });
  after(() => {
    xvfb?.kill();
  });

  const host = (env: NodeJS.ProcessEnv) => new KeyHookHost({ fork: () => forkChild(env), platform: 'linux', arch: 'x64', env, startTimeoutMs: 15_000 });

  it('hold: one down (auto-repeat dropped) and one up, from the child process', async () => {
    const h = host({ ...process.env, DISPLAY: display });
    const events = collect(h);
    await h.start({ key: 'F9', ctrl: false, alt: false, shift: false, meta: false });
    try {
      // Held long enough for the X server's auto-repeat to send more key-downs.
      xdotool(display, 'keydown', 'F9', 'sleep', '0.8', 'keyup', 'F9');
      await until(() => events.length >= 2, 'down and up');
      xdotool(display, 'key', 'a', 'key', 'F8');
      xdotool(display, 'keydown', 'F9', 'sleep', '0.1', 'keyup', 'F9');
      await until(() => events.length >= 4, 'the second press');
      assert.deepEqual(events, ['down', 'up', 'down', 'up']);
    } finally {
      h.stop();
    }
  });

  it('a chord: exact modifiers only; the key itself ends the press even if modifiers go first', async () => {
    const h = host({ ...process.env, DISPLAY: display });
    const events = collect(h);
    await h.start({ key: 'Space', ctrl: true, alt: false, shift: true, meta: false });
    try {
      xdotool(display, 'key', 'space'); // no modifiers: not ours
      xdotool(display, 'key', 'ctrl+alt+shift+space'); // an extra modifier: someone else's chord
      xdotool(display, 'keydown', 'ctrl+shift+space', 'sleep', '0.2', 'keyup', 'ctrl', 'keyup', 'shift', 'sleep', '0.1', 'keyup', 'space');
      await until(() => events.length >= 2, 'the chord');
      await new Promise((r) => setTimeout(r, 200));
      assert.deepEqual(events, ['down', 'up']);
    } finally {
      h.stop();
    }
  });

  it('without a display the child reports why instead of aborting', async () => {
    const env = { ...process.env };
    delete env.DISPLAY;
    const h = host(env);
    await assert.rejects(h.start({ key: 'F9', ctrl: false, alt: false, shift: false, meta: false }), /no X display/);
  });
});
