// What the user can configure, defined once: the zod schema gives the defaults, the validation of a
// stored file, and the TypeScript type. Every field has a default so a missing or partial file is
// still a complete configuration.
import { z } from 'zod';
import { localVoiceSettingsSchema } from './local-voice-settings';
import { acceleratorProblem } from './accelerator';
import { idleDisconnectMinutesSchema } from './idle-settings';
import { historySettingsSchema } from './history-settings';
import { toolSettingsSchema } from './tool-settings';
import { usageSettingsSchema } from './usage-settings';
import { DEFAULT_MODEL, DEFAULT_TRANSCRIPTION_MODEL } from '../models';
import { conversationSettingsSchema, reasoningEffortSchema, truncationSettingsSchema } from './model-settings';

// 2: the desktop shell's sections (hotkey, devices, app) joined; migrations live in settings-store.ts.
// 3: the 2026 models (default gpt-realtime-2.1, gpt-realtime-whisper), reasoning, truncation.
export const SETTINGS_VERSION = 3;

export const VOICES = ['marin', 'cedar', 'alloy', 'ash', 'ballad', 'coral', 'echo', 'sage', 'shimmer', 'verse'] as const;

const endpointSchema = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('openai') }),
    // Azure: the resource host (https://NAME.openai.azure.com) or the full realtime URL.
    // A patch clears the deployment with null (a merge cannot remove a field); stored, it is absent.
    z.object({ kind: z.literal('azure'), url: z.string().url(), deployment: z.preprocess((v) => (v === null || v === '' ? undefined : v), z.string().min(1).optional()) }),
    // Any Realtime-compatible server; ws:// is allowed for local servers.
    z.object({ kind: z.literal('custom'), url: z.string().regex(/^wss?:\/\//i, 'a custom endpoint must start with ws:// or wss://') }),
  ])
  .default({ kind: 'openai' });

const turnDetectionSchema = z
  .object({
    mode: z.enum(['server_vad', 'semantic_vad', 'local', 'none']).default('server_vad'),
    threshold: z.number().min(0).max(1).default(0.5),
    prefixPaddingMs: z.number().int().min(0).max(2000).default(300),
    silenceDurationMs: z.number().int().min(100).max(5000).default(500),
    /** server_vad only: prompt the user after this much silence; null = never. */
    idleTimeoutMs: z.number().int().min(5000).max(30 * 60_000).nullable().default(null),
    eagerness: z.enum(['low', 'medium', 'high', 'auto']).default('auto'),
  })
  .prefault({});

const transcriptionSchema = z
  .object({
    enabled: z.boolean().default(true),
    model: z.string().min(1).default(DEFAULT_TRANSCRIPTION_MODEL),
    /** ISO-639-1; empty = let the model detect it. */
    language: z.string().regex(/^([a-z]{2})?$/, 'a two-letter language code, or empty').default(''),
  })
  .prefault({});

/** The global talk key. Accelerators use Electron's syntax (e.g. "CommandOrControl+Shift+Space"). */
const acceleratorSchema = z.string().max(100).refine((a) => acceleratorProblem(a) === null, { error: (i) => acceleratorProblem(String(i.input)) ?? 'not a key combination' });

const hotkeySchema = z
  .object({
    /** hold: hold to talk, release to send. toggle: press to talk, press again to send. hybrid: a tap toggles, a hold is hold. */
    style: z.enum(['hold', 'toggle', 'hybrid']).default('hold'),
    talk: acceleratorSchema.default('CommandOrControl+Shift+Space'),
    /** Registered only while a turn is open, so it steals no key the rest of the time; empty = none. */
    cancel: z.union([z.literal(''), acceleratorSchema]).default('CommandOrControl+Shift+Backspace'),
    /** Hybrid: a press shorter than this is a tap. */
    tapMs: z.number().int().min(150).max(1500).default(400),
    /** A turn left open this long (a missed key-up) is sent. */
    watchdogMs: z.number().int().min(5_000).max(10 * 60_000).default(60_000),
  })
  .prefault({});

// Chromium re-hashes device ids when site data is cleared, so the label is kept to find it again.
const deviceChoiceSchema = z.object({ deviceId: z.string().max(500), label: z.string().max(500) }).nullable().default(null);

export const settingsSchema = z.object({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  endpoint: endpointSchema,
  model: z.string().min(1).default(DEFAULT_MODEL),
  /** Sent only to models that reason (main/realtime/models.ts). */
  reasoningEffort: reasoningEffortSchema,
  truncation: truncationSettingsSchema,
  conversation: conversationSettingsSchema,
  voice: z.string().min(1).default('marin'),
  /** audio.output.speed: the API takes 0.25–1.5 and applies a change from the next response. */
  speed: z.number().min(0.25).max(1.5).default(1),
  /** The player's gain, 0–1; the renderer's alone (never sent to the API). */
  outputVolume: z.number().min(0).max(1).default(1),
  instructions: z
    .string()
    .max(20_000)
    .default(
      'You are Hark, a friendly voice companion on the user\'s desktop. Answer in a natural, spoken style and keep replies short unless asked for detail.',
    ),
  outputModality: z.enum(['audio', 'text']).default('audio'),
  transcription: transcriptionSchema,
  noiseReduction: z.enum(['near_field', 'far_field', 'off']).default('near_field'),
  turnDetection: turnDetectionSchema,
  /** How long a tool may run before the model is told it timed out. */
  toolTimeoutMs: z.number().int().min(1000).max(120_000).default(15_000),
  hotkey: hotkeySchema,
  devices: z.object({ input: deviceChoiceSchema, output: deviceChoiceSchema }).prefault({}),
  app: z
    .object({
      startAtLogin: z.boolean().default(false),
      showWindowAtStart: z.boolean().default(false),
      idleDisconnectMinutes: idleDisconnectMinutesSchema,
    })
    .prefault({}),
  /** Approval policies and the user's MCP servers. */
  tools: toolSettingsSchema,
  history: historySettingsSchema,
  /** Prices for the cost estimate, and the daily spend cap. */
  usage: usageSettingsSchema,
  /** Local voice detection: instant barge-in, the echo guard, half-duplex, post-roll. */
  localVoice: localVoiceSettingsSchema,
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsInput = z.input<typeof settingsSchema>;
export type EndpointSettings = Settings['endpoint'];
export type HotkeySettings = Settings['hotkey'];

export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
