// The app's answer to "the network may be back": an offline session tries once; a session that
// stopped for the key or the account, or one that is fine, is left alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { retryWhenNetworkBack } from '../../main/app/network-return';

function fake(phase: string, code: string | null) {
  const s = { state: { phase, error: code === null ? undefined : { code } }, connects: 0, connect: async () => void s.connects++ };
  return s;
}

describe('retry when the network is back', () => {
  test('only an offline session connects again, once per signal', () => {
    const offline = fake('error', 'offline');
    const onBack = retryWhenNetworkBack(offline);
    onBack();
    assert.equal(offline.connects, 1);
    for (const [phase, code] of [['error', 'invalid_api_key'], ['listening', null], ['reconnecting', 'network']] as const) {
      const s = fake(phase, code);
      retryWhenNetworkBack(s)();
      assert.equal(s.connects, 0, `${phase}/${code} is left alone`);
    }
  });
});
