import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { z } from 'zod';
import { Approvals } from '../../main/tools/approvals';
import { ApprovalQueue } from '../../main/tools/approval-queue';
import type { ApprovalAnswer, ApprovalPrompter, ApprovalRequest } from '../../main/tools/host-ports';
import { defineTool, ToolRegistry, type JsonSchemaTool } from '../../main/tools/tool-registry';
import type { Reply, ReplyContext } from '../../simulator/server';
import { received, replyCompleted, startPair, type Pair } from '../realtime/harness';

let pair: Pair | null = null;
afterEach(async () => {
  await pair?.close();
  pair = null;
});

/** A prompter that answers every prompt with the given answer (or never, for null). */
function scripted(answer: ApprovalAnswer | null, delayMs = 0) {
  const asked: ApprovalRequest[] = [];
  const aborted: string[] = [];
  const prompter: ApprovalPrompter = {
    ask(req, signal) {
      asked.push(req);
      signal.addEventListener('abort', () => aborted.push(req.id));
      if (answer === null) return new Promise(() => {});
      return new Promise((r) => setTimeout(() => r(answer), delayMs));
    },
  };
  return { prompter, asked, aborted };
}

function counter() {
  let runs = 0;
  const tool = defineTool({
    name: 'launch',
    description: 'Does something the user should approve',
    parameters: z.object({ target: z.string() }),
    approval: 'ask',
    summarize: ({ target }: { target: string }) => `Launch ${target}`,
    run: ({ target }) => {
      runs++;
      return { launched: target };
    },
  });
  return { tool, runs: () => runs };
}

describe('approvals', () => {
  test('allow runs the tool; the prompt carries a summary and a notification goes out', async () => {
    const p = scripted('allow');
    const notes: Array<{ title: string; body: string }> = [];
    const approvals = new Approvals({ prompter: p.prompter, notifier: { notify: (n) => notes.push(n) }, timeoutMs: 5_000 });
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals });
    const r = await reg.run('launch', '{"target":"rocket"}', 1_000);
    assert.deepEqual(r, { ok: true, output: '{"launched":"rocket"}' });
    assert.equal(p.asked[0]!.summary, 'Launch rocket');
    assert.deepEqual(p.asked[0]!.args, { target: 'rocket' });
    assert.deepEqual(notes, [{ title: 'Hark asks for permission', body: 'Launch rocket' }]);
    assert.deepEqual(p.aborted, [p.asked[0]!.id], 'the prompt is taken down once answered');
  });

  test('deny does not run the tool and tells the model the user declined', async () => {
    const p = scripted('deny');
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals: new Approvals({ prompter: p.prompter }) });
    const r = await reg.run('launch', '{"target":"rocket"}', 1_000);
    assert.equal(r.ok, false);
    assert.deepEqual(JSON.parse(r.output), { error: 'The user declined to run launch.', declined: true });
    assert.equal(c.runs(), 0);
  });

  test('no answer in time counts as declined, and the prompt is withdrawn', async () => {
    const p = scripted(null);
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals: new Approvals({ prompter: p.prompter, timeoutMs: 200 }) });
    const r = await reg.run('launch', '{"target":"rocket"}', 1_000);
    assert.equal(r.ok, false);
    assert.match(JSON.parse(r.output).error, /^Declined \(no answer in 0.2 s\): the user did not answer/);
    assert.equal(c.runs(), 0);
    assert.deepEqual(p.aborted, [p.asked[0]!.id]);
  });

  test('invalid arguments are refused before the user is asked', async () => {
    const p = scripted('allow');
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals: new Approvals({ prompter: p.prompter }) });
    const r = await reg.run('launch', '{"target":5}', 1_000);
    assert.match(JSON.parse(r.output).error, /Invalid arguments for launch: target: /);
    assert.equal(p.asked.length, 0);
  });

  test('the tool timeout counts from the approval, not from the call', async () => {
    const p = scripted('allow', 400);
    const slow = defineTool({ name: 'slow', description: 'x', parameters: z.object({}), approval: 'ask', run: () => new Promise((r) => setTimeout(() => r('finished'), 300)) });
    const reg = new ToolRegistry([slow], { approvals: new Approvals({ prompter: p.prompter }) });
    // Each part fits in 600 ms; together (700 ms) they would not.
    const r = await reg.run('slow', '{}', 600);
    assert.deepEqual(r, { ok: true, output: 'finished' });
  });

  test('policies: allow skips the prompt, deny hides the tool and refuses it, "always" becomes allow', async () => {
    const p = scripted('always');
    const approvals = new Approvals({ prompter: p.prompter });
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals });
    const changes: number[] = [];
    reg.onChange(() => changes.push(reg.definitions().length));
    const persisted: unknown[] = [];
    approvals.onPolicyChange((pol) => persisted.push(pol));

    assert.equal((await reg.run('launch', '{"target":"a"}', 1_000)).ok, true);
    assert.deepEqual(persisted, [{ launch: 'allow' }], '"always" is stored as the tool\'s policy');
    assert.equal((await reg.run('launch', '{"target":"b"}', 1_000)).ok, true);
    assert.equal(p.asked.length, 1, 'no second prompt');

    approvals.setPolicy('launch', 'deny');
    assert.deepEqual(reg.definitions(), []);
    assert.deepEqual(changes, [0], 'the session is told the tool went away');
    const r = await reg.run('launch', '{"target":"c"}', 1_000);
    assert.match(JSON.parse(r.output).error, /blocked the tool launch/);
    approvals.setPolicy('launch', null);
    assert.deepEqual(changes, [0, 1]);
    assert.equal(c.runs(), 2);
  });

  test('a prompter that fails counts as declined', async () => {
    const approvals = new Approvals({ prompter: { ask: () => Promise.reject(new Error('no window')) } });
    const c = counter();
    const r = await new ToolRegistry([c.tool], { approvals }).run('launch', '{"target":"a"}', 1_000);
    assert.match(JSON.parse(r.output).error, /could not ask the user/);
    assert.equal(c.runs(), 0);
  });

  test('the approval queue holds prompts for the window and drops expired ones', async () => {
    const queue = new ApprovalQueue();
    const seen: ApprovalRequest[] = [];
    const settled: unknown[] = [];
    queue.on('request', (r) => seen.push(r));
    queue.on('settled', (s) => settled.push(s));
    const approvals = new Approvals({ prompter: queue, timeoutMs: 2_000 });
    const c = counter();
    const reg = new ToolRegistry([c.tool], { approvals });

    const first = reg.run('launch', '{"target":"a"}', 1_000);
    await new Promise((r) => setImmediate(r));
    assert.equal(queue.pending().length, 1);
    assert.equal(queue.answer(seen[0]!.id, 'allow'), true);
    assert.equal(queue.answer(seen[0]!.id, 'deny'), false, 'answered once only');
    assert.equal((await first).ok, true);

    const short = new ToolRegistry([counter().tool], { approvals: new Approvals({ prompter: queue, timeoutMs: 100 }) });
    const second = await short.run('launch', '{"target":"b"}', 1_000);
    assert.equal(second.ok, false);
    assert.equal(queue.pending().length, 0);
    assert.deepEqual(settled.map((s) => (s as { answer: string }).answer), ['allow', 'expired']);
    assert.ok(seen[1]!.expiresAt > Date.now() - 1_000);
  });
});

