// main's services over the fake Electron, as the app builds them at start: a renderer build folder
// with an empty page, the tray icons path and a Linux desktop. The app tests, the settings-trust
// tests and the idle bench all start the app this one way; each passes only what it varies.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type ServicesOptions } from '../../main/app/services';
import type { FakeElectron } from './electron';

export function createAppServices(fake: FakeElectron, o: Partial<Omit<ServicesOptions, 'electron'>> = {}) {
  const dist = mkdtempSync(join(tmpdir(), 'hark-dist-'));
  mkdirSync(join(dist, 'renderer'));
  writeFileSync(join(dist, 'renderer', 'index.html'), '<!doctype html><title>Hark</title>');
  return createServices({ distDir: dist, iconDir: '/icons', platform: 'linux', arch: 'x64', ...o, electron: fake, env: { DISPLAY: ':99', ...o.env } });
}
