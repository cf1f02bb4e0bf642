// Validators for everything a renderer sends, one zod schema per channel of the contract in
// api.ts. main (the IPC router) and the tests' bridge run them before any handler sees a payload;
// they live apart from api.ts so that preload and renderer bundles carry the channel names only.
import { z } from 'zod';
import { FRAME_BYTES, MAX_NOTE_CHARS, MAX_NOTES, type InvokeChannel, type SendChannel, type ShellInvokeChannel, type ToolsInvokeChannel, type WindowInvokeChannel } from './api';

const none = z.undefined();
const MAX_TEXT = 8_000;

export const invokeSchemas = {
  'session:connect': none,
  'session:disconnect': none,
  'session:snapshot': none,
  'turn:begin': none,
  'turn:end': none,
  'turn:cancel': none,
  'assistant:interrupt': none,
  'text:send': z.strictObject({ text: z.string().trim().min(1).max(MAX_TEXT) }),
  'mic:mute': z.strictObject({ muted: z.boolean() }),
} satisfies { [K in InvokeChannel]: z.ZodType };

export const sendSchemas = {
  'audio:frame': z.instanceof(ArrayBuffer).refine((b) => b.byteLength === FRAME_BYTES, {
    message: `an audio frame is ${FRAME_BYTES} bytes`,
  }),
  'audio:interrupted': z.strictObject({
    requestId: z.number().int().nonnegative(),
    itemId: z.string().max(200).nullable(),
    playedMs: z.number().finite().nonnegative(),
  }),
} satisfies { [K in SendChannel]: z.ZodType };

export const shellInvokeSchemas = {
  // The envelope only: main merges the patch into the current settings and validates the result
  // with the settings schema before anything is stored or applied.
  'settings:update': z
    .record(z.string().max(64), z.unknown())
    .refine((p) => JSON.stringify(p).length <= 64_000, { message: 'the settings patch is too large' }),
  'settings:get': none,
  'key:status': none,
  // Printable ASCII without spaces: every OpenAI and Azure key is; a pasted newline is trimmed.
  'key:set': z.strictObject({ key: z.string().trim().min(8).max(512).regex(/^[\x21-\x7e]+$/, 'a key has no spaces or special characters') }),
  'key:clear': none,
  'key:test': none,
  'window:open-settings': none,
  'window:open-companion': none,
  'hotkey:status': none,
  'hotkey:check': z.strictObject({ accelerator: z.string().max(100) }),
  'hotkey:request-accessibility': none,
  'window:open-mic-settings': none,
  'window:copy-text': z.strictObject({ text: z.string().max(2_000_000) }),
} satisfies { [K in ShellInvokeChannel]: z.ZodType };

const historyId = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'not a conversation id') });

export const windowInvokeSchemas = {
  'history:list': z.strictObject({ query: z.string().max(200).optional() }).optional(),
  'history:get': historyId,
  'history:export': historyId,
  'history:delete': historyId,
  'history:delete-all': none,
  'usage:get': none,
  'approval:pending': none,
  'approval:answer': z.strictObject({ id: z.string().min(1).max(200), answer: z.enum(['allow', 'deny', 'always']) }),
  'eventlog:watch': z.strictObject({ on: z.boolean() }),
  'conversation:connect': z.strictObject({ choice: z.enum(['continue', 'new']) }),
  'conversation:new': none,
  'conversation:forget': z.strictObject({ id: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/, 'not an item id') }),
  'history:resume': historyId,
  'screen:look': none,
} satisfies { [K in WindowInvokeChannel]: z.ZodType };

export const toolsInvokeSchemas = {
  'tools:list': none,
  'tools:mcp-status': none,
  'notes:list': none,
  'notes:save': z.strictObject({
    notes: z
      .array(
        z.strictObject({
          id: z.string().min(1).max(100).optional(),
          text: z.string().max(MAX_NOTE_CHARS, `a note can be at most ${MAX_NOTE_CHARS} characters`),
        }),
      )
      .max(MAX_NOTES, `at most ${MAX_NOTES} notes`),
  }),
} satisfies { [K in ToolsInvokeChannel]: z.ZodType };
