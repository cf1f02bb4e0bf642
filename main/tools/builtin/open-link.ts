// Opens a web page in the default browser. Only http and https: other schemes (file:, custom app
// protocols) can run things on the machine, so they are refused before the user is even asked.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { OpenExternal } from '../host-ports';

const webUrl = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
    } catch {
      return false;
    }
  }, { message: 'only http:// and https:// links can be opened' });

export function openLinkTool(openExternal: OpenExternal) {
  return defineTool({
    name: 'open_link',
    description: 'Open a web page (http or https) in the user\'s default browser. The user is asked first.',
    parameters: z.object({ url: webUrl.describe('The full URL, starting with http:// or https://') }),
    approval: 'ask',
    summarize: ({ url }: { url: string }) => `Open ${url} in the browser`,
    async run({ url }) {
      // Normalised, so what opens is exactly what the user approved.
      const href = new URL(url).href;
      await openExternal(href);
      return { opened: href };
    },
  });
}
