// The talk key's state machines: toggle, hold, hybrid, auto-repeat, watchdog and cancel, against a
// recording target that behaves like the session (a turn opens only in push-to-talk when ready).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TalkKey, type TalkTarget } from '../../main/shell/hotkeys/talk-key';
import { FakeClock } from '../support/fake-clock';

function setup(style: 'hold' | 'toggle' | 'hybrid', o: { manual?: boolean; ready?: boolean } = {}) {
  const calls: string[] = [];
  let open = false;
  const target: TalkTarget = {
    manual: () => o.manual ?? true,
    turnOpen: () => open,
    begin: () => {
      calls.push('begin');
      if ((o.manual ?? true) && (o.ready ?? true)) open = true;
    },
    end: () => {
      calls.push('end');
      open = false;
    },
    cancel: () => {
      calls.push('cancel');
      open = false;
    },
    interrupt: () => void calls.push('interrupt'),
  };
  const clock = new FakeClock();
  const key = new TalkKey(target, { style, tapMs: 400, watchdogMs: 60_000 }, clock);
  const turns: boolean[] = [];
  key.events.turn = (v) => turns.push(v);
  return { key, calls, clock, turns, isOpen: () => open, setOpen: (v: boolean) => void (open = v) };
}

describe('talk key: hold', () => {
  it('down opens the turn, up sends it', () => {
    const { key, calls, clock, turns } = setup('hold');
    key.keyDown();
    clock.advance(1500);
    key.keyUp();
    assert.deepEqual(calls, ['begin', 'end']);
    assert.deepEqual(turns, [true, false]);
  });

  it('auto-repeat key-downs while held are one press', () => {
    const { key, calls, clock } = setup('hold');
    key.keyDown();
    for (let i = 0; i < 20; i++) {
      clock.advance(30);
      key.keyDown();
    }
    key.keyUp();
    key.keyUp(); // a stray second release does nothing either
    assert.deepEqual(calls, ['begin', 'end']);
  });

  it('a short hold still sends (hold has no tap)', () => {
    const { key, calls, clock } = setup('hold');
    key.keyDown();
    clock.advance(50);
    key.keyUp();
    assert.deepEqual(calls, ['begin', 'end']);
  });

  it('while disconnected the press opens nothing and the release sends nothing', () => {
    const { key, calls, turns } = setup('hold', { ready: false });
    key.keyDown();
    key.keyUp();
    assert.deepEqual(calls, ['begin']);
    assert.deepEqual(turns, []);
    assert.equal(key.isOpen, false);
  });
});

describe('talk key: toggle', () => {
  it('press starts, the next press sends; releases do nothing', () => {
    const { key, calls, clock } = setup('toggle');
    key.keyDown();
    key.keyUp();
    clock.advance(3000);
    assert.deepEqual(calls, ['begin']);
    key.keyDown();
    key.keyUp();
    assert.deepEqual(calls, ['begin', 'end']);
  });

  it('press-only taps: auto-repeat (after the OS delay, then every 33 ms) is one press', () => {
    const { key, calls, clock } = setup('toggle');
    key.tap();
    clock.advance(660);
    key.tap();
    for (let i = 0; i < 30; i++) {
      clock.advance(33);
      key.tap();
    }
    assert.deepEqual(calls, ['begin']);
    clock.advance(1000);
    key.tap();
    assert.deepEqual(calls, ['begin', 'end']);
  });

  it('command-line toggles are deliberate: never de-duplicated', () => {
    const { key, calls } = setup('toggle');
    key.tap(false);
    key.tap(false);
    assert.deepEqual(calls, ['begin', 'end']);
  });
});

describe('talk key: hybrid', () => {
  it('a tap toggles: the turn stays open after release and the next press sends it', () => {
    const { key, calls, clock, isOpen } = setup('hybrid');
    key.keyDown();
    clock.advance(120);
    key.keyUp();
    assert.deepEqual(calls, ['begin']);
    assert.equal(isOpen(), true);
    clock.advance(4000);
    key.keyDown();
    assert.deepEqual(calls, ['begin', 'end']);
    clock.advance(100);
    key.keyUp(); // the release of the sending press starts nothing
    assert.deepEqual(calls, ['begin', 'end']);
    assert.equal(key.isOpen, false);
  });

  it('a hold is push-to-talk: release sends', () => {
    const { key, calls, clock } = setup('hybrid');
    key.keyDown();
    clock.advance(900);
    key.keyUp();
    assert.deepEqual(calls, ['begin', 'end']);
  });
});

describe('talk key: VAD on', () => {
  it('every press interrupts the assistant and opens no turn', () => {
    const { key, calls, clock } = setup('hold', { manual: false });
    key.keyDown();
    clock.advance(500);
    key.keyUp();
    key.tap();
    assert.deepEqual(calls, ['interrupt', 'interrupt']);
    assert.equal(key.isOpen, false);
  });
});

describe('talk key: watchdog', () => {
  it('sends a turn left open by a missed key-up, and the next press starts afresh', () => {
    const { key, calls, clock } = setup('hold');
    let fired = 0;
    key.events.watchdog = () => void fired++;
    key.keyDown();
    clock.advance(59_999);
    assert.deepEqual(calls, ['begin']);
    clock.advance(1);
    assert.deepEqual(calls, ['begin', 'end']);
    assert.equal(fired, 1);
    // The key-up never came; the next key-down must still be seen as a new press.
    key.keyDown();
    assert.deepEqual(calls, ['begin', 'end', 'begin']);
  });

  it('is disarmed when the turn ends normally', () => {
    const { key, clock } = setup('toggle');
    key.tap();
    clock.advance(1000);
    key.tap();
    assert.equal(clock.pending, 0);
  });
});

describe('talk key: cancel and outside changes', () => {
  it('cancel drops the open turn without sending, and the release after it does nothing', () => {
    const { key, calls, turns } = setup('hold');
    key.keyDown();
    key.cancel();
    key.keyUp();
    assert.deepEqual(calls, ['begin', 'cancel']);
    assert.deepEqual(turns, [true, false]);
  });

  it('cancel with no turn open does nothing', () => {
    const { key, calls } = setup('hybrid');
    key.cancel();
    assert.deepEqual(calls, []);
  });

  it('a turn opened from the tray is toggled: the next press sends it', () => {
    const { key, calls, setOpen } = setup('hold');
    setOpen(true);
    key.sync(true);
    key.keyDown();
    key.keyUp();
    assert.deepEqual(calls, ['end']);
  });

  it('a turn the session closed (disconnect, tray Send) resets the key and its watchdog', () => {
    const { key, clock, calls, setOpen } = setup('hybrid');
    key.keyDown();
    clock.advance(100);
    key.keyUp();
    setOpen(false);
    key.sync(false);
    assert.equal(key.isOpen, false);
    assert.equal(clock.pending, 0);
    key.keyDown();
    assert.deepEqual(calls, ['begin', 'begin']);
  });
});
