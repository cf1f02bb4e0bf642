// Speaking speed: sent as the GA session's audio.output.speed, at connect and when changed, with a
// notice that it applies from the next reply; the reply volume never reaches the API.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { settingsSchema } from '../../common/settings/settings-schema';
import { startPair, waitForPhase } from './harness';
import { until } from '../support/until';

describe('speaking speed', () => {
  it('goes out at connect and on change, says when it applies, and a bad value is refused in words', async () => {
    const p = await startPair({ settings: { speed: 1.25, outputVolume: 0.4 } });
    try {
      await p.session.connect();
      await waitForPhase(p.session, 'listening');
      const conn = await p.sim.waitForConnection();
      const updates = () => conn.received.map((r) => r.event).filter((e) => e.type === 'session.update');
      assert.equal(updates()[0].session.audio.output.speed, 1.25);
      assert.ok(!JSON.stringify(updates()).includes('outputVolume') && !JSON.stringify(updates()).includes('0.4'), 'the volume stays local');
      const before = updates().length;
      p.session.applySettings(settingsSchema.parse({ speed: 0.75, outputVolume: 0.4, endpoint: { kind: 'custom', url: p.sim.url } }));
      await until(() => updates().length > before, 'the session.update');
      assert.equal(updates().at(-1).session.audio.output.speed, 0.75);
      const n = p.notices.find((x) => x.code === 'speed_next_reply');
      assert.equal(n?.message, 'Speaking speed 0.75: it applies from the next reply.');
      await until(() => conn.session.audio.output.speed === 0.75, 'the simulator (as the server) to take it');
      assert.throws(() => settingsSchema.parse({ speed: 2 }), /speed/);
    } finally {
      await p.close();
    }
  });
});
