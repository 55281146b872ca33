// Pins every hardening value in window.ts (R10): webPreferences, CSP, the app:// scheme and its file
// server, navigation and window.open denial, webviews, permissions, and which sender URLs are trusted.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { CustomScheme } from 'electron'
import {
  APP_ENTRY_URL,
  APP_HOST,
  APP_ORIGIN,
  APP_SCHEME,
  CONTENT_SECURITY_POLICY,
  devServerOrigin,
  hardenSession,
  hardenWebContents,
  isAllowedRequestUrl,
  isTrustedSenderUrl,
  registerAppScheme,
  serveRenderer,
  windowOptions,
  type HardenableContents,
  type HardenableSession,
  type NavigationEvent,
  type PreventableEvent,
  type RendererRequest,
} from '../../../src-main/window'

describe('windowOptions', () => {
  it('pins every webPreferences value', () => {
    const options = windowOptions('/app/out/preload/index.cjs')
    expect(options.webPreferences).toStrictEqual({
      preload: '/app/out/preload/index.cjs',
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
      devTools: false,
    })
  })

  it('opens hidden (shown on ready-to-show) with a title and a background colour', () => {
    const options = windowOptions('/p.cjs')
    expect(options).toMatchObject({ title: 'Winnow', show: false })
    expect(options.backgroundColor).toMatch(/^#[0-9a-f]{6}$/i)
    expect(options.width).toBeGreaterThanOrEqual(options.minWidth ?? 0)
    expect(options.height).toBeGreaterThanOrEqual(options.minHeight ?? 0)
  })

  it('enables devTools only when asked, and nothing else changes', () => {
    const dev = windowOptions('/p.cjs', { devTools: true })
    const prod = windowOptions('/p.cjs')
    expect(dev.webPreferences?.devTools).toBe(true)
    expect({ ...dev.webPreferences, devTools: false }).toStrictEqual(prod.webPreferences)
  })
})

describe('Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/)
      return [name, sources] as const
    }),
  )

  it('has exactly these directives, each with exactly these sources', () => {
    expect(Object.fromEntries(directives)).toStrictEqual({
      'default-src': ["'none'"],
      'script-src': ["'self'"],
      'style-src': ["'self'"],
      'img-src': ["'self'", 'data:'],
      'font-src': ["'self'"],
      'connect-src': ["'self'"],
      'base-uri': ["'none'"],
      'form-action': ["'none'"],
      'frame-ancestors': ["'none'"],
      'object-src': ["'none'"],
    })
  })

  it('lists each directive once and allows no inline code, eval, wildcard or remote host anywhere', () => {
    expect(CONTENT_SECURITY_POLICY.split(';')).toHaveLength(directives.size)
    const sources = [...directives.values()].flat()
    for (const source of sources) {
      expect(["'self'", "'none'", 'data:']).toContain(source)
    }
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe|\*|https?:|wss?:|blob:|localhost|127\.0\.0\.1/)
  })

  it('lets the page connect to nothing but its own origin: no Ollama, no remote host', () => {
    expect(directives.get('connect-src')).toStrictEqual(["'self'"])
  })
})

describe('the app:// scheme', () => {
  it('is app://winnow', () => {
    expect([APP_SCHEME, APP_HOST, APP_ORIGIN, APP_ENTRY_URL]).toStrictEqual([
      'app',
      'winnow',
      'app://winnow',
      'app://winnow/index.html',
    ])
  })

  it('is registered as standard, secure and fetchable, and nothing more (no CSP bypass)', () => {
    const registered: CustomScheme[][] = []
    registerAppScheme({ registerSchemesAsPrivileged: (schemes) => registered.push(schemes) })
    expect(registered).toStrictEqual([
      [{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }],
    ])
  })
})

