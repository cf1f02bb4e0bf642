// Runs the configured MCP servers and keeps their tools in the registry: each server is one registry
// group, replaced whole whenever the server starts, re-lists, crashes or stops, so the registry's
// change event fires once per change and the session can re-send its tools.
import { EventEmitter } from 'node:events';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalDefault } from '../approvals';
import type { JsonSchemaTool, ToolRegistry } from '../tool-registry';
import type { McpServerConfig } from '../../../common/settings/mcp-config';
import { McpConnection, type McpConnectionOptions, type McpServerStatus } from './mcp-connection';
import { DEFAULT_MAX_OUTPUT_CHARS } from '../../../common/settings/tool-settings';
import { mcpToolAdapter } from './mcp-tool-adapter';
import { mcpToolName } from './mcp-tool-names';

export interface McpManagerOptions extends McpConnectionOptions {
  registry: ToolRegistry;
  /** Cap on one tool output, in characters; longer output is cut with a note. */
  maxOutputChars?: number;
  /**
   * Policy for MCP tools the user has not set: they come from third parties and may act on the
   * machine, so by default the user is asked (and can answer "always").
   */
  approval?: ApprovalDefault;
}

export interface McpManagerEvents {
  status: [McpServerStatus[]];
}

export class McpManager extends EventEmitter<McpManagerEvents> {
  private readonly connections = new Map<string, McpConnection>();

  constructor(private readonly opts: McpManagerOptions) {
    super();
  }

  /**
   * Makes the running servers match the config: new ones start, removed or disabled ones stop,
   * changed ones restart, unchanged ones are left alone. Resolves when each start has succeeded or
   * failed once (failed ones keep retrying in the background).
   */
  async apply(servers: McpServerConfig[]): Promise<void> {
    const wanted = new Map(servers.filter((s) => !s.disabled).map((s) => [s.name, s]));
    const stops: Promise<void>[] = [];
    for (const [name, conn] of this.connections) {
      const next = wanted.get(name);
      if (next && JSON.stringify(next) === JSON.stringify(conn.config)) {
        wanted.delete(name);
        continue;
      }
      this.connections.delete(name);
      stops.push(conn.stop());
    }
    await Promise.all(stops);
    const starts = [...wanted.values()].map((config) => {
      const conn = new McpConnection(config, this.opts);
      this.connections.set(config.name, conn);
      conn.on('tools', (tools) => this.publish(conn, tools));
      conn.on('status', () => this.emit('status', this.statuses()));
      return conn.start();
    });
    await Promise.all(starts);
    this.emit('status', this.statuses());
  }

  statuses(): McpServerStatus[] {
    return [...this.connections.values()].map((c) => c.status);
  }

  connection(name: string): McpConnection | undefined {
    return this.connections.get(name);
  }

  async stop(): Promise<void> {
    await this.apply([]);
  }

  private publish(conn: McpConnection, tools: McpTool[]): void {
    if (this.connections.get(conn.config.name) !== conn) return;
    const used = new Set<string>();
    const adapted: JsonSchemaTool[] = [];
    for (const tool of tools) {
      let name = mcpToolName(conn.config.name, tool.name);
      // Only a server listing the same tool twice (or a hash collision) lands here.
      for (let n = 2; used.has(name) || (this.opts.registry.has(name) && !this.ownsTool(conn, name)); n++) name = `${mcpToolName(conn.config.name, tool.name).slice(0, 60)}_${n}`;
      used.add(name);
      adapted.push(mcpToolAdapter(conn, tool, name, { maxOutputChars: this.opts.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS, approval: this.opts.approval ?? 'ask' }));
    }
    this.opts.registry.setGroup(groupOf(conn.config.name), adapted);
  }

  private ownsTool(conn: McpConnection, name: string): boolean {
    return this.opts.registry.groupOf(name) === groupOf(conn.config.name);
  }
}

function groupOf(server: string): string {
  return `mcp:${server}`;
}
