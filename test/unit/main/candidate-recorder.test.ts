// The candidate recorder's group commit: a candidate resolves only once the append carrying it resolved,
// the candidates recorded while one append is in flight (and for a short while after) share the next,
// and finish() writes what is pending at once instead of waiting out the gathering pause.
import { describe, expect, it } from 'vitest'
import { CandidateRecorder } from '../../../src-main/services/generation/candidate-recorder'
import type { ProjectRegistry } from '../../../src-main/services/projects/project-registry'
import type { CandidateRecord } from '@shared/domain/candidate'

function fakeRegistry() {
  const appends: { ids: string[]; urgent: boolean }[] = []
  let release: (() => void)[] = []
  const registry = {
    append: (
      _: string,
      inputs: { data: { candidates: CandidateRecord[] } }[],
      options: { urgent?: boolean },
    ) => {
      appends.push({ ids: inputs[0]!.data.candidates.map((c) => c.id), urgent: options.urgent === true })
      return new Promise<void>((resolve) => release.push(resolve))
    },
    hurry: async () => undefined,
  }
  const flushAll = (): void => {
    const pending = release
    release = []
    for (const resolve of pending) resolve()
  }
  return { registry: registry as unknown as ProjectRegistry, appends, flushAll }
}

const candidate = (id: string) => ({ id }) as CandidateRecord
const tick = () => new Promise((resolve) => setTimeout(resolve, 0))

describe('CandidateRecorder', () => {
  it('resolves a candidate only after its append, and gathers the next ones into one append', async () => {
    const { registry, appends, flushAll } = fakeRegistry()
    const recorder = new CandidateRecorder(registry, 'p')
    const settled: string[] = []
    const record = (id: string) => recorder.record(candidate(id)).then(() => settled.push(id))
    const first = record('a')
    await tick()
    expect(appends.map((a) => a.ids)).toEqual([['a']])
    const rest = [record('b'), record('c')]
    await tick()
    expect(settled).toEqual([])
    flushAll()
    await first
    expect(settled).toEqual(['a'])
    // b and c wait for the gathering pause, then go together; d, recorded during the pause, joins them.
    const late = record('d')
    await new Promise((resolve) => setTimeout(resolve, 40))
    expect(appends.map((a) => a.ids)).toEqual([['a'], ['b', 'c', 'd']])
    expect(settled).toEqual(['a'])
    flushAll()
    await Promise.all([...rest, late])
    expect(settled).toEqual(['a', 'b', 'c', 'd'])
    const finished = recorder.finish()
    flushAll()
    await finished
  })

  it('writes what is pending at once, urgently, when the job finishes', async () => {
    const { registry, appends, flushAll } = fakeRegistry()
    const recorder = new CandidateRecorder(registry, 'p')
    const first = recorder.record(candidate('a'))
    await tick()
    flushAll()
    await first
    const second = recorder.record(candidate('b'))
    const finished = recorder.finish()
    // A zero timer fires before the 20 ms gathering pause would have ended: finish() cut it short.
    await tick()
    expect(appends).toEqual([
      { ids: ['a'], urgent: false },
      { ids: ['b'], urgent: true },
    ])
    flushAll()
    await Promise.all([second, finished])
  })
})
