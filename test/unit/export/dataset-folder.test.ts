// The export folder: derived names are single safe path segments, nothing is written outside the folder
// the person chose, files land whole under their final names with the hash the manifest will state, and
// nothing existing is overwritten.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative, isAbsolute } from 'node:path'
import { sanitiseFileName } from '@shared/export/file-names'
import { DatasetFolder } from '../../../src-main/services/export/dataset-folder'

const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8')
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.constantFrom(
    '..',
    '.',
    '../../etc/passwd',
    '/abs/path',
    'C:\\Windows',
    'CON',
    'nul.txt',
    'a\u202ebc',
    ' . ',
    '',
  ),
)

describe('sanitiseFileName', () => {
  it('gives one safe, short, non-empty path segment, and is idempotent', () => {
    fc.assert(
      fc.property(hostile, (name) => {
        const safe = sanitiseFileName(name)
        // eslint-disable-next-line no-control-regex -- checking that control characters are gone
        expect(safe).not.toMatch(/[/\\:*?"<>|\u0000-\u001f\u202a-\u202e]/u)
        expect(safe).not.toMatch(/^\./u)
        expect(safe).not.toMatch(/[. ]$/u)
        expect(safe).not.toMatch(/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/iu)
        expect(safe.length).toBeGreaterThan(0)
        expect(utf8Bytes(safe)).toBeLessThanOrEqual(120)
        expect(sanitiseFileName(safe)).toBe(safe)
      }),
      { numRuns: 1000 },
    )
  })

  it('keeps ordinary names as they are', () => {
    expect(sanitiseFileName('stories v2 — DPO')).toBe('stories v2 — DPO')
    expect(sanitiseFileName('train-00000-of-00001.parquet')).toBe('train-00000-of-00001.parquet')
  })
})

describe('DatasetFolder', () => {
  let parent: string
  beforeEach(async () => {
    parent = await mkdtemp(join(tmpdir(), 'winnow-dataset-folder-'))
  })
  afterEach(async () => {
    await rm(parent, { recursive: true, force: true })
  })

  it('resolves every relative path, however hostile, inside the folder', async () => {
    const folder = await DatasetFolder.create(parent, 'set')
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (segments) => {
        const { path } = folder.resolveInside(segments.join('/'))
        const rel = relative(folder.dir, path)
        expect(rel === '' || rel.startsWith('..') || isAbsolute(rel)).toBe(false)
      }),
      { numRuns: 1000 },
    )
  })

  it('streams a file whole under its final name with the hash, size and line count of what is on disk', async () => {
    const folder = await DatasetFolder.create(parent, 'My set')
    const sink = await folder.openFile('data/train.jsonl')
    const lines = Array.from({ length: 5000 }, (_, i) => `${JSON.stringify({ i, text: `row ${i} ✓ 𝕏` })}\n`)
    for (const line of lines) await sink.write(line)
    expect(await readdir(join(folder.dir, 'data'))).not.toContain('train.jsonl') // not before close
    const written = await sink.close()
    const onDisk = await readFile(join(folder.dir, 'data', 'train.jsonl'))
    expect(onDisk.toString('utf8')).toBe(lines.join(''))
    expect(written).toEqual({
      path: 'data/train.jsonl',
      bytes: onDisk.length,
      lines: 5000,
      sha256: createHash('sha256').update(onDisk).digest('hex'),
    })
    expect(await readdir(join(folder.dir, 'data'))).toEqual(['train.jsonl']) // no temporary file left
  })

  it('closes a file without the dropped lines, whatever chunk boundary they straddle', async () => {
    const folder = await DatasetFolder.create(parent, 'set')
    // Lines from 1 byte to over 5 MiB (past the 4 MiB copy chunk), multi-byte characters at the edges.
    const sizes = [1, 10, 3 * 1024 * 1024, 7, 5 * 1024 * 1024 + 3, 2, 4 * 1024 * 1024 - 1, 1, 4, 600_000, 9]
    const lines = sizes.map((size, i) => `${i}${'é𝕏'.repeat(Math.ceil(size / 6)).slice(0, size)}\n`)
    const sink = await folder.openFile('big.jsonl')
    for (const line of lines) await sink.write(line)
    const drop = [0, 2, 3, 6, 10]
    const written = await sink.closeWithout(Uint32Array.from(drop))
    // Compared as bytes: a line cut inside a surrogate pair is written as U+FFFD on both sides.
    const expected = Buffer.from(lines.filter((_, i) => !drop.includes(i)).join(''), 'utf8')
    const onDisk = await readFile(join(folder.dir, 'big.jsonl'))
    expect(onDisk.equals(expected)).toBe(true)
    expect(written).toEqual({
      path: 'big.jsonl',
      bytes: onDisk.length,
      lines: lines.length - drop.length,
      sha256: createHash('sha256').update(onDisk).digest('hex'),
    })
    expect(await readdir(folder.dir)).toEqual(['big.jsonl'])

    const all = await folder.openFile('gone.jsonl')
    await all.write('{"a":1}\n{"b":2}\n')
    expect(await all.closeWithout(Uint32Array.from([0, 1]))).toBeNull()
    expect(await readdir(folder.dir)).toEqual(['big.jsonl'])
  })

  it('leaves nothing behind when a file is abandoned', async () => {
    const folder = await DatasetFolder.create(parent, 'set')
    const sink = await folder.openFile('train.jsonl')
    await sink.write('{"a":1}\n')
    await sink.abort()
    expect(await readdir(folder.dir)).toEqual([])
  })

  it('never reuses a folder or overwrites a file', async () => {
    const first = await DatasetFolder.create(parent, 'set')
    const second = await DatasetFolder.create(parent, 'set')
    expect([first.name, second.name]).toEqual(['set', 'set (2)'])
    await first.writeWhole('manifest.json', '{}\n')
    await expect(first.writeWhole('manifest.json', '{"x":1}\n')).rejects.toThrow(/already exists/)
    expect(await readFile(join(first.dir, 'manifest.json'), 'utf8')).toBe('{}\n')
  })

  it('says what to do when the chosen folder is missing', async () => {
    await expect(DatasetFolder.create(join(parent, 'missing'), 'set')).rejects.toThrow(
      /choose an existing folder/,
    )
    await expect(DatasetFolder.create('relative/dir', 'set')).rejects.toThrow(/absolute path/)
  })
})
