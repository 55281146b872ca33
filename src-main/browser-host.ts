// Development and end-to-end host: the real main-side services, the built renderer served over HTTP on
// 127.0.0.1, and the loopback transport on the same origin — so real Chromium runs the real app without the
// Electron binary. Never part of a packaged build (electron-builder.yml excludes it; index.ts never imports it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { readFile } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import { homedir } from 'node:os'
import { parseArgs } from 'node:util'
import { createDispatch } from './ipc/dispatch'
import { attachLoopbackTransport } from './ipc/loopback-transport'
import { createAppServices } from './services/app-services'
import { CONTENT_SECURITY_POLICY } from './window'
import { enableHostFault } from './faults/ack-before-flush'

export interface BrowserHost {
  url: string
  origin: string
  close(): Promise<void>
}

export interface BrowserHostOptions {
  dataDir: string
  rendererDir: string
  /** 0 picks a free port. Tests reuse one port across restarts because the origin decides the IndexedDB. */
  port: number
  appVersion?: string
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
}

export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const services = await createAppServices({
    dataDir: options.dataDir,
    appVersion: options.appVersion ?? '0.1.0-dev',
    transport: 'loopback',
    pickers: null,
    openExternal: async (url) => {
      console.log(`(browser preview) would open ${url}`)
      return false
    },
  })
  const rendererDir = resolve(options.rendererDir)
  const server = createServer((request, response) => void serve(request, response))
  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)
    const file = resolve(rendererDir, `.${pathname === '/' ? '/index.html' : pathname}`)
    if (!file.startsWith(rendererDir + sep) || request.method !== 'GET') {
      response.writeHead(404).end()
      return
    }
    try {
      const body = await readFile(file)
      response.writeHead(200, {
        'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Cache-Control': 'no-store',
      })
      response.end(body)
    } catch {
      response.writeHead(404).end()
    }
  }
  await listen(server, options.port)
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  const origin = `http://127.0.0.1:${port}`
  const transport = attachLoopbackTransport(
    server,
    createDispatch(services.handlers),
    services.events,
    () => origin,
  )
  return {
    origin,
    url: `${origin}/#token=${transport.token}`,
    async close() {
      await transport.close()
      await new Promise<void>((done) => server.close(() => done()))
      server.closeAllConnections()
      await services.close()
    },
  }
}

function listen(server: Server, port: number): Promise<void> {
  return new Promise((done, fail) => {
    server.once('error', fail)
    server.listen(port, '127.0.0.1', () => done())
  })
}

async function main(): Promise<void> {
  // The crash harness's broken builds (test/crash): only this test host reads the switch, never index.ts.
  enableHostFault(process.env.WINNOW_FAULT)
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '5273' },
      'data-dir': { type: 'string', default: join(homedir(), '.winnow-dev') },
      'renderer-dir': { type: 'string', default: join(import.meta.dirname, '..', 'out', 'renderer') },
    },
  })
  const host = await startBrowserHost({
    dataDir: values['data-dir'],
    rendererDir: values['renderer-dir'],
    port: Number(values.port),
  })
  // One JSON line first, for the test harness and the bench; then the human-readable hint.
  console.log(JSON.stringify({ ready: true, url: host.url, origin: host.origin, pid: process.pid }))
  console.log(`Winnow (browser preview) is running. Open ${host.url}`)
  const stop = async (): Promise<void> => {
    await host.close()
    process.exit(0)
  }
  process.on('SIGINT', () => void stop())
  process.on('SIGTERM', () => void stop())
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) void main()
