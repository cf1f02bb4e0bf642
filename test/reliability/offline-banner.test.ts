// The offline state reads as such in the window: "Offline", the reason, and Try again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bannerFor } from '../../renderer/companion/banner';

describe('offline banner', () => {
  test('an offline session shows "Offline" with its reason and a Try again action', () => {
    const message = 'Offline: no connection to wss://api.openai.com/v1/realtime (Cannot reach it). Hark stopped after 8 attempts in 75 s; it tries again when the network is back, or choose Try again.';
    const b = bannerFor({ phase: 'error', turnDetection: 'server_vad', turnOpen: false, muted: false, error: { fatal: false, code: 'offline', message } }, 0);
    assert.equal(b?.title, 'Offline');
    assert.equal(b?.message, message);
    assert.equal(b?.action, 'connect');
    assert.equal(b?.tone, 'warning', 'not an error of the key or the account');
  });
});
