import { describe, expect, it } from 'vitest'
import { parseProtocolLine, ProgressReader } from '../../../../src-main/services/training/progress-protocol'

describe('parseProtocolLine', () => {
  it('reads a full line and ignores unknown fields', () => {
    expect(parseProtocolLine('{"step":12,"total":100,"loss":1.25,"lr":2e-5,"eta_s":30.5,"gpu":"x"}')).toEqual(
      {
        step: 12,
        total: 100,
        loss: 1.25,
        lr: 2e-5,
        etaSeconds: 30.5,
        phase: 'train',
        source: 'protocol',
      },
    )
  })

  it('accepts a line with only a step, and an eval phase', () => {
    expect(parseProtocolLine('  {"step":0}  ')).toMatchObject({ step: 0, total: null, loss: null, lr: null })
    expect(parseProtocolLine('{"step":5,"loss":2,"phase":"eval"}')).toMatchObject({ phase: 'eval', loss: 2 })
  })

  it.each([
    'step 12 loss 1.2',
    '{"step":12',
    '{"loss":1.2}',
    '{"step":-1}',
    '{"step":1.5}',
    '{"step":"3"}',
    '{"step":3,"loss":"nan"}',
    '{"step":3,"lr":-1}',
    '{"step":3,"total":0}',
    '[1,2]',
  ])('rejects %s', (line) => {
    expect(parseProtocolLine(line)).toBeNull()
  })
})

describe('ProgressReader', () => {
  it('reads the protocol on stdout only', () => {
    const reader = new ProgressReader()
    expect(reader.read('stderr', '{"step":1}')).toBeNull()
    expect(reader.read('stdout', '{"step":1}')).toMatchObject({ step: 1, source: 'protocol' })
  })

  it('falls back to known trainer logs until the protocol is seen, then stops using them', () => {
    const reader = new ProgressReader()
    const mlx =
      'Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.5, Tokens/sec 9, Trained Tokens 9'
    expect(reader.read('stdout', mlx)).toMatchObject({ step: 10, source: 'mlx-lm' })
    expect(reader.read('stdout', '{"step":11}')).toMatchObject({ step: 11, source: 'protocol' })
    expect(reader.read('stdout', mlx)).toBeNull()
  })
})
