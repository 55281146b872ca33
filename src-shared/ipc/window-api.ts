// The shape of `window.api`, the only thing the sandboxed preload exposes, and the two Electron IPC channel
// names that carry it. Shared by preload (which implements it) and renderer (whose lib/api.ts reads it).
import type { ChannelName, EventName } from './channel-names'
import type { Result } from './result'

/** ipcMain.handle channel carrying every contract call as (channel, payload). */
export const INVOKE_CHANNEL = 'winnow:invoke'
/** webContents.send channel carrying every contract event as (name, payload). */
export const EVENT_CHANNEL = 'winnow:event'

export type WindowApiListener = (name: EventName, payload: unknown) => void

export interface WindowApi {
  /** Never rejects: refusals, invalid payloads and service failures all come back as `{ok: false}`. */
  invoke(channel: ChannelName, payload?: unknown): Promise<Result<unknown>>
  /** Throws for a name that is not in the contract; returns the unsubscribe function. */
  on(event: EventName, listener: WindowApiListener): () => void
}
