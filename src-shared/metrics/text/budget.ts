// Matched budgets: most lexical metrics grow or shrink with sample size, so each generation is measured on
// the same number of tokens, taken from its distinct texts in an order fixed by a seeded hash.
import { hash32 } from '../../export/selection/hash'

/** Token lists of the texts, as `tokenise` gives them. */
export type TokenTexts = readonly (readonly string[])[]

export interface Budgeted {
  /** The texts taken, in order; the last one cut short so the total is exactly the budget when it can be. */
  texts: string[][]
  tokens: number
  /** False when the distinct texts held fewer tokens than the budget (then every one of them was taken). */
  isBudgetMet: boolean
}

const keyOf = (tokens: readonly string[]): string => tokens.join('\u0001')

/**
 * The distinct non-empty token lists, ordered by a seeded hash of their tokens (ties by the tokens
 * themselves). Identical token lists collapse to one, so the order — and every prefix of it — depends only
 * on the *set* of texts: permuting the sample or repeating it (twice, or with copies of some texts) takes
 * exactly the same tokens. Exact copies are counted by the duplicate rates instead, so this does not hide
 * them from the report; it keeps distinct-n a measure of how varied the texts are rather than of how many
 * copies each has.
 */
export function distinctInSeededOrder(texts: TokenTexts, seed: number): (readonly string[])[] {
  const byKey = new Map<string, readonly string[]>()
  for (const tokens of texts) if (tokens.length > 0) byKey.set(keyOf(tokens), tokens)
  return [...byKey.entries()]
    .map(([key, tokens]) => ({ key, tokens, hash: hash32(key, seed) }))
    .sort((a, b) => a.hash - b.hash || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((entry) => entry.tokens)
}

/** Takes whole texts in order until `budget` tokens, cutting the last one short to land on the budget. */
export function takeTokenBudget(ordered: TokenTexts, budget: number): Budgeted {
  const texts: string[][] = []
  let tokens = 0
  for (const text of ordered) {
    if (tokens >= budget) break
    const part = text.slice(0, budget - tokens)
    texts.push(part)
    tokens += part.length
  }
  return { texts, tokens, isBudgetMet: tokens >= budget }
}

/** `takeTokenBudget(distinctInSeededOrder(texts, seed), budget)`. */
export const atTokenBudget = (texts: TokenTexts, budget: number, seed: number): Budgeted =>
  takeTokenBudget(distinctInSeededOrder(texts, seed), budget)
