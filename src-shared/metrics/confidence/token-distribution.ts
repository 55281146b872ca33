// What one position's top-k logprob list says about the model's next-token distribution: the truncated
// entropy, the probability mass outside the list, and the top-1 probability. Mode collapse sharpens all three.

/** Probabilities of a top-k list, clamped to [0, 1]: engines round a certain token's logprob to a tiny positive. */
export function topProbabilities(topLogprobs: readonly number[]): number[] {
  return topLogprobs.map((logprob) =>
    Number.isNaN(logprob) ? 0 : Math.min(1, Math.max(0, Math.exp(logprob))),
  )
}

/**
 * r = 1 − Σ p_i over the listed alternatives, the mass of everything the engine did not list. Clamped at 0
 * because rounded logprobs can sum to slightly more than 1.
 */
export function leftoverMass(topLogprobs: readonly number[]): number {
  const listed = topProbabilities(topLogprobs).reduce((sum, p) => sum + p, 0)
  return Math.max(0, 1 - listed)
}

/**
 * H_k = −Σ_{i≤k} p_i ln p_i − r ln r in nats, r the leftover mass treated as one lumped outcome. This is a
 * lower bound on the full entropy (splitting r over more tokens can only raise it) that moves with it.
 */
export function truncatedEntropy(topLogprobs: readonly number[]): number {
  const terms = [...topProbabilities(topLogprobs), leftoverMass(topLogprobs)]
  return terms.reduce((entropy, p) => (p > 0 ? entropy - p * Math.log(p) : entropy), 0)
}

/** The largest listed probability (lists come most likely first, but the maximum does not rely on it). */
export function topOneProbability(topLogprobs: readonly number[]): number {
  return topProbabilities(topLogprobs).reduce((best, p) => Math.max(best, p), 0)
}
