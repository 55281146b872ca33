// The llama.cpp recipe's pure parts: build progress parsing, the missing-tool message, the plain text
// rendering of an export, the argv of a run, and the model generation record's rules and lineage checks.
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ExportRecord } from '@shared/export/export-record'
import { defaultFormatOptions } from '@shared/export/format-options'
import {
  buildPercent,
  configureFlags,
  defaultCacheRoot,
  requireBuildTools,
} from '../../../../src-main/services/training/llama-finetune-build'
import { finetuneArgv, renderFinetuneText } from '../../../../src-main/services/training/llamacpp-recipe'
import {
  baseGeneration,
  lineageOf,
  modelGeneration,
  nextGeneration,
  type ModelGeneration,
} from '../../../../src-main/services/training/model-generation'

function record(id: string, status: ExportRecord['review']['status'], text: string): ExportRecord {
  const accepted = status === 'selected' || status === 'edited'
  return {
    sampleId: id,
    externalId: null,
    source: { text: `source ${id}`, meta: {}, origin: 'human', depth: 0 },
    candidates: [
      {
        id: `c-${id}`,
        text,
        thinking: null,
        model: 'm',
        generationId: 0,
        sampling: { temperature: 1, topP: null, topK: null, seed: 1, maxTokens: 8, stop: [] },
        prompt: { mode: 'raw', text: `source ${id}` },
        logprobs: null,
      },
    ],
    review: {
      status,
      chosenCandidateId: status === 'selected' ? `c-${id}` : null,
      finalText: accepted ? text : null,
      negativeIds: [],
      flags: [],
    },
  }
}

describe('llama-finetune build helpers', () => {
  it('reads CMake and Ninja progress lines, and nothing else', () => {
    expect(buildPercent('[ 45%] Building CXX object ggml/src/ggml.cpp.o')).toBe(45)
    expect(buildPercent('[100%] Linking CXX executable ../../bin/llama-finetune')).toBe(100)
    expect(buildPercent('[12/200] Building CXX object x.o')).toBe(6)
    expect(buildPercent('-- Configuring done')).toBeNull()
    expect(buildPercent('warning: [ 45%] not at the start')).toBeNull()
  })

  it('configures without web UI, TLS, tests or downloads', () => {
    for (const flag of [
      '-DLLAMA_BUILD_UI=OFF',
      '-DLLAMA_USE_PREBUILT_UI=OFF',
      '-DLLAMA_OPENSSL=OFF',
      '-DLLAMA_BUILD_TESTS=OFF',
      '-DFETCHCONTENT_FULLY_DISCONNECTED=ON',
    ])
      expect(configureFlags).toContain(flag)
  })

  it('names every missing tool when PATH has none of them', () => {
    const env = { PATH: join(tmpdir(), 'winnow-no-such-dir') }
    expect(() => requireBuildTools(env)).toThrow(/cmake, a C\+\+ compiler \(c\+\+, g\+\+ or clang\+\+\), git/)
  })

  it('keeps the cache outside the project, under WINNOW_CACHE_DIR when set', () => {
    expect(defaultCacheRoot({ WINNOW_CACHE_DIR: '/x/cache' })).toBe('/x/cache')
    expect(defaultCacheRoot({})).not.toContain(process.cwd())
  })
})

describe('renderFinetuneText', () => {
  it('keeps accepted texts in order, blank-line separated, and drops the rest', () => {
    const out = renderFinetuneText(
      [
        record('a', 'selected', 'First story.'),
        record('b', 'rejected', 'Bad story.'),
        record('c', 'edited', '  Second story.\n'),
        record('d', 'skipped', 'Unseen story.'),
      ],
      defaultFormatOptions,
    )
    expect(out).toEqual({ text: 'First story.\n\nSecond story.\n', rows: 2, skipped: 2 })
  })

  it('can lead each text with its prompt', () => {
    const out = renderFinetuneText([record('a', 'selected', 'Story.')], defaultFormatOptions, {
      includePrompt: true,
    })
    expect(out.text).toBe('Rewrite the following text:\n\nsource a\n\nStory.\n')
  })

  it('refuses an export with nothing accepted', () => {
    expect(() => renderFinetuneText([record('b', 'rejected', 'x')], defaultFormatOptions)).toThrow(
      /no accepted texts/,
    )
  })
})

