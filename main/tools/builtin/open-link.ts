// Opens a web page in the default browser. Only http and https: other schemes (file:, custom app
// protocols) can run things on the machine, so they are refused before the user is even asked.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { OpenExternal } from '../host-ports';

const webUrl = z
  .string()
  .trim()
  .superRefine((s, ctx) => {
    let u: URL;
    try {
      u = new URL(s);
    } catch {
      return void ctx.addIssue({ code: 'custom', message: 'only http:// and https:// links can be opened' });
    }
    if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.hostname === '') {
      return void ctx.addIssue({ code: 'custom', message: 'only http:// and https:// links can be opened' });
    }
    // "https://good.example@evil.example/" opens evil.example: user info only serves to mislead.
    if (u.username || u.password) ctx.addIssue({ code: 'custom', message: 'links with a user name or password (user@host) are refused' });
  })
  // What the user approves, and what opens, is the parsed URL: its host in punycode when it is not
  // ASCII, so a Cyrillic look-alike cannot pass for the real site.
  .transform((s) => new URL(s).href);

export function openLinkTool(openExternal: OpenExternal) {
  return defineTool({
    name: 'open_link',
    description: 'Open a web page (http or https) in the user\'s default browser. The user is asked first.',
    parameters: z.object({ url: webUrl.describe('The full URL, starting with http:// or https://') }),
    approval: 'ask',
    summarize: ({ url }: { url: string }) => `Open a page on ${new URL(url).host}: ${url}`,
    async run({ url }) {
      // Already normalised by the schema: what opens is exactly what the user approved.
      await openExternal(url);
      return { opened: url };
    },
  });
}
