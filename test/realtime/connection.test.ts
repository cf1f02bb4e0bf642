import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import type { Failure } from '../../main/realtime/errors';
import { startSimulator } from '../../simulator/server';
import { received, replyCompleted, sent, silence, sleep, speak, startPair, tone, unhandledRejections, waitForPhase, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

async function oneTurn(p: Pair) {
  const reply = replyCompleted(p.session);
  speak(p.session, tone(500), silence(700));
  return reply;
}

function noKeyLeak(p: Pair) {
  const all = JSON.stringify([p.notices, p.states, p.session.conversation.items()]);
  assert.ok(!all.includes('CANARY'), 'the key never appears in what the user sees');
}

describe('errors and connection', () => {
  test('a bad key stops with a clear message and no reconnect loop', async () => {
    pair = await startPair({ key: 'sk-bad-CANARY-key' });
    const err = await pair.session.connect().then(() => null, (f: Failure) => f);
    assert.ok(err?.fatal);
    assert.match(err!.message, /invalid API key/i);
    await sleep(600);
    assert.equal(pair.sim.connections.length, 1, 'one attempt only');
    assert.equal(pair.session.state.phase, 'error');
    assert.match(pair.session.state.error!.message, /key/);
    noKeyLeak(pair);
  });

  test('no key at all is said in words, without touching the network', async () => {
    pair = await startPair({ key: null });
    const err = await pair.session.connect().then(() => null, (f: Failure) => f);
    assert.match(err!.message, /No API key/);
    assert.equal(pair.sim.connections.length, 0);
  });

  test('an unknown model is fatal (close 4000) with the reason', async () => {
    pair = await startPair({ settings: { model: 'gpt-nonexistent' } });
    const err = await pair.session.connect().then(() => null, (f: Failure) => f);
    assert.match(err!.message, /model is not available/);
    await sleep(300);
    assert.equal(pair.sim.connections.length, 1);
  });

  test('a connection dropped mid-reply reconnects, marks the cut reply and carries the finished turns over', async () => {
    pair = await startPair({ sim: { userTranscript: ({ turnIndex }) => `question ${turnIndex + 1}` } });
    const { session, sim } = pair;
    await session.connect();
    await oneTurn(pair);
    await waitForPhase(session, 'listening');
    // nth counts this connection's events of that type: drop three deltas into the next reply.
    sim.setFaults({ dropAtEvent: { type: 'response.output_audio.delta', nth: sent(sim, 'response.output_audio.delta').length + 3 } });
    speak(session, tone(500), silence(700));
    await waitForPhase(session, 'reconnecting');
    sim.setFaults({ dropAtEvent: null });
    await waitForPhase(session, 'listening');
    assert.equal(sim.connections.length, 2);
    const cut = session.conversation.items().filter((i) => i.role === 'assistant').at(-1)!;
    assert.equal(cut.status, 'interrupted', `the half-received reply is marked, not duplicated: ${JSON.stringify(session.conversation.items().map((i) => [i.role, i.status, i.responseId, i.text.slice(0, 20)]))} ${JSON.stringify(sim.connections[0]!.sent.slice(-6).map((e) => e.event.type))}`);
    // The new session is seeded with what was said, as text (give the socket a moment to deliver it).
    await sleep(150);
    const carried = received(sim, 'conversation.item.create', 1).map((e) => [e.item.role, e.item.content[0].text]);
    assert.deepEqual(carried.slice(0, 2), [
      ['user', 'question 1'],
      ['assistant', session.conversation.items()[1]!.text],
    ]);
    assert.ok(carried.every(([, text]) => text.length > 0));
    // Then the second question if its transcript arrived before the drop, and of the cut reply at
    // most the part that was played.
    for (const [role, text] of carried.slice(2)) {
      if (role === 'user') assert.equal(text, 'question 2');
      else assert.ok(cut.text.startsWith(text), `carried "${text}" of "${cut.text}"`);
    }
    assert.ok(cut.truncatedAtMs !== undefined && cut.truncatedAtMs < (cut.audioMs ?? 0) + 1);
    // And the conversation goes on.
    const next = await oneTurn(pair);
    assert.equal(next.status, 'completed');
    assert.ok(pair.notices.some((n) => /Reconnecting: the connection dropped/.test(n.message)));
    noKeyLeak(pair);
  });

  test('close codes: recoverable ones reconnect, terminal ones stop with the reason', async () => {
    for (const [code, recover] of [[1001, true], [1011, true], [1012, true], [1013, true], [1000, false], [1002, false], [1008, false]] as const) {
      const p = await startPair();
      await p.session.connect();
      p.sim.connections[0]!.close(code, 'test close');
      if (recover) {
        await waitForPhase(p.session, 'reconnecting');
        await waitForPhase(p.session, 'listening');
        assert.equal(p.sim.connections.length, 2, `${code} reconnects`);
      } else {
        await waitForPhase(p.session, 'error');
        await sleep(300);
        assert.equal(p.sim.connections.length, 1, `${code} does not reconnect`);
        assert.match(p.session.state.error!.message, new RegExp(`${code}`));
      }
      await p.close();
    }
  });

  test('a half-open connection (no pongs) is detected by ping and replaced', async () => {
    pair = await startPair({ session: { transport: { pingIntervalMs: 150, pongTimeoutMs: 150 } } });
    const { session, sim } = pair;
    await session.connect();
    sim.setFaults({ noPong: true });
    const t0 = performance.now();
    await waitForPhase(session, 'reconnecting');
    assert.ok(performance.now() - t0 < 2000);
    sim.setFaults({ noPong: false });
    await waitForPhase(session, 'listening');
    assert.equal(sim.connections.length, 2);
    assert.equal((await oneTurn(pair)).status, 'completed');
  });

  test('malformed JSON and unknown events are ignored; the turn completes and the user is told once', async () => {
    pair = await startPair({ sim: { faults: { malformedJson: 3, unknownEvents: 4, hugeFrameBytes: 1024 * 1024 } } });
    const { session } = pair;
    await session.connect();
    const reply = await oneTurn(pair);
    assert.equal(reply.status, 'completed');
    assert.equal(session.stats.unreadableMessages, 3);
    assert.ok(session.stats.unknownEvents >= 5, 'unknown types and the 1 MiB frame are skipped');
    assert.equal(pair.notices.filter((n) => n.code === 'unreadable_message').length, 1);
  });

  test('an oversized frame closes with 1009 and the session reconnects', async () => {
    pair = await startPair({ sim: { faults: { hugeFrameBytes: 9 * 1024 * 1024 } } });
    const { session, sim } = pair;
    await session.connect();
    speak(session, tone(500), silence(700));
    await waitForPhase(session, 'reconnecting');
    sim.setFaults({ hugeFrameBytes: 0 });
    await waitForPhase(session, 'listening');
    assert.ok(pair.notices.some((n) => /oversized/.test(n.message)));
    assert.equal((await oneTurn(pair)).status, 'completed');
  });

  test('corrupted audio deltas are skipped whole; no misaligned sample reaches the speaker', async () => {
    pair = await startPair({ sim: { faults: { badBase64: true }, respond: () => ({ text: 'Some audio.', audioMs: 1200 }) } });
    const { session } = pair;
    await session.connect();
    const reply = await oneTurn(pair);
    assert.equal(reply.status, 'completed');
    assert.ok(session.stats.badAudioDeltas > 0);
    assert.ok(pair.audio.every((a) => a.bytes % 2 === 0));
    assert.equal(pair.notices.filter((n) => n.code === 'bad_audio').length, 1);
  });

  test('a slow model keeps the session thinking, then answers', async () => {
    pair = await startPair({ sim: { replyDelayMs: 600 } });
    const { session } = pair;
    await session.connect();
    const t0 = performance.now();
    const reply = oneTurn(pair);
    await waitForPhase(session, 'thinking');
    assert.equal((await reply).status, 'completed');
    assert.ok(performance.now() - t0 >= 600);
  });

  test('rate limits used up are announced', async () => {
    pair = await startPair({ sim: { faults: { rateLimitRemaining: 0 } } });
    await pair.session.connect();
    await oneTurn(pair);
    assert.ok(pair.notices.some((n) => n.code === 'rate_limited'));
  });

  test('a failed response is reported and the next turn works', async () => {
    let n = 0;
    pair = await startPair({ sim: { respond: () => (n++ === 0 ? { fail: { code: 'server_error', message: 'The model had a hiccup.' } } : { text: 'Back again.' }) } });
    const { session } = pair;
    await session.connect();
    speak(session, tone(500), silence(700));
    await new Promise<void>((resolve) => session.on('response', (r) => r.status === 'failed' && resolve()));
    assert.ok(pair.notices.some((x) => /The model had a hiccup/.test(x.message)));
    await waitForPhase(session, 'listening');
    assert.equal((await oneTurn(pair)).text, 'Back again.');
  });

  test('HTTP failures on the upgrade: 401 is fatal, 503 is retried', async () => {
    let status = 503;
    let hits = 0;
    const http = createServer((_req, res) => res.writeHead(500).end());
    http.on('upgrade', (_req, socket) => {
      hits++;
      socket.end(`HTTP/1.1 ${status} Nope\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{"error":{"message":"proxy says no"}}`);
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/v1/realtime`;
    const sim = await startSimulator();
    try {
      const p = await startPair({ simulator: sim });
      p.session.applySettings({ ...(await import('../../common/settings/settings-schema')).defaultSettings(), endpoint: { kind: 'custom', url } });
      const connecting = p.session.connect().catch((f: Failure) => f);
      await waitForPhase(p.session, 'reconnecting');
      assert.match(p.session.state.error!.message, /HTTP 503: proxy says no/);
      status = 401;
      const err = (await connecting) as Failure;
      assert.ok(err.fatal);
      assert.match(err.message, /rejected .*HTTP 401/);
      const before = hits;
      await sleep(300);
      assert.equal(hits, before, 'no more attempts after 401');
      await p.close();
    } finally {
      http.close();
      await sim.close();
    }
  });

  test('a server that is down is retried with backoff until it comes back', async () => {
    const probe = await startSimulator();
    const port = probe.port;
    await probe.close();
    const p = await startPair({ simulator: await startSimulator({ port }) });
    await p.sim.close(); // down before the first attempt
    const connected = p.session.connect();
    await waitForPhase(p.session, 'reconnecting');
    const delays: number[] = [];
    p.session.on('state', (s) => s.reconnect && delays.push(s.reconnect.inMs));
    await sleep(1200); // past the one-attempt-a-second floor, so a second attempt is seen
    const back = await startSimulator({ port, paceFactor: 10, updateDelayMs: 1 });
    await connected;
    assert.equal(p.session.state.phase, 'listening');
    assert.ok(delays.length >= 1);
    // Backoff (50–200 ms here), but never under the floor of one attempt a second.
    assert.ok(delays.every((d) => d >= 37 && d <= 1000), `backoff within policy: ${delays}`);
    p.session.disconnect();
    await back.close();
  });
});
