// Clipboard text. Both ask by default: the clipboard may hold a password or anything private, and
// writing replaces what the user copied.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import type { Clipboard } from '../host-ports';

const MAX_READ_CHARS = 8_000;

export function clipboardTools(clipboard: Clipboard) {
  return [
    defineTool({
      name: 'read_clipboard',
      description: 'Read the text on the user\'s clipboard.',
      parameters: z.object({}),
      approval: 'ask',
      summarize: () => 'Read the text on your clipboard',
      async run() {
        const text = await clipboard.readText();
        if (text.length <= MAX_READ_CHARS) return { text };
        return { text: text.slice(0, MAX_READ_CHARS), truncated: `${text.length - MAX_READ_CHARS} more characters not shown` };
      },
    }),
    defineTool({
      name: 'write_clipboard',
      description: 'Put text on the user\'s clipboard, replacing what is there. The user is asked first.',
      parameters: z.object({ text: z.string().max(100_000) }),
      approval: 'ask',
      summarize: ({ text }: { text: string }) => `Copy to the clipboard: "${text.length > 120 ? `${text.slice(0, 119)}…` : text}"`,
      async run({ text }) {
        await clipboard.writeText(text);
        return { copied: text.length };
      },
    }),
  ];
}
