// Toasts: short messages about what just happened (saved, failed, imported). Errors stay until dismissed;
// the rest fade after a few seconds. Rendered by ui/ToastRegion.svelte inside an aria-live region.

export type ToastTone = 'info' | 'success' | 'error'

export interface Toast {
  id: number
  tone: ToastTone
  message: string
}

const autoDismissMs = 5000
const maxToasts = 5

export class Notifications {
  #items = $state<Toast[]>([])
  #nextId = 1
  // eslint-disable-next-line svelte/prefer-svelte-reactivity -- timer handles are bookkeeping, never rendered
  readonly #timers = new Map<number, ReturnType<typeof setTimeout>>()

  get items(): readonly Toast[] {
    return this.#items
  }

  info(message: string): void {
    this.#push('info', message)
  }

  success(message: string): void {
    this.#push('success', message)
  }

  error(message: string): void {
    this.#push('error', message)
  }

  /** Reports a failed call with its human message (ApiError messages are written for people). */
  failure(action: string, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error)
    this.#push('error', `${action}: ${reason}`)
  }

  dismiss(id: number): void {
    clearTimeout(this.#timers.get(id))
    this.#timers.delete(id)
    this.#items = this.#items.filter((toast) => toast.id !== id)
  }

  #push(tone: ToastTone, message: string): void {
    const id = this.#nextId++
    this.#items = [...this.#items, { id, tone, message }].slice(-maxToasts)
    if (tone !== 'error')
      this.#timers.set(
        id,
        setTimeout(() => this.dismiss(id), autoDismissMs),
      )
  }
}
