// Where the key comes from. OPENAI_API_KEY overrides the stored key so a developer or a packaged
// install can be pointed at another account without touching settings.
export function resolveApiKey(opts: { stored?: string | null; env?: NodeJS.ProcessEnv }): string | null {
  const fromEnv = opts.env?.OPENAI_API_KEY?.trim();
  if (fromEnv) return fromEnv;
  const stored = opts.stored?.trim();
  return stored ? stored : null;
}
