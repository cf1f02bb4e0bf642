// The key store: encrypted at rest with safeStorage's async API, env override, the warnings.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { KEY_FILE, KeyStore } from '../../main/settings/key-store';
import { FakeSafeStorage } from '../fakes/electron';

const KEY = 'sk-proj-CANARY-0123456789abcdef';
const dir = () => mkdtempSync(join(tmpdir(), 'hark-key-'));

describe('key store', () => {
  it('stores the key encrypted (async API), reads it back in a new run, and reports only a status', async () => {
    const d = dir();
    const ss = new FakeSafeStorage();
    const a = new KeyStore({ dir: d, safeStorage: ss, env: {}, platform: 'linux' });
    assert.deepEqual(await a.load(), { hasKey: false, source: null });
    assert.deepEqual(await a.set(`  ${KEY}\n`), { hasKey: true, source: 'stored' });
    assert.equal(readFileSync(join(d, KEY_FILE)).includes(KEY), false, 'the file never holds the key in clear');
    assert.ok(ss.calls.includes('encryptStringAsync') && !ss.calls.includes('encryptString'));

    const b = new KeyStore({ dir: d, safeStorage: ss, env: {}, platform: 'linux' });
    assert.deepEqual(await b.load(), { hasKey: true, source: 'stored' });
    assert.equal(b.key(), KEY);
    assert.ok(ss.calls.includes('decryptStringAsync'));
  });

  it('OPENAI_API_KEY overrides the stored key', async () => {
    const d = dir();
    const ss = new FakeSafeStorage();
    const s = new KeyStore({ dir: d, safeStorage: ss, env: { OPENAI_API_KEY: 'sk-from-env-9999' }, platform: 'linux' });
    await s.set(KEY);
    assert.deepEqual(s.status(), { hasKey: true, source: 'env' });
    assert.equal(s.key(), 'sk-from-env-9999');
  });

  it('warns when Linux offers only basic_text', async () => {
    const ss = new FakeSafeStorage();
    ss.backend = 'basic_text';
    const s = new KeyStore({ dir: dir(), safeStorage: ss, env: {}, platform: 'linux' });
    const st = await s.set(KEY);
    assert.equal(st.hasKey, true);
    assert.match(st.warning!, /basic_text/);
    assert.match(st.warning!, /keyring/);
  });

  it('without encryption the key is kept in memory only, not written, and the user is told', async () => {
    const d = dir();
    const ss = new FakeSafeStorage();
    ss.available = false;
    const s = new KeyStore({ dir: d, safeStorage: ss, env: {}, platform: 'linux' });
    const st = await s.set(KEY);
    assert.equal(st.hasKey, true);
    assert.match(st.warning!, /memory only/);
    assert.equal(existsSync(join(d, KEY_FILE)), false);
    assert.equal(s.key(), KEY);
  });

  it('a blob the keyring can no longer open: no key, and words saying so', async () => {
    const d = dir();
    writeFileSync(join(d, KEY_FILE), Buffer.from('garbage'));
    const s = new KeyStore({ dir: d, safeStorage: new FakeSafeStorage(), env: {}, platform: 'linux' });
    const st = await s.load();
    assert.equal(st.hasKey, false);
    assert.match(st.warning!, /could not be decrypted/);
  });

  it('re-encrypts when the keyring asks for it', async () => {
    const d = dir();
    const ss = new FakeSafeStorage();
    await new KeyStore({ dir: d, safeStorage: ss, env: {}, platform: 'linux' }).set(KEY);
    ss.reEncrypt = true;
    ss.calls.length = 0;
    await new KeyStore({ dir: d, safeStorage: ss, env: {}, platform: 'linux' }).load();
    assert.deepEqual(ss.calls, ['decryptStringAsync', 'encryptStringAsync']);
  });

  it('falls back to the sync API where the async one is missing', async () => {
    const d = dir();
    const ss = new FakeSafeStorage();
    const sync = {
      isEncryptionAvailable: () => ss.isEncryptionAvailable(),
      encryptString: (p: string) => ss.encryptString(p),
      decryptString: (b: Buffer) => ss.decryptString(b),
    };
    await new KeyStore({ dir: d, safeStorage: sync, env: {}, platform: 'darwin' }).set(KEY);
    const s = new KeyStore({ dir: d, safeStorage: sync, env: {}, platform: 'darwin' });
    await s.load();
    assert.equal(s.key(), KEY);
    assert.deepEqual(ss.calls, ['isEncryptionAvailable', 'encryptString', 'decryptString']);
  });

  it('clear forgets the key and deletes the file', async () => {
    const d = dir();
    const s = new KeyStore({ dir: d, safeStorage: new FakeSafeStorage(), env: {}, platform: 'linux' });
    await s.set(KEY);
    assert.deepEqual(await s.clear(), { hasKey: false, source: null });
    assert.equal(existsSync(join(d, KEY_FILE)), false);
    assert.equal(s.key(), null);
  });
});