describe('serveRenderer', () => {
  let base: string
  let handler: (request: RendererRequest) => Promise<Response>
  const secret = 'TOP SECRET, outside the renderer folder'

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'winnow-renderer-'))
    const rendererDir = join(base, 'renderer')
    await mkdir(join(rendererDir, 'assets'), { recursive: true })
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Winnow</title>')
    await writeFile(join(rendererDir, 'assets', 'index-abc.js'), 'console.log(1)')
    await writeFile(join(rendererDir, 'assets', 'index-abc.css'), 'body{}')
    await writeFile(join(rendererDir, 'assets', 'logo.svg'), '<svg/>')
    await writeFile(join(rendererDir, 'assets', 'a file.woff2'), 'font')
    await writeFile(join(rendererDir, 'assets', 'blob.bin'), 'bin')
    // Real files just outside, so a traversal that got through would be answered with them.
    await writeFile(join(base, 'secret.txt'), secret)
    await mkdir(join(base, 'renderer-evil'))
    await writeFile(join(base, 'renderer-evil', 'secret.txt'), secret)
    await symlink(join(base, 'secret.txt'), join(rendererDir, 'assets', 'link.txt'))
    const handled: string[] = []
    serveRenderer(
      {
        handle: (scheme, registered) => {
          handled.push(scheme)
          handler = registered
        },
      },
      rendererDir,
    )
    expect(handled).toStrictEqual(['app'])
  })

  afterAll(async () => {
    await rm(base, { recursive: true, force: true })
  })

  const get = (url: string, method = 'GET'): Promise<Response> => handler({ url, method })

  it.each([
    ['app://winnow/index.html', 'text/html; charset=utf-8'],
    ['app://winnow/', 'text/html; charset=utf-8'],
    ['app://winnow/assets/index-abc.js', 'text/javascript; charset=utf-8'],
    ['app://winnow/assets/index-abc.css', 'text/css; charset=utf-8'],
    ['app://winnow/assets/logo.svg', 'image/svg+xml'],
    ['app://winnow/assets/a%20file.woff2', 'font/woff2'],
    ['app://winnow/assets/blob.bin', 'application/octet-stream'],
    ['app://winnow/index.html?v=1#top', 'text/html; charset=utf-8'],
  ])('serves %s as %s with the CSP and nosniff headers', async (url, type) => {
    const response = await get(url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe(type)
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('app://winnow/index.html', 'HEAD')
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS']) {
      expect((await get('app://winnow/index.html', method)).status).toBe(405)
    }
  })

  const outside = [
    'app://winnow/../../etc/passwd',
    'app://winnow/../secret.txt',
    'app://winnow/%2e%2e%2fsecret.txt',
    'app://winnow/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
    'app://winnow/%2E%2E%2Fsecret.txt',
    'app://winnow/..%2fsecret.txt',
    'app://winnow/assets/..%2f..%2fsecret.txt',
    'app://winnow/%2e%2e/secret.txt',
    'app://winnow/%252e%252e%252fsecret.txt',
    'app://winnow/..%5csecret.txt',
    'app://winnow/..%2f..%2f..%2f..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
    'app://winnow/%2e%2e%2frenderer-evil%2fsecret.txt',
    'app://winnow//etc/passwd',
    'app://winnow/%2Fetc%2Fpasswd',
    'app://winnow/assets/link.txt',
    'app://winnow/index.html%00.js',
    'app://winnow/%00',
    'app://winnow/%E0%A4%A',
    'app://winnow/assets',
    'app://winnow/missing.js',
    'app://evil/index.html',
    'app://user@winnow/index.html',
    'app://winnow:8080/index.html',
    'not a url',
  ]

  it.each(outside)('refuses %s with 404, the CSP header and none of the secret', async (url) => {
    const response = await get(url)
    expect(response.status).toBe(404)
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    expect(await response.text()).not.toContain('SECRET')
  })

  it('refuses an absolute path to a real file, however it is spelled', async () => {
    const absolute = join(base, 'secret.txt')
    for (const url of [
      `app://winnow/${encodeURIComponent(absolute)}`,
      `app://winnow/${absolute}`,
      `app://winnow/${encodeURIComponent('../secret.txt')}`,
    ]) {
      const response = await get(url)
      expect(response.status, url).toBe(404)
      expect(await response.text()).not.toContain('SECRET')
    }
  })
})

/** Records listeners by event name, as Electron's EventEmitter would. */
function fakeContents() {
  const listeners = new Map<string, (event: NavigationEvent & PreventableEvent) => void>()
  let openHandler: ((details: { url: string }) => { action: 'deny' }) | null = null
  const contents: HardenableContents = {
    on(event: string, listener: (event: NavigationEvent) => void) {
      listeners.set(event, listener)
      return contents
    },
    setWindowOpenHandler(handler) {
      openHandler = handler
    },
  }
  const fire = (event: string, url = ''): boolean => {
    const preventDefault = vi.fn()
    const listener = listeners.get(event)
    if (!listener) throw new Error(`no listener for ${event}`)
    listener({ url, preventDefault })
    return preventDefault.mock.calls.length > 0
  }
  const open = (url: string) => {
    if (!openHandler) throw new Error('no window open handler')
    return openHandler({ url })
  }
  return { contents, listeners, fire, open }
}

