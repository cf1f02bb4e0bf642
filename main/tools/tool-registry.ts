// The tools the model may call. A built-in tool's parameters are one zod schema: it yields the JSON
// Schema sent in the session's `tools` and validates the arguments the model produced. Tools that
// arrive with a JSON Schema of their own (MCP) bring a validator for it instead. Whatever goes wrong
// (unknown name, bad JSON, invalid arguments, a refusal, a throw, a timeout) becomes an error
// *output*, because a function call without an output stalls the conversation.
import type { RealtimeFunctionTool } from 'openai/resources/realtime/realtime';
import { z } from 'zod';
import type { ApprovalDefault, Approvals } from './approvals';
import { Deadline } from '../deadline';

export interface ToolContext {
  signal: AbortSignal;
  /** The time the tool has, counted from when it started (after any approval). */
  timeoutMs: number;
}

interface ToolBase {
  name: string;
  description: string;
  /** What the approvals module does when the user set no policy for this tool. Default 'allow'. */
  approval?: ApprovalDefault;
  /** One line for the approval prompt, e.g. `Open https://example.com`. */
  summarize?(args: any): string;
  /** Replaces the session's tool timeout for this tool (an MCP server configured with its own). */
  timeoutMs?: number;
}

export interface Tool<S extends z.ZodType = z.ZodType> extends ToolBase {
  parameters: S;
  run(args: z.infer<S>, ctx: ToolContext): Promise<unknown> | unknown;
}

/** A tool described by a JSON Schema (e.g. from an MCP server), validated by `validate`. */
export interface JsonSchemaTool extends ToolBase {
  inputSchema: Record<string, unknown>;
  /** Null when the arguments are valid; otherwise what is wrong, for the model to read. */
  validate(args: unknown): string | null;
  run(args: Record<string, unknown>, ctx: ToolContext): Promise<unknown> | unknown;
}

export type AnyTool = Tool | JsonSchemaTool;

export function defineTool<S extends z.ZodType>(tool: Tool<S>): Tool {
  return tool as unknown as Tool;
}

export interface ToolResult {
  ok: boolean;
  /** The string sent as `function_call_output.output`. */
  output: string;
}

export interface ToolRegistryOptions {
  /** Gate for tools whose policy is 'ask' or 'deny'. Without it every tool runs. */
  approvals?: Approvals;
}

const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
/** Tools added with `add` (built-ins) live in this group; MCP servers each have their own. */
const STATIC_GROUP = '';

export class ToolRegistry {
  private readonly groups = new Map<string, Map<string, AnyTool>>();
  private readonly listeners = new Set<() => void>();
  private readonly approvals: Approvals | undefined;
  private lastDefinitions = '[]';

  constructor(tools: AnyTool[] = [], options: ToolRegistryOptions = {}) {
    this.approvals = options.approvals;
    for (const t of tools) this.add(t);
    // A tool switched to or from 'deny' appears in or leaves the session's tools.
    this.approvals?.onPolicyChange(() => this.changed());
  }

  add(tool: AnyTool): void {
    this.setGroup(STATIC_GROUP, [...(this.groups.get(STATIC_GROUP)?.values() ?? []), tool]);
  }

  /**
   * Replaces every tool of one group (one MCP server) at once, so a restart or a tools/list_changed
   * gives the session one change, not one per tool. An empty list removes the group.
   */
  setGroup(group: string, tools: AnyTool[]): void {
    const next = new Map<string, AnyTool>();
    for (const tool of tools) {
      if (!NAME.test(tool.name)) throw new Error(`invalid tool name "${tool.name}"`);
      if (next.has(tool.name) || this.owner(tool.name, group) !== null) throw new Error(`tool "${tool.name}" is registered twice`);
      next.set(tool.name, tool);
    }
    if (next.size) this.groups.set(group, next);
    else this.groups.delete(group);
    this.changed();
  }

  has(name: string): boolean {
    return this.find(name) !== undefined;
  }

  /** The group a tool belongs to ('' for tools added with `add`). */
  groupOf(name: string): string | undefined {
    for (const [group, tools] of this.groups) if (tools.has(name)) return group;
    return undefined;
  }

