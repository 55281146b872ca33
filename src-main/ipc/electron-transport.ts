// Production transport: one ipcMain.handle channel for every contract call, one webContents.send channel for
// every event. The sender's frame decides trust (main frame of the app origin only); dispatch does the rest.
import { EVENT_CHANNEL, INVOKE_CHANNEL } from '@shared/ipc/window-api'
import { isTrustedSenderUrl } from '../window'
import type { Dispatch } from './dispatch'
import type { EventHub } from './event-hub'

/** Electron's WebFrameMain, as far as trust is concerned. */
export interface SenderFrame {
  readonly url: string
  readonly parent: unknown
}

export interface InvokeEvent {
  /** Null when the frame navigated or was destroyed before main looked: never trusted. */
  readonly senderFrame: SenderFrame | null
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEvent, ...args: unknown[]) => Promise<unknown>): void
  removeHandler(channel: string): void
}

export interface EventTarget {
  send(channel: string, ...args: unknown[]): void
  isDestroyed(): boolean
  getURL(): string
}

export interface ElectronTransportOptions {
  /** electron-vite's dev server origin during `npm run dev`; null in production. */
  devOrigin?: string | null
}

/** Returns a function that detaches the transport (used by tests and on shutdown). */
export function attachElectronTransport(
  ipcMain: IpcMainLike,
  dispatch: Dispatch,
  events: EventHub,
  getWindows: () => readonly EventTarget[],
  { devOrigin = null }: ElectronTransportOptions = {},
): () => void {
  const isTrustedUrl = (url: string): boolean => isTrustedSenderUrl(url, devOrigin)
  ipcMain.handle(INVOKE_CHANNEL, (event, channel, payload) => {
    // Read once: senderFrame is a getter that turns null when the frame goes away.
    const frame = event.senderFrame
    const isMainFrame = frame !== null && frame.parent === null
    const caller = {
      isTrusted: isMainFrame && isTrustedUrl(frame.url),
      describe:
        frame === null ? 'a frame that is gone' : `${isMainFrame ? 'main frame' : 'subframe'} ${frame.url}`,
    }
    return dispatch(channel, payload, caller)
  })
  const unsubscribe = events.subscribe((name, payload) => {
    for (const contents of getWindows()) {
      // Only a page of our own origin hears events, even if something ever got a window elsewhere.
      if (!contents.isDestroyed() && isTrustedUrl(contents.getURL()))
        contents.send(EVENT_CHANNEL, name, payload)
    }
  })
  return () => {
    unsubscribe()
    ipcMain.removeHandler(INVOKE_CHANNEL)
  }
}
