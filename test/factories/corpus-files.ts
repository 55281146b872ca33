// Corpus files for import tests: realistic records, with chosen lines damaged in every way the importer
// must reject on its own, so a test can say exactly which lines must fail and which must arrive.
import { createWriteStream } from 'node:fs'
import { once } from 'node:events'

const words = ['river', 'lantern', 'quiet', 'harvest', 'orbit', 'copper', 'meadow', 'signal', 'ember', 'tide']

export function sampleText(index: number, targetLength = 120): string {
  let text = `Sample ${index}:`
  for (let k = 0; text.length < targetLength; k++) text += ` ${words[(index * 7 + k * 3) % words.length]}`
  return text
}

/** Each damage kind gives a line the importer must reject with a located reason. */
const damages: ((index: number) => Buffer)[] = [
  (i) => Buffer.from(`{"id": "r${i}", "text": "truncated`),
  (i) =>
    Buffer.concat([
      Buffer.from(`{"id": "r${i}", "text": "bad utf8 `),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]),
  (i) => Buffer.from(`{"id": "r${i}", "text": "lone \\ud800 surrogate"}`),
  (i) => Buffer.from(`["r${i}", "an array, not an object"]`),
  (i) => Buffer.from(`{"id": "r${i}", "body": "no text field"}`),
  (i) => Buffer.from(`{"id": "r${i}", "text": 42}`),
  (i) => Buffer.from(`{"id": "r${i}", "text": "deep", "meta": ${'['.repeat(70)}${']'.repeat(70)}}`),
  (i) => Buffer.from(`{"id": "r${i}", "text": "trailing garbage"} extra`),
  (i) => Buffer.from(`{"id": "r${i}", "text": "   "}`),
  (i) => Buffer.from(`{"id": "r${i}", "text": }`),
]

export interface DamagedFile {
  path: string
  goodCount: number
  badLines: number[]
}

/** A JSONL file of `lines` lines (BOM, some CRLF, some __proto__ keys) with `bad` damaged lines spread through it. */
export async function writeDamagedJsonl(path: string, lines = 10_000, bad = 100): Promise<DamagedFile> {
  const out = createWriteStream(path)
  const step = Math.floor(lines / bad)
  const badLines: number[] = []
  out.write('\uFEFF')
  for (let line = 1; line <= lines; line++) {
    let bytes: Buffer
    if (line % step === Math.floor(step / 2) && badLines.length < bad) {
      bytes = damages[badLines.length % damages.length]!(line)
      badLines.push(line)
    } else {
      const record: Record<string, unknown> = {
        id: `r${line}`,
        text: sampleText(line),
        topic: words[line % 10],
      }
      // Every 97th record carries a __proto__ key: it must stay plain data, never become a prototype.
      const json = JSON.stringify(record)
      bytes = Buffer.from(line % 97 === 0 ? json.replace('"id"', '"__proto__":{"polluted":true},"id"') : json)
    }
    const eol = line % 13 === 0 ? '\r\n' : '\n'
    if (!out.write(Buffer.concat([bytes, Buffer.from(eol)]))) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  return { path, goodCount: lines - badLines.length, badLines }
}

/** A CSV file (header + `rows` rows) in which row `badRow` opens a quote that never closes. */
export async function writeCsvWithRunawayQuote(
  path: string,
  rows = 10_000,
  badRow = 5_000,
): Promise<DamagedFile> {
  const out = createWriteStream(path)
  out.write('id,text,source\n')
  for (let row = 1; row <= rows; row++) {
    const text =
      row === badRow
        ? `"This quote never ends, ${sampleText(row)}`
        : `"${sampleText(row).replace('Sample', 'Row, quoted')}"`
    if (!out.write(`c${row},${text},human\n`)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'close')
  // Row r is on physical line r + 1 (the header is line 1).
  return { path, goodCount: rows - 1, badLines: [badRow + 1] }
}
