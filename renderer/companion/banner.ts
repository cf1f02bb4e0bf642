// Which banner the session's state calls for, and what the user can do about it.
import type { SessionState } from '../../preload/api';

export interface Banner {
  tone: 'error' | 'warning' | 'info';
  title: string;
  message: string;
  action: 'open-settings' | 'connect' | null;
}

const KEY_CODES = new Set(['no_key', 'invalid_api_key', 'auth', 'http_401', 'http_403']);
const QUOTA_CODES = new Set(['insufficient_quota', 'billing_hard_limit_reached']);

/** `secondsLeft`: the reconnect countdown, which the caller ticks. */
export function bannerFor(s: SessionState, secondsLeft: number): Banner | null {
  const err = s.error;
  if (s.phase === 'reconnecting' && s.reconnect) {
    return {
      tone: 'warning',
      title: 'Connection lost',
      message: `Reconnecting in ${secondsLeft} s (attempt ${s.reconnect.attempt}).${err ? ` ${err.message.replace(/^Reconnecting: /, 'Cause: ')}` : ''}`,
      action: null,
    };
  }
  if (!err || s.phase !== 'error') return null;
  const code = err.code ?? '';
  if (KEY_CODES.has(code) || /api key/i.test(err.message)) {
    return { tone: 'error', title: code === 'no_key' ? 'No API key' : 'The API key was rejected', message: err.message, action: 'open-settings' };
  }
  // Reconnects gave up: a network problem, not the key's; Hark retries when the network is back.
  if (code === 'offline') return { tone: 'warning', title: 'Offline', message: err.message, action: 'connect' };
  if (QUOTA_CODES.has(code)) return { tone: 'error', title: 'Out of quota', message: err.message, action: 'connect' };
  return { tone: 'error', title: 'Disconnected', message: err.message, action: 'connect' };
}
