// Settings version 2 → 3: the 2026 models. Only the OLD DEFAULTS move to the new ones: a file that
// still names gpt-realtime / gpt-4o-mini-transcribe, or names none, was never changed by its user.
// A model the user picked (even a deprecated one) stays; the deprecation notice tells them.
import { DEFAULT_PRICES, PRICES_DATED } from '../../common/price-table';
import { DEFAULT_MODEL, DEFAULT_TRANSCRIPTION_MODEL, OLD_DEFAULT_MODEL, OLD_DEFAULT_TRANSCRIPTION_MODEL } from '../../common/models';

type Raw = Record<string, unknown>;

export function migrateModelsTo3(raw: Raw): Raw {
  const out: Raw = { ...raw };
  if (out.model === undefined || out.model === OLD_DEFAULT_MODEL) out.model = DEFAULT_MODEL;
  const t = out.transcription;
  if (t && typeof t === 'object' && !Array.isArray(t)) {
    const tr = { ...(t as Raw) };
    if (tr.model === undefined || tr.model === OLD_DEFAULT_TRANSCRIPTION_MODEL) tr.model = DEFAULT_TRANSCRIPTION_MODEL;
    out.transcription = tr;
  }
  // Price rows for the new models join the user's table; rows the user edited are left alone.
  const usage = out.usage;
  if (usage && typeof usage === 'object' && !Array.isArray(usage)) {
    const u = { ...(usage as Raw) };
    if (u.prices && typeof u.prices === 'object' && !Array.isArray(u.prices)) {
      u.prices = { ...structuredClone(DEFAULT_PRICES), ...(u.prices as Raw) };
      u.pricesDated = PRICES_DATED;
    }
    out.usage = u;
  }
  return out;
}
