// The export's read-ahead: reads come out in the order they were pushed, the producer waits while the
// queue is full, and a failed read or producer fails the consumer instead of leaving it waiting.
import { describe, expect, it } from 'vitest'
import { ReadAhead } from '../../../src-renderer/db/repos/read-ahead'

const later = <T>(value: T, ms: number): Promise<T> =>
  new Promise((done) => setTimeout(() => done(value), ms))

describe('read-ahead', () => {
  it('hands reads over in push order and keeps at most `limit` waiting', async () => {
    const ahead = new ReadAhead<number>(2)
    let calls = 0
    let mostAhead = 0
    ahead.endWith(
      (async () => {
        for (let i = 0; i < 6; i++) {
          await ahead.room()
          // Pushed minus asked for: never more than the limit ahead of the consumer.
          mostAhead = Math.max(mostAhead, i + 1 - calls)
          ahead.push(later(i, 10 - i)) // later pushes settle sooner
        }
      })(),
    )
    const taken: number[] = []
    for (;;) {
      calls += 1
      const read = await ahead.next()
      if (read === null) break
      taken.push(read)
    }
    expect(taken).toEqual([0, 1, 2, 3, 4, 5])
    expect(mostAhead).toBeLessThanOrEqual(2)
    expect(mostAhead).toBe(2) // and it does read ahead
  })

  it('fails the consumer when a read fails, and when the producer does', async () => {
    const failing = new ReadAhead<number>(3)
    failing.push(Promise.reject(new Error('the disk is gone')))
    failing.endWith(Promise.resolve())
    await expect(failing.next()).rejects.toThrow(/disk is gone/)

    const broken = new ReadAhead<number>(3)
    broken.endWith(later(null, 5).then(() => Promise.reject(new Error('no more samples'))))
    await expect(broken.next()).rejects.toThrow(/no more samples/)
  })
})
