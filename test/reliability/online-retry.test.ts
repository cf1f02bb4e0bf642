// The window tells an offline session that the network is back: the browser's `online` event makes
// it connect once; a session that is fine, or stopped for the key, is left alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { retryWhenOnline } from '../../renderer/companion/network-back';

describe('online event', () => {
  test('an offline session connects again on `online`; others are left alone', () => {
    const target = new EventTarget();
    let state: { phase: string; error?: { code: string | null } } = { phase: 'error', error: { code: 'offline' } };
    let connects = 0;
    const stop = retryWhenOnline(target, () => state, () => void connects++);
    target.dispatchEvent(new Event('online'));
    assert.equal(connects, 1);
    state = { phase: 'error', error: { code: 'invalid_api_key' } };
    target.dispatchEvent(new Event('online'));
    state = { phase: 'listening' };
    target.dispatchEvent(new Event('online'));
    assert.equal(connects, 1);
    stop();
    state = { phase: 'error', error: { code: 'offline' } };
    target.dispatchEvent(new Event('online'));
    assert.equal(connects, 1, 'stopped listening');
  });
});
