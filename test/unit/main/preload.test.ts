// The sandboxed preload against a fake `electron`: window.api is exactly {invoke, on}, only contract names
// get through to ipcRenderer, and the page never receives an IPC event object.
import { beforeEach, describe, expect, it, vi } from 'vitest'
import { channelNames, eventNames } from '@shared/ipc/channel-names'
import type { WindowApi, WindowApiListener } from '@shared/ipc/window-api'

type MainEventHandler = (event: unknown, ...args: unknown[]) => void

const electron = vi.hoisted(() => {
  const exposed = new Map<string, unknown>()
  const ipcRenderer = {
    invoke: vi.fn<(channel: string, ...args: unknown[]) => Promise<unknown>>(),
    on: vi.fn<(channel: string, handler: MainEventHandler) => void>(),
    removeListener: vi.fn(),
    send: vi.fn(),
    sendSync: vi.fn(),
    postMessage: vi.fn(),
  }
  const contextBridge = {
    exposeInMainWorld: vi.fn((key: string, value: unknown) => {
      exposed.set(key, value)
    }),
  }
  return { exposed, ipcRenderer, contextBridge }
})

vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }))

/** A fresh preload per test: it keeps its listener table in module state. */
async function loadPreload(): Promise<WindowApi> {
  vi.resetModules()
  electron.exposed.clear()
  vi.clearAllMocks()
  await import('../../../src-main/preload')
  const api = electron.exposed.get('api')
  if (api === undefined) throw new Error('preload exposed no api')
  return api as WindowApi
}

/** What main's webContents.send would deliver to the handler the preload registered. */
function sendFromMain(...args: unknown[]): void {
  for (const [channel, handler] of electron.ipcRenderer.on.mock.calls) {
    if (channel === 'winnow:event') handler({ sender: electron.ipcRenderer, ports: [] }, ...args)
  }
}

const ipcUntouched = (): void => {
  expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled()
  expect(electron.ipcRenderer.on).not.toHaveBeenCalled()
  expect(electron.ipcRenderer.send).not.toHaveBeenCalled()
  expect(electron.ipcRenderer.sendSync).not.toHaveBeenCalled()
  expect(electron.ipcRenderer.postMessage).not.toHaveBeenCalled()
}

describe('preload', () => {
  let api: WindowApi
  beforeEach(async () => {
    api = await loadPreload()
  })

  it('exposes one key, api, holding exactly {invoke, on}, frozen, with nothing of electron in it', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
    expect([...electron.exposed.keys()]).toStrictEqual(['api'])
    expect(Object.keys(api).sort()).toStrictEqual(['invoke', 'on'])
    expect(Object.isFrozen(api)).toBe(true)
    expect(typeof api.invoke).toBe('function')
    expect(typeof api.on).toBe('function')
    expect(Object.values(api)).not.toContain(electron.ipcRenderer)
    ipcUntouched()
  })

  it.each(channelNames)('forwards %s to winnow:invoke and answers main’s result', async (channel) => {
    const reply = { ok: true, value: { channel } }
    electron.ipcRenderer.invoke.mockResolvedValueOnce(reply)
    const payload = { some: 'payload' }
    await expect(api.invoke(channel, payload)).resolves.toBe(reply)
    expect(electron.ipcRenderer.invoke.mock.calls).toStrictEqual([['winnow:invoke', channel, payload]])
  })

  it('refuses names outside the contract without touching ipcRenderer', async () => {
    const names: unknown[] = [
      '__proto__',
      'constructor',
      'toString',
      '',
      'APP.INFO',
      'app.info ',
      'winnow:invoke',
      'winnow:event',
      'log.appended',
      'ELECTRON_BROWSER_REQUIRE',
      'shell.openExternal',
      42,
      null,
      undefined,
      {},
      ['app.info'],
    ]
    for (const name of names) {
      // The page is untrusted: it can pass anything, whatever the type says.
      const result = await api.invoke(name as never, {})
      expect(result, String(name)).toMatchObject({ ok: false, error: { code: 'unknown-channel' } })
    }
    ipcUntouched()
  })

  it('answers an envelope, not a rejection, when the IPC call itself fails', async () => {
    electron.ipcRenderer.invoke.mockRejectedValueOnce(new Error('An object could not be cloned.'))
    await expect(api.invoke('app.info', { f: () => 1 })).resolves.toStrictEqual({
      ok: false,
      error: { code: 'internal', message: 'An object could not be cloned.' },
    })
  })

  it.each(eventNames)('delivers %s to its listener as (name, payload) only', (event) => {
    const received: unknown[][] = []
    api.on(event, (...args) => received.push(args))
    expect(electron.ipcRenderer.on.mock.calls.map(([channel]) => channel)).toStrictEqual(['winnow:event'])
    const payload = { projectId: 'p' }
    sendFromMain(event, payload)
    expect(received).toStrictEqual([[event, payload]])
  })

  it('keeps events apart, ignores names main should never send, and subscribes to ipcRenderer once', () => {
    const jobs: unknown[] = []
    const projects: unknown[] = []
    api.on('jobs.changed', (name) => jobs.push(name))
    api.on('projects.changed', (name) => projects.push(name))
    api.on('projects.changed', (name) => projects.push(name))
    sendFromMain('projects.changed', {})
    sendFromMain('not.an.event', {})
    sendFromMain('__proto__', {})
    sendFromMain(undefined)
    expect(jobs).toStrictEqual([])
    expect(projects).toStrictEqual(['projects.changed', 'projects.changed'])
    expect(electron.ipcRenderer.on).toHaveBeenCalledOnce()
  })

  it('refuses to subscribe to names outside the contract without touching ipcRenderer', () => {
    for (const name of ['winnow:event', 'app.info', '__proto__', '', 'ipc-message', 7]) {
      expect(() => api.on(name as never, () => {}), String(name)).toThrow(TypeError)
    }
    expect(() => api.on('jobs.changed', 'not a function' as never)).toThrow(TypeError)
    ipcUntouched()
  })

  it('unsubscribes exactly the subscription it was returned for', () => {
    const calls: string[] = []
    const listener: WindowApiListener = () => calls.push('x')
    const first = api.on('jobs.changed', listener)
    api.on('jobs.changed', listener)
    first()
    first()
    sendFromMain('jobs.changed', {})
    expect(calls).toStrictEqual(['x'])
  })

  it('keeps delivering to other listeners when one throws', () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    const heard: string[] = []
    api.on('jobs.changed', () => {
      throw new Error('listener bug')
    })
    api.on('jobs.changed', (name) => heard.push(name))
    sendFromMain('jobs.changed', {})
    expect(heard).toStrictEqual(['jobs.changed'])
    expect(error).toHaveBeenCalledOnce()
    error.mockRestore()
  })
})
