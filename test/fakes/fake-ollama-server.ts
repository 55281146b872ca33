// A loopback Ollama server that speaks the real protocol (NDJSON streams, final chunk with counts,
// logprobs, thinking, blobs, create/pull/delete) and injects every R8 fault on demand, counting requests
// per route so tests can prove what was (and was not) retried.
import { createHash } from 'node:crypto'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'

export type FaultKind =
  | 'not-found'
  | 'server-error'
  | 'busy'
  | 'stall-headers'
  | 'stall-mid'
  | 'truncate'
  | 'reset'
  | 'malformed'
  /** A broken line that still starts with { and ends with }: only ollama-js's own parse can tell. */
  | 'malformed-braced'
  | 'error-mid'
  | 'html'
  | 'giant-line'
  | 'slow'

export interface Fault {
  kind: FaultKind
  /** Chunks sent before a mid-stream fault strikes (default 2). */
  afterChunks?: number
  /** 'slow': delay before each chunk. */
  delayMs?: number
  /** 'giant-line': bytes of newline-free data. */
  bytes?: number
}

export type Route =
  'version' | 'tags' | 'show' | 'ps' | 'generate' | 'chat' | 'embed' | 'pull' | 'blobs' | 'create' | 'delete'

export interface FakeModel {
  name: string
  digest: string
  size: number
  family: string
  parameterSize: string
  quantization: string
  capabilities: string[]
  /** Writes its reasoning inline as <think>…</think> in the answer (like some distilled models). */
  inlineThink?: boolean
  /** The weights file /api/show's Modelfile names (`FROM <path>`), as for a model pulled on this machine. */
  modelFile?: string
}

const WORDS = [
  'the',
  'quick',
  'model',
  'writes',
  'a',
  'small',
  'story',
  'about',
  'data',
  'and',
  'cats',
  'rain',
]

export function fakeModel(name: string, extra: Partial<FakeModel> = {}): FakeModel {
  return {
    name,
    digest: createHash('sha256').update(name).digest('hex'),
    size: 1_000_000 + name.length,
    family: 'llama',
    parameterSize: '260K',
    quantization: 'Q8_0',
    capabilities: ['completion'],
    ...extra,
  }
}

interface Body {
  [key: string]: unknown
}

export class FakeOllamaServer {
  readonly counts = new Map<Route, number>()
  readonly maxInFlight = new Map<Route, number>()
  readonly models: FakeModel[] = [
    fakeModel('tiny:latest'),
    fakeModel('thinker:latest', { capabilities: ['completion', 'thinking'] }),
    fakeModel('inline-think:latest', { inlineThink: true }),
    fakeModel('embedder:latest', { capabilities: ['embedding'] }),
  ]
  readonly blobs = new Set<string>()
  /** Every blob POST, in order: what the client sent and whether its bytes matched the digest in the path. */
  readonly blobUploads: { digest: string; bytes: number; isChunked: boolean; accepted: boolean }[] = []
  /** Every /api/create body as received, so tests can check the payload against the API. */
  readonly createRequests: Body[] = []
  /** Every /api/generate and /api/chat body as received: what decoding options reached the server. */
  readonly generateRequests: Body[] = []
  /** Ollama 0.12 takes `adapters` with `from`; later releases refuse them with 400 (as real servers do). */
  acceptsAdapters = true
  /** Faults consumed one per matching request, in order. */
  readonly faults: { route: Route | 'any'; fault: Fault }[] = []
  /** A fault applied to every generate/chat request while set (after the queue). */
  standing: Fault | null = null
  /** Default number of answer tokens when num_predict is absent. */
  tokens = 6
  /** Pause before every streamed chunk, for every request (a model writing at a human-visible pace). */
  chunkDelayMs = 0
  readonly version = '0.12.6'
  private readonly inFlight = new Map<Route, number>()
  private server: Server
  private readonly sockets = new Set<Socket>()
  private port = 0

