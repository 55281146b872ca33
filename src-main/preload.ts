// The sandboxed preload: exposes window.api = {invoke, on} and forwards only the contract's channel and event
// names. Bundled as one CommonJS file whose only require is electron, so it imports nothing else at runtime
// but the library-free channel-names and window-api modules.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { eventNames, isChannelName, type EventName } from '@shared/ipc/channel-names'
import { EVENT_CHANNEL, INVOKE_CHANNEL, type WindowApi, type WindowApiListener } from '@shared/ipc/window-api'
import type { Result } from '@shared/ipc/result'

const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && (eventNames as readonly string[]).includes(name)

const refusal = (code: 'unknown-channel' | 'internal', message: string): Result<never> => ({
  ok: false,
  error: { code, message },
})

const listeners = new Map<EventName, Set<WindowApiListener>>()
let isSubscribed = false

// The IPC event object never reaches the page: it carries sender and ports, which are main's business.
function onMainEvent(_event: IpcRendererEvent, name: unknown, payload: unknown): void {
  if (!isEventName(name)) return
  for (const listener of listeners.get(name) ?? []) {
    try {
      listener(name, payload)
    } catch (error) {
      // One failing listener must not keep the others from hearing the event.
      console.error(`a listener for ${name} threw:`, error)
    }
  }
}

const api: WindowApi = {
  invoke(channel, payload) {
    if (!isChannelName(channel)) {
      return Promise.resolve(refusal('unknown-channel', `There is no channel called ${String(channel)}.`))
    }
    return ipcRenderer.invoke(INVOKE_CHANNEL, channel, payload).then(
      (result: Result<unknown>) => result,
      // Main's dispatch never throws; this is a payload that could not be cloned or a dead main process.
      (error: unknown) => refusal('internal', error instanceof Error ? error.message : String(error)),
    )
  },
  on(event, listener) {
    if (!isEventName(event)) throw new TypeError(`There is no event called ${String(event)}.`)
    if (typeof listener !== 'function') throw new TypeError('The listener must be a function.')
    if (!isSubscribed) {
      ipcRenderer.on(EVENT_CHANNEL, onMainEvent)
      isSubscribed = true
    }
    // A fresh wrapper per subscription, so subscribing one function twice gives two independent handles.
    const subscription: WindowApiListener = (name, payload) => listener(name, payload)
    const set = listeners.get(event) ?? new Set<WindowApiListener>()
    listeners.set(event, set.add(subscription))
    return () => {
      set.delete(subscription)
    }
  },
}

contextBridge.exposeInMainWorld('api', Object.freeze(api))
