// All of the window's hardening in one place: webPreferences, the app:// protocol and its CSP, navigation,
// window.open, webviews, permissions and which sender URLs main trusts. Electron objects come in as small
// structural types so every rule is pinned by unit tests in plain Node (test/unit/main/window.test.ts).
import { readFile, realpath } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { BrowserWindowConstructorOptions, CustomScheme } from 'electron'
import { isAllowedExternalUrl } from '@shared/domain/external-links'

export const APP_SCHEME = 'app'
export const APP_HOST = 'winnow'
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`
/** Painted before the first frame, so a slow start shows no white flash. */
export const BACKGROUND_COLOR = '#1a1b1e'

/**
 * Delivered as a header by the protocol handler (a meta tag can be removed by a page that is already
 * compromised). No 'unsafe-inline' for styles: Svelte 5 sets dynamic styles through CSSOM, which CSP allows;
 * static `style="…"` attributes in markup are blocked, so components use classes instead.
 */
export const CSP_DIRECTIVES: Readonly<Record<string, string>> = {
  'default-src': "'none'",
  'script-src': "'self'",
  'style-src': "'self'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  // Ollama is called from main, never from the page: the renderer has no network beyond its own files.
  'connect-src': "'self'",
  'base-uri': "'none'",
  'form-action': "'none'",
  'frame-ancestors': "'none'",
  'object-src': "'none'",
}

export const CONTENT_SECURITY_POLICY = Object.entries(CSP_DIRECTIVES)
  .map(([directive, sources]) => `${directive} ${sources}`)
  .join('; ')

/** The BrowserWindow options; devTools only for unpackaged runs. */
export function windowOptions(
  preloadPath: string,
  { devTools = false } = {},
): BrowserWindowConstructorOptions {
  return {
    title: 'Winnow',
    width: 1280,
    height: 820,
    minWidth: 800,
    minHeight: 560,
    show: false,
    backgroundColor: BACKGROUND_COLOR,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      experimentalFeatures: false,
      devTools,
    },
  }
}

/** Privileges of app://: a standard secure origin (so IndexedDB and module scripts work), fetchable. */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true },
}

export interface SchemeRegistry {
  registerSchemesAsPrivileged(schemes: CustomScheme[]): void
}

/** Must run before the app's ready event: Chromium reads scheme privileges once, at start-up. */
export function registerAppScheme(protocol: SchemeRegistry): void {
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES])
}

/** True for URLs of the app's own origin: app://winnow/… with no credentials and no port. */
export function isAppUrl(url: string): boolean {
  const parsed = parseUrl(url)
  return (
    parsed !== null &&
    parsed.protocol === `${APP_SCHEME}:` &&
    parsed.host === APP_HOST &&
    parsed.username === '' &&
    parsed.password === ''
  )
}

/**
 * The origin of electron-vite's dev server, accepted only when it is plain http on loopback, so an
 * environment variable cannot make main trust a remote page.
 */
export function devServerOrigin(url: string | undefined): string | null {
  const parsed = url === undefined ? null : parseUrl(url)
  if (parsed === null || parsed.protocol !== 'http:') return null
  return ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname) ? parsed.origin : null
}

/** Whether a main frame at this URL may call main: the app origin, or the dev server during `npm run dev`. */
export function isTrustedSenderUrl(url: string, devOrigin: string | null = null): boolean {
  if (isAppUrl(url)) return true
  return devOrigin !== null && parseUrl(url)?.origin === devOrigin
}

// ---------------------------------------------------------------------------------------------------------
// Serving the renderer

export interface RendererRequest {
  url: string
  method: string
}

export interface ProtocolHandlerRegistry {
  handle(scheme: string, handler: (request: RendererRequest) => Promise<Response>): void
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
}

export const contentTypeFor = (path: string): string =>
  contentTypes[extname(path).toLowerCase()] ?? 'application/octet-stream'

/** Headers on every response, errors included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
}

/** Serves app://winnow/… from rendererDir and nothing outside it. */
export function serveRenderer(protocol: ProtocolHandlerRegistry, rendererDir: string): void {
  protocol.handle(APP_SCHEME, createRendererHandler(rendererDir))
}

export function createRendererHandler(rendererDir: string): (request: RendererRequest) => Promise<Response> {
  const root = resolve(rendererDir)
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return respond(405, 'method not allowed')
    const file = await resolveInside(root, request.url)
    if (file === null) return respond(404, 'not found')
    let body: Buffer
    try {
      body = await readFile(file)
    } catch {
      return respond(404, 'not found')
    }
    const headers = { ...SECURITY_HEADERS, 'Content-Type': contentTypeFor(file) }
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers })
  }
}

/** The file a URL names under root, or null for another host, a malformed path, or anything outside root. */
async function resolveInside(root: string, url: string): Promise<string | null> {
  const parsed = parseUrl(url)
  if (parsed === null || parsed.host !== APP_HOST || parsed.username !== '' || parsed.password !== '')
    return null
  let path: string
  try {
    path = decodeURIComponent(parsed.pathname)
  } catch {
    return null
  }
  if (path.includes('\0')) return null
  if (path === '/' || path === '') path = '/index.html'
  // join (not resolve) keeps an absolute-looking path under root; the startsWith check catches `..`, which
  // can still appear here once %2e%2e%2f is decoded.
  const candidate = resolve(join(root, path))
  if (!isInside(root, candidate)) return null
  try {
    // A symbolic link inside the build folder must not lead out of it either.
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(candidate)])
    return isInside(realRoot, realFile) ? realFile : null
  } catch {
    return null
  }
}

const isInside = (root: string, path: string): boolean =>
  path.startsWith(root.endsWith(sep) ? root : root + sep)

function respond(status: number, text: string): Response {
  return new Response(text, {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' },
  })
}

// ---------------------------------------------------------------------------------------------------------
// Web contents and session

export interface PreventableEvent {
  preventDefault(): void
}

export interface NavigationEvent extends PreventableEvent {
  url: string
}

/** The parts of Electron's WebContents this module touches. */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-frame-navigate', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-redirect', listener: (event: NavigationEvent) => void): unknown
  on(event: 'will-attach-webview', listener: (event: PreventableEvent) => void): unknown
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void
}

export interface HardenOptions {
  /** Opens a link in the system browser; only called for URLs isAllowedExternalUrl accepts. */
  openExternal: (url: string) => Promise<unknown>
  devOrigin?: string | null
}

/** Navigation stays on the app origin, new windows never open, webviews never attach. */
export function hardenWebContents(
  contents: HardenableContents,
  { openExternal, devOrigin = null }: HardenOptions,
): void {
  const keepOnAppOrigin = (event: NavigationEvent): void => {
    if (!isTrustedSenderUrl(event.url, devOrigin)) event.preventDefault()
  }
  contents.on('will-navigate', keepOnAppOrigin)
  contents.on('will-frame-navigate', keepOnAppOrigin)
  contents.on('will-redirect', keepOnAppOrigin)
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    // A link with target=_blank to a known site goes to the system browser; the app itself never opens one.
    if (isAllowedExternalUrl(url)) {
      openExternal(url).catch((error: unknown) => console.warn(`could not open ${url}:`, error))
    }
    return { action: 'deny' }
  })
}

type PermissionCallback = (granted: boolean) => void

/** The parts of Electron's Session this module touches. */
export interface HardenableSession {
  setPermissionRequestHandler(
    handler: (contents: unknown, permission: string, callback: PermissionCallback) => void,
  ): void
  setPermissionCheckHandler(handler: (contents: unknown, permission: string) => boolean): void
  /** Absent on older Electron versions; set where it exists. */
  setDevicePermissionHandler?(handler: (details: unknown) => boolean): void
  on(event: 'will-download', listener: (event: PreventableEvent) => void): unknown
  webRequest: {
    onBeforeRequest(
      listener: (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void,
    ): void
  }
}

/** Schemes that reach the network or the disk; the page needs none of them (its own files are app://). */
const networkSchemes = new Set(['http:', 'https:', 'ws:', 'wss:', 'ftp:', 'file:'])

/** True for a request the page may make: anything but the network or file://, plus the dev server in dev. */
export function isAllowedRequestUrl(url: string, devOrigin: string | null = null): boolean {
  const parsed = parseUrl(url)
  if (parsed === null) return false
  if (!networkSchemes.has(parsed.protocol)) return true
  // The dev server's page and its hot-reload WebSocket share one host.
  const dev = devOrigin === null ? null : parseUrl(devOrigin)
  return (
    dev !== null && (parsed.protocol === 'http:' || parsed.protocol === 'ws:') && parsed.host === dev.host
  )
}

/**
 * Every permission refused, downloads refused, and no request to the network even if the CSP is bypassed.
 * This also covers main's own Electron `net` requests on the default session; main talks to Ollama through
 * Node's fetch, which it does not touch.
 */
export function hardenSession(
  session: HardenableSession,
  { devOrigin = null }: { devOrigin?: string | null } = {},
): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false))
  session.setPermissionCheckHandler(() => false)
  session.setDevicePermissionHandler?.(() => false)
  session.on('will-download', (event) => event.preventDefault())
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequestUrl(details.url, devOrigin) }),
  )
}

function parseUrl(url: string): URL | null {
  try {
    return new URL(url)
  } catch {
    return null
  }
}
