// The live preview of a generation job: snapshots at most every 150 ms, only when something changed,
// the tail of long texts with the count of what was left out, and an empty snapshot when the job ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { LivePreview } from '../../../src-main/services/generation/live-preview'
import { STREAM_PREVIEW_CHARS, type GenerationStreaming } from '@shared/domain/generation-streaming'
import { generationStreaming } from '@shared/domain/generation-streaming'

const meta = (slot: string) => ({ slot, sampleId: 's1', model: 'tiny:latest', temperature: 0.7, index: 0 })

describe('LivePreview', () => {
  let sent: GenerationStreaming[]
  let preview: LivePreview

  beforeEach(() => {
    vi.useFakeTimers()
    sent = []
    preview = new LivePreview('p1', 'j1', (snapshot) => sent.push(generationStreaming.parse(snapshot)))
  })

  afterEach(() => {
    preview.stop()
    vi.useRealTimers()
  })

  it('publishes the text so far a few times a second, not once per chunk', () => {
    preview.begin(meta('a'))
    for (const word of ['The', ' fox', ' ran']) preview.chunk('a', { text: word, thinking: '' })
    expect(sent).toHaveLength(0)
    vi.advanceTimersByTime(150)
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({
      projectId: 'p1',
      jobId: 'j1',
      streams: [{ slot: 'a', text: 'The fox ran' }],
    })
    vi.advanceTimersByTime(1_000)
    expect(sent).toHaveLength(1)
    preview.chunk('a', { text: '.', thinking: 'hm' })
    vi.advanceTimersByTime(150)
    expect(sent.at(-1)?.streams[0]).toMatchObject({ text: 'The fox ran.', thinking: 'hm', textOmitted: 0 })
  })

  it('keeps only the tail of a long text and says how much was left out', () => {
    preview.begin(meta('a'))
    const long = 'x'.repeat(STREAM_PREVIEW_CHARS * 3) + 'END'
    for (let i = 0; i < long.length; i += 100)
      preview.chunk('a', { text: long.slice(i, i + 100), thinking: '' })
    vi.advanceTimersByTime(150)
    const stream = sent.at(-1)!.streams[0]!
    expect(stream.text).toHaveLength(STREAM_PREVIEW_CHARS)
    expect(stream.text.endsWith('END')).toBe(true)
    expect(stream.textOmitted + stream.text.length).toBe(long.length)
  })

  it('drops finished candidates and ends with an empty snapshot', () => {
    preview.begin(meta('a'))
    preview.begin(meta('b'))
    preview.chunk('b', { text: 'hi', thinking: '' })
    vi.advanceTimersByTime(150)
    expect(sent.at(-1)?.streams.map((s) => s.slot)).toEqual(['a', 'b'])
    preview.end('a')
    vi.advanceTimersByTime(150)
    expect(sent.at(-1)?.streams.map((s) => s.slot)).toEqual(['b'])
    preview.stop()
    expect(sent.at(-1)?.streams).toEqual([])
  })

  it('publishes nothing without a publisher', () => {
    const silent = new LivePreview('p1', 'j1', null)
    silent.begin(meta('a'))
    silent.chunk('a', { text: 'x', thinking: '' })
    vi.advanceTimersByTime(1_000)
    silent.stop()
    expect(sent).toHaveLength(0)
  })
})
