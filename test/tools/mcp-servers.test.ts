// Real MCP servers from npm, run from node_modules over stdio.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
import { Approvals } from '../../main/tools/approvals';
import { parseMcpConfig, type McpServerConfig } from '../../common/settings/mcp-config';
import { McpManager } from '../../main/tools/mcp/mcp-manager';
import type { McpServerStatus } from '../../main/tools/mcp/mcp-connection';
import { ToolRegistry } from '../../main/tools/tool-registry';
import { settingsSchema } from '../../common/settings/settings-schema';
import { currentTimeTool } from '../../main/tools/builtin/current-time';
import type { Reply, ReplyContext } from '../../simulator/server';
import { received, replyCompleted, startPair, type Pair } from '../realtime/harness';
import { until } from '../support/until';

const require = createRequire(import.meta.url);
const binOf = (pkg: string) => join(dirname(require.resolve(`${pkg}/package.json`)), require(`${pkg}/package.json`).bin[Object.keys(require(`${pkg}/package.json`).bin)[0]!]);
const EVERYTHING = binOf('@modelcontextprotocol/server-everything');
const MEMORY = binOf('@modelcontextprotocol/server-memory');

let dir: string;
let managers: McpManager[] = [];
let pair: Pair | null = null;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'hark-mcp-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));
afterEach(async () => {
  await pair?.close();
  pair = null;
  for (const m of managers) await m.stop();
  managers = [];
});

function config(): McpServerConfig[] {
  const r = parseMcpConfig({
    mcpServers: {
      everything: { command: process.execPath, args: [EVERYTHING] },
      memory: { command: process.execPath, args: [MEMORY], env: { MEMORY_FILE_PATH: join(dir, 'memory.jsonl') } },
    },
  });
  assert.ok(r.ok);
  return r.servers;
}

function manager(registry: ToolRegistry, extra: Partial<ConstructorParameters<typeof McpManager>[0]> = {}) {
  // MCP tools ask by default; these tests are about routing, so they allow unless told otherwise.
  const m = new McpManager({ registry, approval: 'allow', backoff: { baseMs: 100, maxMs: 400 }, ...extra });
  managers.push(m);
  return m;
}

