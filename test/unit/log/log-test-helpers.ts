// Shared helpers for the project-log tests: temp folders, event factories, and an independent checker
// of the raw segment files (it does not use the log's own reader, so it can catch what the log misses).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crc32, gunzipSync } from 'node:zlib'
import { afterEach } from 'vitest'
import type { LogEventInput } from '../../../src-main/log/project-log'

const made: string[] = []

/** A fresh temp folder, removed after the test; `sub` is the log folder inside it. */
export function tempLogDir(sub = 'log'): string {
  const root = mkdtempSync(join(tmpdir(), 'winnow-log-'))
  made.push(root)
  return join(root, sub)
}

afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
})

export function makeEvent(i: number, extra = ''): LogEventInput {
  return { kind: 'test.event', v: 1, data: { i, text: `event ${i} ${extra}`, nested: { ok: i % 2 === 0 } } }
}

export function makeEvents(from: number, count: number, extra = ''): LogEventInput[] {
  return Array.from({ length: count }, (_, k) => makeEvent(from + k, extra))
}

export function segmentFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((n) => n.startsWith('seg-'))
    .sort()
}

/** Lines (without '\n') of a segment file, decompressing .gz. */
export function rawLines(dir: string, file: string): Buffer[] {
  const bytes = readFileSync(join(dir, file))
  const body = file.endsWith('.gz') ? gunzipSync(bytes) : bytes
  const lines: Buffer[] = []
  let from = 0
  for (let nl = body.indexOf(10); nl !== -1; nl = body.indexOf(10, from)) {
    lines.push(body.subarray(from, nl))
    from = nl + 1
  }
  if (from < body.length) lines.push(body.subarray(from))
  return lines
}

/**
 * Problems in the raw log files: bad checksums, unparsable lines, torn tails, seq gaps or duplicates.
 * Written independently of src-main/log so a recovery that leaves damage in place is caught.
 */
export function rawLogProblems(dir: string): string[] {
  const problems: string[] = []
  let expected = 1
  for (const file of segmentFiles(dir)) {
    if (file.endsWith('.tmp')) {
      problems.push(`${file}: stray temp file`)
      continue
    }
    const raw = readFileSync(join(dir, file))
    const bytes = file.endsWith('.gz') ? gunzipSync(raw) : raw
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 10) problems.push(`${file}: no final newline`)
    for (const [n, line] of rawLines(dir, file).entries()) {
      const where = `${file}:${n + 1}`
      const body = line.subarray(9)
      if (crc32(body).toString(16).padStart(8, '0') !== line.toString('latin1', 0, 8)) {
        problems.push(`${where}: checksum`)
        continue
      }
      let value: { seq?: unknown }
      try {
        value = JSON.parse(body.toString('utf8')) as { seq?: unknown }
      } catch {
        problems.push(`${where}: JSON`)
        continue
      }
      if (n === 0) continue // the segment header
      if (value.seq !== expected) problems.push(`${where}: seq ${String(value.seq)}, expected ${expected}`)
      expected++
    }
  }
  return problems
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms))
}
