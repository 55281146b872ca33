import { describe, expect, it } from 'vitest'
import { LogRing } from '../../../../src-main/services/training/log-capture'

describe('LogRing', () => {
  it('keeps everything while under capacity', () => {
    const ring = new LogRing(16)
    ring.append(Buffer.from('hello '))
    ring.append(Buffer.from('world'))
    expect(ring.snapshot()).toEqual({ text: 'hello world', droppedBytes: 0, totalBytes: 11 })
  })

  it('keeps exactly the last N bytes across wrap-around and counts the rest as dropped', () => {
    const ring = new LogRing(10)
    let written = ''
    for (let i = 0; i < 50; i++) {
      const piece = `${i},`
      written += piece
      ring.append(Buffer.from(piece))
      expect(ring.bytes().toString()).toBe(written.slice(-10))
      expect(ring.droppedBytes).toBe(Math.max(0, written.length - 10))
    }
    expect(ring.totalBytes).toBe(written.length)
  })

  it('keeps the tail of a chunk larger than the whole ring', () => {
    const ring = new LogRing(8)
    ring.append(Buffer.from('abc'))
    ring.append(Buffer.from('0123456789ABCDEF'))
    expect(ring.snapshot()).toEqual({ text: '89ABCDEF', droppedBytes: 11, totalBytes: 19 })
  })

  it('skips a multi-byte character cut by the start of the window', () => {
    const ring = new LogRing(6)
    ring.append(Buffer.from('x€yz€')) // € is 3 bytes: 1+3+1+1+3 = 9 bytes, the window starts inside the first €
    expect(ring.snapshot().text).toBe('yz€')
  })

  it('does not grow with the output', () => {
    const ring = new LogRing(1024)
    const chunk = Buffer.alloc(4096, 0x61)
    for (let i = 0; i < 1000; i++) ring.append(chunk)
    expect(ring.bytes().length).toBe(1024)
    expect(ring.droppedBytes).toBe(4096 * 1000 - 1024)
  })
})
