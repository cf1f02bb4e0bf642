// Offers one MCP tool to the model as a Realtime function. Its JSON Schema goes to the session as the
// server gave it. Arguments are checked against that schema here (ajv) before the call: the model gets
// a precise error at once, and a server that does not validate never sees bad input. If the schema
// cannot be compiled (an unusual draft or keyword), the check is left to the server, whose error
// comes back as the tool's error output.
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Tool as McpTool } from '@modelcontextprotocol/sdk/types.js';
import type { ApprovalDefault } from '../approvals';
import type { JsonSchemaTool } from '../tool-registry';
import type { McpConnection } from './mcp-connection';
import { capText, mcpResultText } from './mcp-result-text';

const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: false });
const MAX_DESCRIPTION = 1_000;

export interface McpToolAdapterOptions {
  maxOutputChars: number;
  approval: ApprovalDefault;
}

export function mcpToolAdapter(connection: McpConnection, tool: McpTool, name: string, opts: McpToolAdapterOptions): JsonSchemaTool {
  const { $schema: _ignored, ...schema } = tool.inputSchema as Record<string, unknown>;
  const inputSchema = { ...schema, type: 'object' };
  let check: ValidateFunction | null = null;
  try {
    check = ajv.compile(inputSchema);
  } catch {
    check = null;
  }
  const server = connection.config.name;
  const about = tool.description ?? tool.title ?? tool.name;
  return {
    name,
    description: capText(`${about} (from the MCP server "${server}")`, MAX_DESCRIPTION),
    inputSchema,
    approval: opts.approval,
    ...(connection.config.timeout ? { timeoutMs: connection.config.timeout * 1000 } : {}),
    summarize: (args: unknown) => {
      const json = JSON.stringify(args ?? {});
      return `Run "${tool.title ?? tool.name}" on the MCP server "${server}" with ${json.length > 200 ? `${json.slice(0, 199)}…` : json}`;
    },
    validate(args) {
      if (!check || check(args)) return null;
      return formatErrors(check.errors ?? []);
    },
    async run(args, ctx) {
      const result = await connection.callTool(tool.name, args, { signal: ctx.signal, timeoutMs: ctx.timeoutMs });
      const text = mcpResultText(result, opts.maxOutputChars);
      if (result.isError) throw new Error(text);
      return text;
    },
  };
}

function formatErrors(errors: ErrorObject[]): string {
  return errors
    .slice(0, 5)
    .map((e) => {
      const at = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'arguments';
      const extra = e.keyword === 'additionalProperties' ? ` (${(e.params as { additionalProperty: string }).additionalProperty})` : '';
      return `${at}: ${e.message ?? e.keyword}${extra}`;
    })
    .join('; ');
}
