// The one tokeniser behind every text metric: word-like segments from `Intl.Segmenter`, NFC and lower-cased.
// Lower-casing keeps a sentence-initial "The" from counting as a second type beside "the", which would
// inflate distinct-n and type counts for reasons that have nothing to do with the model's vocabulary.

// A fixed locale ('und', the root rules) rather than the machine's, so the same text splits the same way
// on every machine and the figures in a report are reproducible.
const segmenter = new Intl.Segmenter('und', { granularity: 'word' })

/** Lower-cased word tokens of one text; punctuation and whitespace are dropped. */
export function tokenise(text: string): string[] {
  const out: string[] = []
  for (const part of segmenter.segment(text.normalize('NFC').toLowerCase()))
    if (part.isWordLike === true) out.push(part.segment)
  return out
}

/**
 * Token ids shared across every set tokenised with the same vocabulary, so that S and R agree on what a
 * type is and n-grams can be hashed from small integers instead of strings.
 */
export class Vocabulary {
  readonly #ids = new Map<string, number>()

  get size(): number {
    return this.#ids.size
  }

  idOf(token: string): number {
    let id = this.#ids.get(token)
    if (id === undefined) {
      id = this.#ids.size
      this.#ids.set(token, id)
    }
    return id
  }

  encode(tokens: readonly string[]): number[] {
    return tokens.map((t) => this.idOf(t))
  }
}
