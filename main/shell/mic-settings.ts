// "Allow the microphone" from the first-run guide: macOS asks again through the system's own prompt
// and opens Privacy & Security → Microphone; Windows opens its microphone privacy page. Linux has no
// such page (PipeWire, PulseAudio and the portals differ), so the window shows the steps in words.
// Only these two fixed URLs are ever opened: nothing from the renderer reaches openExternal.
export const MIC_PRIVACY_URL: Partial<Record<NodeJS.Platform, string>> = {
  darwin: 'x-apple.systempreferences:com.apple.preference.security?Privacy_Microphone',
  win32: 'ms-settings:privacy-microphone',
};

export async function openMicSettings(
  platform: NodeJS.Platform,
  e: { askForMicrophone?(): Promise<boolean>; openSystemSettings?(url: string): Promise<void> },
): Promise<boolean> {
  if (platform === 'darwin' && (await e.askForMicrophone?.())) return true;
  const url = MIC_PRIVACY_URL[platform];
  if (!url || !e.openSystemSettings) return false;
  await e.openSystemSettings(url);
  return true;
}
