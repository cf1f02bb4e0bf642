import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseMcpConfig } from '../../common/settings/mcp-config';
import { mcpToolName } from '../../main/tools/mcp/mcp-tool-names';
import { capText, mcpResultText } from '../../main/tools/mcp/mcp-result-text';

describe('MCP config', () => {
  test('the block other desktop clients use parses, stdio and HTTP, with defaults', () => {
    const r = parseMcpConfig(JSON.stringify({
      mcpServers: {
        files: { command: 'npx', args: ['-y', 'some-server', '/tmp'], env: { TOKEN: 'x' }, autoApprove: [] },
        bare: { command: 'my-server' },
        remote: { url: 'https://example.com/mcp', headers: { Authorization: 'Bearer t' } },
        off: { command: 'x', disabled: true },
      },
    }));
    assert.ok(r.ok, JSON.stringify(r));
    const [files, bare, remote, off] = r.servers;
    assert.deepEqual({ ...files, autoApprove: undefined }, { name: 'files', transport: 'stdio', command: 'npx', args: ['-y', 'some-server', '/tmp'], env: { TOKEN: 'x' }, disabled: false, autoApprove: undefined });
    assert.deepEqual(bare, { name: 'bare', transport: 'stdio', command: 'my-server', args: [], env: {}, disabled: false });
    assert.equal(remote!.transport, 'http');
    assert.equal(off!.disabled, true);
  });

  test('an empty editor means no servers', () => {
    assert.deepEqual(parseMcpConfig(''), { ok: true, servers: [] });
    assert.deepEqual(parseMcpConfig('{}'), { ok: true, servers: [] });
  });

  test('bad configs say which server and field is wrong', () => {
    const bad = (input: unknown) => {
      const r = parseMcpConfig(input);
      assert.equal(r.ok, false);
      return (r as { errors: string[] }).errors.join('\n');
    };
    assert.match(bad('{ "mcpServers": { '), /not valid JSON/);
    assert.match(bad('[1]'), /must be a JSON object/);
    assert.match(bad({ mcpServers: [] }), /"mcpServers" must be an object/);
    assert.match(bad({ mcpServers: { a: { args: [] } } }), /mcpServers\.a: give either "command".*or "url"/);
    assert.match(bad({ mcpServers: { a: { command: 'x', url: 'http://h' } } }), /not both/);
    assert.match(bad({ mcpServers: { a: { command: 'x', args: 'one two' } } }), /mcpServers\.a\.args: args must be a list of strings/);
    assert.match(bad({ mcpServers: { a: { command: 'x', env: { N: 1 } } } }), /mcpServers\.a\.env\.N: /);
    assert.match(bad({ mcpServers: { a: { command: '' } } }), /command must not be empty/);
    assert.match(bad({ mcpServers: { r: { url: 'ftp://h/x' } } }), /mcpServers\.r\.url: url must be an http/);
    assert.match(bad({ mcpServers: { r: { type: 'sse', url: 'http://h/sse' } } }), /SSE servers are not supported/);
    const two = bad({ mcpServers: { a: { command: 1 }, b: 'x' } });
    assert.match(two, /mcpServers\.a\.command/);
    assert.match(two, /mcpServers\.b: must be an object/);
  });
});

describe('MCP tool names', () => {
  const RULE = /^[a-zA-Z0-9_-]{1,64}$/;

  test('plain names stay readable and stable', () => {
    assert.equal(mcpToolName('everything', 'get-sum'), 'everything__get-sum');
    assert.equal(mcpToolName('memory', 'read_graph'), 'memory__read_graph');
    assert.equal(mcpToolName('everything', 'get-sum'), mcpToolName('everything', 'get-sum'));
  });

  test('odd characters and long names are sanitised, within the Realtime rule, and kept apart', () => {
    const names = [
      mcpToolName('my server', 'search'),
      mcpToolName('my_server', 'search'),
      mcpToolName('my.server', 'search'),
      mcpToolName('a', 'b.c'),
      mcpToolName('a', 'b_c'),
      mcpToolName('a_', '_b'),
      mcpToolName('a', '__b'),
      mcpToolName('a__b', 'c'),
      mcpToolName('a', 'b__c'),
      mcpToolName('x'.repeat(40), 'y'.repeat(40)),
      mcpToolName('x'.repeat(40), `${'y'.repeat(39)}z`),
      mcpToolName('сервер', 'поиск'),
      mcpToolName('s', 'tool with spaces/and:colons'),
    ];
    for (const n of names) assert.match(n, RULE, n);
    assert.equal(new Set(names).size, names.length, names.join('\n'));
  });
});

describe('MCP results', () => {
  test('text, images, resources and structured content become one string', () => {
    const text = mcpResultText({
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', data: 'A'.repeat(4096), mimeType: 'image/png' },
        { type: 'resource', resource: { uri: 'file:///a', text: 'inside' } },
        { type: 'resource_link', uri: 'file:///b', name: 'b' },
      ],
    });
    assert.equal(text, 'hello\n[image image/png of about 3 KB, not shown]\ninside\n[link: b file:///b]');
    assert.equal(mcpResultText({ content: [], structuredContent: { a: 1 } }), '{"a":1}');
    assert.equal(mcpResultText({ content: [] }), '(the tool returned no content)');
  });

  test('long output is cut to the cap with a note', () => {
    const out = capText('x'.repeat(10_000), 500);
    assert.equal(out.length, 500);
    assert.match(out, /\[Output truncated: showing 500 of 10000 characters\.\]$/);
    assert.equal(capText('short', 500), 'short');
  });
});

describe('tool settings', () => {
  test('defaults, and a bad MCP block is refused with its messages', async () => {
    const { toolSettingsSchema } = await import('../../common/settings/tool-settings');
    assert.deepEqual(toolSettingsSchema.parse(undefined), { policies: {}, approvalTimeoutMs: 30_000, mcpConfig: '', mcpMaxOutputChars: 16_000 });
    const bad = toolSettingsSchema.safeParse({ mcpConfig: '{"mcpServers":{"a":{}}}', policies: { open_link: 'sometimes' } });
    assert.equal(bad.success, false);
    const messages = bad.error!.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n');
    assert.match(messages, /mcpConfig: mcpServers\.a: give either "command"/);
    assert.match(messages, /policies\.open_link: /);
  });
});
