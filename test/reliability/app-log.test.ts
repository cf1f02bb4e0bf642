// Main's log file: written as JSON lines in the user-data folder's logs/, rotated when it fills (at
// most `keep` old files), and free of the key however it arrives: in a message, in an error's stack,
// as a registered secret or as anything shaped like one.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { LOG_FILE, openAppLog } from '../../main/app/app-log';
import { registerSecret } from '../../main/security/redact';

const CANARY = 'sk-test-CANARY-0123456789abcdefXYZ';
const REGISTERED = 'CANARY-registered-key-42abcdef';

describe('app log', () => {
  test('lines reach the file, and no form of the key does', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'hark-log-'));
    const logs = openAppLog({ userData });
    registerSecret(REGISTERED);
    logs.log.info(`connecting with ${CANARY}`);
    logs.log.error({ err: new Error(`server echoed Authorization: Bearer ${CANARY}`) }, 'the session failed');
    logs.log.warn({ key: REGISTERED, nested: { again: CANARY } }, 'a payload carrying the key');
    await logs.close();
    const text = readFileSync(join(logs.dir, LOG_FILE), 'utf8');
    const lines = text.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: number });
    assert.deepEqual(lines.map((l) => l.msg), ['connecting with sk-…fXYZ', 'the session failed', 'a payload carrying the key']);
    assert.equal(text.includes('CANARY'), false, text);
    assert.match(text, /server echoed Authorization/, 'the error itself is kept, only the key is masked');
  });

  test('the file rotates when it fills and keeps only the newest few', async () => {
    const userData = mkdtempSync(join(tmpdir(), 'hark-log-'));
    const logs = openAppLog({ userData, size: '1K', keep: 2 });
    const line = 'x'.repeat(200);
    for (let round = 0; round < 4; round++) {
      const rotated = logs.rotated();
      for (let i = 0; i < 8; i++) logs.log.info({ round, i }, line);
      await rotated;
    }
    logs.log.info('after the rotations');
    await logs.close();
    const files = readdirSync(logs.dir).sort();
    assert.deepEqual(files, [LOG_FILE, `${LOG_FILE}.1`, `${LOG_FILE}.2`]);
    assert.ok(existsSync(join(logs.dir, LOG_FILE)));
    assert.match(readFileSync(join(logs.dir, LOG_FILE), 'utf8'), /after the rotations/);
    // The newest rotated file holds the last full round; the oldest rounds are gone.
    assert.match(readFileSync(join(logs.dir, `${LOG_FILE}.1`), 'utf8'), /"round":3/);
    assert.equal(files.map((f) => readFileSync(join(logs.dir, f), 'utf8')).join('').includes('"round":0'), false);
  });
});
