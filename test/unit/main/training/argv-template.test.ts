import { describe, expect, it } from 'vitest'
import { escapeTemplateText, renderArgv } from '../../../../src-main/services/training/argv-template'

const values = {
  dataset: '/data/my set/train.jsonl',
  output: '/out',
  config: 'C:\\cfg dir\\a.json',
  model: 'm',
}

describe('renderArgv', () => {
  it('substitutes inside one argument and never splits or joins arguments', () => {
    const rendered = renderArgv(
      ['trainer', '--data={dataset}', '{output}', '-c', '{config}', '{model}-{model}'],
      values,
    )
    expect(rendered).toEqual({
      file: 'trainer',
      args: ['--data=/data/my set/train.jsonl', '/out', '-c', 'C:\\cfg dir\\a.json', 'm-m'],
    })
  })

  it('keeps values containing shell syntax and replacement patterns literal', () => {
    const tricky = `a b '"; rm -rf / $HOME %PATH% $& $1 \`x\` {config}`
    const { args } = renderArgv(['t', '{dataset}'], { dataset: tricky })
    // The value is inserted as it is; a placeholder inside a value is not expanded a second time.
    expect(args).toEqual([tricky])
  })

  it('leaves other braces literal and reads doubled braces as escapes', () => {
    const { args } = renderArgv(['t', '{"lr": 1}', '{{dataset}}', '{ dataset }', '{}'], values)
    expect(args).toEqual(['{"lr": 1}', '{dataset}', '{ dataset }', '{}'])
  })

  it('renders escaped literal text back to itself', () => {
    const literal = '${HOME} {dataset} {{x}} }{ {'
    expect(renderArgv(['t', escapeTemplateText(literal)], values).args).toEqual([literal])
  })

  it('rejects an unknown placeholder, naming it, its argument and the known ones', () => {
    expect(() => renderArgv(['t', '--x', '--in={datset}'], values)).toThrow(
      /Unknown placeholder \{datset\} in argument 2 \("--in=\{datset\}"\).*\{dataset\}, \{output\}, \{config\}, \{model\}/,
    )
  })

  it('rejects a known placeholder without a value, an empty command and a NUL', () => {
    expect(() => renderArgv(['t', '{model}'], { dataset: 'd' })).toThrow(
      /\{model\} in argument 1 has no value/,
    )
    expect(() => renderArgv([], values)).toThrow(/empty/)
    expect(() => renderArgv(['', 'x'], values)).toThrow(/no program/)
    expect(() => renderArgv(['t', '{dataset}'], { dataset: 'a\0b' })).toThrow(/NUL/)
  })
})
