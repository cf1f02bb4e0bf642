// The wake phrases Hark ships models for, and the words shown for a phrase. Apart from the paths
// (wake-word-paths.ts) because the settings schema, which the renderer's types reach, needs them.

/** The phrases whose models ship with Hark, with the words the tray and the orb show. */
export const SHIPPED_PHRASES = {
  hey_jarvis: { file: 'hey_jarvis_v0.1.onnx', words: 'Hey Jarvis' },
  hey_mycroft: { file: 'hey_mycroft_v0.1.onnx', words: 'Hey Mycroft' },
  alexa: { file: 'alexa_v0.1.onnx', words: 'Alexa' },
  hey_rhasspy: { file: 'hey_rhasspy_v0.1.onnx', words: 'Hey Rhasspy' },
} as const;

export type ShippedPhrase = keyof typeof SHIPPED_PHRASES;
export interface WakeModelChoice {
  phrase: ShippedPhrase | 'custom';
  /** The .onnx phrase model when `phrase` is 'custom'. */
  customModelPath: string;
}

/** What the tray and the orb say the user should say. */
export function phraseWords(choice: WakeModelChoice): string {
  if (choice.phrase !== 'custom') return SHIPPED_PHRASES[choice.phrase].words;
  const base = choice.customModelPath.split(/[\\/]/).pop() ?? 'your phrase';
  // "hey_hark_v0.1.onnx" → "Hey Hark"
  return base.replace(/\.onnx$/i, '').replace(/_v\d+(\.\d+)*$/i, '').split(/[_\-\s]+/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1)).join(' ') || 'your phrase';
}