  constructor() {
    this.server = this.makeServer()
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`
  }

  async start(port = 0): Promise<this> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject)
      this.server.listen(port, '127.0.0.1', () => resolve())
    })
    this.port = (this.server.address() as AddressInfo).port
    return this
  }

  /** Stops listening (new connections are refused) and drops open ones. */
  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server = this.makeServer()
  }

  /** Refuse connections for `ms`, then listen again on the same port. */
  async refuseFor(ms: number): Promise<void> {
    const port = this.port
    await this.stop()
    setTimeout(() => void this.start(port), ms)
  }

  fail(route: Route | 'any', fault: Fault, times = 1): void {
    for (let i = 0; i < times; i++) this.faults.push({ route, fault })
  }

  count(route: Route): number {
    return this.counts.get(route) ?? 0
  }

  private makeServer(): Server {
    const server = createServer((req, res) => void this.handle(req, res))
    server.on('connection', (s) => {
      this.sockets.add(s)
      s.on('close', () => this.sockets.delete(s))
    })
    return server
  }

  private takeFault(route: Route): Fault | null {
    const i = this.faults.findIndex((f) => f.route === route || f.route === 'any')
    if (i >= 0) return this.faults.splice(i, 1)[0]?.fault ?? null
    return route === 'generate' || route === 'chat' ? this.standing : null
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '').split('?')[0] ?? ''
    const route = routeOf(req.method ?? 'GET', path)
    if (!route) return json(res, 404, { error: '404 page not found' })
    this.counts.set(route, this.count(route) + 1)
    const now = (this.inFlight.get(route) ?? 0) + 1
    this.inFlight.set(route, now)
    this.maxInFlight.set(route, Math.max(now, this.maxInFlight.get(route) ?? 0))
    res.on('close', () => this.inFlight.set(route, (this.inFlight.get(route) ?? 1) - 1))
    const raw = await readBody(req)
    const fault = this.takeFault(route)
    if (fault && (await this.headerFault(fault, res))) return
    let body: Body = {}
    if (raw.length > 0 && route !== 'blobs') {
      try {
        body = JSON.parse(raw.toString('utf8')) as Body
      } catch {
        return json(res, 400, { error: 'invalid JSON body' })
      }
    }
    switch (route) {
      case 'version':
        return json(res, 200, { version: this.version })
      case 'tags':
        return json(res, 200, { models: this.models.map(tagEntry) })
      case 'ps':
        return json(res, 200, {
          models: this.models.slice(0, 1).map((m) => ({ ...tagEntry(m), size_vram: m.size })),
        })
      case 'show': {
        const m = this.find(body.model ?? body.name)
        if (!m) return json(res, 404, notFound(body.model ?? body.name))
        return json(res, 200, {
          modelfile: `# Modelfile generated by "ollama show"\nFROM ${m.modelFile ?? m.name}`,
          parameters: 'stop "<|end|>"',
          template: '{{ .Prompt }}',
          details: details(m),
          model_info: { 'general.architecture': m.family },
          capabilities: m.capabilities,
          modified_at: '2025-01-01T00:00:00Z',
        })
      }
      case 'embed':
        return this.embed(body, res)
      case 'generate':
      case 'chat':
        this.generateRequests.push(body)
        return this.generate(route, body, res, fault)
      case 'pull':
        return this.pull(body, res)
      case 'blobs':
        return this.blob(req, path, raw, res)
      case 'create':
        return this.create(body, res, fault)
      case 'delete': {
        const i = this.models.findIndex((m) => sameName(m.name, body.model ?? body.name))
        if (i < 0) return json(res, 404, notFound(body.model ?? body.name))
        this.models.splice(i, 1)
        res.writeHead(200).end()
        return
      }
    }
  }

  /** Faults that strike before any body is streamed; true when handled. */
  private async headerFault(fault: Fault, res: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'not-found':
        json(res, 404, notFound('missing'))
        return true
      case 'server-error':
        json(res, 500, { error: 'llama runner process has terminated: exit status 2' })
        return true
      case 'busy':
        json(res, 503, { error: 'server busy, please try again.  maximum pending requests exceeded' })
        return true
      case 'stall-headers':
        // Never answer; the client must give up on its own.
        return true
      case 'html':
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
        res.end('<!doctype html><html><body><h1>Proxy login</h1></body></html>')
        return true
      case 'giant-line': {
        res.writeHead(200, { 'content-type': 'application/x-ndjson' })
        const block = Buffer.alloc(64 * 1024, 0x61)
        let left = fault.bytes ?? 64 * 1024 * 1024
        while (left > 0 && !res.destroyed) {
          const piece = block.subarray(0, Math.min(left, block.length))
          left -= piece.length
          if (!res.write(piece))
            await new Promise<void>((resolve) => {
              const done = (): void => {
                res.off('drain', done).off('close', done)
                resolve()
              }
              res.once('drain', done).once('close', done)
            })
        }
        res.end()
        return true
      }
      default:
        return false
    }
  }

  private find(name: unknown): FakeModel | undefined {
    return this.models.find((m) => sameName(m.name, name))
  }

  private async generate(
    route: 'generate' | 'chat',
    body: Body,
    res: ServerResponse,
    fault: Fault | null,
  ): Promise<void> {
    const model = this.find(body.model)
    if (!model) return json(res, 404, notFound(body.model))
    const options = (body.options ?? {}) as Body
    const prompt = route === 'chat' ? JSON.stringify(body.messages ?? []) : str(body.prompt)
    const seed = typeof options.seed === 'number' ? options.seed : 0
    const n = typeof options.num_predict === 'number' ? options.num_predict : this.tokens
    const words = deterministicWords(prompt, seed, n)
    const thinkWords = body.think ? deterministicWords(`think:${prompt}`, seed, 3) : []
    const wantLogprobs = body.logprobs === true
    const top = typeof body.top_logprobs === 'number' ? body.top_logprobs : 0
    const chunks: Body[] = []
    const piece = (text: string, thinking: string): Body =>
      route === 'chat'
        ? {
            model: model.name,
            created_at: new Date().toISOString(),
            message: { role: 'assistant', content: text, ...(thinking ? { thinking } : {}) },
            done: false,
          }
        : {
            model: model.name,
            created_at: new Date().toISOString(),
            response: text,
            ...(thinking ? { thinking } : {}),
            done: false,
          }
    for (const w of thinkWords) chunks.push(piece('', `${w} `))
    if (model.inlineThink)
      chunks.push(piece('<thi', ''), piece('nk>pondering ', ''), piece('quietly</th', ''), piece('ink>', ''))
    words.forEach((w, i) => {
      const token = i === 0 ? w : ` ${w}`
      const c = piece(token, '')
      if (wantLogprobs) c.logprobs = [logprobFor(token, top)]
      chunks.push(c)
    })
    const final: Body = {
      ...piece('', ''),
      done: true,
      done_reason: typeof options.num_predict === 'number' ? 'length' : 'stop',
      total_duration: 1_000_000,
      load_duration: 10_000,
      prompt_eval_count: prompt.length,
      prompt_eval_duration: 100_000,
      eval_count: words.length,
      eval_duration: 500_000,
    }
    if (route === 'generate') final.context = [1, 2, 3]
    if (body.stream === false) {
      const text = (model.inlineThink ? '<think>pondering quietly</think>' : '') + words.join(' ')
      const whole = piece(text, thinkWords.map((w) => `${w} `).join(''))
      return json(res, 200, { ...final, ...whole, done: true })
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const after = fault?.afterChunks ?? 2
    for (let i = 0; i < chunks.length; i++) {
      if (res.destroyed) return
      if (fault && i === after) {
        switch (fault.kind) {
          case 'stall-mid':
            return // Headers and some chunks sent; then silence with the socket open.
          case 'truncate':
            res.end()
            return
          case 'reset':
            // Let the sent chunks reach the client first: an RST discards unread data on arrival.
            await delay(30)
            res.socket?.resetAndDestroy()
            return
          case 'malformed':
            res.write('{"model":"tiny","response":" lost","done":fal\n')
            break
          case 'malformed-braced':
            res.write('{"model":"tiny","response":" lost","done":fal}\n')
            break
          case 'error-mid':
            res.write(
              `${JSON.stringify({ error: 'an error was encountered while running the model: unexpected EOF' })}\n`,
            )
            break
          default:
            break
        }
      }
      if (fault?.kind === 'slow') await delay(fault.delayMs ?? 50)
      else if (this.chunkDelayMs > 0) await delay(this.chunkDelayMs)
      res.write(`${JSON.stringify(chunks[i])}\n`)
    }
    if (fault && after >= chunks.length && ['stall-mid', 'truncate', 'reset'].includes(fault.kind)) {
      if (fault.kind === 'reset') res.socket?.resetAndDestroy()
      else if (fault.kind === 'truncate') res.end()
      return
    }
    res.end(`${JSON.stringify(final)}\n`)
  }

  private embed(body: Body, res: ServerResponse): void {
    const model = this.find(body.model)
    if (!model) return json(res, 404, notFound(body.model))
    const input = Array.isArray(body.input) ? body.input.map(str) : [str(body.input)]
    json(res, 200, {
      model: model.name,
      embeddings: input.map((t) => embedding(t)),
      total_duration: 1000,
      load_duration: 10,
      prompt_eval_count: input.join('').length,
    })
  }

  private async pull(body: Body, res: ServerResponse): Promise<void> {
    const name = str(body.model ?? body.name)
    const m = fakeModel(name.includes(':') ? name : `${name}:latest`)
    if (body.stream === false) {
      if (!this.find(m.name)) this.models.push(m)
      return json(res, 200, { status: 'success' })
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    const lines: Body[] = [{ status: 'pulling manifest' }]
    for (const done of [0, m.size / 2, m.size])
      lines.push({
        status: `pulling ${m.digest.slice(0, 12)}`,
        digest: `sha256:${m.digest}`,
        total: m.size,
        completed: done,
      })
    lines.push({ status: 'verifying sha256 digest' }, { status: 'writing manifest' }, { status: 'success' })
    for (const l of lines) {
      res.write(`${JSON.stringify(l)}\n`)
      await delay(1)
    }
    if (!this.find(m.name)) this.models.push(m)
    res.end()
  }

  private blob(req: IncomingMessage, path: string, raw: Buffer, res: ServerResponse): void {
    const digest = path.slice('/api/blobs/sha256:'.length)
    if (!/^[0-9a-f]{64}$/.test(digest)) return json(res, 400, { error: 'invalid digest format' })
    if (req.method === 'HEAD') {
      res.writeHead(this.blobs.has(digest) ? 200 : 404).end()
      return
    }
    const actual = createHash('sha256').update(raw).digest('hex')
    const isChunked = /\bchunked\b/i.test(req.headers['transfer-encoding'] ?? '')
    this.blobUploads.push({ digest, bytes: raw.length, isChunked, accepted: actual === digest })
    if (actual !== digest)
      return json(res, 400, {
        error: 'digest mismatch, expected "sha256:' + digest + '", got "sha256:' + actual + '"',
      })
    this.blobs.add(digest)
    res.writeHead(201).end()
  }

  private async create(body: Body, res: ServerResponse, fault: Fault | null): Promise<void> {
    this.createRequests.push(body)
    const name = str(body.model)
    // Checked before anything streams, with the server's own messages (server/create.go, types/model).
    if (!isValidModelName(name)) return json(res, 400, { error: 'invalid model name' })
    const invalid = fileMapError(body.files ?? {}) ?? fileMapError(body.adapters ?? {})
    if (invalid) return json(res, 400, { error: invalid })
    // Both maps are plain string-to-string objects from here on (fileMapError checked them).
    const ggufFiles = (body.files ?? {}) as Record<string, string>
    const adapters = (body.adapters ?? {}) as Record<string, string>
    if (Object.keys(adapters).length > 0 && !this.acceptsAdapters)
      return json(res, 400, { error: 'LoRA adapters are no longer supported' })
    for (const d of Object.values({ ...ggufFiles, ...adapters })) {
      if (!this.blobs.has(String(d).replace(/^sha256[:-]/, '')))
        return json(res, 400, { error: `invalid digest ${d}` })
    }
    if (body.from !== undefined && Object.keys(ggufFiles).length === 0 && !this.find(body.from))
      return json(res, 404, notFound(body.from))
    res.writeHead(200, { 'content-type': 'application/x-ndjson' })
    // Ollama streams this one after the headers: an adapter needs the base model it was trained on.
    if (Object.keys(adapters).length > 0 && body.from === undefined) {
      res.end(`${JSON.stringify({ error: "neither 'from' or 'files' was specified", status: 400 })}\n`)
      return
    }
    const statuses = ['parsing GGUF', 'using existing layer', 'writing manifest', 'success']
    for (let i = 0; i < statuses.length; i++) {
      if (fault && i === (fault.afterChunks ?? 2)) {
        if (fault.kind === 'error-mid')
          res.write(
            `${JSON.stringify({ error: 'write /root/.ollama/models/blobs: no space left on device' })}\n`,
          )
        if (fault.kind === 'error-mid' || fault.kind === 'truncate') {
          res.end()
          return
        }
      }
      // Ollama writes the manifest before it says success: the model exists by the time a client reads it.
      if (statuses[i] === 'success' && !this.find(name))
        this.models.push(fakeModel(name.includes(':') ? name : `${name}:latest`))
      res.write(`${JSON.stringify({ status: statuses[i] })}\n`)
      await delay(1)
    }
    res.end()
  }
}

function routeOf(method: string, path: string): Route | null {
  if (path.startsWith('/api/blobs/sha256:') && (method === 'HEAD' || method === 'POST')) return 'blobs'
  const table: Record<string, Route> = {
    'GET /api/version': 'version',
    'GET /api/tags': 'tags',
    'GET /api/ps': 'ps',
    'POST /api/show': 'show',
    'POST /api/generate': 'generate',
    'POST /api/chat': 'chat',
    'POST /api/embed': 'embed',
    'POST /api/pull': 'pull',
    'POST /api/create': 'create',
    'DELETE /api/delete': 'delete',
  }
  return table[`${method} ${path}`] ?? null
}

/**
 * Ollama's name rules, written independently of the app's sanitiser so a test can catch it: parts of
 * [A-Za-z0-9_.-], a namespace without dots, no `..`, at most 128 characters in all, the model part starting
 * with a letter, digit or underscore.
 */
function isValidModelName(name: string): boolean {
  if (name.length === 0 || name.length > 128 || name.includes('..')) return false
  const match = /^(?:([^/:]+)\/)?(?:([^/:]+)\/)?([^/:]+)(?::([^/:]+))?$/.exec(name)
  if (!match) return false
  const [, first, second, model, tag] = match
  const namespace = second ?? first
  const part = /^[A-Za-z0-9_.-]+$/
  return (
    part.test(model!) &&
    /^[A-Za-z0-9_]/.test(model!) &&
    (namespace === undefined || /^[A-Za-z0-9_-]+$/.test(namespace)) &&
    (tag === undefined || part.test(tag))
  )
}

/** `files`/`adapters` maps: relative slash paths to `sha256:<hex>` digests, else the server's 400 message. */
function fileMapError(map: unknown): string | null {
  if (typeof map !== 'object' || map === null || Array.isArray(map)) return 'invalid file map'
  for (const [path, digest] of Object.entries(map)) {
    const segments = path.split('/')
    if (path === '.' || /[\\:]/.test(path) || segments.some((s) => s === '' || s === '.' || s === '..'))
      return `file path must be relative: ${path}`
    if (typeof digest !== 'string' || !/^sha256[:-][0-9a-f]{64}$/.test(digest))
      return `invalid digest for ${path}: invalid digest format`
  }
  return null
}

function sameName(a: string, b: unknown): boolean {
  const norm = (s: string): string => (s.includes(':') ? s : `${s}:latest`)
  return typeof b === 'string' && norm(a) === norm(b)
}

function notFound(name: unknown): Body {
  return { error: `model "${String(name)}" not found, try pulling it first` }
}

function details(m: FakeModel): Body {
  return {
    parent_model: '',
    format: 'gguf',
    family: m.family,
    families: [m.family],
    parameter_size: m.parameterSize,
    quantization_level: m.quantization,
  }
}

function tagEntry(m: FakeModel): Body {
  return {
    name: m.name,
    model: m.name,
    modified_at: '2025-01-01T00:00:00Z',
    size: m.size,
    digest: m.digest,
    details: details(m),
  }
}

function json(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' })
  res.end(JSON.stringify(value))
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = []
    req.on('data', (c: Buffer) => parts.push(c))
    req.on('end', () => resolve(Buffer.concat(parts)))
    req.on('error', reject)
  })
}

