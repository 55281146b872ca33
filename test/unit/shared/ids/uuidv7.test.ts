// UUIDv7 ids from the shared generator: well-formed, ordered by creation, unique, and the timestamp readable.
import { describe, expect, it } from 'vitest'
import { uuidv7 } from '../../../../src-shared/ids/uuidv7'

const shape = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('uuidv7', () => {
  it('makes version-7 ids that sort in creation order', () => {
    const ids = Array.from({ length: 2000 }, () => uuidv7())
    for (const id of ids) expect(id).toMatch(shape)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('puts the milliseconds in the first 48 bits, big-endian', () => {
    const ms = Date.UTC(2090, 0, 1) // beyond 2^40 ms, so the top bytes are exercised
    const id = uuidv7(ms)
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(ms)
  })

  it('stays ordered when the clock goes back', () => {
    const later = uuidv7(Date.UTC(2095, 0, 1))
    const earlier = uuidv7(Date.UTC(2020, 0, 1))
    expect(earlier > later).toBe(true)
  })
})
