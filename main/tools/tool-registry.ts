// The tools the model may call. Each tool's parameters are one zod schema: it yields the JSON Schema
// sent in the session's `tools` and validates the arguments the model produced. Whatever goes wrong
// (unknown name, bad JSON, invalid arguments, a throw, a timeout) becomes an error *output*, because a
// function call without an output stalls the conversation.
import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { z } from 'zod';

export interface ToolContext {
  signal: AbortSignal;
}

export interface Tool<S extends z.ZodType = z.ZodType> {
  name: string;
  description: string;
  parameters: S;
  run(args: z.infer<S>, ctx: ToolContext): Promise<unknown> | unknown;
}

export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool {
  return tool as unknown as Tool;
}

export interface ToolResult {
  ok: boolean;
  /** The string sent as `function_call_output.output`. */
  output: string;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;

export class ToolRegistry {
  private readonly tools = new Map<string, Tool>();

  constructor(tools: Tool[] = []) {
    for (const t of tools) this.add(t);
  }

  add(tool: Tool): void {
    if (!NAME.test(tool.name)) throw new Error(`invalid tool name "${tool.name}"`);
    if (this.tools.has(tool.name)) throw new Error(`tool "${tool.name}" is registered twice`);
    this.tools.set(tool.name, tool);
  }

  names(): string[] {
    return [...this.tools.keys()];
  }

  definitions(): RealtimeFunctionTool[] {
    return [...this.tools.values()].map((t) => {
      const { $schema: _ignored, ...parameters } = z.toJSONSchema(t.parameters, { io: 'input' }) as Record<string, unknown>;
      return { type: 'function', name: t.name, description: t.description, parameters };
    });
  }

  async run(name: string, argsJson: string, timeoutMs: number): Promise<ToolResult> {
    const tool = this.tools.get(name);
    if (!tool) return failure(`Unknown tool "${name}". Available tools: ${this.names().join(', ') || 'none'}.`);
    let raw: unknown;
    try {
      raw = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
    } catch {
      return failure(`The arguments for ${name} were not valid JSON.`);
    }
    const parsed = tool.parameters.safeParse(raw);
    if (!parsed.success) {
      return failure(`Invalid arguments for ${name}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ')}.`);
    }
    const ac = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<ToolResult>((resolve) => {
      timer = setTimeout(() => {
        ac.abort();
        resolve(failure(`The tool ${name} did not finish within ${Math.round(timeoutMs / 1000)} s.`));
      }, timeoutMs);
    });
    const work = (async (): Promise<ToolResult> => {
      try {
        const value = await tool.run(parsed.data, { signal: ac.signal });
        return { ok: true, output: typeof value === 'string' ? value : JSON.stringify(value ?? null) };
      } catch (err) {
        return failure(`The tool ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function failure(message: string): ToolResult {
  return { ok: false, output: JSON.stringify({ error: message }) };
}
