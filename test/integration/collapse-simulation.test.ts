// Issue 7, bar 2: recursive training of a smoothed bigram model over a Zipfian source for 6 generations in the
// replace, accumulate and replace-with-10%-real regimes, each generation written as JSONL and fed to the real
// `npm run monitor` CLI in a child process. Replace must alarm by generation 3, accumulate never.
//
// This test can fail: feeding the accumulate regime's files to the replace run (in beforeAll,
// `regimeFiles.get(regime === 'replace' ? 'accumulate' : regime)`, tried while writing it) fails
//   "replace reaches alarm by generation 3": expected [ 'healthy', 'healthy', …(2) ] to include 'alarm'
//   the directions test: expected 0.0589… to be greater than 0.3005… (types lost, "replace" vs 10 % real)
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { MonitorReport } from '@shared/metrics/generation-report'
import { humanTexts, simulate, toText } from '../factories/ngram-simulation'
import type { IdText, Regime, SimulatedGeneration } from '../factories/ngram-simulation'

const repoRoot = resolve(import.meta.dirname, '../..')
const regimes: Regime[] = ['replace', 'accumulate', 'replace-10-real']
// 1,000 texts of 15–25 words a generation: ~20,000 tokens, enough for ~600 rare reference types, and each
// CLI run (7 generations) takes a few seconds on a 2-core machine.
const texts = 1000
const generations = 6

interface Run {
  code: number | null
  stdout: string
  stderr: string
}

/** The CLI exactly as a pipeline runs it, without a shell. */
function runMonitor(args: readonly string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/monitor.ts', ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    child.on('error', fail)
    child.on('close', (code) => done({ code, stdout, stderr }))
  })
}

const jsonl = (items: readonly IdText[]): string =>
  items.map((t) => JSON.stringify({ text: toText(t) })).join('\n')

let scratch = ''
const simulated = new Map<Regime, SimulatedGeneration[]>()
const reports = new Map<Regime, MonitorReport>()

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'winnow-collapse-'))
  const human = humanTexts(texts, 1)
  const heldOut = humanTexts(texts, 2)
  const reference = join(scratch, 'reference.jsonl')
  await writeFile(reference, jsonl(heldOut))
  const regimeFiles = new Map<Regime, string[]>()
  for (const regime of regimes) {
    const run = simulate({ regime, generations, samplesPerGeneration: texts, human, seed: 11 }, heldOut)
    simulated.set(regime, run)
    const files = run.map((g) => join(scratch, `${regime}-g${g.generation}.jsonl`))
    await Promise.all(run.map((g, i) => writeFile(files[i] ?? '', jsonl(g.samples))))
    regimeFiles.set(regime, files)
  }
  const runs = await Promise.all(
    regimes.map(async (regime) => {
      const files = regimeFiles.get(regime) ?? []
      return runMonitor(['--reference', reference, ...files.flatMap((f) => ['--generation', f]), '--json'])
    }),
  )
  runs.forEach((run, i) => {
    if (run.code !== 0) throw new Error(`monitor exited ${run.code}: ${run.stderr}`)
    reports.set(regimes[i] ?? 'replace', JSON.parse(run.stdout) as MonitorReport)
  })
  printFigures()
}, 60_000)

afterAll(async () => {
  if (scratch !== '') await rm(scratch, { recursive: true, force: true })
})

const report = (regime: Regime): MonitorReport => {
  const found = reports.get(regime)
  if (found === undefined) throw new Error(`no report for ${regime}`)
  return found
}
const verdicts = (regime: Regime) => report(regime).generations.map((g) => g.verdict)
const typesAtBudget = (g: MonitorReport['generations'][number]) =>
  Math.round((g.metrics.distinct.n1 ?? 0) * g.metrics.tokensUsed.samples)
const relative = (now: number, then: number) => (now - then) / then

/** The figures to set beside the "Expected behaviour" table of COLLAPSE.md. */
function printFigures() {
  for (const regime of regimes) {
    const rows = report(regime).generations.map((g, i) => ({
      generation: i,
      types: typesAtBudget(g),
      'distinct-2': g.metrics.distinct.n2?.toFixed(3),
      'tail recall': g.metrics.tailRecall.types?.toFixed(3),
      'held-out ppl': simulated.get(regime)?.[i]?.heldOut?.perplexity.toFixed(0),
      tails: g.families.tails,
      mode: g.families.modeConcentration,
      verdict: g.verdict,
    }))
    console.log(`${regime} (budget ${report(regime).budget} tokens)`)
    console.table(rows)
  }
}

