// Main's outgoing events (log appended, job changed…), fanned out to whichever transports are connected.
import { eventContract, type EventPayload } from '@shared/ipc/contract'
import type { EventName } from '@shared/ipc/channel-names'

export type EventListener = (name: EventName, payload: unknown) => void

export class EventHub {
  readonly #listeners = new Set<EventListener>()

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    // Validated here so a service bug shows up in main, not as a confusing renderer state.
    const checked = eventContract[name].parse(payload)
    for (const listener of this.#listeners) listener(name, checked)
  }

  subscribe(listener: EventListener): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
