// Electron composition root: one instance, the app:// origin, a hardened session and window, the services
// behind the Electron transport, and a shutdown that waits for the project logs to close. Every rule it
// applies lives in (and is tested through) window.ts, ipc/electron-transport.ts and services/app-services.ts.
import { basename, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, protocol, session, shell } from 'electron'
import type { Event as ElectronEvent, OpenDialogOptions, SaveDialogOptions } from 'electron'
import { isAllowedExternalUrl } from '@shared/domain/external-links'
import { disableChromiumFeatures } from './chromium-features'
import { createDispatch } from './ipc/dispatch'
import { attachElectronTransport } from './ipc/electron-transport'
import { createAppServices, type AppServices, type FilePickers } from './services/app-services'
import { moveStoreAsideIfRequested, requestStoreMoveAside } from './services/store-quarantine'
import {
  APP_ENTRY_URL,
  devServerOrigin,
  hardenSession,
  hardenWebContents,
  registerAppScheme,
  serveRenderer,
  windowOptions,
} from './window'

const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url))
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url))
/** `npm run dev` only: a packaged app never trusts an environment variable for its origin. */
const devUrl = app.isPackaged ? null : (process.env.ELECTRON_RENDERER_URL ?? null)
const devOrigin = devServerOrigin(devUrl ?? undefined)
/** How long quitting waits for services to flush and close before giving up on them. */
const closeTimeoutMs = 15_000

let services: AppServices | null = null
let mainWindow: BrowserWindow | null = null
let quitState: 'running' | 'closing' | 'closed' = 'running'

async function openExternal(url: string): Promise<boolean> {
  if (!isAllowedExternalUrl(url)) return false
  await shell.openExternal(url)
  return true
}

const pickers: FilePickers = {
  async pickImport() {
    const options: OpenDialogOptions = {
      title: 'Import a corpus',
      properties: ['openFile'],
      filters: [
        { name: 'Corpus files', extensions: ['jsonl', 'ndjson', 'json', 'csv', 'tsv', 'txt', 'parquet'] },
        { name: 'All files', extensions: ['*'] },
      ],
    }
    const result = mainWindow
      ? await dialog.showOpenDialog(mainWindow, options)
      : await dialog.showOpenDialog(options)
    return result.canceled ? null : (result.filePaths[0] ?? null)
  },
  async pickSave(suggestedName) {
    // basename: the suggestion comes from the renderer and must not choose the folder.
    const options: SaveDialogOptions = {
      defaultPath: join(app.getPath('documents'), basename(suggestedName)),
    }
    const result = mainWindow
      ? await dialog.showSaveDialog(mainWindow, options)
      : await dialog.showSaveDialog(options)
    return result.canceled || !result.filePath ? null : result.filePath
  },
}

function createWindow(): void {
  const window = new BrowserWindow(windowOptions(preloadPath, { devTools: !app.isPackaged }))
  mainWindow = window
  window.once('ready-to-show', () => window.show())
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = null
  })
  window.loadURL(devUrl !== null && devOrigin !== null ? devUrl : APP_ENTRY_URL).catch((error: unknown) => {
    console.error('could not load the renderer:', error)
  })
}

async function start(): Promise<void> {
  // Before any window opens the store: a store the user asked to move aside last time is moved now.
  const movedTo = await moveStoreAsideIfRequested(app.getPath('userData'))
  if (movedTo) console.warn(`the unopenable local database was moved aside to ${movedTo}`)
  hardenSession(session.defaultSession, { devOrigin })
  serveRenderer(protocol, rendererDir)
  services = await createAppServices({
    dataDir: join(app.getPath('userData'), 'data'),
    appVersion: app.getVersion(),
    transport: 'electron',
    pickers,
    openExternal,
    moveStoreAside: async (reason) => {
      await requestStoreMoveAside(app.getPath('userData'), reason)
      app.relaunch()
      app.quit()
    },
  })
  attachElectronTransport(
    ipcMain,
    createDispatch(services.handlers),
    services.events,
    () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    { devOrigin },
  )
  createWindow()
}

// Whatever quits the app (last window closed, Cmd+Q, SIGTERM), services close first so logs are flushed;
// every quit attempt while they close is held back too.
function closeServicesThenQuit(event: ElectronEvent): void {
  if (quitState === 'closed' || services === null) return
  event.preventDefault()
  if (quitState === 'closing') return
  quitState = 'closing'
  const timeout = new Promise<void>((resolve) => setTimeout(resolve, closeTimeoutMs).unref())
  Promise.race([services.close(), timeout])
    .catch((error: unknown) => console.error('closing services failed:', error))
    .finally(() => {
      quitState = 'closed'
      app.quit()
    })
}

app.enableSandbox()
disableChromiumFeatures(app.commandLine)
registerAppScheme(protocol)

if (!app.requestSingleInstanceLock()) {
  // A second instance would open the same project logs: hand over to the first one and leave.
  app.quit()
} else {
  app.on('second-instance', () => {
    if (mainWindow === null) return
    if (mainWindow.isMinimized()) mainWindow.restore()
    mainWindow.focus()
  })
  // Every web contents, including any created unexpectedly, gets the same navigation and window rules.
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal, devOrigin }),
  )
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit()
  })
  app.on('activate', () => {
    if (services !== null && quitState === 'running' && BrowserWindow.getAllWindows().length === 0)
      createWindow()
  })
  app.on('before-quit', closeServicesThenQuit)
  process.on('SIGTERM', () => app.quit())
  process.on('SIGINT', () => app.quit())
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Winnow could not start:', error)
      dialog.showErrorBox('Winnow could not start', error instanceof Error ? error.message : String(error))
      quitState = 'closed'
      app.exit(1)
    })
}