  /** Every tool with what the settings window lists: its default policy and its group ('' = built-in). */
  entries(): Array<{ name: string; description: string; approval: ApprovalDefault; group: string }> {
    return [...this.groups].flatMap(([group, tools]) => [...tools.values()].map((t) => ({ name: t.name, description: t.description, approval: t.approval ?? 'allow', group })));
  }

  names(): string[] {
    return [...this.groups.values()].flatMap((g) => [...g.keys()]);
  }

  /** The tools offered to the model: every tool except those the user has set to 'deny'. */
  definitions(): RealtimeFunctionTool[] {
    return this.all()
      .filter((t) => this.approvals?.policyFor(t) !== 'deny')
      .map((t) => ({ type: 'function', name: t.name, description: t.description, parameters: jsonSchemaOf(t) }));
  }

  /** Called whenever `definitions()` changes; returns the unsubscribe function. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** `callId` is the function call's id, so an approval prompt names the very call it asks about. */
  async run(name: string, argsJson: string, timeoutMs: number, callId = ''): Promise<ToolResult> {
    const tool = this.find(name);
    if (!tool) return failure(`Unknown tool "${name}". Available tools: ${this.names().join(', ') || 'none'}.`);
    let raw: unknown;
    try {
      raw = argsJson.trim() === '' ? {} : JSON.parse(argsJson);
    } catch {
      return failure(`The arguments for ${name} were not valid JSON.`);
    }
    const checked = validate(tool, raw);
    if (!checked.ok) return failure(`Invalid arguments for ${name}: ${checked.message}.`);
    if (this.approvals) {
      const verdict = await this.approvals.check(tool, checked.data, callId);
      if (!verdict.allowed) return { ok: false, output: JSON.stringify({ error: verdict.message, declined: true }) };
    }
    // The timeout starts only now: the user may take a while to answer the approval prompt.
    timeoutMs = tool.timeoutMs ?? timeoutMs;
    const ac = new AbortController();
    const work = (async (): Promise<ToolResult> => {
      try {
        const value = await tool.run(checked.data as never, { signal: ac.signal, timeoutMs });
        return { ok: true, output: typeof value === 'string' ? value : JSON.stringify(value ?? null) };
      } catch (err) {
        return failure(`The tool ${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    })();
    return Deadline.race(work, timeoutMs, () => {
      ac.abort();
      return failure(`The tool ${name} did not finish within ${Math.round(timeoutMs / 1000)} s.`);
    });
  }

  private all(): AnyTool[] {
    return [...this.groups.values()].flatMap((g) => [...g.values()]);
  }

  private find(name: string): AnyTool | undefined {
    for (const g of this.groups.values()) {
      const t = g.get(name);
      if (t) return t;
    }
    return undefined;
  }

  private owner(name: string, except: string): string | null {
    const group = this.groupOf(name);
    return group === undefined || group === except ? null : group;
  }

  private changed(): void {
    // Listeners re-send the session config, so only a real change of what the model sees counts.
    const now = JSON.stringify(this.definitions());
    if (now === this.lastDefinitions) return;
    this.lastDefinitions = now;
    for (const l of this.listeners) l();
  }
}

function isJsonSchemaTool(tool: AnyTool): tool is JsonSchemaTool {
  return 'inputSchema' in tool;
}

function jsonSchemaOf(tool: AnyTool): Record<string, unknown> {
  const schema = isJsonSchemaTool(tool) ? tool.inputSchema : (z.toJSONSchema(tool.parameters, { io: 'input' }) as Record<string, unknown>);
  const { $schema: _ignored, ...parameters } = schema;
  return parameters;
}

function validate(tool: AnyTool, raw: unknown): { ok: true; data: unknown } | { ok: false; message: string } {
  if (isJsonSchemaTool(tool)) {
    const problem = tool.validate(raw);
    return problem === null ? { ok: true, data: raw } : { ok: false, message: problem };
  }
  const parsed = tool.parameters.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, message: parsed.error.issues.map((i) => `${i.path.join('.') || 'arguments'}: ${i.message}`).join('; ') };
}

function failure(message: string): ToolResult {
  return { ok: false, output: JSON.stringify({ error: message }) };
}
