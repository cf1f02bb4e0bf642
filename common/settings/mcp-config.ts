// The MCP servers the user configured, in the JSON shape other desktop MCP clients use:
//   { "mcpServers": { "files": { "command": "npx", "args": [...], "env": {...} },
//                     "remote": { "url": "https://host/mcp", "headers": {...} } } }
// Keys other clients add (autoApprove, timeout, …) are ignored rather than refused, so a block copied
// from another client works; every error names the server and field at fault.
import { z } from 'zod';

const common = {
  /** Kept in the config but not started (Cline and others use this key). */
  disabled: z.boolean().default(false),
  /** Seconds a call to this server's tools may take, instead of Hark's tool timeout (Cline's key). */
  timeout: z.number().min(1, 'timeout is in seconds, at least 1').max(3600).optional(),
};

const stdioSchema = z.looseObject({
  type: z.literal('stdio').optional(),
  command: z.string().trim().min(1, 'command must not be empty'),
  args: z.array(z.string(), 'args must be a list of strings').default([]),
  env: z.record(z.string(), z.string(), 'env must map names to string values').default({}),
  cwd: z.string().optional(),
  ...common,
});

const httpSchema = z.looseObject({
  type: z.enum(['http', 'streamable-http', 'streamableHttp']).optional(),
  url: z
    .string()
    .refine((s) => /^https?:\/\//i.test(s) && URL.canParse(s), 'url must be an http:// or https:// address'),
  headers: z.record(z.string(), z.string(), 'headers must map names to string values').default({}),
  ...common,
});

export type StdioServerConfig = { name: string; transport: 'stdio' } & z.infer<typeof stdioSchema>;
export type HttpServerConfig = { name: string; transport: 'http' } & z.infer<typeof httpSchema>;
export type McpServerConfig = StdioServerConfig | HttpServerConfig;

export type McpConfigResult = { ok: true; servers: McpServerConfig[] } | { ok: false; errors: string[] };

const SERVER_NAME = /^[^\s].{0,63}$/;

/** Accepts the JSON text from the settings editor, or an already parsed value. */
export function parseMcpConfig(input: string | unknown): McpConfigResult {
  let raw: unknown = input;
  if (typeof input === 'string') {
    if (input.trim() === '') return { ok: true, servers: [] };
    try {
      raw = JSON.parse(input);
    } catch (err) {
      return { ok: false, errors: [`The MCP configuration is not valid JSON: ${(err as Error).message}`] };
    }
  }
  if (!isRecord(raw)) return { ok: false, errors: ['The MCP configuration must be a JSON object like { "mcpServers": { … } }.'] };
  // VS Code calls the block "servers"; the rest of the desktop clients call it "mcpServers".
  const block = raw.mcpServers ?? raw.servers ?? {};
  if (!isRecord(block)) return { ok: false, errors: ['"mcpServers" must be an object mapping a name to each server.'] };

  const servers: McpServerConfig[] = [];
  const errors: string[] = [];
  for (const [name, entry] of Object.entries(block)) {
    const where = `mcpServers.${name}`;
    if (!SERVER_NAME.test(name)) {
      errors.push(`${where}: a server name must be 1 to 64 characters and not start with a space.`);
      continue;
    }
    if (!isRecord(entry)) {
      errors.push(`${where}: must be an object with "command" (a local server) or "url" (a remote one).`);
      continue;
    }
    if (entry.type === 'sse') {
      errors.push(`${where}: SSE servers are not supported; use the server's streamable HTTP URL.`);
      continue;
    }
    const isStdio = 'command' in entry;
    const isHttp = 'url' in entry;
    if (isStdio === isHttp) {
      errors.push(`${where}: give either "command" (with "args" and "env") for a local server, or "url" for a remote one${isStdio ? ', not both' : ''}.`);
      continue;
    }
    const parsed = isStdio ? stdioSchema.safeParse(entry) : httpSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) errors.push(`${where}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
      continue;
    }
    servers.push({ name, transport: isStdio ? 'stdio' : 'http', ...parsed.data } as McpServerConfig);
  }
  return errors.length ? { ok: false, errors } : { ok: true, servers };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
