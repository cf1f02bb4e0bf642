// The model's way to see the user's screen. It asks the user itself, with a thumbnail of the
// capture in the prompt (main/screen/screen-look.ts), because consent needs the picture; its
// policy is still the tool's, "ask" unless the user changed it. The image goes to the model as a
// user message; this output only says what happened.
import { z } from 'zod';
import { defineTool } from '../tool-registry';
import { LOOK_GATE, LOOK_TOOL_NAME, type ScreenLook } from '../../screen/screen-look';

export function lookAtScreenTool(look: ScreenLook) {
  return defineTool({
    name: LOOK_TOOL_NAME,
    description:
      "Take a picture of the user's screen (or of one window, by its title) and see it. Use it when the user asks you to look at something on their screen. The user is asked first and sees the picture; it arrives as the next user message.",
    parameters: z.object({
      window_title: z.string().trim().min(1).max(200).optional().describe('Part of the title of a window to capture instead of the whole screen'),
    }),
    approval: LOOK_GATE.approval,
    approvesItself: true,
    // Its time includes the user's answer to the prompt (the registry's timeout starts before it).
    get timeoutMs() {
      return look.approvalTimeoutMs + 20_000;
    },
    summarize: (a: { window_title?: string }) => LOOK_GATE.summarize({ ...(a.window_title ? { windowTitle: a.window_title } : {}) }),
    async run({ window_title }, ctx) {
      const r = await look.look('tool', window_title ? { windowTitle: window_title } : {}, ctx.callId ?? '');
      if (!r.sent) return { error: r.message, declined: r.reason === 'declined' || r.reason === 'timeout' || r.reason === 'policy' };
      return { attached: true, width: r.image.width, height: r.image.height, source: r.image.source, note: 'The picture is in the user message just before this output.' };
    },
  });
}
