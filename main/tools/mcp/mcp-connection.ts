// One MCP server, kept alive: started with the official SDK client (stdio child process or streamable
// HTTP), its tools listed (and re-listed when it says they changed), restarted with backoff when it
// exits or cannot start. Its status is what the settings window shows.
import { EventEmitter } from 'node:events';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { McpError, type CallToolResult, type Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../../common/settings/mcp-config';
import type { McpServerStatus } from '../../../common/bridge-types';

// What the settings window shows of a server is this status as it is, so it is declared once in common/.
export type { McpServerStatus };
export type McpServerState = McpServerStatus['state'];

export interface McpBackoff {
  baseMs: number;
  maxMs: number;
  /** Running this long counts as healthy again: the next crash restarts after baseMs. */
  stableMs: number;
}

export const DEFAULT_MCP_BACKOFF: McpBackoff = { baseMs: 1_000, maxMs: 60_000, stableMs: 60_000 };

export interface McpConnectionOptions {
  backoff?: Partial<McpBackoff>;
  /** For the initialize handshake and tools/list. */
  startTimeoutMs?: number;
  clientInfo?: { name: string; version: string };
}

export interface McpConnectionEvents {
  status: [McpServerStatus];
  /** The server's tools changed (started, re-listed, or gone because it stopped). */
  tools: [McpTool[]];
}

const STDERR_TAIL_CHARS = 2_000;

export class McpConnection extends EventEmitter<McpConnectionEvents> {
  private client: Client | null = null;
  private tools: McpTool[] = [];
  private state: McpServerState = 'stopped';
  private error: string | undefined;
  private stderrTail = '';
  private restarts = 0;
  private failures = 0;
  private runningSince = 0;
  private retryAt: number | undefined;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Bumped for every start and stop, so callbacks of an old client do nothing. */
  private generation = 0;
  private readonly backoff: McpBackoff;

  constructor(readonly config: McpServerConfig, private readonly opts: McpConnectionOptions = {}) {
    super();
    this.backoff = { ...DEFAULT_MCP_BACKOFF, ...opts.backoff };
  }

  get status(): McpServerStatus {
    return {
      name: this.config.name,
      transport: this.config.transport,
      state: this.state,
      toolCount: this.tools.length,
      ...(this.error ? { error: this.error } : {}),
      stderrTail: this.stderrTail,
      restarts: this.restarts,
      ...(this.retryAt !== undefined ? { retryAt: this.retryAt } : {}),
    };
  }

  get currentTools(): McpTool[] {
    return this.tools;
  }

  /** Resolves when this attempt is running or has failed (a retry is then scheduled). */
  async start(): Promise<void> {
    const gen = ++this.generation;
    this.clearRetry();
    this.setState('starting', undefined);
    const transport = this.createTransport();
    const client = new Client(this.opts.clientInfo ?? { name: 'hark', version: '0.1.0' }, {
      listChanged: {
        tools: {
          onChanged: (err, tools) => {
            if (gen !== this.generation) return;
            if (err) this.stderrNote(`tools/list after list_changed failed: ${err.message}`);
            else if (tools) this.setTools(tools);
          },
        },
      },
    });
    client.onclose = () => {
      if (gen === this.generation && this.state === 'running') this.crashed('The server closed the connection (it exited or crashed).');
    };
    // Logged by the SDK otherwise; protocol noise is not a failure by itself.
    client.onerror = () => {};
    try {
      const timeout = this.opts.startTimeoutMs ?? 30_000;
      await client.connect(transport, { timeout });
      const tools = await listAllTools(client, timeout);
      if (gen !== this.generation) {
        await client.close().catch(() => {});
        return;
      }
      this.client = client;
      this.runningSince = Date.now();
      this.setTools(tools);
      this.setState('running', undefined);
    } catch (err) {
      await client.close().catch(() => {});
      if (gen !== this.generation) return;
      this.crashed(`The server could not be started: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  async stop(): Promise<void> {
    this.generation++;
    this.clearRetry();
    const client = this.client;
    this.client = null;
    this.setTools([]);
    this.setState('stopped', undefined);
    await client?.close().catch(() => {});
  }

  async callTool(name: string, args: Record<string, unknown>, options: { signal: AbortSignal; timeoutMs: number }): Promise<CallToolResult> {
    const client = this.client;
    if (!client || this.state !== 'running') throw new Error(`the MCP server "${this.config.name}" is not running (${this.state})`);
    try {
      // The SDK's own timeout is set just past the registry's, so the registry's message is the one the model reads.
      return (await client.callTool({ name, arguments: args }, undefined, { signal: options.signal, timeout: options.timeoutMs + 1_000 })) as CallToolResult;
    } catch (err) {
      // A stdio server's exit is seen by onclose; an HTTP server that went away shows only as a
      // failed request, which is not an MCP error answer. Restarting reconnects when it is back.
      if (this.config.transport === 'http' && !(err instanceof McpError) && !options.signal.aborted && client === this.client) {
        this.crashed(`The server stopped answering: ${err instanceof Error ? err.message : String(err)}`);
      }
      throw err;
    }
  }

  /** The child process id (stdio), for tests and diagnostics. */
  get pid(): number | null {
    const t = (this.client?.transport ?? null) as StdioClientTransport | null;
    return t instanceof StdioClientTransport ? t.pid : null;
  }

  private createTransport(): Transport {
    const c = this.config;
    if (c.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(c.url), { requestInit: { headers: c.headers } });
    }
    const transport = new StdioClientTransport({ command: c.command, args: c.args, env: c.env, ...(c.cwd ? { cwd: c.cwd } : {}), stderr: 'pipe' });
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-STDERR_TAIL_CHARS);
    });
    return transport;
  }

  private crashed(message: string): void {
    const client = this.client;
    this.client = null;
    void client?.close().catch(() => {});
    // A server that ran for a good while and then crashed starts over at the shortest delay.
    if (this.runningSince && Date.now() - this.runningSince >= this.backoff.stableMs) this.failures = 0;
    this.runningSince = 0;
    const delay = Math.min(this.backoff.maxMs, this.backoff.baseMs * 2 ** this.failures);
    this.failures++;
    this.retryAt = Date.now() + delay;
    const gen = this.generation;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (gen !== this.generation) return;
      this.restarts++;
      void this.start();
    }, delay);
    this.retryTimer.unref?.();
    this.setTools([]);
    this.setState('failed', message);
  }

  private clearRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = undefined;
  }

  private stderrNote(line: string): void {
    this.stderrTail = `${this.stderrTail}\n[hark] ${line}`.slice(-STDERR_TAIL_CHARS);
  }

  private setTools(tools: McpTool[]): void {
    if (tools.length === 0 && this.tools.length === 0) return;
    this.tools = tools;
    this.emit('tools', tools);
    if (this.state === 'running') this.emit('status', this.status);
  }

  private setState(state: McpServerState, error: string | undefined): void {
    this.state = state;
    this.error = error;
    this.emit('status', this.status);
  }
}

async function listAllTools(client: Client, timeout: number): Promise<McpTool[]> {
  const tools: McpTool[] = [];
  let cursor: string | undefined;
  // Servers may page tools/list; a bound stops a server that keeps returning cursors.
  for (let page = 0; page < 50; page++) {
    const res = await client.listTools(cursor ? { cursor } : undefined, { timeout });
    tools.push(...res.tools);
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return tools;
}
