// The Projects screen's backup and restore requests without Chromium: a typed folder is checked before
// main is asked, main's answer is kept, and a failure keeps no result and says what to do next.
import { describe, expect, it } from 'vitest'
import type { Api } from '@shared/ipc/contract'
import { AppFailure } from '@shared/ipc/result'
import { BackupRequest, RestoreRequest, folderProblem } from '../../../src-renderer/state/backups.svelte'

const sha = 'a'.repeat(64)

function fakeApi(failure: Error | null = null) {
  const asked: unknown[] = []
  const api: Pick<Api, 'backup.create' | 'backup.restore'> = {
    'backup.create': async (request) => {
      asked.push(request)
      if (failure) throw failure
      return {
        folder: `${request.folder}/Alice backup 2026-12-06`,
        files: [{ path: 'samples.jsonl', bytes: 10, lines: 3, sha256: sha }],
      }
    },
    'backup.restore': async (request) => {
      asked.push(request)
      if (failure) throw failure
      const counts = {
        imports: 1,
        samples: 3,
        candidates: 6,
        decisions: 0,
        datasets: 0,
        lineage: 0,
        unknownEvents: 0,
      }
      return { projectId: 'p-restored', counts }
    },
  }
  return { api, asked }
}

describe('the folder a person types', () => {
  it('must be a full path', () => {
    expect(folderProblem('')).toMatch(/Type the path of a folder/)
    expect(folderProblem('backups')).toMatch(/full path/)
    expect(folderProblem('/home/you/backups')).toBeNull()
    expect(folderProblem('C:\\Users\\you')).toBeNull()
  })
})

describe('backing up', () => {
  it('asks main with the trimmed folder and keeps its answer', async () => {
    const { api, asked } = fakeApi()
    const request = new BackupRequest(api)
    const result = await request.backUp('p-alice', '  /tmp/backups ')
    expect(asked).toEqual([{ projectId: 'p-alice', folder: '/tmp/backups' }])
    expect(request.result).toEqual(result)
    expect(request.result?.files[0]).toMatchObject({ path: 'samples.jsonl', lines: 3 })
    expect(request.error).toBeNull()
    expect(request.isBusy).toBe(false)
  })

  it('refuses a relative folder without asking main, and says what to do when main fails', async () => {
    const { api, asked } = fakeApi(new Error('ENOENT: no such file or directory'))
    const request = new BackupRequest(api)
    expect(await request.backUp('p-alice', 'backups')).toBeNull()
    expect(asked).toEqual([])
    expect(await request.backUp('p-alice', '/nowhere')).toBeNull()
    expect(request.result).toBeNull()
    expect(request.error).toBe(
      'ENOENT: no such file or directory. Check that the folder exists and that Winnow may write to it, then try again.',
    )
  })
})

describe('restoring', () => {
  it('needs a name, then answers the new project', async () => {
    const { api, asked } = fakeApi()
    const request = new RestoreRequest(api)
    expect(await request.restore('/tmp/b', '  ')).toBeNull()
    expect(request.error).toMatch(/Give the restored project a name/)
    expect(await request.restore('/tmp/b', ' Bob copy ')).toMatchObject({ projectId: 'p-restored' })
    expect(asked).toEqual([{ folder: '/tmp/b', name: 'Bob copy' }])
  })

  it('passes main’s reason on with where to look', async () => {
    const { api } = fakeApi(
      new AppFailure('not-found', '/tmp has no manifest.json: it is not a Winnow backup.'),
    )
    const request = new RestoreRequest(api)
    expect(await request.restore('/tmp', 'Bob copy')).toBeNull()
    expect(request.error).toMatch(/^\/tmp has no manifest\.json: .* Choose the backup folder itself/)
  })
})