describe('hardenWebContents', () => {
  const foreign = [
    'https://evil.example/',
    'http://localhost:5173/',
    'file:///etc/passwd',
    'file:///app/out/renderer/index.html',
    'app://evil/index.html',
    'app://winnow.evil.example/',
    'app://user@winnow/index.html',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'about:blank',
    'https://ollama.com/',
    'chrome://settings',
    '',
  ]

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'])(
    '%s: prevents every other origin and allows the app origin',
    (event) => {
      const { contents, fire } = fakeContents()
      hardenWebContents(contents, { openExternal: vi.fn() })
      for (const url of foreign) expect(fire(event, url), url).toBe(true)
      for (const url of ['app://winnow/index.html', 'app://winnow/', 'app://winnow/index.html#/project/1']) {
        expect(fire(event, url), url).toBe(false)
      }
    },
  )

  it('allows the dev server only when its origin is given', () => {
    const dev = fakeContents()
    hardenWebContents(dev.contents, { openExternal: vi.fn(), devOrigin: 'http://localhost:5173' })
    expect(dev.fire('will-navigate', 'http://localhost:5173/')).toBe(false)
    expect(dev.fire('will-navigate', 'http://localhost:5174/')).toBe(true)
    expect(dev.fire('will-navigate', 'https://evil.example/')).toBe(true)
  })

  it('prevents every webview from attaching', () => {
    const { contents, fire } = fakeContents()
    hardenWebContents(contents, { openExternal: vi.fn() })
    expect(fire('will-attach-webview')).toBe(true)
  })

  it('denies every window.open, opening only allow-listed https links in the system browser', () => {
    const { contents, open } = fakeContents()
    const openExternal = vi.fn(() => Promise.resolve(true))
    hardenWebContents(contents, { openExternal })
    const allowed = [
      'https://ollama.com/library/llama3',
      'https://github.com/winnow/winnow',
      'https://huggingface.co/',
    ]
    const refused = [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'http://ollama.com/',
      'https://evil.example/',
      'https://github.com.evil.example/',
      'https://github.com@evil.example/',
      'https://user:pass@github.com/',
      'https://github.com:8443/',
      'app://winnow/index.html',
      'data:text/html,hi',
      'about:blank',
      '',
    ]
    for (const url of [...allowed, ...refused]) expect(open(url), url).toStrictEqual({ action: 'deny' })
    expect(openExternal.mock.calls).toStrictEqual(allowed.map((url) => [url]))
  })

  it('survives an openExternal that fails', async () => {
    const { contents, open } = fakeContents()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    hardenWebContents(contents, { openExternal: () => Promise.reject(new Error('no browser')) })
    expect(open('https://github.com/')).toStrictEqual({ action: 'deny' })
    await vi.waitFor(() => expect(warn).toHaveBeenCalled())
    warn.mockRestore()
  })
})

function fakeSession({ withDeviceHandler = true } = {}) {
  const recorded: {
    request?: Parameters<HardenableSession['setPermissionRequestHandler']>[0]
    check?: Parameters<HardenableSession['setPermissionCheckHandler']>[0]
    device?: (details: unknown) => boolean
    download?: (event: PreventableEvent) => void
    beforeRequest?: Parameters<HardenableSession['webRequest']['onBeforeRequest']>[0]
  } = {}
  const session: HardenableSession = {
    setPermissionRequestHandler: (handler) => (recorded.request = handler),
    setPermissionCheckHandler: (handler) => (recorded.check = handler),
    on: (_event, listener) => (recorded.download = listener),
    webRequest: { onBeforeRequest: (listener) => (recorded.beforeRequest = listener) },
  }
  if (withDeviceHandler) session.setDevicePermissionHandler = (handler) => (recorded.device = handler)
  return { session, recorded }
}

