// Turns the endpoint settings into the WebSocket URL and auth headers. OpenAI wants a Bearer token,
// Azure a static `api-key` header on its /openai/v1 path; no `OpenAI-Beta` header is ever sent because
// the GA server closes such connections with 4000.
import type { EndpointSettings } from '../../common/settings/settings-schema';

export const OPENAI_REALTIME_URL = 'wss://api.openai.com/v1/realtime';

export interface Endpoint {
  url: string;
  headers: Record<string, string>;
  /** For messages: where we are connecting, without query or credentials. */
  label: string;
}

export function buildEndpoint(endpoint: EndpointSettings, model: string, apiKey: string): Endpoint {
  switch (endpoint.kind) {
    case 'openai':
      return withModel(OPENAI_REALTIME_URL, model, { Authorization: `Bearer ${apiKey}` });
    case 'azure': {
      const u = new URL(endpoint.url);
      u.protocol = u.protocol === 'http:' || u.protocol === 'ws:' ? 'ws:' : 'wss:';
      // Azure GA lives at /openai/v1/realtime and rejects date api-versions, whatever the user pasted.
      u.pathname = '/openai/v1/realtime';
      u.search = '';
      return withModel(u.toString(), endpoint.deployment ?? model, { 'api-key': apiKey });
    }
    case 'custom':
      return withModel(endpoint.url, model, { Authorization: `Bearer ${apiKey}` });
  }
}

function withModel(base: string, model: string, headers: Record<string, string>): Endpoint {
  const u = new URL(base);
  if (!u.searchParams.has('model')) u.searchParams.set('model', model);
  return { url: u.toString(), headers, label: `${u.protocol}//${u.host}${u.pathname}` };
}

/** HARK_REALTIME_URL points the app or the talk command at another server (e.g. the simulator). */
export function endpointFromEnv(env: NodeJS.ProcessEnv): EndpointSettings | null {
  const url = env.HARK_REALTIME_URL?.trim();
  return url ? { kind: 'custom', url } : null;
}
