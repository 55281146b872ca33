// The dashboard's state: refreshes asked for while one is in flight (every log append asks) fold into one
// more read, never a queue of them; a failed action keeps its message, which says what to do.
import { describe, expect, it } from 'vitest'
import type { Api, Reply } from '@shared/ipc/contract'
import { humanOnlyMix } from '@shared/metrics/mix/data-mix'
import { MonitorState } from '../../../src-renderer/state/monitor.svelte'

const report = (verdict: 'healthy' | 'alarm'): Reply<'monitor.report'> => ({
  builtAt: '2026-12-06T00:00:00Z',
  sets: null,
  probePrompts: [],
  tokenBudget: null,
  generations: [],
  verdict,
  isMixBaselineHumanOnly: true,
  mixBaseline: humanOnlyMix,
  embeddingModel: null,
  embeddingNote: null,
  nextStep: null,
})

function fakeApi() {
  const waiting: (() => void)[] = []
  let calls = 0
  let verdict: 'healthy' | 'alarm' = 'healthy'
  const api = {
    'monitor.report': async () => {
      calls++
      const answer = report(verdict)
      await new Promise<void>((resolve) => waiting.push(resolve))
      return answer
    },
    'monitor.register': async () => {
      throw new Error('The parent generation is not registered here: register it first.')
    },
  } as unknown as Api
  return {
    api,
    calls: () => calls,
    setVerdict: (v: typeof verdict) => (verdict = v),
    answer: () => waiting.shift()?.(),
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('MonitorState', () => {
  it('folds refreshes asked for during a read into one more read, which has the last word', async () => {
    const fake = fakeApi()
    const monitor = new MonitorState('p1', { api: fake.api })
    const first = monitor.refresh()
    const more = [monitor.refresh(), monitor.refresh(), monitor.refresh()]
    fake.setVerdict('alarm')
    await tick()
    expect(fake.calls()).toBe(1)
    fake.answer()
    await tick()
    expect(fake.calls()).toBe(2)
    fake.answer()
    await Promise.all([first, ...more])
    expect(fake.calls()).toBe(2)
    expect(monitor.report?.verdict).toBe('alarm')
  })

  it('shows why an action failed', async () => {
    const monitor = new MonitorState('p1', { api: fakeApi().api })
    monitor.generationForm.label = 'gen 1'
    monitor.generationForm.ggufPath = '/m.gguf'
    await monitor.registerGeneration()
    expect(monitor.error).toMatch(/register it first/)
    expect(monitor.isBusy).toBe(false)
  })

  it('registers an Ollama generation with its host, and its GGUF file only when given', async () => {
    const sent: unknown[] = []
    const api = {
      'monitor.report': async () => report('healthy'),
      'monitor.register': async (request: { generation: { label: string } }) => {
        sent.push(request)
        return { id: 'g7', generation: 0, label: request.generation.label }
      },
    } as unknown as Api
    const monitor = new MonitorState('p1', { api })
    const form = monitor.generationForm
    form.label = 'base'
    form.engine = 'ollama'
    expect(monitor.canRegister).toBe(false)
    form.ollamaName = 'llama3.2:1b'
    expect(monitor.canRegister).toBe(true)
    await monitor.registerGeneration()
    expect(sent).toEqual([
      {
        projectId: 'p1',
        generation: {
          label: 'base',
          parentId: null,
          engine: 'ollama',
          ggufPath: null,
          ollama: { host: 'http://127.0.0.1:11434', name: 'llama3.2:1b' },
          trainingSnapshotId: null,
        },
      },
    ])
    expect(monitor.notice).toBe('Registered base as generation 0.')
    // The next generation is trained from the one just registered, unless the person picks another.
    expect(form.parentId).toBe('g7')
  })

  it('probes with the embedding model the last probe used, until the person chooses another', async () => {
    const sent: { embedding: unknown }[] = []
    const used = { engine: 'ollama' as const, host: 'http://127.0.0.1:11434', model: 'nomic-embed-text' }
    const api = {
      'monitor.report': async () => ({ ...report('healthy'), embeddingModel: used }),
      'monitor.probe': async (request: { embedding: unknown }) => {
        sent.push(request)
        return { jobId: 'j1' }
      },
    } as unknown as Api
    const monitor = new MonitorState('p1', { api })
    await monitor.refresh()
    await monitor.probe('g1', 'gen 1')
    expect(sent[0]!.embedding).toEqual(used)
    expect(monitor.notice).toMatch(/embedding with nomic-embed-text/)
    monitor.chooseEmbedding({ engine: 'none' })
    await monitor.probe('g1', 'gen 1')
    expect(sent[1]!.embedding).toBeNull()
    expect(monitor.embeddingForm.engine).toBe('none')
  })
})