describe('hardenSession', () => {
  const permissions = [
    'media',
    'geolocation',
    'notifications',
    'clipboard-read',
    'openExternal',
    'hid',
    'unknown',
  ]

  it('answers every permission request and check with false', () => {
    const { session, recorded } = fakeSession()
    hardenSession(session)
    for (const permission of permissions) {
      const callback = vi.fn()
      recorded.request?.({}, permission, callback)
      expect(callback.mock.calls, permission).toStrictEqual([[false]])
      expect(recorded.check?.({}, permission), permission).toBe(false)
    }
    expect(recorded.device?.({ deviceType: 'usb' })).toBe(false)
  })

  it('works where setDevicePermissionHandler does not exist', () => {
    const { session, recorded } = fakeSession({ withDeviceHandler: false })
    expect(() => hardenSession(session)).not.toThrow()
    expect(recorded.check?.({}, 'media')).toBe(false)
  })

  it('prevents downloads', () => {
    const { session, recorded } = fakeSession()
    hardenSession(session)
    const preventDefault = vi.fn()
    recorded.download?.({ preventDefault })
    expect(preventDefault).toHaveBeenCalledOnce()
  })

  it('cancels every request to the network or the disk, even one the CSP would miss', () => {
    const { session, recorded } = fakeSession()
    hardenSession(session)
    const cancelled = (url: string): boolean | undefined => {
      let answer: boolean | undefined
      recorded.beforeRequest?.({ url }, ({ cancel }) => (answer = cancel))
      return answer
    }
    for (const url of [
      'https://evil.example/x',
      'http://127.0.0.1:11434/api/tags',
      'ws://localhost:5173/',
      'wss://evil.example/',
      'file:///etc/passwd',
      'ftp://evil.example/',
    ]) {
      expect(cancelled(url), url).toBe(true)
    }
    for (const url of ['app://winnow/index.html', 'data:image/png;base64,AAAA', 'devtools://devtools/x']) {
      expect(cancelled(url), url).toBe(false)
    }
  })

  it('lets the dev server and its hot-reload socket through only when given', () => {
    expect(isAllowedRequestUrl('http://localhost:5173/src/main.ts', 'http://localhost:5173')).toBe(true)
    expect(isAllowedRequestUrl('ws://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isAllowedRequestUrl('https://localhost:5173/', 'http://localhost:5173')).toBe(false)
    expect(isAllowedRequestUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
    expect(isAllowedRequestUrl('http://localhost:5173/')).toBe(false)
  })
})

describe('isTrustedSenderUrl', () => {
  it.each(['app://winnow/index.html', 'app://winnow/', 'app://winnow/index.html#/review'])(
    'trusts %s',
    (url) => {
      expect(isTrustedSenderUrl(url)).toBe(true)
    },
  )

  it.each([
    'app://evil/index.html',
    'app://winnow.evil.example/index.html',
    'app://user@winnow/index.html',
    'app://user:pw@winnow/index.html',
    'app://winnow:8080/index.html',
    'app:winnow/index.html',
    'https://winnow/index.html',
    'http://localhost:5173/',
    'file:///app/out/renderer/index.html',
    'about:blank',
    'devtools://devtools/bundled/devtools_app.html',
    'chrome-extension://abc/index.html',
    'javascript:alert(1)',
    '',
    'not a url',
  ])('does not trust %s', (url) => {
    expect(isTrustedSenderUrl(url)).toBe(false)
  })

  it('trusts the dev server only when its origin is passed', () => {
    expect(isTrustedSenderUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true)
    expect(isTrustedSenderUrl('http://localhost:5173/')).toBe(false)
    expect(isTrustedSenderUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false)
  })
})

describe('devServerOrigin', () => {
  it.each([
    ['http://localhost:5173', 'http://localhost:5173'],
    ['http://localhost:5173/', 'http://localhost:5173'],
    ['http://127.0.0.1:5173/index.html', 'http://127.0.0.1:5173'],
    ['http://[::1]:5173/', 'http://[::1]:5173'],
  ])('accepts loopback %s', (url, origin) => {
    expect(devServerOrigin(url)).toBe(origin)
  })

  it.each([
    undefined,
    '',
    'https://localhost:5173',
    'http://evil.example:5173',
    'http://localhost.evil.example',
    'x',
  ])('refuses %s', (url) => {
    expect(devServerOrigin(url)).toBeNull()
  })
})
