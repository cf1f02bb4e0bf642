import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { z } from 'zod';
import { defineTool } from '../../main/tools/tool-registry';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import type { Reply, ReplyContext } from '../../simulator/server';
import { received, replyCompleted, startPair, unhandledRejections, type Pair } from './harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
  assert.equal(unhandledRejections(), 0);
});

/** A brain that calls the given tools on the first turn and reports their outputs on the next. */
function callThenReport(calls: Reply['toolCalls']) {
  const seen: ReplyContext[] = [];
  const respond = (ctx: ReplyContext): Reply => {
    seen.push(ctx);
    if (ctx.toolOutputs.length) return { text: `Done: ${ctx.toolOutputs.map((t) => t.output).join(' | ')}` };
    return { text: 'Let me check.', toolCalls: calls };
  };
  return { respond, seen };
}

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its input',
  parameters: z.object({ text: z.string(), n: z.number().int() }),
  run: ({ text, n }) => ({ text, n }),
});

describe('function calling', () => {
  for (const argSplit of ['every', 'random', 'none'] as const) {
    test(`arguments split ${argSplit === 'every' ? 'at every position' : argSplit === 'none' ? 'not at all (only .done)' : 'at random points'} reach the tool intact`, async () => {
      const args = JSON.stringify({ text: 'caf\u00e9 \u201cquoted\u201d \\ slash', n: 7 });
      const brain = callThenReport([{ name: 'echo', arguments: args }]);
      pair = await startPair({ sim: { respond: brain.respond, faults: { argSplit } }, tools: [echo] });
      const { session, sim } = pair;
      await session.connect();
      session.sendText('echo please');
      // The preamble ("Let me check.", phase commentary) is no reply: this is the answer after the call.
      const final = await replyCompleted(session);
      const preamble = session.conversation.items().find((i) => i.text === 'Let me check.')!;
      assert.equal(preamble.phase, 'commentary');
      assert.equal(final.phase, 'final_answer');
      const outputs = received(sim, 'conversation.item.create').filter((e) => e.item.type === 'function_call_output');
      assert.equal(outputs.length, 1);
      const call = session.conversation.items().find((i) => i.type === 'function_call')!;
      assert.equal(outputs[0].item.call_id, call.callId, 'the output answers the same call_id');
      assert.deepEqual(JSON.parse(outputs[0].item.output), { text: 'caf\u00e9 \u201cquoted\u201d \\ slash', n: 7 });
      assert.equal(call.arguments, args);
      assert.match(final.text, /^Done: /);
      // One response.create for the typed text, exactly one for the tool follow-up.
      assert.equal(received(sim, 'response.create').length, 2);
    });
  }

  test('two parallel calls: both outputs, then exactly one response.create after response.done', async () => {
    const slow = defineTool({
      name: 'slow',
      description: 'Takes a while',
      parameters: z.object({}),
      run: () => new Promise((r) => setTimeout(() => r('slow result'), 150)),
    });
    const brain = callThenReport([
      { name: 'slow', arguments: '{}' },
      { name: 'get_current_time', arguments: '{"timeZone":"Asia/Tokyo"}' },
    ]);
    pair = await startPair({ sim: { respond: brain.respond }, tools: [slow, currentTimeTool('Europe/Paris')] });
    const { session, sim } = pair;
    await session.connect();
    session.sendText('two things');
    const final = await replyCompleted(session); // the preamble before the calls is no reply
    const events = sim.connections[0]!.received.map((r) => r.event);
    const outputs = events.filter((e) => e.type === 'conversation.item.create' && e.item.type === 'function_call_output');
    assert.equal(outputs.length, 2);
    const lastOutput = events.lastIndexOf(outputs[1]);
    const creates = events.map((e, i) => (e.type === 'response.create' ? i : -1)).filter((i) => i >= 0);
    assert.equal(creates.length, 2);
    assert.ok(creates[1]! > lastOutput, 'the follow-up waits for every output');
    const doneAt = sim.connections[0]!.sent.findIndex((s) => s.event.type === 'response.done');
    assert.ok(sim.connections[0]!.received[creates[1]!]!.t >= sim.connections[0]!.sent[doneAt]!.t, 'and for response.done of the calling response');
    assert.match(final.text, /slow result/);
    assert.match(final.text, /Asia\/Tokyo/);
    assert.equal(brain.seen.at(-1)!.toolOutputs.length, 2);
  });

  test('unknown tool, invalid arguments and a failing tool become error outputs; the conversation goes on', async () => {
    const broken = defineTool({ name: 'broken', description: 'Always fails', parameters: z.object({}), run: () => { throw new Error('disk on fire'); } });
    const brain = callThenReport([
      { name: 'no_such_tool', arguments: '{}' },
      { name: 'echo', arguments: '{"text": 5}' },
      { name: 'echo', arguments: '{"text": "unterminated' },
      { name: 'broken', arguments: '{}' },
    ]);
    pair = await startPair({ sim: { respond: brain.respond }, tools: [echo, broken] });
    const { session, sim } = pair;
    await session.connect();
    session.sendText('try everything');
    const final = await replyCompleted(session); // the preamble before the calls is no reply
    const outputs = received(sim, 'conversation.item.create').filter((e) => e.item.type === 'function_call_output').map((e) => JSON.parse(e.item.output));
    assert.equal(outputs.length, 4);
    const errors = outputs.map((o) => o.error as string).sort();
    assert.ok(errors.some((e) => /Unknown tool "no_such_tool"/.test(e)));
    assert.ok(errors.some((e) => /Invalid arguments for echo: text: /.test(e)));
    assert.ok(errors.some((e) => /not valid JSON/.test(e)));
    assert.ok(errors.some((e) => /broken failed: disk on fire/.test(e)));
    assert.equal(final.status, 'completed');
    const failed = session.conversation.items().filter((i) => i.type === 'function_call_output' && i.status === 'failed');
    assert.equal(failed.length, 4);
  });

  test('a tool that never answers times out with an error output', async () => {
    const hang = defineTool({ name: 'hang', description: 'Never returns', parameters: z.object({}), run: (_a, ctx) => new Promise((_r, reject) => ctx.signal.addEventListener('abort', () => reject(new Error('aborted')))) });
    const brain = callThenReport([{ name: 'hang', arguments: '{}' }]);
    pair = await startPair({ sim: { respond: brain.respond }, tools: [hang], settings: { toolTimeoutMs: 1000 } });
    const { session, sim } = pair;
    await session.connect();
    session.sendText('hang');
    const final = await replyCompleted(session); // the preamble before the calls is no reply
    const out = received(sim, 'conversation.item.create').find((e) => e.item.type === 'function_call_output');
    assert.match(JSON.parse(out.item.output).error, /did not finish within 1 s/);
    assert.match(final.text, /did not finish/);
  });

  test('the built-in time tool answers in the user\'s time zone', async () => {
    pair = await startPair({ sim: { userTranscript: () => 'what time is it' } });
    const { session, sim } = pair;
    await session.connect();
    session.sendText('What time is it?');
    const final = await replyCompleted(session); // the calling response holds only a preamble, so this is the follow-up
    const tools = sim.connections[0]!.session.tools;
    assert.equal(tools[0].name, 'get_current_time');
    assert.equal(tools[0].parameters.type, 'object');
    const out = JSON.parse(received(sim, 'conversation.item.create').find((e) => e.item.type === 'function_call_output').item.output);
    assert.equal(out.timeZone, 'Europe/Paris');
    assert.ok(Math.abs(Date.parse(out.iso) - Date.now()) < 60_000);
    assert.equal(final.text, `It is ${out.local}.`);
  });
});
