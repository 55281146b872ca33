// Keyboard shortcuts as short key sequences ("g b", "?"), ignored while the person is typing in a field.
// Pure apart from a timer: App.svelte feeds it keydown events and it answers whether one was handled.

export interface Shortcut {
  /** Space-separated keys, e.g. "g b". */
  keys: string
  description: string
  run: () => void
}

const chordTimeoutMs = 1200

/** Inputs, selects, text areas and contenteditable regions own their keys. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false
  if (target.isContentEditable) return true
  const tag = target.tagName
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true
  if (tag !== 'INPUT') return false
  const type = (target as HTMLInputElement).type
  return !['button', 'checkbox', 'radio', 'submit', 'reset', 'range', 'color', 'file'].includes(type)
}

export class ChordMatcher {
  readonly #shortcuts: readonly Shortcut[]
  #pending = ''
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(shortcuts: readonly Shortcut[]) {
    this.#shortcuts = shortcuts
  }

  /** True when the key completed or continued a shortcut (the caller then prevents the default). */
  handle(event: KeyboardEvent): boolean {
    if (event.ctrlKey || event.metaKey || event.altKey || isTypingTarget(event.target)) return false
    if (event.key.length !== 1) return false
    const sequence = this.#pending === '' ? event.key : `${this.#pending} ${event.key}`
    const exact = this.#shortcuts.find((shortcut) => shortcut.keys === sequence)
    if (exact) {
      this.#clear()
      exact.run()
      return true
    }
    if (this.#shortcuts.some((shortcut) => shortcut.keys.startsWith(`${sequence} `))) {
      this.#pending = sequence
      if (this.#timer) clearTimeout(this.#timer)
      this.#timer = setTimeout(() => this.#clear(), chordTimeoutMs)
      return true
    }
    this.#clear()
    return false
  }

  #clear(): void {
    this.#pending = ''
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = null
  }
}
