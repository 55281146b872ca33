// A trainer double for the fine-tuning job and screen: started as a custom recipe's command, it reads the
// dataset and Winnow's config file, prints Winnow's JSON progress lines (a falling loss) between plain log
// lines, and writes a small model.gguf whose bytes depend on the dataset. Options:
//   --data F --output DIR --config F   as the recipe's placeholders give them
//   --steps N (default 20)  --delay-ms M (default 20)  between steps
//   --hang      after the first step, wait until killed (for cancel and interrupted runs)
//   --fail      exit 3 after two steps with a message on stderr
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at === -1 ? fallback : args[at + 1]
}
const data = option('--data', null)
const output = option('--output', null)
const config = option('--config', null)
const steps = Number(option('--steps', '20'))
const delayMs = Number(option('--delay-ms', '20'))
if (!data || !output) {
  process.stderr.write('fake-trainer: --data and --output are required\n')
  process.exit(2)
}
const dataset = readFileSync(data)
const settings = config ? JSON.parse(readFileSync(config, 'utf8')) : null
console.log(`fake-trainer: ${dataset.length} bytes of ${settings?.dataset?.format ?? 'data'}, ${steps} steps`)
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

for (let step = 1; step <= steps; step++) {
  const loss = 3 * Math.exp(-step / steps) + 0.01 * (step % 3)
  console.log(`step ${step}: training`)
  console.log(
    JSON.stringify({ step, total: steps, loss, lr: 1e-4, eta_s: ((steps - step) * delayMs) / 1000 }),
  )
  if (args.includes('--hang')) await new Promise(() => setInterval(() => {}, 60_000))
  if (args.includes('--fail') && step === 2) {
    process.stderr.write('fake-trainer: CUDA out of memory (simulated)\n')
    process.exit(3)
  }
  await sleep(delayMs)
}
mkdirSync(output, { recursive: true })
const digest = createHash('sha256').update(dataset).digest('hex')
writeFileSync(join(output, 'model.gguf'), `GGUF fake model trained on ${digest}\n`)
console.log('fake-trainer: wrote model.gguf')
