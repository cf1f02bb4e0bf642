// The tools the model may call and the MCP servers' live state, for the settings window. The tool
// list is asked again whenever a server changes, since its tools come and go with it.
import type { CompanionApi, McpServerStatus, ToolInfo } from '../../preload/api';

export class ToolsStore {
  tools = $state.raw<ToolInfo[]>([]);
  servers = $state.raw<McpServerStatus[]>([]);
  readonly #unsubscribe: Array<() => void> = [];

  constructor(private readonly api: CompanionApi) {}

  async start(): Promise<void> {
    this.#unsubscribe.push(
      this.api.on('tools:mcp-status', (s) => {
        this.servers = s;
        void this.refreshTools();
      }),
      // A policy answered "always" in the companion window is stored in the settings.
      this.api.on('settings:changed', () => void this.refreshTools()),
    );
    [this.tools, this.servers] = await Promise.all([this.api.listTools(), this.api.mcpStatus()]);
  }

  async refreshTools(): Promise<void> {
    this.tools = await this.api.listTools();
  }

  dispose(): void {
    for (const u of this.#unsubscribe.splice(0)) u();
  }
}
