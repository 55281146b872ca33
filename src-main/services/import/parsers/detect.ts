// Guesses a file's format: by extension first, then by sniffing its first 64 KiB where the extension is
// ambiguous (.json may hold JSON Lines, .txt lines or paragraphs) or unknown. JSON that looks like another
// tool's annotation export (Prodigy, Label Studio, Argilla) is offered as that tool's format; the user can
// always choose plain JSON instead.
import { open } from 'node:fs/promises'
import { extname } from 'node:path'
import { decodeLenient } from './utf8'
import type { ImportFormat } from './types'

const sniffBytes = 64 * 1024

const byExtension: Record<string, ImportFormat> = {
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.jsonlines': 'jsonl',
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.parquet': 'parquet',
  '.pq': 'parquet',
}

const textExtensions = new Set(['.txt', '.text', '.md'])

async function readHead(path: string): Promise<Buffer> {
  const handle = await open(path, 'r')
  try {
    const buffer = Buffer.alloc(sniffBytes)
    const { bytesRead } = await handle.read(buffer, 0, sniffBytes, 0)
    return buffer.subarray(0, bytesRead)
  } finally {
    await handle.close()
  }
}

/** Complete lines of the sample (a cut-off last line would skew the counts). */
function sampleLines(head: Buffer, isWholeFile: boolean): string[] {
  const text = decodeLenient(head).replace(/^\uFEFF/, '')
  const lines = text.split('\n').map((line) => line.replace(/\r$/, ''))
  if (!isWholeFile && lines.length > 1) lines.pop()
  return lines
}

const isBlank = (line: string): boolean => /^[ \t\v\f]*$/.test(line)

function textKind(lines: string[]): ImportFormat {
  let paragraphs = 0
  let contentLines = 0
  let isInParagraph = false
  for (const line of lines) {
    if (isBlank(line)) isInParagraph = false
    else {
      contentLines++
      if (!isInParagraph) paragraphs++
      isInParagraph = true
    }
  }
  // Several blank-line-separated blocks of several lines each read as paragraphs; one sentence per line
  // (with the odd blank line) does not.
  return paragraphs >= 2 && contentLines / paragraphs >= 2 ? 'text-paragraphs' : 'text-lines'
}

function delimitedKind(lines: string[]): ImportFormat | null {
  const content = lines.filter((line) => line !== '').slice(0, 20)
  if (content.length < 2) return null
  for (const [delimiter, format] of [
    ['\t', 'tsv'],
    [',', 'csv'],
  ] as const) {
    const counts = content.map((line) => line.split(delimiter).length - 1)
    if (counts[0]! > 0 && counts.every((count) => count === counts[0])) return format
  }
  return null
}

function firstLineIsObject(lines: string[]): boolean {
  const first = lines.find((line) => !isBlank(line))
  if (first === undefined) return false
  try {
    const value: unknown = JSON.parse(first)
    return value !== null && typeof value === 'object' && !Array.isArray(value)
  } catch {
    return false
  }
}

/** How a file of records is laid out, from its first bytes: Parquet, a JSON array, or (else) JSON Lines. */
export async function recordsLayout(path: string): Promise<'parquet' | 'json' | 'jsonl'> {
  const head = await readHead(path)
  if (head.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet'
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head
  const first = body.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)
  return first === 0x5b ? 'json' : 'jsonl'
}

const hasKey = (text: string, key: string): boolean => text.includes(`"${key}"`)

/** Keys only these tools write, looked for in the first record (JSON Lines) or the head (a JSON array). */
function toolFormat(text: string, isArray: boolean): ImportFormat | null {
  if (hasKey(text, '_input_hash') && hasKey(text, '_task_hash')) return 'prodigy-jsonl'
  if (isArray && hasKey(text, 'data') && hasKey(text, 'annotations')) return 'label-studio-json'
  if (hasKey(text, 'fields') && (hasKey(text, 'responses') || hasKey(text, 'suggestions')))
    return 'argilla-records'
  if (/"[^"]+\.responses(\.users)?"/.test(text)) return 'argilla-records'
  return null
}

export async function detectFormat(path: string): Promise<ImportFormat> {
  const plain = await detectPlainFormat(path)
  if (plain !== 'json' && plain !== 'jsonl') return plain
  const lines = sampleLines(await readHead(path), false)
  const first = plain === 'jsonl' ? (lines.find((line) => !isBlank(line)) ?? '') : lines.join('\n')
  return toolFormat(first, plain === 'json') ?? plain
}

async function detectPlainFormat(path: string): Promise<ImportFormat> {
  const extension = extname(path).toLowerCase()
  const known = byExtension[extension]
  if (known) return known
  const head = await readHead(path)
  const body = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? head.subarray(3) : head
  if (body.subarray(0, 4).toString('latin1') === 'PAR1') return 'parquet'
  const lines = sampleLines(head, head.length < sniffBytes)
  if (textExtensions.has(extension)) return textKind(lines)
  const firstByte = body.find((b) => b !== 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d)
  if (firstByte === 0x5b) return 'json'
  // A single pretty-printed object is not JSON Lines; the JSON parser then says what is wrong with it.
  if (firstByte === 0x7b) return firstLineIsObject(lines) ? 'jsonl' : 'json'
  if (extension === '.json') return 'json'
  return delimitedKind(lines) ?? textKind(lines)
}
