// Decides what a failure means for the user: stop with a clear sentence (fatal), or carry on /
// reconnect (recoverable). The Realtime server reports most fatal problems as an `error` event
// immediately followed by a close (3000 auth, 4000 request shape), so both are read together.
import type { ConnectError } from './transport';

export interface Failure {
  fatal: boolean;
  code: string | null;
  message: string;
}

const FATAL_CODES: Record<string, string> = {
  invalid_api_key: 'The API key was rejected (invalid API key). Check the key in settings.',
  insufficient_quota: 'Your OpenAI account is out of quota. Add credit or raise the limit, then reconnect.',
  billing_hard_limit_reached: 'The billing limit of your OpenAI account has been reached.',
  account_deactivated: 'This OpenAI account has been deactivated.',
  invalid_model: 'The model is not available for this key or endpoint. Choose another model in settings.',
  model_not_found: 'The model is not available for this key or endpoint. Choose another model in settings.',
  missing_model: 'No model was given for the connection. Choose a model in settings.',
  beta_api_shape_disabled: 'The server refused the old beta protocol.',
};

/** Close codes after which reconnecting is the right move (the openai SDK's list, plus 1009: our own size cap). */
const RECOVERABLE_CLOSES = new Set([1001, 1005, 1006, 1009, 1011, 1012, 1013, 1015]);

export function classifyErrorEvent(code: string | null | undefined, message: string): Failure {
  const known = code ? FATAL_CODES[code] : undefined;
  if (known) return { fatal: true, code: code ?? null, message: known };
  return { fatal: false, code: code ?? null, message: message || 'The server reported an error.' };
}

/**
 * What a close means. `lastError` is the `error` event that came just before it, if any: its text is
 * what the user should read.
 */
export function classifyClose(code: number, reason: string, lastError: Failure | null): Failure {
  if (code === 3000) {
    return lastError?.fatal ? lastError : { fatal: true, code: 'auth', message: lastError?.message ?? `Authentication failed (${reason || code}). Check the API key.` };
  }
  if (code === 4000 || code === 4004) {
    return lastError?.fatal ? lastError : { fatal: true, code: 'request', message: lastError?.message ?? `The server refused the connection: ${reason || code}.` };
  }
  if (RECOVERABLE_CLOSES.has(code)) {
    const why = code === 1006 ? 'the connection dropped' : code === 1009 ? 'the server sent an oversized message' : `the server closed the connection (${code}${reason ? `: ${reason}` : ''})`;
    return { fatal: false, code: String(code), message: `Reconnecting: ${why}.` };
  }
  return { fatal: true, code: String(code), message: `The server ended the session (${code}${reason ? `: ${reason}` : ''}).` };
}

export function classifyConnectError(err: ConnectError, label: string): Failure {
  if (err.kind === 'http') {
    const status = err.status ?? 0;
    const detail = parseHttpBody(err.body);
    if (status === 401 || status === 403) return { fatal: true, code: `http_${status}`, message: `The API key was rejected by ${label} (HTTP ${status})${detail}.` };
    if (status === 404) return { fatal: true, code: 'http_404', message: `No Realtime endpoint at ${label} (HTTP 404). Check the endpoint in settings.` };
    if (status === 400) return { fatal: true, code: 'http_400', message: `${label} refused the connection (HTTP 400)${detail}.` };
    // 408, 429 and 5xx are worth another try; so is anything else unexpected from a proxy.
    return { fatal: false, code: `http_${status}`, message: `${label} answered HTTP ${status}${detail}; retrying.` };
  }
  if (err.kind === 'timeout') return { fatal: false, code: 'timeout', message: `No answer from ${label}; retrying.` };
  return { fatal: false, code: 'network', message: `Cannot reach ${label} (${err.message}); retrying.` };
}

function parseHttpBody(body: string | undefined): string {
  if (!body) return '';
  try {
    const msg = (JSON.parse(body) as { error?: { message?: string } }).error?.message;
    return msg ? `: ${msg}` : '';
  } catch {
    return '';
  }
}
