// The input of the held-out likelihood metrics: a text as the engine scored it, one entry per token with
// log p(token | prefix) under the model being measured (natural log, as node-llama-cpp reports it).

export interface ScoredToken {
  /** The token's text, used to find rare reference types. */
  token: string
  logprob: number
}

export type ScoredText = readonly ScoredToken[]

/** Logprobs of all texts pooled, dropping NaN (an unscored position); −∞ is kept: the model ruled it out. */
export function pooledLogprobs(texts: readonly (readonly Pick<ScoredToken, 'logprob'>[])[]): number[] {
  const pooled: number[] = []
  for (const text of texts) for (const { logprob } of text) if (!Number.isNaN(logprob)) pooled.push(logprob)
  return pooled
}

/** exp of the mean negative logprob; null for no tokens, +∞ when a token had probability 0. */
export function perplexityOf(logprobs: readonly number[]): number | null {
  if (logprobs.length === 0) return null
  const total = logprobs.reduce((sum, logprob) => sum + logprob, 0)
  return Math.exp(-total / logprobs.length)
}
