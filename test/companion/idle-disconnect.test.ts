// Idle auto-disconnect against the simulator: quiet listening for N "minutes" disconnects with a
// notice; speech or a reply keeps the session up; the next talk connects again.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import type { Notice } from '../../preload/api';
import { IdleDisconnect } from '../../main/app/idle-disconnect';
import { startPair, type Pair } from '../realtime/harness';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let pair: Pair | null = null;
let idle: IdleDisconnect | null = null;
afterEach(async () => {
  idle?.dispose();
  await pair?.close();
  pair = idle = null;
});

describe('idle auto-disconnect', () => {
  test('disconnects after the idle time without speech, and the next talk reconnects and opens the turn', async () => {
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } }, sim: { respond: () => ({ text: 'ok', audioMs: 200 }) } });
    const notices: Notice[] = [];
    idle = new IdleDisconnect({ session: pair.session, idleMinutes: () => 2, notify: (n) => notices.push(n), minuteMs: 150 });
    await pair.session.connect();
    // Activity restarts the count: a reply at 200 ms keeps it up past 300 ms.
    await sleep(200);
    const done = new Promise((r) => pair!.session.once('response', r));
    pair.session.sendText('still here');
    await done;
    await sleep(200);
    assert.notEqual(pair.session.state.phase, 'disconnected', 'a reply counts as activity');
    await sleep(400);
    assert.equal(pair.session.state.phase, 'disconnected');
    assert.equal(notices[0]!.code, 'idle_disconnect');
    assert.match(notices[0]!.message, /after 2 minutes without speech.*Press talk to reconnect/);
    assert.ok(idle.idled);
    await idle.talk();
    assert.equal(pair.session.state.phase, 'user-speaking');
    assert.equal(pair.session.state.turnOpen, true, 'the talk press opened its turn once connected');
    assert.equal(pair.sim.connections.length, 2);
    // An open push-to-talk turn is not idleness, however long it lasts.
    await sleep(500);
    assert.equal(pair.session.state.phase, 'user-speaking');
  });

  test('with local voice keeping audio, a talk press while disconnected opens its turn as the session connects', async () => {
    const localVoice = { allowServerBargeIn: () => true, clientInterrupts: false, buffersWhileConnecting: true };
    pair = await startPair({ settings: { turnDetection: { mode: 'none' } }, sim: { updateDelayMs: 300 }, session: { localVoice } });
    idle = new IdleDisconnect({ session: pair.session, idleMinutes: () => null, notify: () => {}, minuteMs: 10 });
    const pressed = idle.talk();
    assert.equal(pair.session.state.phase, 'connecting');
    assert.equal(pair.session.state.turnOpen, true, 'the words said while connecting belong to the turn');
    await pressed;
    assert.equal(pair.session.state.phase, 'user-speaking');
    assert.equal(pair.session.state.turnOpen, true);
  });

  test('null minutes: never disconnects', async () => {
    pair = await startPair();
    idle = new IdleDisconnect({ session: pair.session, idleMinutes: () => null, notify: () => assert.fail('no notice'), minuteMs: 10 });
    await pair.session.connect();
    await sleep(200);
    assert.equal(pair.session.state.phase, 'listening');
  });
});
