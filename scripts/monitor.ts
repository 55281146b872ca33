// `npm run monitor`: the text-only collapse monitor for plain JSONL files, so a training pipeline can run it
// without the app. A thin shell: arguments and files here, every figure from src-shared/metrics.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { formatMonitorTable } from '../src-shared/metrics/alarms/monitor-table'
import { monitorReport, parseTextJsonl } from '../src-shared/metrics/generation-report'
import type { TextFile } from '../src-shared/metrics/generation-report'

const usage = `Usage: npm run monitor -- --reference ref.jsonl --generation g0.jsonl --generation g1.jsonl … [--budget N] [--json]
Each file holds one JSON object per line with a "text" field. The first --generation is the baseline.`

/** A usage or input error: message on stderr, exit code 2 (1 is left for crashes). */
class InputError extends Error {}

function readTextFile(file: string): TextFile {
  let content: string
  try {
    content = readFileSync(file, 'utf8')
  } catch (error) {
    throw new InputError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`)
  }
  const { texts, problems } = parseTextJsonl(content)
  for (const problem of problems)
    process.stderr.write(`${file}:${problem.line}: ${problem.message}; skipped\n`)
  return { file, texts }
}

function parseBudget(value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const budget = Number(value)
  if (!Number.isInteger(budget) || budget <= 0)
    throw new InputError(`--budget must be a positive integer, not ${value}`)
  return budget
}

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      reference: { type: 'string' },
      generation: { type: 'string', multiple: true },
      budget: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  })
  if (values.help) {
    process.stdout.write(`${usage}\n`)
    return 0
  }
  if (values.reference === undefined || (values.generation ?? []).length === 0)
    throw new InputError('--reference and at least one --generation are required')
  const budget = parseBudget(values.budget)
  const reference = readTextFile(values.reference)
  const generations = (values.generation ?? []).map(readTextFile)
  const report = monitorReport(reference, generations, budget === undefined ? {} : { budget })
  process.stdout.write(`${values.json ? JSON.stringify(report, null, 2) : formatMonitorTable(report)}\n`)
  return 0
}

try {
  process.exitCode = main(process.argv.slice(2))
} catch (error) {
  // parseArgs reports unknown or malformed options with an ERR_PARSE_ARGS_* code: a usage error too.
  const isUsage =
    error instanceof InputError || String((error as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS')
  if (!isUsage) throw error
  process.stderr.write(`monitor: ${(error as Error).message}\n${usage}\n`)
  process.exitCode = 2
}