/** Request fields are untrusted JSON: only strings count as text. */
function str(v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** FNV-1a: cheap and deterministic. The fake must cost as little as it can, since it shares a thread
 * with what the tests and the generation benchmark measure. */
function hash32(s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** A 32-bit integer mix (the murmur3 finaliser), so nearby (seed, i) pairs give unrelated words. */
function mix32(a: number, b: number, c: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x9e3779b1) ^ Math.imul(c, 0x85ebca77), 0xc2b2ae3d)
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

export function deterministicWords(prompt: string, seed: number, n: number): string[] {
  const base = hash32(prompt)
  const out: string[] = []
  for (let i = 0; i < n; i++) out.push(WORDS[mix32(base, seed, i) % WORDS.length] ?? 'x')
  return out
}

function logprobFor(token: string, top: number): Body {
  const lp = -((hash32(token) % 1000) / 500)
  const alts = Array.from({ length: top }, (_, k) => ({
    token: k === 0 ? token : `${token}~${k}`,
    logprob: lp - k * 0.5,
  }))
  return { token, logprob: lp, top_logprobs: alts }
}

export function embedding(text: string, dims = 8): number[] {
  const v = Array.from({ length: dims }, (_, i) => (hash32(`${i}:${text}`) % 2000) / 1000 - 1)
  const norm = Math.hypot(...v) || 1
  return v.map((x) => x / norm)
}

function delay(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms))
}
