// Canary secrets: the fake key (sk-test-CANARY-…), a project key and an Azure-shaped key planted in
// server errors, close reasons and transcripts must not come out of main anywhere the user, a log
// or a file could see them: notices, state, conversation items, the event log, the key test.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { EventLog } from '../../main/app/event-log';
import { testKey } from '../../main/settings/key-tester';
import { RealtimeSession } from '../../main/realtime/session';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { redact, redactText, registerSecret } from '../../main/security/redact';
import { replyCompleted, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

const KEY = 'sk-test-CANARY-123456';
const PROJECT = 'sk-proj-CANARYabcdefghijklmnop1234';
const AZURE = 'c0ffee00c0ffee00c0ffee00c0ffee00';
const SECRETS = [KEY, 'CANARY-123456', PROJECT, AZURE];

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

function leaks(text: string): string[] {
  return SECRETS.filter((s) => text.includes(s));
}

describe('canary secrets never leave main', () => {
  test('echoed by the server in errors, a close reason and a transcript', { timeout: 15_000 }, async () => {
    pair = await startPair({ key: KEY, sim: { userTranscript: () => `my key is ${KEY} and ${PROJECT}` } });
    const { session, sim } = pair;
    const log = new EventLog(session);
    const items: unknown[] = [];
    session.on('item', (i) => items.push(i));
    await session.connect();
    const reply = replyCompleted(session);
    speak(session, tone(500), silence(700));
    await reply;
    await waitForPhase(session, 'listening');
    sim.connections[0]!.send({ type: 'error', error: { type: 'server_error', code: 'server_error', message: `Bad key ${KEY}, also ${AZURE} and ${PROJECT}`, param: null, event_id: null } });
    await sleep(50);
    sim.connections[0]!.close(1011, `internal error for ${KEY}`);
    await waitForPhase(session, 'reconnecting');
    await waitForPhase(session, 'listening');
    const everything = JSON.stringify({ notices: pair.notices, states: pair.states, items, log: log.entries(), state: session.state });
    assert.deepEqual(leaks(everything), []);
    assert.ok(pair.notices.some((n) => /Bad key sk-…/.test(n.message)), 'the message itself still reaches the user, masked');
    log.dispose();
  });

  test('the key test reports a rejection without the key', async () => {
    const result = await testKey({
      key: KEY,
      settings: (await import('../../common/settings/settings-schema')).defaultSettings(),
      createSession: () => ({
        connect: () => Promise.reject({ message: `Incorrect API key provided: ${KEY}` }),
        disconnect() {},
        on() {},
      }),
    });
    assert.equal(result.ok, false);
    assert.deepEqual(leaks(result.message), []);
  });

  test('one redaction: registered keys and key-shaped strings, deep, without touching prototypes', () => {
    registerSecret('my-custom-azure-style-secret');
    const input = JSON.parse(`{"a":"x my-custom-azure-style-secret y","__proto__":{"k":"${PROJECT}"},"n":[1,"${AZURE}"]}`);
    const out = redact(input);
    assert.deepEqual(leaks(JSON.stringify(out)), []);
    assert.ok(!JSON.stringify(out).includes('my-custom-azure-style-secret'));
    assert.equal(({} as Record<string, unknown>).k, undefined);
    assert.equal(redactText('nothing secret here: resp_ABC123 item_xyz'), 'nothing secret here: resp_ABC123 item_xyz');
    // Deep payloads are cut, not followed until the stack overflows.
    let deep: unknown = 'leaf';
    for (let i = 0; i < 10_000; i++) deep = [deep];
    assert.doesNotThrow(() => JSON.stringify(redact(deep)));
    void RealtimeSession;
    void ToolRegistry;
  });
});
