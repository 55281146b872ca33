// `npm run build:finetune`: builds (or finds in the cache) llama.cpp's llama-finetune ahead of time, e.g. in
// CI before the tests, with a progress line. The build itself is src-main/services/training/llama-finetune-build.ts.
import { defaultCacheRoot, ensureLlamaFinetune } from '../src-main/services/training/llama-finetune-build'

const controller = new AbortController()
process.once('SIGINT', () => controller.abort())

let lastPercent = -1
const started = Date.now()
const build = await ensureLlamaFinetune({
  signal: controller.signal,
  onProgress: ({ phase, percent }) => {
    if (percent === null) process.stderr.write(`llama-finetune: ${phase}…\n`)
    // One line per 5 %: CI logs are not terminals, a redrawn bar would be hundreds of lines.
    else if (percent >= lastPercent + 5 || percent === 100) {
      lastPercent = percent
      process.stderr.write(
        `llama-finetune: ${phase} ${percent}% (${Math.round((Date.now() - started) / 1000)} s)\n`,
      )
    }
  },
}).catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
process.stdout.write(
  build.built
    ? `Built ${build.binary} (llama.cpp ${build.release}) in ${build.buildSeconds} s.\n`
    : `Using the cached ${build.binary} (llama.cpp ${build.release}; cache root ${defaultCacheRoot()}).\n`,
)