describe('finetuneArgv', () => {
  const hp = { epochs: 3, learningRate: 1e-4, contextSize: 128, threads: 2, valSplit: 0.05 }

  it('passes each path as one argument, braces and spaces included', () => {
    const paths = { model: '/m {model}.gguf', dataset: '/d; rm -rf $HOME.txt', output: '/o "x".gguf' }
    const { file, args } = finetuneArgv('/bin/llama finetune', paths, hp)
    expect(file).toBe('/bin/llama finetune')
    expect(args.slice(0, 6)).toEqual(['--model', paths.model, '--file', paths.dataset, '-o', paths.output])
    expect(args).toEqual(expect.arrayContaining(['--epochs', '3', '--learning-rate', '0.0001']))
    const ctx = args.indexOf('--ctx-size')
    expect(args.slice(ctx, ctx + 6)).toEqual([
      '--ctx-size',
      '128',
      '--batch-size',
      '128',
      '--ubatch-size',
      '128',
    ])
  })

  it('rejects hyperparameters llama-finetune cannot use', () => {
    const paths = { model: 'm', dataset: 'd', output: 'o' }
    expect(() => finetuneArgv('p', paths, { ...hp, epochs: 0 })).toThrow()
    expect(() => finetuneArgv('p', paths, { ...hp, learningRate: -1 })).toThrow()
  })
})

describe('model generations', () => {
  let dir: string
  let gen0: ModelGeneration
  let gen1: ModelGeneration

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'winnow-generations-'))
    await writeFile(join(dir, 'base.gguf'), 'base bytes')
    await writeFile(join(dir, 'train.txt'), 'story\n')
    await writeFile(join(dir, 'out.gguf'), 'tuned bytes')
    gen0 = await baseGeneration(join(dir, 'base.gguf'))
    gen1 = await nextGeneration(gen0, {
      datasetSnapshotId: 'snap-1',
      datasetPath: join(dir, 'train.txt'),
      runId: 'run-1',
      recipeId: 'llamacpp-finetune',
      hyperparameters: { epochs: 2 },
      argv: ['llama-finetune', '--epochs', '2'],
      seconds: 1.5,
      outputPaths: [join(dir, 'out.gguf')],
    })
  })
  afterAll(async () => rm(dir, { recursive: true, force: true }))

  it('digests the files it names', () => {
    // sha256("base bytes"), computed with sha256sum.
    expect(gen0.outputs[0]).toMatchObject({ bytes: 10, name: 'base.gguf' })
    expect(gen0.outputs[0]?.sha256).toBe('4f6a821a3a8811b223d5144f73b9d2262286a13741fff195faf1df54b2b29c98')
    expect(gen1.baseModel).toEqual(gen0.outputs[0])
    expect(gen1.training?.datasetFile.bytes).toBe(6)
    expect(gen1.outputs[0]?.sha256).toBe('44b105a48070f23d2b55563c8b2da60dd6788e1a015c56d34ee982b869b30917')
    expect(gen1).toMatchObject({ generation: 1, parentGeneration: 0 })
  })

  it('walks the lineage back to generation 0', () => {
    const steps = lineageOf([gen1, gen0], 1)
    expect(steps.map((s) => [s.generation.generation, s.parent?.generation ?? null])).toEqual([
      [1, 0],
      [0, null],
    ])
  })

  it('refuses broken lineage: missing parent, wrong base file, a skipped number, a trained generation 0', () => {
    expect(() => lineageOf([gen1], 1)).toThrow(/parent 0 is not recorded/)
    const otherBase = { ...gen1, baseModel: { ...gen1.baseModel, sha256: 'f'.repeat(64) } }
    expect(() => lineageOf([gen0, otherBase], 1)).toThrow(/not trained from generation 0/)
    expect(modelGeneration.safeParse({ ...gen1, generation: 2 }).success).toBe(false)
    expect(modelGeneration.safeParse({ ...gen0, training: gen1.training }).success).toBe(false)
    expect(() => lineageOf([gen0, gen0], 0)).toThrow(/Two records/)
  })
})
