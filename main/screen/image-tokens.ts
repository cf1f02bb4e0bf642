// What an image costs in input tokens, by OpenAI's published rule for its vision models. main
// estimates a capture's cost with it before sending (the server's usage is the real count), and
// the simulator counts its usage with the same rule.

/**
 * OpenAI's rule for image input tokens: 85 at low detail; otherwise the image is fitted within
 * 2048 × 2048, then its short side scaled to 768, and each 512 px tile costs 170 on top of the 85.
 */
export function imageTokens(width: number, height: number, detail: 'auto' | 'low' | 'high'): number {
  if (detail === 'low') return 85;
  let w = width;
  let h = height;
  const fit = Math.min(1, 2048 / Math.max(w, h));
  w *= fit;
  h *= fit;
  const short = Math.min(w, h);
  if (short > 768) {
    w *= 768 / short;
    h *= 768 / short;
  }
  return 85 + 170 * Math.ceil(w / 512) * Math.ceil(h / 512);
}

