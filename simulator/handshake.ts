import type { IncomingMessage } from 'node:http';
import type { Rejection } from './connection';

export const REALTIME_PATHS = ['/v1/realtime', '/openai/v1/realtime'];

const MODELS = new Set([
  'gpt-realtime', 'gpt-realtime-mini', 'gpt-realtime-1.5', 'gpt-realtime-2', 'gpt-realtime-2.1', 'gpt-realtime-2.1-mini',
  'gpt-4o-realtime-preview', 'gpt-4o-mini-realtime-preview', 'gpt-audio-1.5', 'gpt-audio-mini',
]);

/** Known ids, also with a date suffix (gpt-realtime-2025-08-28). */
export function isKnownModel(model: string): boolean {
  return MODELS.has(model) || MODELS.has(model.replace(/-\d{4}-\d{2}-\d{2}$/, ''));
}

export function defaultIsValidKey(key: string): boolean {
  return key.length > 0 && key !== 'bad' && !key.startsWith('sk-bad');
}

/** Masks a key the way the real error does: first 8 characters, stars, last 4. */
function maskKey(key: string): string {
  return key.length > 12 ? `${key.slice(0, 8)}*****${key.slice(-4)}` : '*'.repeat(key.length);
}

/** The key from whichever channel the client used: Bearer header, Azure api-key, or browser subprotocol. */
export function extractKey(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.toLowerCase().startsWith('bearer ')) return auth.slice(7).trim();
  const azure = req.headers['api-key'];
  if (typeof azure === 'string' && azure) return azure;
  const protocols = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const insecure = protocols.find((p) => p.startsWith('openai-insecure-api-key.'));
  return insecure ? insecure.slice('openai-insecure-api-key.'.length) : null;
}

/**
 * What the real server refuses after a successful upgrade (it never refuses the upgrade itself):
 * auth problems close 3000, request-shape problems 4000, each preceded by one error event.
 */
export function checkHandshake(req: IncomingMessage, isValidKey: (key: string) => boolean): { model: string } | Rejection {
  const key = extractKey(req);
  if (!key) {
    return { code: null, message: 'Missing bearer or basic authentication in header', closeCode: 3000, closeReason: 'invalid_request_error' };
  }
  if (!isValidKey(key)) {
    return {
      code: 'invalid_api_key',
      message: `Incorrect API key provided: ${maskKey(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
      closeCode: 3000,
      closeReason: 'invalid_request_error.invalid_api_key',
    };
  }
  if (req.headers['openai-beta'] !== undefined) {
    return {
      code: 'beta_api_shape_disabled',
      message: 'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
      closeCode: 4000,
      closeReason: 'invalid_request_error.beta_api_shape_disabled',
    };
  }
  const model = new URL(req.url ?? '/', 'http://x').searchParams.get('model');
  if (!model) {
    return {
      code: 'missing_model',
      message: 'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime-1.5',
      closeCode: 4000,
      closeReason: 'invalid_request_error.missing_model',
    };
  }
  if (!isKnownModel(model)) {
    return {
      code: 'invalid_model',
      message: `Model "${model}" is not supported in realtime mode. Supported models are listed at https://platform.openai.com/docs/models.`,
      closeCode: 4000,
      closeReason: 'invalid_request_error.invalid_model',
    };
  }
  return { model };
}
