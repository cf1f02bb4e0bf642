// A server that answers the WebSocket upgrade with a redirect to another port must not receive
// the key there: the client does not follow redirects, and says so in words.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import type { Failure } from '../../main/realtime/errors';
import { startPair } from '../realtime/harness';

describe('redirect on upgrade', () => {
  test('a 302 to a second port carries no credential there', { timeout: 15_000 }, async () => {
    const seen: IncomingHttpHeaders[] = [];
    const second = createServer((req, res) => {
      seen.push(req.headers);
      res.end();
    });
    second.on('upgrade', (req, socket) => {
      seen.push(req.headers);
      socket.destroy();
    });
    await new Promise<void>((r) => second.listen(0, '127.0.0.1', r));
    const to = `ws://127.0.0.1:${(second.address() as AddressInfo).port}/v1/realtime`;
    const first = createServer();
    first.on('upgrade', (_req, socket) => socket.end(`HTTP/1.1 302 Found\r\nLocation: ${to}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`));
    await new Promise<void>((r) => first.listen(0, '127.0.0.1', r));
    const pair = await startPair({ session: { backoff: { baseMs: 20, maxMs: 40, stableMs: 5000, maxAttempts: 2, minIntervalMs: 0 } } });
    try {
      const { settingsSchema } = await import('../../common/settings/settings-schema');
      pair.session.applySettings(settingsSchema.parse({ endpoint: { kind: 'custom', url: `ws://127.0.0.1:${(first.address() as AddressInfo).port}/v1/realtime` } }));
      const err = await pair.session.connect().then(() => null, (f: Failure) => f);
      assert.ok(err, 'the connection does not succeed');
      assert.match(err!.message, /HTTP 302/);
      assert.equal(seen.length, 0, 'nothing at all reached the second port');
      assert.ok(!JSON.stringify(pair.notices).includes('CANARY'));
    } finally {
      await pair.close();
      first.close();
      second.close();
    }
  });
});
