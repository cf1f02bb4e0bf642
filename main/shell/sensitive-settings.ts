// The settings that can send the key somewhere or start a program: the endpoint, and the MCP
// servers. Changes to them are accepted only from the settings window, ws:// only for this
// computer, and a new endpoint host or a new or changed stdio server only after the user confirms
// in a dialog of main's own, which shows the host, or the exact command line, folder and environment.
import type { SettingsPatch } from '../../preload/api';
import { buildEndpoint } from '../realtime/endpoint';
import { settingsSchema, type EndpointSettings, type Settings } from '../../common/settings/settings-schema';
import { parseMcpConfig, type StdioServerConfig } from '../../common/settings/mcp-config';
import type { Confirm } from './confirm-dialog';

export const SETTINGS_WINDOW_ONLY = 'can be changed only in the settings window';

/** Refusals in words, or an empty list when the change may be applied. */
export async function checkSensitiveChange(patch: SettingsPatch, current: Settings, fromSettingsWindow: boolean, confirm: Confirm): Promise<string[]> {
  const p = patch as Record<string, unknown>;
  // A tools section that is not an object is the store's to refuse, in its words; `in` would throw.
  const tools = (p.tools && typeof p.tools === 'object' ? p.tools : {}) as Record<string, unknown>;
  const touchesEndpoint = 'endpoint' in p;
  const touchesMcp = 'mcpConfig' in tools;
  if (!touchesEndpoint && !touchesMcp) return [];
  if (!fromSettingsWindow) {
    return [...(touchesEndpoint ? [`endpoint: the endpoint ${SETTINGS_WINDOW_ONLY}`] : []), ...(touchesMcp ? [`tools.mcpConfig: MCP servers ${SETTINGS_WINDOW_ONLY}`] : [])];
  }
  if (touchesEndpoint) {
    const next = settingsSchema.shape.endpoint.safeParse(p.endpoint);
    // An invalid endpoint is refused by the store's own validation, in its own words.
    if (next.success) {
      const why = await checkEndpoint(current.endpoint, next.data, current.model, confirm);
      if (why) return [why];
    }
  }
  if (touchesMcp && typeof tools.mcpConfig === 'string') {
    const why = await checkMcp(current.tools.mcpConfig, tools.mcpConfig, confirm);
    if (why) return [why];
  }
  return [];
}

function hostOf(e: EndpointSettings, model: string): URL | null {
  try {
    return new URL(buildEndpoint(e, model, 'x').url);
  } catch {
    return null;
  }
}

/** 127.0.0.0/8, ::1 and localhost: the only hosts a key may reach unencrypted. */
export function isLoopback(hostname: string): boolean {
  const h = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(\.\d{1,3}){3}$/.test(h);
}

async function checkEndpoint(prev: EndpointSettings, next: EndpointSettings, model: string, confirm: Confirm): Promise<string | null> {
  const to = hostOf(next, model);
  if (!to) return null;
  if (to.protocol === 'ws:' && !isLoopback(to.hostname)) {
    return `endpoint: ws:// sends the key unencrypted, so it is allowed only for this computer (localhost, 127.0.0.1, ::1); use wss:// for ${to.host}`;
  }
  const from = hostOf(prev, model);
  if (from && from.host === to.host) return null;
  const ok = await confirm({
    title: 'Send your API key to a new server?',
    message: `Hark will send your API key to ${to.host}.`,
    detail: `From now on Hark connects to ${to.protocol}//${to.host}${to.pathname}${from ? ` instead of ${from.host}` : ''}, and every connection carries your key. Only continue if you trust ${to.hostname}.`,
    confirmLabel: `Use ${to.hostname}`,
  });
  return ok ? null : `endpoint: not changed; sending the key to ${to.host} was not confirmed`;
}

/** POSIX-shell quoting, so what the dialog shows is one unambiguous command line. */
function quote(arg: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function identity(s: StdioServerConfig): string {
  return JSON.stringify([s.command, s.args, s.env, s.cwd ?? null]);
}

async function checkMcp(prevText: string, nextText: string, confirm: Confirm): Promise<string | null> {
  const next = parseMcpConfig(nextText);
  if (!next.ok) return null; // the MCP manager reports the errors, and starts nothing
  const prev = parseMcpConfig(prevText);
  const known = new Map<string, string>();
  if (prev.ok) for (const s of prev.servers) if (s.transport === 'stdio') known.set(s.name, identity(s));
  for (const s of next.servers) {
    if (s.transport !== 'stdio' || s.disabled || known.get(s.name) === identity(s)) continue;
    const env = Object.entries(s.env);
    const ok = await confirm({
      title: 'Start a program for an MCP server?',
      message: `The MCP server "${s.name}" will run a program on this computer, with your rights.`,
      detail: [
        `Command: ${[s.command, ...s.args].map(quote).join(' ')}`,
        `Folder: ${s.cwd ?? '(Hark\'s own)'}`,
        `Environment: ${env.length ? env.map(([k, v]) => `${k}=${v}`).join(' ') : '(nothing added)'}`,
      ].join('\n'),
      confirmLabel: 'Run it',
    });
    if (!ok) return `tools.mcpConfig: not changed; starting the MCP server "${s.name}" was not confirmed`;
  }
  return null;
}
