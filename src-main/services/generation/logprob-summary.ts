// The summary stored with each candidate's logprobs: mean logprob, mean truncated entropy (over the top-k
// alternatives, renormalised: a lower bound of the true entropy) and mean top-1 probability.
import type { LogprobSummary } from '@shared/domain/candidate'
import type { CompactLogprobs } from '@shared/domain/token-logprobs'

export function summariseLogprobs(columns: CompactLogprobs): LogprobSummary | null {
  const n = columns.tokens.length
  if (n === 0) return null
  let logprobSum = 0
  let entropySum = 0
  let top1Sum = 0
  for (let i = 0; i < n; i++) {
    const chosen = columns.logprobs[i] ?? 0
    logprobSum += chosen
    // Without alternatives, the chosen token is the only one known.
    const alternatives = columns.topLogprobs[i]?.length ? columns.topLogprobs[i]! : [chosen]
    let mass = 0
    let top1 = 0
    // Σ p·ln p over the alternatives, then renormalised: with q = p/mass, −Σ q ln q = ln mass − Σ p ln p / mass.
    let plogp = 0
    for (const logprob of alternatives) {
      const p = Math.exp(logprob)
      mass += p
      if (p > 0) plogp += p * logprob
      if (p > top1) top1 = p
    }
    const entropy = mass > 0 ? Math.log(mass) - plogp / mass : 0
    entropySum += Math.max(0, entropy)
    top1Sum += Math.min(1, top1)
  }
  return {
    tokens: n,
    meanLogprob: logprobSum / n,
    meanTruncatedEntropy: entropySum / n,
    meanTop1Probability: top1Sum / n,
  }
}
