// Collects the text of the candidates being written and publishes a snapshot a few times a second, so
// the Generate screen can show them streaming without one IPC message per token.
import {
  STREAM_PREVIEW_CHARS,
  type GenerationStreaming,
  type LiveCandidate,
} from '@shared/domain/generation-streaming'

export type PublishStreaming = (snapshot: GenerationStreaming) => void

const INTERVAL_MS = 150

interface Live {
  meta: Omit<LiveCandidate, 'text' | 'thinking' | 'textOmitted'>
  text: string
  thinking: string
  /** Answer characters written so far, of which `text` keeps the tail. */
  written: number
}

export class LivePreview {
  readonly #live = new Map<string, Live>()
  #timer: ReturnType<typeof setInterval> | null = null
  #isDirty = false

  constructor(
    private readonly projectId: string,
    private readonly jobId: string,
    private readonly publish: PublishStreaming | null,
  ) {}

  begin(meta: Live['meta']): void {
    if (!this.publish) return
    this.#live.set(meta.slot, { meta, text: '', thinking: '', written: 0 })
    this.#isDirty = true
    this.#timer ??= setInterval(() => this.#flush(), INTERVAL_MS)
    this.#timer.unref?.()
  }

  chunk(slot: string, piece: { text: string; thinking: string }): void {
    const live = this.#live.get(slot)
    if (!live) return
    // Kept short as it grows: only the tail is ever shown.
    live.written += piece.text.length
    live.text = tail(live.text + piece.text, STREAM_PREVIEW_CHARS)
    live.thinking = tail(live.thinking + piece.thinking, STREAM_PREVIEW_CHARS)
    this.#isDirty = true
  }

  end(slot: string): void {
    if (this.#live.delete(slot)) this.#isDirty = true
  }

  /** The job is over: one last (empty) snapshot so the screen stops showing stale streams. */
  stop(): void {
    if (this.#timer) clearInterval(this.#timer)
    this.#timer = null
    this.#live.clear()
    this.#isDirty = true
    this.#flush()
  }

  #flush(): void {
    if (!this.publish || !this.#isDirty) return
    this.#isDirty = false
    const streams = [...this.#live.values()].slice(0, 64).map((live): LiveCandidate => ({
      ...live.meta,
      text: live.text,
      thinking: live.thinking,
      textOmitted: live.written - live.text.length,
    }))
    this.publish({ projectId: this.projectId, jobId: this.jobId, streams })
  }
}

function tail(s: string, max: number): string {
  return s.length <= max ? s : s.slice(s.length - max)
}
