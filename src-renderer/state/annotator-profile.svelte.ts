// The local annotator profile: a name kept in localStorage (default "me"). Every decision carries it, and
// each annotator has their own hash chain, so it is shown and editable on the Review screen.
const storageKey = 'winnow.annotator'
const defaultName = 'me'

/** localStorage where there is one (the renderer), nothing in unit tests under Node. */
function storage(): Pick<Storage, 'getItem' | 'setItem'> | null {
  try {
    return globalThis.localStorage ?? null
  } catch {
    return null // a sandboxed page may throw on access
  }
}

export class AnnotatorProfile {
  #name = $state(storage()?.getItem(storageKey)?.trim() || defaultName)

  get name(): string {
    return this.#name
  }

  /** An empty name falls back to the default: a decision must always name someone. */
  rename(name: string): void {
    this.#name = name.trim() || defaultName
    storage()?.setItem(storageKey, this.#name)
  }
}
