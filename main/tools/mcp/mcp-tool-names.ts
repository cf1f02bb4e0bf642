// Realtime function names must match ^[a-zA-Z0-9_-]{1,64}$ and be unique across every server and
// the built-ins. An MCP tool becomes `server__tool`. The name is a pure function of (server, tool), so
// it stays the same across restarts and whatever else is configured:
// - a name that needs no change is used as is; the server part then has no "__" and does not end
//   in "_", so the first "__" always marks where the server ends and two such names never collide;
// - a name that had to change (odd characters, too long) gets a short hash of the original pair,
//   which keeps apart e.g. "my server" and "my_server".
// Built-in tools have no "__" in their names, so they cannot collide with either.
import { createHash } from 'node:crypto';

const MAX = 64;

export function mcpToolName(server: string, tool: string): string {
  const s = server.replace(/[^a-zA-Z0-9-]+/g, '_').replace(/^_+|_+$/g, '') || 'server';
  const t = tool.replace(/[^a-zA-Z0-9_-]/g, '_') || 'tool';
  const plain = `${s}__${t}`;
  if (s === server && t === tool && plain.length <= MAX) return plain;
  const hash = createHash('sha256').update(`${server}\0${tool}`).digest('hex').slice(0, 6);
  return `${plain.slice(0, MAX - hash.length - 1)}_${hash}`;
}
