// The summary stored with each candidate's logprobs: mean logprob, mean truncated entropy (over the top-k
// alternatives, renormalised: a lower bound of the true entropy) and mean top-1 probability.
import type { LogprobSummary } from '@shared/domain/candidate'
import type { TokenLogprob } from '../../engines/engine'

export function summariseLogprobs(tokens: readonly TokenLogprob[]): LogprobSummary | null {
  if (tokens.length === 0) return null
  let logprobSum = 0
  let entropySum = 0
  let top1Sum = 0
  for (const token of tokens) {
    logprobSum += token.logprob
    const alternatives = token.top.length > 0 ? token.top : [{ token: token.token, logprob: token.logprob }]
    const probabilities = alternatives.map((alternative) => Math.exp(alternative.logprob))
    const mass = probabilities.reduce((sum, p) => sum + p, 0)
    let entropy = 0
    for (const p of probabilities) {
      const q = p / mass
      if (q > 0) entropy -= q * Math.log(q)
    }
    entropySum += Math.max(0, entropy)
    top1Sum += Math.min(1, Math.max(...probabilities))
  }
  return {
    tokens: tokens.length,
    meanLogprob: logprobSum / tokens.length,
    meanTruncatedEntropy: entropySum / tokens.length,
    meanTop1Probability: top1Sum / tokens.length,
  }
}
