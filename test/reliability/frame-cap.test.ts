// The frame cap sits a little above the largest legitimate server event, not at 8 MiB: the largest
// one Hark can cause is the session.updated echo of its own settings (instructions at their 20,000
// character maximum, a long notes summary, 128 tools with rich schemas); a frame past the cap
// closes with 1009 and the session reconnects, losing no finished turn.
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { DEFAULT_MAX_PAYLOAD_BYTES } from '../../main/realtime/transport';
import { MAX_FRAME_TOKENS } from '../../main/realtime/frame-budget';
import { ServerInbox } from '../../main/realtime/server-inbox';
import type { SessionPort } from '../../main/realtime/session-port';
import type { SessionStats } from '../../main/realtime/session-types';
import { buildSessionConfig } from '../../main/realtime/session-config';
import { settingsSchema } from '../../common/settings/settings-schema';
import { replyCompleted, silence, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

/** The biggest session.updated Hark's own settings can produce, as the server sends it. */
export function largestLegitimateEvent(): string {
  const settings = settingsSchema.parse({ instructions: 'x'.repeat(20_000) });
  const tools = Array.from({ length: 128 }, (_, i) => ({
    type: 'function' as const,
    name: `server_${i}__tool_with_a_long_name_${i}`,
    description: 'd'.repeat(1024),
    parameters: { type: 'object', properties: Object.fromEntries(Array.from({ length: 20 }, (_, j) => [`p${j}`, { type: 'string', description: 'q'.repeat(100) }])) },
  }));
  const session = buildSessionConfig(settings, tools as never);
  session.instructions = `${session.instructions}\n\n${'n'.repeat(100 * 2000)}`; // 100 notes of 2,000 characters
  return JSON.stringify({ type: 'session.updated', event_id: 'event_x', session: { ...session, id: 'sess_x', object: 'realtime.session', expires_at: 0 } });
}

const tokens = (raw: string) => [...raw].filter((c) => c === '{' || c === '[' || c === ',').length;

describe('frame cap', () => {
  test('the cap is a little above the largest legitimate event, and so is the structure budget', () => {
    const raw = largestLegitimateEvent();
    const largest = raw.length;
    console.log(`largest legitimate event: ${largest} bytes, ${tokens(raw)} containers and separators; cap ${DEFAULT_MAX_PAYLOAD_BYTES} bytes, ${MAX_FRAME_TOKENS}`);
    assert.ok(DEFAULT_MAX_PAYLOAD_BYTES >= largest * 1.4, `cap ${DEFAULT_MAX_PAYLOAD_BYTES} vs largest ${largest}`);
    assert.ok(DEFAULT_MAX_PAYLOAD_BYTES <= 1024 * 1024, `cap ${DEFAULT_MAX_PAYLOAD_BYTES}`);
    assert.ok(MAX_FRAME_TOKENS >= tokens(raw) * 1.5, `budget ${MAX_FRAME_TOKENS} vs ${tokens(raw)}`);
    // The inbox reads it as the event it is: the settings' own echo is never refused as too complex.
    const stats = { unreadableMessages: 0, duplicateEvents: 0 } as SessionStats;
    const inbox = new ServerInbox({ notice: () => assert.fail('no notice'), send: () => true, newId: () => 'x' } as unknown as SessionPort, stats);
    assert.equal(inbox.read(raw)?.type, 'session.updated');
    assert.equal(stats.unreadableMessages, 0);
  });

  test('a frame with more structure than the budget is refused before it is parsed, and said once', () => {
    const notices: string[] = [];
    const stats = { unreadableMessages: 0, duplicateEvents: 0 } as SessionStats;
    const inbox = new ServerInbox({ notice: (_l: string, m: string) => notices.push(m) } as unknown as SessionPort, stats);
    const hostile = `{"type":"session.updated","session":[${'{},'.repeat(MAX_FRAME_TOKENS)}{}]}`;
    assert.equal(inbox.read(hostile), null);
    assert.equal(inbox.read(hostile), null);
    assert.equal(stats.unreadableMessages, 2);
    assert.deepEqual(notices, [notices[0]]);
    assert.match(notices[0]!, /too complex to read \(\d+ KB/);
    // Just under the budget, the same shape is read.
    const under = `{"type":"simulator.x","a":[${'0,'.repeat(MAX_FRAME_TOKENS - 10)}0]}`;
    assert.equal(inbox.read(under)?.type, 'simulator.x');
  });

  test('a 3 MB frame closes with 1009, the session reconnects and the turn after it completes', { timeout: 15_000 }, async () => {
    pair = await startPair({ sim: { faults: { hugeFrameBytes: 3_000_000 } } });
    const { session, sim } = pair;
    await session.connect();
    speak(session, tone(500), silence(700));
    await waitForPhase(session, 'reconnecting');
    sim.setFaults({ hugeFrameBytes: 0 });
    await waitForPhase(session, 'listening');
    assert.ok(pair.notices.some((n) => /oversized/.test(n.message)));
    const reply = replyCompleted(session);
    speak(session, tone(500), silence(700));
    assert.equal((await reply).status, 'completed');
  });
});
