// Trainer progress. Winnow's own protocol is one JSON object per stdout line:
// {"step":n,"total":n,"loss":x,"lr":x,"eta_s":x}; unknown fields are ignored. Trainers that do not speak it
// are read through fallback parsers for their plain logs (log-parsers.ts), on stdout and stderr alike.
import { z } from 'zod'
import { fallbackParsers, type LogParser } from './log-parsers'

export type ProgressSource = 'protocol' | 'llama-finetune' | 'transformers' | 'mlx-lm'

export interface TrainerProgress {
  /** Null when the log line says how the loss moved but not at which step (a TRL dict without a bar). */
  step: number | null
  total: number | null
  loss: number | null
  lr: number | null
  etaSeconds: number | null
  /** `eval` for validation passes, whose loss belongs on a separate curve. */
  phase: 'train' | 'eval'
  source: ProgressSource
}

// zod 4 numbers reject NaN and ±Infinity, so a loss that diverged to NaN is not plotted as a number.
const finite = z.number()
const protocolLine = z.object({
  step: z.number().int().nonnegative(),
  total: z.number().int().positive().nullish(),
  loss: finite.nullish(),
  lr: finite.nonnegative().nullish(),
  eta_s: finite.nonnegative().nullish(),
  phase: z.enum(['train', 'eval']).nullish(),
})

/** Parses one protocol line; null for anything else (plain log lines, malformed or invalid objects). */
export function parseProtocolLine(line: string): TrainerProgress | null {
  const text = line.trim()
  if (!text.startsWith('{')) return null
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  const parsed = protocolLine.safeParse(value)
  if (!parsed.success) return null
  const { step, total, loss, lr, eta_s: eta, phase } = parsed.data
  return {
    step,
    total: total ?? null,
    loss: loss ?? null,
    lr: lr ?? null,
    etaSeconds: eta ?? null,
    phase: phase ?? 'train',
    source: 'protocol',
  }
}

/**
 * Reads progress from a trainer's lines. The protocol wins: once one protocol line has been seen, the
 * fallback parsers are switched off so the same step is not reported twice from two sources.
 */
export class ProgressReader {
  readonly #parsers: LogParser[] = fallbackParsers()
  #speaksProtocol = false

  read(stream: 'stdout' | 'stderr', line: string): TrainerProgress | null {
    if (stream === 'stdout') {
      const progress = parseProtocolLine(line)
      if (progress) {
        this.#speaksProtocol = true
        return progress
      }
    }
    if (this.#speaksProtocol) return null
    for (const parser of this.#parsers) {
      const progress = parser.read(line)
      if (progress) return progress
    }
    return null
  }
}