describe('registry', () => {
  test('JSON Schema tools are offered as given and validated by their own validator', async () => {
    const raw: JsonSchemaTool = {
      name: 'srv__add',
      description: 'adds',
      inputSchema: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'], $schema: 'http://json-schema.org/draft-07/schema#' },
      validate: (a) => (typeof (a as { a?: unknown }).a === 'number' ? null : 'a: must be number'),
      run: (a) => `got ${a.a}`,
    };
    const reg = new ToolRegistry([raw]);
    assert.deepEqual(reg.definitions(), [{ type: 'function', name: 'srv__add', description: 'adds', parameters: { type: 'object', properties: { a: { type: 'number' } }, required: ['a'] } }]);
    assert.deepEqual(await reg.run('srv__add', '{"a":2}', 1_000), { ok: true, output: 'got 2' });
    assert.match(JSON.parse((await reg.run('srv__add', '{"a":"x"}', 1_000)).output).error, /Invalid arguments for srv__add: a: must be number/);
  });

  test('groups replace their tools at once, one change event each, and cannot take another group\'s name', () => {
    const t = (name: string) => defineTool({ name, description: name, parameters: z.object({}), run: () => null });
    const reg = new ToolRegistry([t('builtin')]);
    let changes = 0;
    const off = reg.onChange(() => changes++);
    reg.setGroup('mcp:a', [t('a__x'), t('a__y')]);
    assert.equal(changes, 1);
    reg.setGroup('mcp:a', [t('a__x'), t('a__y')]);
    assert.equal(changes, 1, 'the same tools again are not a change');
    assert.throws(() => reg.setGroup('mcp:b', [t('a__x')]), /registered twice/);
    assert.throws(() => reg.add(t('builtin')), /registered twice/);
    reg.setGroup('mcp:a', []);
    assert.deepEqual(reg.names(), ['builtin']);
    assert.equal(changes, 2);
    off();
    reg.setGroup('mcp:a', [t('a__z')]);
    assert.equal(changes, 2);
  });
});

describe('approvals in a session', () => {
  function callThenReport(calls: Reply['toolCalls']) {
    return (ctx: ReplyContext): Reply => (ctx.toolOutputs.length ? { text: `Result: ${ctx.toolOutputs.map((t) => t.output).join(' | ')}` } : { text: 'One moment.', toolCalls: calls });
  }

  for (const [answer, expected] of [
    ['deny', /The user declined to run launch/],
    [null, /Declined \(no answer in 0.3 s\)/],
    ['allow', /"launched":"rocket"/],
  ] as const) {
    test(`${answer ?? 'no answer'}: the function output tells the model`, async () => {
      const p = scripted(answer);
      const reg = new ToolRegistry([counter().tool], { approvals: new Approvals({ prompter: p.prompter, timeoutMs: 300 }) });
      pair = await startPair({ sim: { respond: callThenReport([{ name: 'launch', arguments: '{"target":"rocket"}' }]) }, session: { tools: reg } });
      await pair.session.connect();
      pair.session.sendText('launch the rocket');
      // The 2.x preamble before the call is no reply: this is the answer after the tool output.
      const final = await replyCompleted(pair.session);
      const out = received(pair.sim, 'conversation.item.create').find((e) => e.item.type === 'function_call_output');
      assert.match(out.item.output, expected);
      assert.match(final.text, expected);
    });
  }
});
