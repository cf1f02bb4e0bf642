// Control events during an outage (B5 test 7, second half). Nothing is queued blind: a message
// typed while the connection is down is refused at once, in words (the user still has it), and is
// never sent later; a setting changed meanwhile reaches the new session once, in its session.update.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsSchema } from '../../common/settings/settings-schema';
import { received, sleep, startPair, unhandledRejections, waitForPhase } from '../realtime/harness';

test('while disconnected: typed text is refused in words and never sent later; a new setting goes out once after the reconnect', { timeout: 15_000 }, async () => {
  const pair = await startPair({ session: { backoff: { baseMs: 400, maxMs: 400, stableMs: 5000 } } });
  try {
    const { session, sim } = pair;
    await session.connect();
    sim.connections[0]!.terminate();
    await waitForPhase(session, 'reconnecting');
    assert.equal(session.sendText('typed during the outage'), false);
    assert.ok(pair.notices.some((n) => n.code === 'not_connected' && /not sent/.test(n.message)), 'told in words');
    session.applySettings(settingsSchema.parse({ endpoint: { kind: 'custom', url: sim.url }, instructions: 'Answer like a pirate.' }));
    await waitForPhase(session, 'listening');
    await sleep(200);
    const second = sim.connections[1]!;
    const texts = second.received.map((r) => JSON.stringify(r.event ?? {})).filter((t) => t.includes('typed during the outage'));
    assert.deepEqual(texts, [], 'the refused message never reaches the server');
    const updates = received(sim, 'session.update').filter((u) => /pirate/.test(u.session?.instructions ?? ''));
    assert.equal(updates.length, 1, 'the new setting in one session.update of the new session');
    assert.equal(session.conversation.items().filter((i) => i.text === 'typed during the outage').length, 0, 'nothing shown as sent');
    assert.equal(unhandledRejections(), 0);
  } finally {
    await pair.close();
  }
});
