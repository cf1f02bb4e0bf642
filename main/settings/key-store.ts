// The API key: kept in main only, stored encrypted with safeStorage (its async API where this
// Electron has it). The renderer only ever sees a KeyStatus. OPENAI_API_KEY overrides a stored key.
import { EventEmitter } from 'node:events';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { KeyStatus } from '../../preload/api';
import { resolveApiKey } from './api-key';

/** The part of Electron's safeStorage we use; the async half is absent before Electron 40. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  isAsyncEncryptionAvailable?(): Promise<boolean>;
  encryptStringAsync?(plain: string): Promise<Buffer>;
  decryptStringAsync?(encrypted: Buffer): Promise<{ result: string; shouldReEncrypt: boolean }>;
  getSelectedStorageBackend?(): string;
}

export interface KeyStoreOptions {
  dir: string;
  safeStorage: SafeStorageLike;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

export const KEY_FILE = 'api-key.enc';

const BASIC_TEXT_WARNING =
  'Your desktop offers no keyring to Hark (Electron chose the "basic_text" store), so the stored key is only obfuscated, not protected. Install and unlock a Secret Service keyring (GNOME Keyring or KWallet), or set OPENAI_API_KEY instead.';
const NO_ENCRYPTION_WARNING =
  'This system offers no way to encrypt the key, so Hark keeps it in memory only and forgets it when it quits. Set OPENAI_API_KEY to avoid typing it again.';

export class KeyStore extends EventEmitter<{ status: [KeyStatus] }> {
  private stored: string | null = null;
  private memoryOnly = false;
  private loadWarning: string | undefined;
  readonly path: string;

  constructor(private readonly opts: KeyStoreOptions) {
    super();
    this.path = join(opts.dir, KEY_FILE);
  }

  /** The key to connect with. Main only: nothing that crosses IPC may call this. */
  key(): string | null {
    return resolveApiKey({ stored: this.stored, env: this.opts.env });
  }

  status(): KeyStatus {
    const fromEnv = !!this.opts.env.OPENAI_API_KEY?.trim();
    const source = fromEnv ? 'env' : this.stored ? 'stored' : null;
    const warning = this.loadWarning ?? (this.memoryOnly ? NO_ENCRYPTION_WARNING : this.stored && this.isBasicText() ? BASIC_TEXT_WARNING : undefined);
    return { hasKey: source !== null, source, ...(warning ? { warning } : {}) };
  }

  async load(): Promise<KeyStatus> {
    let blob: Buffer;
    try {
      blob = await readFile(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      return this.status();
    }
    try {
      const ss = this.opts.safeStorage;
      if (ss.decryptStringAsync) {
        const { result, shouldReEncrypt } = await ss.decryptStringAsync(blob);
        this.stored = result || null;
        // The keyring's key rotated: store it again under the new one.
        if (shouldReEncrypt && this.stored) await this.persist(this.stored);
      } else {
        this.stored = ss.decryptString(blob) || null;
      }
    } catch {
      // A keyring that changed (new login, another machine) cannot open the old blob.
      this.loadWarning = 'The stored API key could not be decrypted (the system keyring may have changed). Enter it again in settings.';
    }
    return this.status();
  }

  async set(key: string): Promise<KeyStatus> {
    const k = key.trim();
    this.loadWarning = undefined;
    if (await this.encryptionAvailable()) {
      await this.persist(k);
      this.memoryOnly = false;
    } else {
      await rm(this.path, { force: true });
      this.memoryOnly = true;
    }
    this.stored = k;
    return this.changed();
  }

  async clear(): Promise<KeyStatus> {
    await rm(this.path, { force: true });
    this.stored = null;
    this.memoryOnly = false;
    this.loadWarning = undefined;
    return this.changed();
  }

  private changed(): KeyStatus {
    const s = this.status();
    this.emit('status', s);
    return s;
  }

  private async encryptionAvailable(): Promise<boolean> {
    const ss = this.opts.safeStorage;
    return ss.isAsyncEncryptionAvailable ? ss.isAsyncEncryptionAvailable() : ss.isEncryptionAvailable();
  }

  private async persist(key: string): Promise<void> {
    const ss = this.opts.safeStorage;
    const blob = ss.encryptStringAsync ? await ss.encryptStringAsync(key) : ss.encryptString(key);
    await writeFileAtomic(this.path, blob, { mode: 0o600 });
  }

  private isBasicText(): boolean {
    return this.opts.platform === 'linux' && this.opts.safeStorage.getSelectedStorageBackend?.() === 'basic_text';
  }
}
