// The review bar's floor on this machine, end to end: a decision that does only what the bar requires and
// nothing of the app. In a tab of its own (same Chromium, same switches, same frame clock), the key sends the
// decision event's bytes over a WebSocket to this Node process, which appends them to a file and fsyncs it
// before answering; the page then puts the rows the projection writes for a decision in one strict IndexedDB
// transaction, and shows the next sample and its three candidates (four new paragraphs, as the review screen
// does) and a "saved" entry, timed by the same probe as the app (review-probe.ts). The app's figures minus
// these are what the app itself adds; these are the floor for any app built this way (a main process that
// owns the log, a renderer that owns the store) on this machine.
import { createServer } from 'node:http'
import { open, rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { BrowserContext } from 'playwright-core'
import { WebSocketServer } from 'ws'
import { sampleText } from '../test/factories/corpus-files'
import { installProbe, readTimings, waitForDecision, type DecisionTiming } from './review-probe'
import { appendDurably, defineScratchStoreOpener, type StoredRows } from './review-raw'

const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ideal decision</title></head>
<body><main><p data-testid="review-sample" data-sample-id="s0"></p><p></p><p></p><p></p><ol></ol></main></body></html>`

/** Keydown `1` → "saved" and the next sample painted, `count` times after `warmup`. */
export async function idealDecisionTimes(
  context: BrowserContext,
  dir: string,
  line: Buffer,
  rows: StoredRows,
  warmup: number,
  count: number,
): Promise<DecisionTiming[]> {
  const path = join(dir, 'ideal-append.scratch')
  const handle = await open(path, 'a')
  const http = createServer((_request, response) => {
    response.setHeader('content-type', 'text/html; charset=utf-8')
    response.end(page)
  })
  const sockets = new WebSocketServer({ server: http })
  sockets.on('connection', (socket) =>
    socket.on('message', (data: Buffer) => {
      // The bare append the bar's baseline times (review-raw.ts), then the answer.
      void appendDurably(handle, line).then(() => socket.send(data.toString('utf8')))
    }),
  )
  await new Promise<void>((done) => http.listen(0, '127.0.0.1', done))
  const address = http.address()
  if (address === null || typeof address === 'string') throw new Error('the ideal page server has no port')
  const tab = await context.newPage()
  try {
    await tab.goto(`http://127.0.0.1:${address.port}/`)
    const texts = Array.from({ length: 64 }, (_, i) => sampleText(i, 300))
    await defineScratchStoreOpener(tab)
    await tab.evaluate(setUpIdealPage, { rows, texts, event: line.toString('utf8') })
    await installProbe(tab, '1')
    for (let i = 0; i < warmup + count; i++) {
      await tab.keyboard.press('1')
      await tab.keyboard.press('Enter') // nothing listens for it: pressed because a person presses it too
      await waitForDecision(tab)
    }
    const timings = (await readTimings(tab)).slice(warmup)
    await tab.evaluate(
      () =>
        new Promise((done) => {
          const request = indexedDB.deleteDatabase('ideal-review-bench')
          request.onsuccess = request.onerror = () => done(null)
        }),
    )
    return timings
  } finally {
    await tab.close()
    sockets.close()
    await new Promise((done) => http.close(done))
    await handle.close()
    await rm(path, { force: true })
  }
}

/** Runs in the page: the scratch stores (review-raw.ts), the socket, and the `1` key's decision. */
async function setUpIdealPage({
  rows,
  texts,
  event,
}: {
  rows: StoredRows
  texts: string[]
  event: string
}): Promise<void> {
  const db = await window.__openScratchReviewDb!('ideal-review-bench')
  db.onversionchange = () => db.close() // the bench deletes the database when it is done
  const socket = new WebSocket(`ws://${location.host}/`)
  await new Promise((done) => (socket.onopen = done))
  const sample = document.querySelector('[data-testid="review-sample"]')!
  const paragraphs = [...document.querySelectorAll('p')]
  const list = document.querySelector('ol')!
  let next = 0
  const show = (i: number): void => {
    sample.setAttribute('data-sample-id', `s${i + 1}`)
    paragraphs.forEach(
      (paragraph, k) => (paragraph.textContent = texts[(4 * (i + 1) + k) % texts.length] ?? ''),
    )
    const entry = document.createElement('li')
    entry.setAttribute('data-testid', 'decision-status')
    entry.setAttribute('data-kind', 'select')
    entry.setAttribute('data-status', 'saved')
    entry.textContent = `select, sample ${i + 1}: saved`
    list.prepend(entry)
    list.children[8]?.remove()
  }
  show(-1)
  socket.onmessage = (message) => {
    const { i } = JSON.parse(String(message.data)) as { i: number }
    const tx = db.transaction(['decisions', 'reviews', 'sentinel'], 'readwrite', { durability: 'strict' })
    tx.objectStore('decisions').put({ ...(rows.decision as object), id: `ideal-${i}`, seq: i + 1 })
    tx.objectStore('reviews').put({ ...(rows.review as object), sampleId: `ideal-sample-${i}` })
    tx.objectStore('sentinel').put({ ...(rows.sentinel as object), lastSeq: i + 1 })
    tx.commit()
    tx.oncomplete = () => show(i)
  }
  window.addEventListener('keydown', (key) => {
    // The event's bytes travel both ways, as a decision's do (the request out, the notice back).
    if (key.key === '1') socket.send(JSON.stringify({ i: next++, event }))
  })
}