function waitFor<T>(m: McpManager, pred: (s: McpServerStatus[]) => T | undefined | false, what: string, ms = 15_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const now = pred(m.statuses());
    if (now) return resolve(now);
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}: ${JSON.stringify(m.statuses())}`)), ms);
    const h = (s: McpServerStatus[]) => {
      const v = pred(s);
      if (v) {
        clearTimeout(timer);
        m.off('status', h);
        resolve(v);
      }
    };
    m.on('status', h);
  });
}

const out = (r: { output: string }) => r.output;


function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

describe('MCP servers over stdio', () => {
  test('both servers start; their tools are listed, named per server, and offered with their schemas', async () => {
    const registry = new ToolRegistry([currentTimeTool('Europe/Paris')]);
    const changes: number[] = [];
    registry.onChange(() => changes.push(registry.names().length));
    const m = manager(registry);
    await m.apply(config());
    const [everything, memory] = m.statuses();
    assert.equal(everything!.state, 'running');
    assert.equal(memory!.state, 'running');
    assert.ok(everything!.toolCount >= 10);
    assert.equal(memory!.toolCount, 9);
    assert.match(everything!.stderrTail, /Starting default \(STDIO\) server/);
    const names = registry.names();
    assert.ok(names.includes('get_current_time'));
    assert.ok(names.includes('everything__get-sum'));
    assert.ok(names.includes('memory__create_entities'));
    for (const n of names) assert.match(n, /^[a-zA-Z0-9_-]{1,64}$/);
    const sum = registry.definitions().find((d) => d.name === 'everything__get-sum')!;
    assert.deepEqual(sum.parameters, {
      type: 'object',
      properties: { a: { type: 'number', description: 'First number' }, b: { type: 'number', description: 'Second number' } },
      required: ['a', 'b'],
    });
    assert.match(sum.description!, /sum of two numbers \(from the MCP server "everything"\)/);
    assert.equal(changes.length, 2, 'one change per server');
  });

  test('the session offers MCP tools and a model call is routed to the server, its result in function_call_output', async () => {
    const registry = new ToolRegistry([currentTimeTool('Europe/Paris')]);
    const m = manager(registry);
    await m.apply(config());
    const respond = (ctx: ReplyContext): Reply =>
      ctx.toolOutputs.length
        ? { text: `Answer: ${ctx.toolOutputs.map((t) => t.output).join(' | ')}` }
        : {
            text: 'Working on it.',
            toolCalls: [
              { name: 'everything__get-sum', arguments: '{"a":2,"b":3}' },
              { name: 'memory__create_entities', arguments: JSON.stringify({ entities: [{ name: 'Ada', entityType: 'person', observations: ['sister'] }] }) },
            ],
          };
    pair = await startPair({ sim: { respond }, session: { tools: registry } });
    await pair.session.connect();
    const offered = pair.sim.connections[0]!.session.tools.map((t: { name: string }) => t.name);
    assert.ok(offered.includes('everything__get-sum'));
    assert.ok(offered.includes('memory__read_graph'));
    pair.session.sendText('add two and three, and remember Ada');
    // The 2.x preamble before the call is no reply: this is the answer after the tool output.
    const final = await replyCompleted(pair.session);
    const outputs = received(pair.sim, 'conversation.item.create').filter((e) => e.item.type === 'function_call_output').map((e) => e.item.output as string);
    assert.ok(outputs.includes('The sum of 2 and 3 is 5.'), outputs.join('\n'));
    assert.ok(outputs.some((o) => /"name": "Ada"/.test(o)), outputs.join('\n'));
    assert.match(final.text, /The sum of 2 and 3 is 5\./);
    const graph = out(await registry.run('memory__read_graph', '{}', 5_000));
    assert.match(graph, /"observations": \[\s*"sister"\s*\]/);
  });

  test('when a server crashes and comes back, the session re-sends only its tools', async () => {
    const registry = new ToolRegistry([currentTimeTool('Europe/Paris')]);
    const m = manager(registry);
    await m.apply(config().slice(0, 1));
    pair = await startPair({ session: { tools: registry } });
    await pair.session.connect();
    const offered = () => (pair!.sim.connections[0]!.session.tools as Array<{ name: string }>).map((t) => t.name);
    assert.ok(offered().includes('everything__get-sum'));
    process.kill(m.connection('everything')!.pid!, 'SIGKILL');
    await waitFor(m, (s) => s[0]!.state === 'failed', 'failed');
    await until(() => offered().length === 1, 'the offered tools to change');
    assert.deepEqual(offered(), ['get_current_time']);
    await waitFor(m, (s) => s[0]!.state === 'running', 'restart');
    await until(() => offered().includes('everything__get-sum'), 'the offered tools to change');
    const updates = received(pair.sim, 'session.update');
    assert.equal(updates.length, 3, 'the configuration, then one update per change');
    for (const u of updates.slice(1)) assert.deepEqual(Object.keys(u.session).sort(), ['tool_choice', 'tools', 'type']);
  });

  test('invalid arguments are caught against the tool\'s JSON Schema without calling the server', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry);
    await m.apply(config().slice(0, 1));
    const bad = await registry.run('everything__get-sum', '{"a":1,"b":"two"}', 5_000);
    assert.equal(bad.ok, false);
    assert.equal(JSON.parse(bad.output).error, 'Invalid arguments for everything__get-sum: b: must be number.');
    const missing = JSON.parse((await registry.run('everything__get-sum', '{"a":1}', 5_000)).output).error;
    assert.match(missing, /arguments: must have required property 'b'/);
    // A tool error reported by the server itself becomes the error output too.
    const r = await registry.run('everything__get-resource-reference', '{"resourceType":"Text","resourceId":-5}', 5_000);
    assert.equal(r.ok, false);
    assert.match(JSON.parse(r.output).error, /^The tool everything__get-resource-reference failed: /);
  });

  test('a call that runs too long times out; the server stays usable', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry);
    await m.apply(config().slice(0, 1));
    const started = Date.now();
    const slow = await registry.run('everything__trigger-long-running-operation', '{"duration":10,"steps":2}', 1_000);
    assert.equal(slow.ok, false);
    assert.match(JSON.parse(slow.output).error, /did not finish within 1 s/);
    assert.ok(Date.now() - started < 5_000);
    assert.equal(out(await registry.run('everything__get-sum', '{"a":1,"b":1}', 5_000)), 'The sum of 1 and 1 is 2.');
  });

  test('a server configured with its own timeout gets it instead of the session\'s', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry);
    const r = parseMcpConfig({ mcpServers: { patient: { command: process.execPath, args: [EVERYTHING], timeout: 3 } } });
    assert.ok(r.ok);
    await m.apply(r.servers);
    const done = await registry.run('patient__trigger-long-running-operation', '{"duration":1.5,"steps":1}', 500);
    assert.deepEqual(done, { ok: true, output: 'Long running operation completed. Duration: 1.5 seconds, Steps: 1.' });
  });

  test('output over the cap is cut with a note', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry, { maxOutputChars: 300 });
    await m.apply(config().slice(1));
    const long = 'x'.repeat(1_000);
    await registry.run('memory__create_entities', JSON.stringify({ entities: [{ name: 'Long', entityType: 't', observations: [long] }] }), 5_000);
    const r = await registry.run('memory__read_graph', '{}', 5_000);
    assert.equal(r.ok, true);
    assert.equal(r.output.length, 300);
    assert.match(r.output, /\[Output truncated: showing 300 of \d+ characters\.\]$/);
  });

  test('a crashed server is marked failed, its tools withdrawn, and it is restarted with its tools back', async () => {
    const registry = new ToolRegistry([currentTimeTool('Europe/Paris')]);
    const m = manager(registry);
    await m.apply(config().slice(0, 1));
    const conn = m.connection('everything')!;
    const pid = conn.pid!;
    const sets: string[][] = [];
    registry.onChange(() => sets.push(registry.names()));
    process.kill(pid, 'SIGKILL');
    const failed = await waitFor(m, (s) => s[0]!.state === 'failed' && s[0], 'failed');
    assert.match(failed.error!, /closed the connection/);
    assert.equal(failed.toolCount, 0);
    assert.ok(failed.retryAt! > 0);
    assert.deepEqual(sets[0], ['get_current_time'], 'the session is told the tools went away');
    const back = await waitFor(m, (s) => s[0]!.state === 'running' && s[0], 'restart');
    assert.equal(back.restarts, 1);
    assert.notEqual(conn.pid, pid);
    assert.ok(sets.at(-1)!.includes('everything__get-sum'), 'and that they are back');
    assert.equal(out(await registry.run('everything__get-sum', '{"a":20,"b":22}', 5_000)), 'The sum of 20 and 22 is 42.');
  });

  test('a server that cannot start fails with its stderr tail, retries with growing delays, and a config change stops it', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry, { backoff: { baseMs: 100, maxMs: 1_000 } });
    const broken = parseMcpConfig({ mcpServers: { broken: { command: process.execPath, args: ['-e', 'console.error("cannot open database: /nope"); process.exit(3)'] } } });
    assert.ok(broken.ok);
    const delays: number[] = [];
    m.on('status', (st) => {
      const b = st[0];
      if (b?.state === 'failed' && b.retryAt && delays.length === b.restarts) delays.push(b.retryAt - Date.now());
    });
    await m.apply(broken.servers);
    const first = m.statuses()[0]!;
    assert.equal(first.state, 'failed');
    assert.match(first.error!, /could not be started/);
    await waitFor(m, (s) => s[0]!.restarts >= 2 && s[0]!.state === 'failed' && s[0], 'two retries');
    assert.match(m.statuses()[0]!.stderrTail, /cannot open database: \/nope/);
    assert.ok(delays.length >= 3 && delays[0]! <= 100 && delays[1]! > 100 && delays[2]! > delays[1]!, `delays grow: ${delays}`);
    await m.apply([]);
    assert.deepEqual(m.statuses(), []);
    assert.deepEqual(registry.names(), []);
  });

  test('a missing command fails clearly', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry);
    const r = parseMcpConfig({ mcpServers: { ghost: { command: 'hark-no-such-mcp-server-binary' } } });
    assert.ok(r.ok);
    await m.apply(r.servers);
    assert.equal(m.statuses()[0]!.state, 'failed');
    assert.match(m.statuses()[0]!.error!, /could not be started: .*ENOENT/);
  });

  test('MCP tools ask by default: allow, deny and no answer reach the model', async () => {
    let answer: 'allow' | 'deny' | null = 'allow';
    const asked: string[] = [];
    const approvals = new Approvals({
      timeoutMs: 200,
      prompter: {
        ask: (req) => {
          asked.push(req.summary);
          return answer ? Promise.resolve(answer) : new Promise(() => {});
        },
      },
    });
    const registry = new ToolRegistry([currentTimeTool('Europe/Paris')], { approvals });
    const m = new McpManager({ registry });
    managers.push(m);
    await m.apply(config().slice(0, 1));
    assert.equal(out(await registry.run('everything__get-sum', '{"a":1,"b":2}', 5_000)), 'The sum of 1 and 2 is 3.');
    assert.equal(asked[0], 'Run "Get Sum Tool" on the MCP server "everything" with {"a":1,"b":2}');
    answer = 'deny';
    assert.match(JSON.parse(out(await registry.run('everything__get-sum', '{"a":1,"b":2}', 5_000))).error, /The user declined to run everything__get-sum/);
    answer = null;
    assert.match(JSON.parse(out(await registry.run('everything__get-sum', '{"a":1,"b":2}', 5_000))).error, /Declined \(no answer in 0.2 s\)/);
    // Built-ins keep their own defaults.
    const t = await registry.run('get_current_time', '{}', 1_000);
    assert.equal(t.ok, true);
    assert.equal(asked.length, 3);
  });

  test('a streamable HTTP server works the same way', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [EVERYTHING, 'streamableHttp'], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stderr!.on('data', (d) => /listening on port/.test(String(d)) && resolve());
        child.once('exit', (code) => reject(new Error(`http server exited ${code}`)));
      });
      const registry = new ToolRegistry();
      const m = manager(registry);
      const r = parseMcpConfig({ mcpServers: { web: { url: `http://127.0.0.1:${port}/mcp` } } });
      assert.ok(r.ok);
      await m.apply(r.servers);
      assert.equal(m.statuses()[0]!.state, 'running', JSON.stringify(m.statuses()));
      assert.equal(m.statuses()[0]!.transport, 'http');
      assert.equal(out(await registry.run('web__get-sum', '{"a":4,"b":5}', 5_000)), 'The sum of 4 and 5 is 9.');
      // The server goes away: the call fails with an error output and the server is marked failed.
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const gone = await registry.run('web__get-sum', '{"a":4,"b":5}', 5_000);
      assert.equal(gone.ok, false);
      assert.match(JSON.parse(gone.output).error, /^The tool web__get-sum failed: /);
      const failed = m.statuses()[0]!;
      assert.equal(failed.state, 'failed');
      assert.match(failed.error!, /stopped answering/);
      assert.equal(registry.has('web__get-sum'), false);
    } finally {
      child.kill();
    }
  });

  test('re-applying the same config leaves running servers alone; a changed server restarts', async () => {
    const registry = new ToolRegistry();
    const m = manager(registry);
    const servers = config();
    await m.apply(servers);
    const pid = m.connection('everything')!.pid;
    const memPid = m.connection('memory')!.pid;
    await m.apply(config());
    assert.equal(m.connection('everything')!.pid, pid);
    const changed = config().map((s) => (s.name === 'memory' && s.transport === 'stdio' ? { ...s, env: { ...s.env, EXTRA: '1' } } : s));
    await m.apply(changed);
    assert.equal(m.connection('everything')!.pid, pid);
    assert.notEqual(m.connection('memory')!.pid, memPid);
    assert.equal(m.statuses()[1]!.state, 'running');
  });
});
