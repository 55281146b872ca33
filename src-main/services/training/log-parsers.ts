// Fallback progress parsers for the plain logs of the trainers Winnow knows, for when a trainer does not
// speak the JSON-lines protocol. Each reads one line at a time and may keep state across lines (a total
// announced once at the start, a step known only from the last progress bar).
import type { TrainerProgress } from './progress-protocol'

export interface LogParser {
  read(line: string): TrainerProgress | null
}

const number = String.raw`[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?`

/** C's printf writes NaN as `nan` or `-nan`, Python as `nan`: no number to plot. */
function toNumber(text: string | undefined): number | null {
  if (text === undefined) return null
  const value = Number(text)
  return Number.isFinite(value) ? value : null
}

/** `HH:MM:SS`, `MM:SS` or `H:MM:SS` (tqdm, llama.cpp) to seconds; null for `?`. */
function clockSeconds(text: string | undefined): number | null {
  if (!text || !/^\d+(?::\d{1,2}){1,2}$/.test(text)) return null
  return text.split(':').reduce((seconds, part) => seconds * 60 + Number(part), 0)
}

/**
 * llama.cpp `llama-finetune` (ggml_opt_epoch_callback_progress_bar in ggml/src/ggml-opt.cpp), on stderr,
 * redrawn with \r:
 * `train: [███▌    ] data=0000256/0001024 loss=2.34567±0.01234 acc=12.34±0.56% t=00:00:03 ETA=00:00:09 `
 * `val:   [...]` lines are the held-out split. `data` counts samples within the current epoch.
 */
export class LlamaFinetuneParser implements LogParser {
  static readonly #line = new RegExp(
    String.raw`^(train|val):\s*\[.*?\]\s*data=(\d+)/(\d+)\s+loss=(${number}|-?nan|-?inf)` +
      String.raw`(?:±\S+)?.*?(?:ETA=(\d+:\d{2}:\d{2}))?\s*$`,
  )

  read(line: string): TrainerProgress | null {
    const match = line.trim().match(LlamaFinetuneParser.#line)
    if (!match) return null
    return {
      step: Number(match[2]),
      total: Number(match[3]) || null,
      loss: toNumber(match[4]),
      // llama-finetune prints only the initial rate (-lr0) in its header, not the rate of each step.
      lr: null,
      etaSeconds: clockSeconds(match[5]),
      phase: match[1] === 'train' ? 'train' : 'eval',
      source: 'llama-finetune',
    }
  }
}

/**
 * Hugging Face transformers / TRL: the Trainer's log dicts, printed with Python's repr (numbers, or numbers
 * in quotes in newer versions): `{'loss': 1.2345, 'grad_norm': 0.9, 'learning_rate': 1.9e-05, 'epoch': 0.25}`,
 * and the tqdm bar without a label: ` 12%|█▏        | 12/100 [00:05<00:40,  2.17it/s]`.
 * The bar gives the step; the dict gives the loss. Labelled bars (`Map:`, `Loading checkpoint shards:`) and
 * bars whose total differs from the first training bar's (evaluation passes) are not the training step.
 */
export class TransformersParser implements LogParser {
  static readonly #bar = /^\s*(\d+)%\|[^|]*\|\s*(\d+)\/(\d+)\s*\[([\d:]+)<([\d:?]+)/
  static readonly #dict = /^\{'[A-Za-z_]+':.*\}$/
  static readonly #entry = new RegExp(String.raw`'([A-Za-z_]+)':\s*'?(${number}|nan|inf)'?`, 'g')
  #trainTotal: number | null = null
  #step: number | null = null
  #eta: number | null = null

  read(line: string): TrainerProgress | null {
    const text = line.trim()
    const bar = line.match(TransformersParser.#bar)
    if (bar) return this.#readBar(Number(bar[2]), Number(bar[3]), clockSeconds(bar[5]))
    if (!TransformersParser.#dict.test(text)) return null
    const entries = new Map<string, number | null>()
    for (const match of text.matchAll(TransformersParser.#entry)) entries.set(match[1]!, toNumber(match[2]))
    const phase = entries.has('loss') ? 'train' : entries.has('eval_loss') ? 'eval' : null
    if (phase === null) return null
    return {
      step: this.#step,
      total: this.#trainTotal,
      loss: (phase === 'train' ? entries.get('loss') : entries.get('eval_loss')) ?? null,
      lr: entries.get('learning_rate') ?? null,
      etaSeconds: this.#eta,
      phase,
      source: 'transformers',
    }
  }

  #readBar(step: number, total: number, eta: number | null): TrainerProgress | null {
    this.#trainTotal ??= total
    if (total !== this.#trainTotal) return null
    this.#step = step
    this.#eta = eta
    return { step, total, loss: null, lr: null, etaSeconds: eta, phase: 'train', source: 'transformers' }
  }
}

/**
 * MLX-LM (`mlx_lm.lora`): `Starting training..., iters: 600` once, then
 * `Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.512, Tokens/sec 254.9, Trained Tokens 4986, Peak mem 5.1 GB`
 * and `Iter 200: Val loss 1.890, Val took 3.456s`. The ETA is derived from the iteration rate MLX reports.
 */
export class MlxLmParser implements LogParser {
  static readonly #start = /iters:\s*(\d+)/
  static readonly #train = new RegExp(
    String.raw`^Iter (\d+): Train loss (${number}|nan|inf)(?:, Learning Rate (${number}))?(?:, It/sec (${number}))?`,
  )
  static readonly #val = new RegExp(String.raw`^Iter (\d+): Val loss (${number}|nan|inf)`)
  #total: number | null = null

  read(line: string): TrainerProgress | null {
    const text = line.trim()
    if (text.startsWith('Starting training')) {
      this.#total = toNumber(text.match(MlxLmParser.#start)?.[1])
      return null
    }
    const train = text.match(MlxLmParser.#train)
    if (train) {
      const step = Number(train[1])
      const rate = toNumber(train[4])
      const eta =
        this.#total !== null && rate !== null && rate > 0 ? Math.max(0, this.#total - step) / rate : null
      return {
        step,
        total: this.#total,
        loss: toNumber(train[2]),
        lr: toNumber(train[3]),
        etaSeconds: eta,
        phase: 'train',
        source: 'mlx-lm',
      }
    }
    const val = text.match(MlxLmParser.#val)
    if (!val) return null
    const step = Number(val[1])
    return {
      step,
      total: this.#total,
      loss: toNumber(val[2]),
      lr: null,
      etaSeconds: null,
      phase: 'eval',
      source: 'mlx-lm',
    }
  }
}

export const fallbackParsers = (): LogParser[] => [
  new LlamaFinetuneParser(),
  new TransformersParser(),
  new MlxLmParser(),
]
