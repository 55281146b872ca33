// Plain text under generated damage: every non-blank line (text-lines) or paragraph (text-paragraphs) is
// exactly one record or one located error, and valid texts are a serialise fixed point.
import fc from 'fast-check'
import { afterAll, describe, it } from 'vitest'
import { serialise } from '../../../src-main/services/import/parsers/index'
import {
  checkItems,
  hostileWithout,
  invalidUtf8,
  lineEnding,
  parseWithin,
  propertyLimits,
  withBom,
} from './parser-arbitraries'
import type { Expected } from './parser-arbitraries'
import { makeTempDir } from './parser-test-helpers'

const temp = makeTempDir()
afterAll(() => temp.cleanup())
let fileNo = 0

const text = (value: string): Buffer => Buffer.from(value, 'utf8')
const isBlank = (line: string): boolean => /^[ \t\v\f\r]*$/.test(line)

/** A line text-lines can hold: no line break, not blank, no trailing \r. */
const goodLine = hostileWithout(/[\r\n]/g, 16).map((line) => (isBlank(line) ? `${line}x` : line))
const blankLine = fc.constantFrom('', ' ', '\t', ' \t ', '\v', '\f')
const badLine: fc.Arbitrary<Buffer> = fc.oneof(
  fc
    .tuple(goodLine, invalidUtf8, goodLine)
    .map(([a, bad, b]) => Buffer.concat([text(a), Buffer.from(bad), text(b)])),
  fc.integer({ min: 513, max: 4000 }).map((size) => text('é'.repeat(Math.ceil(size / 2)))),
  fc.integer({ min: 4097, max: 6000 }).map((size) => text('x'.repeat(size))),
)

type Unit = { kind: 'good'; line: string } | { kind: 'bad'; bytes: Buffer } | { kind: 'blank'; line: string }

describe('text-lines properties', () => {
  const unit: fc.Arbitrary<Unit> = fc.oneof(
    { weight: 4, arbitrary: goodLine.map((line) => ({ kind: 'good' as const, line })) },
    { weight: 2, arbitrary: badLine.map((bytes) => ({ kind: 'bad' as const, bytes })) },
    { weight: 1, arbitrary: blankLine.map((line) => ({ kind: 'blank' as const, line })) },
  )

  it('accounts for every non-blank line exactly once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(unit, lineEnding), { maxLength: 30 }),
        fc.boolean(),
        fc.boolean(),
        async (lines, hasBom, hasFinalNewline) => {
          const parts: Buffer[] = []
          const expected: Expected[] = []
          lines.forEach(([u, eol], index) => {
            parts.push(u.kind === 'bad' ? u.bytes : text(u.line))
            if (index < lines.length - 1 || hasFinalNewline) parts.push(text(eol))
            if (u.kind === 'good')
              expected.push({ line: index + 1, kind: 'record', fields: { text: u.line } })
            if (u.kind === 'bad') expected.push({ line: index + 1, kind: 'error' })
          })
          const path = temp.write(`damaged-${fileNo++}.txt`, withBom(Buffer.concat(parts), hasBom))
          checkItems(await parseWithin(path, 'text-lines', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('is a fixed point', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(goodLine, { maxLength: 15 }), async (lines) => {
        const records = lines.map((line) => ({ text: line }))
        const written = serialise(records, 'text-lines')
        const path = temp.write(`fixed-${fileNo++}.txt`, written)
        const items = await parseWithin(path, 'text-lines', { limits: propertyLimits })
        checkItems(
          items,
          records.map((fields, index) => ({ line: index + 1, kind: 'record', fields })),
        )
        const again = serialise(
          items.map((item) => (item.kind === 'record' ? item.fields : {})),
          'text-lines',
        )
        if (again !== written) throw new Error('not a fixed point')
      }),
      { numRuns: 1000 },
    )
  })
})

describe('text-paragraphs properties', () => {
  type Paragraph = { kind: 'good'; lines: string[] } | { kind: 'bad'; lines: Buffer[] }
  const goodParagraph = fc.array(goodLine, { minLength: 1, maxLength: 3 })
  const paragraph: fc.Arbitrary<Paragraph> = fc.oneof(
    { weight: 3, arbitrary: goodParagraph.map((lines) => ({ kind: 'good' as const, lines })) },
    {
      weight: 2,
      arbitrary: fc.tuple(goodParagraph, badLine, fc.nat(3)).map(([lines, bad, at]) => {
        const parts = lines.map(text)
        parts.splice(Math.min(at, parts.length), 0, bad)
        return { kind: 'bad' as const, lines: parts }
      }),
    },
    {
      weight: 1,
      // every line fits, the paragraph does not
      arbitrary: fc.integer({ min: 3, max: 6 }).map((count) => ({
        kind: 'bad' as const,
        lines: Array.from({ length: count }, () => text('p'.repeat(200))),
      })),
    },
  )

  it('accounts for every paragraph exactly once, at its first line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(paragraph, fc.array(blankLine, { minLength: 1, maxLength: 3 }), lineEnding), {
          maxLength: 12,
        }),
        fc.array(blankLine, { maxLength: 2 }),
        fc.boolean(),
        async (paragraphs, leading, hasBom) => {
          const parts: Buffer[] = []
          const expected: Expected[] = []
          let line = 1
          for (const blank of leading) {
            parts.push(text(`${blank}\n`))
            line++
          }
          for (const [p, blanks, eol] of paragraphs) {
            const fields = p.kind === 'good' ? { text: p.lines.join('\n') } : undefined
            expected.push({
              line,
              kind: p.kind === 'good' ? 'record' : 'error',
              ...(fields ? { fields } : {}),
            })
            for (const l of p.lines) {
              parts.push(typeof l === 'string' ? text(l) : l, text(eol))
              line++
            }
            for (const blank of blanks) {
              parts.push(text(`${blank}${eol}`))
              line++
            }
          }
          const path = temp.write(`paragraphs-${fileNo++}.txt`, withBom(Buffer.concat(parts), hasBom))
          checkItems(await parseWithin(path, 'text-paragraphs', { limits: propertyLimits }), expected)
        },
      ),
      { numRuns: 1000 },
    )
  })

  it('is a fixed point', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(goodParagraph, { maxLength: 10 }), async (paragraphs) => {
        const records = paragraphs.map((lines) => ({ text: lines.join('\n') }))
        const written = serialise(records, 'text-paragraphs')
        const path = temp.write(`fixed-${fileNo++}.txt`, written)
        const items = await parseWithin(path, 'text-paragraphs', { limits: propertyLimits })
        let line = 1
        checkItems(
          items,
          records.map((fields, index) => {
            const at = line
            line += paragraphs[index]!.length + 1
            return { line: at, kind: 'record', fields }
          }),
        )
        const again = serialise(
          items.map((item) => (item.kind === 'record' ? item.fields : {})),
          'text-paragraphs',
        )
        if (again !== written) throw new Error('not a fixed point')
      }),
      { numRuns: 1000 },
    )
  })
})
