// replay() over a large, many-segment log: everything, in order, streamed; and read() paging through it.
import { describe, expect, it } from 'vitest'
import { ProjectLog } from '../../../src-main/log/project-log'
import { makeEvents, segmentFiles, tempLogDir } from './log-test-helpers'

const TOTAL = 20_000
const options = { segmentMaxBytes: 128 * 1024, flushIntervalMs: 0 }

describe('replay', () => {
  it(`streams ${TOTAL} events across compressed segments in order`, async () => {
    const dir = tempLogDir()
    const writer = await ProjectLog.open(dir, options)
    for (let i = 0; i < TOTAL; i += 500) await writer.append(makeEvents(i, 500, 'x'.repeat(40)))
    await writer.close()
    expect(segmentFiles(dir).filter((n) => n.endsWith('.gz')).length).toBeGreaterThan(10)

    const log = await ProjectLog.open(dir, options)
    expect(log.head().eventCount).toBe(TOTAL)
    let expected = 1
    for await (const event of log.replay()) {
      expect(event.seq).toBe(expected)
      expect((event.data as { i: number }).i).toBe(expected - 1)
      expected++
    }
    expect(expected).toBe(TOTAL + 1)

    let from = 12_345
    for await (const event of log.replay(12_344)) {
      expect(event.seq).toBe(from++)
    }
    expect(from).toBe(TOTAL + 1)

    // Stopping early releases the stream: the log still appends and closes.
    let seen = 0
    for await (const event of log.replay()) {
      if (++seen === 10) {
        expect(event.seq).toBe(10)
        break
      }
    }
    const paged = []
    for (let after = 0; after < TOTAL;) {
      const page = await log.read(after, { maxEvents: 1500 })
      expect(page[0]?.seq).toBe(after + 1)
      paged.push(...page)
      after = page.at(-1)?.seq ?? TOTAL
    }
    expect(paged.map((e) => e.seq)).toEqual(Array.from({ length: TOTAL }, (_, i) => i + 1))
    expect((await log.append(makeEvents(TOTAL, 1)))[0]?.seq).toBe(TOTAL + 1)
    await log.close()
  }, 60_000)

  it('sees events appended while replaying', async () => {
    const log = await ProjectLog.open(tempLogDir(), { segmentMaxBytes: 4096, flushIntervalMs: 0 })
    await log.append(makeEvents(0, 50))
    const seqs: number[] = []
    for await (const event of log.replay()) {
      seqs.push(event.seq)
      if (event.seq === 25) await log.append(makeEvents(50, 50))
    }
    expect(seqs).toEqual(Array.from({ length: 100 }, (_, i) => i + 1))
    await log.close()
  })
})
