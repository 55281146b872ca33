// The accepted text of each text-bearing export format's row, produced by the real formatters.
import { describe, expect, it } from 'vitest'
import { formatRows } from '@shared/export/formats'
import { defaultFormatOptions } from '@shared/export/format-options'
import type { ExportRecord } from '@shared/export/export-record'
import { acceptedTextOfRow, textBearingFormats } from '@shared/training/accepted-text'

const record: ExportRecord = {
  sampleId: 's1',
  externalId: null,
  source: { text: 'The cat sat.', meta: {}, origin: 'human', depth: 0 },
  candidates: [],
  review: {
    status: 'edited',
    chosenCandidateId: null,
    finalText: 'The small cat sat down.',
    negativeIds: [],
    flags: [],
  },
}

describe('acceptedTextOfRow', () => {
  it.each(textBearingFormats)('reads the accepted text back from a %s row', (format) => {
    for (const shape of ['strings', 'messages'] as const) {
      const rows = formatRows(format, [record], { ...defaultFormatOptions, shape })
      expect(rows).toHaveLength(1)
      expect(acceptedTextOfRow(format, JSON.parse(JSON.stringify(rows[0])))).toBe('The small cat sat down.')
    }
  })

  it('answers null for a row of another shape', () => {
    expect(acceptedTextOfRow('alpaca', { messages: [] })).toBeNull()
    expect(acceptedTextOfRow('sft-messages', { messages: [{ role: 'user', content: 'x' }] })).toBeNull()
    expect(acceptedTextOfRow('sharegpt', 'text')).toBeNull()
  })
})
