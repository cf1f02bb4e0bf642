// Facts about the machine the model may need: OS, battery, local time zone. No hostname or user
// name: they identify the user and no question needs them.
import os from 'node:os';
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { BatteryProvider } from '../host-ports';

export interface OsFacts {
  platform: string;
  name: string;
  release: string;
  arch: string;
}

const PLATFORM_NAMES: Record<string, string> = { darwin: 'macOS', win32: 'Windows', linux: 'Linux' };

export function nodeOsFacts(): OsFacts {
  return { platform: process.platform, name: PLATFORM_NAMES[process.platform] ?? os.type(), release: os.release(), arch: os.arch() };
}

export function systemInfoTool(
  battery: BatteryProvider,
  osFacts: () => OsFacts = nodeOsFacts,
  timeZone: () => string = () => Intl.DateTimeFormat().resolvedOptions().timeZone,
) {
  return defineTool({
    name: 'get_system_info',
    description: 'Get facts about the user\'s computer: operating system, battery level and charging state, local time zone.',
    parameters: z.object({}),
    async run() {
      // A battery that cannot be read should not hide the rest of the answer.
      const power = await battery().catch(() => null);
      return { os: osFacts(), battery: power ?? 'no battery or not reported', timeZone: timeZone() };
    },
  });
}
