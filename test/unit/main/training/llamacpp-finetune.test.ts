// The llama.cpp recipe's pure parts: build progress parsing, the missing-tool message, the plain text
// rendering of an export, and the argv of a run. (Model generations are monitor events now: their lineage
// checks are in test/unit/shared/training/generation-lineage.test.ts.)
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { ExportRecord } from '@shared/export/export-record'
import { defaultFormatOptions } from '@shared/export/format-options'
import {
  buildPercent,
  configureFlags,
  defaultCacheRoot,
  requireBuildTools,
} from '../../../../src-main/services/training/llama-finetune-build'
import { finetuneArgv, renderFinetuneText } from '../../../../src-main/services/training/llamacpp-recipe'

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