describe('collapse simulation through `npm run monitor --json`', () => {
  it('measures every generation at one stated budget and keeps generation 0 healthy', () => {
    for (const regime of regimes) {
      const r = report(regime)
      expect(r.generations).toHaveLength(generations + 1)
      expect(r.budgetSource).toMatch(/^smallest file: /)
      for (const g of r.generations) expect(g.metrics.tokensUsed.samples).toBe(r.budget)
      expect(r.generations[0]?.verdict).toBe('healthy')
    }
  })

  it('replace reaches alarm by generation 3', () => {
    expect(verdicts('replace').slice(0, 4)).toContain('alarm')
    expect(verdicts('replace')[3]).toBe('alarm')
  })

  it('accumulate never reaches alarm', () => {
    expect(verdicts('accumulate')).not.toContain('alarm')
  })

  it('replace with 10 % real data is at least watch by generation 6', () => {
    expect(['watch', 'alarm']).toContain(verdicts('replace-10-real')[generations])
  })

  it('moves in the directions of COLLAPSE.md: replace loses most, 10 % real less, accumulate least', () => {
    const drop = (regime: Regime, pick: (g: MonitorReport['generations'][number]) => number | null) => {
      const [first, last] = [report(regime).generations[0], report(regime).generations[generations]]
      if (first === undefined || last === undefined) throw new Error('missing generation')
      return -relative(pick(last) ?? NaN, pick(first) ?? NaN)
    }
    const measures: ((g: MonitorReport['generations'][number]) => number | null)[] = [
      typesAtBudget,
      (g) => g.metrics.tailRecall.types,
      (g) => g.metrics.distinct.n2,
    ]
    for (const pick of measures) {
      expect(drop('replace', pick)).toBeGreaterThan(drop('replace-10-real', pick))
      expect(drop('replace-10-real', pick)).toBeGreaterThan(drop('accumulate', pick))
      expect(drop('replace', pick)).toBeGreaterThan(0.2)
      expect(Math.abs(drop('accumulate', pick))).toBeLessThan(0.1)
    }
    const perplexity = (regime: Regime) =>
      simulated.get(regime)?.map((g) => g.heldOut?.perplexity ?? NaN) ?? []
    const growth = (regime: Regime) =>
      relative(perplexity(regime)[generations] ?? NaN, perplexity(regime)[0] ?? NaN)
    expect(growth('replace')).toBeGreaterThan(growth('replace-10-real'))
    expect(growth('replace-10-real')).toBeGreaterThan(growth('accumulate'))
  })
})

describe('monitor CLI input handling', () => {
  it('reports a bad line with file:line, skips it, and exits 2 with the name of a missing file', async () => {
    const ref = join(scratch, 'small-ref.jsonl')
    const gen = join(scratch, 'small-gen.jsonl')
    await writeFile(ref, '{"text":"the cat sat on the mat"}\n{"text":"a dog ran"}\n')
    await writeFile(
      gen,
      '{"text":"the cat sat"}\nnot json\n{"txt":"wrong field"}\n\n{"text":"a dog sat on the mat"}\n',
    )
    const ok = await runMonitor(['--reference', ref, '--generation', gen, '--json'])
    expect(ok.code).toBe(0)
    expect(ok.stderr).toContain(`${gen}:2: not JSON`)
    expect(ok.stderr).toContain(`${gen}:3: no string "text" field`)
    expect((JSON.parse(ok.stdout) as MonitorReport).generations[0]?.metrics.samples).toBe(2)

    const missing = join(scratch, 'no-such-file.jsonl')
    const failed = await runMonitor(['--reference', ref, '--generation', gen, '--generation', missing])
    expect(failed.code).toBe(2)
    expect(failed.stderr).toContain(`cannot read ${missing}: ENOENT`)
    expect(failed.stdout).toBe('')
  })
})
