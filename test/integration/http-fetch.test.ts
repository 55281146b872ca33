// The node:http fetch under streamed generate calls (http-fetch.ts), against a real local server: the body
// as it arrives (pieces that came in meanwhile read as one), an abort or a lost connection failing the
// pending read, refusals with Node's codes, keep-alive reuse, and the request as sent. The Ollama faults
// through it, with ollama-js and the guard on top, are in ollama-engine-suite.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { httpFetch } from '../../src-main/engines/ollama/http-fetch'
import { freePort } from '../e2e/harness'

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void

let server: Server
let base = ''
let handler: Handler = (_request, response) => response.end()
let connectionCount = 0

const sleep = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms))

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = ''
    request.setEncoding('utf8')
    request.on('data', (piece: string) => (body += piece))
    request.on('end', () => handler(request, response, body))
  })
  server.on('connection', () => {
    connectionCount += 1
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise((done) => server.close(done))
})

async function readAll(reader: {
  read(): Promise<{ done: boolean; value?: Uint8Array }>
}): Promise<string[]> {
  const pieces: string[] = []
  for (let r = await reader.read(); !r.done; r = await reader.read())
    pieces.push(Buffer.from(r.value!).toString('utf8'))
  return pieces
}

describe('httpFetch', () => {
  it('sends the method, headers and body, and answers status and headers', async () => {
    let seen: { method?: string; type?: string; length?: string; body?: string } = {}
    handler = (request, response, body) => {
      seen = {
        method: request.method,
        type: request.headers['content-type'],
        length: request.headers['content-length'],
        body,
      }
      response.writeHead(201, 'Made', { 'Content-Type': 'application/x-ndjson', 'X-Two': ['a', 'b'] })
      response.end('{"done":true}\n')
    }
    const body = JSON.stringify({ prompt: 'naïve ⟦text⟧' })
    const response = await httpFetch(`${base}/api/generate`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body,
    })
    expect(seen).toEqual({
      method: 'POST',
      type: 'application/json',
      length: String(Buffer.byteLength(body)),
      body,
    })
    expect([response.ok, response.status, response.statusText]).toEqual([true, 201, 'Made'])
    expect(response.headers.get('CONTENT-TYPE')).toBe('application/x-ndjson')
    expect(response.headers.get('x-two')).toBe('a, b')
    expect(response.headers.get('x-missing')).toBeNull()
    expect(await response.text()).toBe('{"done":true}\n')
  })

  it('reads the body as it arrives, and what arrived meanwhile as one piece', async () => {
    handler = (_request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' })
      let i = 0
      const next = (): void => {
        if (i === 6) return void response.end()
        response.write(`{"n":${i++}}\n`)
        setTimeout(next, 20)
      }
      next()
    }
    const response = await httpFetch(`${base}/stream`)
    const reader = response.body!.getReader()
    const first = await reader.read()
    expect(Buffer.from(first.value!).toString()).toBe('{"n":0}\n')
    await sleep(90) // the reader is busy: several lines come in meanwhile
    const rest = await readAll(reader)
    expect(rest.join('')).toBe([1, 2, 3, 4, 5].map((n) => `{"n":${n}}\n`).join(''))
    expect(rest.length).toBeLessThan(5)
  })

  it('fails a pending read with the reason when the signal aborts mid-body, and closes the connection', async () => {
    let closed = false
    handler = (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' })
      response.write('{"n":0}\n')
      request.socket.once('close', () => (closed = true))
    }
    const controller = new AbortController()
    const response = await httpFetch(`${base}/abort`, { signal: controller.signal })
    const reader = response.body!.getReader()
    await reader.read()
    const pending = reader.read()
    const reason = new Error('cancelled by the caller')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await expect.poll(() => closed).toBe(true)
  })

  it('rejects with the reason when aborted before the answer, or already aborted', async () => {
    handler = () => undefined // never answers
    const controller = new AbortController()
    const pending = httpFetch(`${base}/slow`, { signal: controller.signal })
    await sleep(20)
    const reason = new Error('deadline')
    controller.abort(reason)
    await expect(pending).rejects.toBe(reason)
    await expect(httpFetch(`${base}/slow`, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason)
  })

  it('fails a pending read with ECONNRESET when the connection is lost mid-body', async () => {
    handler = (request, response) => {
      response.writeHead(200, { 'Content-Type': 'application/x-ndjson' })
      response.write('{"n":0}\n')
      setTimeout(() => request.socket.destroy(), 20)
    }
    const response = await httpFetch(`${base}/reset`)
    const reader = response.body!.getReader()
    await reader.read()
    await expect(reader.read()).rejects.toMatchObject({ code: 'ECONNRESET' })
  })

  it('rejects with ECONNREFUSED where nothing listens', async () => {
    const port = await freePort()
    await expect(httpFetch(`http://127.0.0.1:${port}/api/generate`)).rejects.toMatchObject({
      code: 'ECONNREFUSED',
    })
  })

  it('keeps the connection alive from one call to the next', async () => {
    handler = (_request, response) => response.end('{"done":true}\n')
    await (await httpFetch(`${base}/one`)).text()
    const before = connectionCount
    for (let i = 0; i < 3; i++)
      expect(await (await httpFetch(`${base}/again`)).text()).toBe('{"done":true}\n')
    expect(connectionCount).toBe(before)
  })

  it('refuses what it cannot send', async () => {
    await expect(httpFetch(`${base}/x`, { method: 'POST', body: new Uint8Array([1]) })).rejects.toThrow(
      'string bodies only',
    )
    await expect(httpFetch('ftp://127.0.0.1/x')).rejects.toThrow('cannot fetch ftp:')
  })
})
