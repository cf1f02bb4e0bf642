// What each section of the form edits: its values read from the settings, and the settings fields
// they stand for. Numbers the user may leave empty (null) mean "none" where the schema allows it.
import type { Settings } from '../../preload/api';
import type { SectionSpec } from './SectionDraft.svelte';

const clone = <T>(v: T): T => structuredClone(v);

export interface ConnectionForm {
  kind: Settings['endpoint']['kind'];
  url: string;
  deployment: string;
  model: string;
  voice: string;
  speed: number;
  /** Percent, 0–100, as the slider shows it. */
  volume: number;
  outputModality: Settings['outputModality'];
  reasoningEffort: Settings['reasoningEffort'];
}

export const connection: SectionSpec<ConnectionForm> = {
  read: (s) => ({
    kind: s.endpoint.kind,
    url: s.endpoint.kind === 'openai' ? '' : s.endpoint.url,
    deployment: s.endpoint.kind === 'azure' ? (s.endpoint.deployment ?? '') : '',
    model: s.model,
    voice: s.voice,
    speed: s.speed,
    volume: Math.round(s.outputVolume * 100),
    outputModality: s.outputModality,
    reasoningEffort: s.reasoningEffort,
  }),
  write: (f) => ({
    endpoint:
      f.kind === 'openai'
        ? { kind: 'openai' }
        : f.kind === 'azure'
          ? // null clears a stored deployment: main's merge would keep a field that is merely left out.
            { kind: 'azure', url: f.url.trim(), deployment: f.deployment.trim() || null }
          : { kind: 'custom', url: f.url.trim() },
    model: f.model.trim(),
    voice: f.voice,
    speed: f.speed,
    outputVolume: f.volume / 100,
    outputModality: f.outputModality,
    reasoningEffort: f.reasoningEffort,
  }),
  fields: ['endpoint', 'model', 'voice', 'speed', 'outputVolume', 'outputModality', 'reasoningEffort'],
  atomic: ['endpoint'],
};

export const instructions: SectionSpec<{ instructions: string }> = {
  read: (s) => ({ instructions: s.instructions }),
  write: (f) => ({ instructions: f.instructions }),
  fields: ['instructions'],
};

export const turnTaking: SectionSpec<{ turnDetection: Settings['turnDetection']; localVoice: Settings['localVoice'] }> = {
  read: (s) => ({ turnDetection: clone(s.turnDetection), localVoice: clone(s.localVoice) }),
  write: (f) => ({ turnDetection: f.turnDetection, localVoice: f.localVoice }),
  fields: ['turnDetection', 'localVoice'],
};

export const transcription: SectionSpec<{ transcription: Settings['transcription']; noiseReduction: Settings['noiseReduction'] }> = {
  read: (s) => ({ transcription: clone(s.transcription), noiseReduction: s.noiseReduction }),
  write: (f) => ({ transcription: f.transcription, noiseReduction: f.noiseReduction }),
  fields: ['transcription', 'noiseReduction'],
};

export const talkKey: SectionSpec<{ hotkey: Settings['hotkey'] }> = {
  read: (s) => ({ hotkey: clone(s.hotkey) }),
  write: (f) => ({ hotkey: f.hotkey }),
  fields: ['hotkey'],
};

export const devices: SectionSpec<{ devices: Settings['devices'] }> = {
  read: (s) => ({ devices: clone(s.devices) }),
  write: (f) => ({ devices: f.devices }),
  fields: ['devices'],
};

export interface ToolsForm {
  policies: Settings['tools']['policies'];
  approvalTimeoutMs: number;
  toolTimeoutMs: number;
}

export const tools: SectionSpec<ToolsForm> = {
  read: (s) => ({ policies: clone(s.tools.policies), approvalTimeoutMs: s.tools.approvalTimeoutMs, toolTimeoutMs: s.toolTimeoutMs }),
  write: (f) => ({ tools: { policies: f.policies, approvalTimeoutMs: f.approvalTimeoutMs }, toolTimeoutMs: f.toolTimeoutMs }),
  fields: ['tools.policies', 'tools.approvalTimeoutMs', 'toolTimeoutMs'],
};

export const mcp: SectionSpec<{ mcpConfig: string }> = {
  read: (s) => ({ mcpConfig: s.tools.mcpConfig }),
  write: (f) => ({ tools: { mcpConfig: f.mcpConfig } }),
  fields: ['tools.mcpConfig'],
};

export const history: SectionSpec<{ history: Settings['history']; conversation: Settings['conversation'] }> = {
  read: (s) => ({ history: clone(s.history), conversation: clone(s.conversation) }),
  write: (f) => ({ history: f.history, conversation: f.conversation }),
  fields: ['history', 'conversation'],
};

export const usage: SectionSpec<{ usage: Settings['usage']; truncation: Settings['truncation'] }> = {
  read: (s) => ({ usage: clone(s.usage), truncation: clone(s.truncation) }),
  write: (f) => ({ usage: f.usage, truncation: f.truncation }),
  fields: ['usage', 'truncation'],
};

export const app: SectionSpec<{ app: Settings['app'] }> = {
  read: (s) => ({ app: clone(s.app) }),
  write: (f) => ({ app: f.app }),
  fields: ['app'],
};
