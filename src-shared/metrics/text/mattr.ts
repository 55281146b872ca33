// Moving-average type–token ratio (Covington & McFall 2010): the mean TTR over every window of `window`
// tokens, which, unlike plain TTR, does not fall just because the text is longer. Moves late under
// collapse: shown, never alarmed on alone.

/** Null for no tokens; a stream shorter than the window gets its plain TTR (the one window it has). */
export function mattr(tokens: readonly string[], window = 50): number | null {
  if (tokens.length === 0) return null
  const size = Math.min(window, tokens.length)
  const counts = new Map<string, number>()
  let types = 0
  const add = (t: string): void => {
    const c = counts.get(t) ?? 0
    if (c === 0) types++
    counts.set(t, c + 1)
  }
  for (let i = 0; i < size; i++) add(tokens[i] ?? '')
  let sum = types
  for (let i = size; i < tokens.length; i++) {
    add(tokens[i] ?? '')
    const out = tokens[i - size] ?? ''
    const c = counts.get(out) ?? 0
    if (c === 1) types--
    counts.set(out, c - 1)
    sum += types
  }
  return sum / (tokens.length - size + 1) / size
}
