// Fixtures are lines as the trainers print them (formats from llama.cpp's ggml-opt.cpp progress bar, the
// transformers Trainer's ProgressCallback and mlx_lm's tuner), including the noise around them.
import { describe, expect, it } from 'vitest'
import {
  LlamaFinetuneParser,
  MlxLmParser,
  TransformersParser,
  type LogParser,
} from '../../../../src-main/services/training/log-parsers'

const readAll = (parser: LogParser, lines: string[]) => lines.map((line) => parser.read(line))

describe('LlamaFinetuneParser', () => {
  it('reads the train and val progress bars', () => {
    const parser = new LlamaFinetuneParser()
    const [noise, header, train, val, nan] = readAll(parser, [
      'llama_model_loader: loaded meta data with 25 key-value pairs',
      'main: -optimizer adamw -lr0 1e-05 -wd 0 -lr-min -1 -min-epochs -1 -epochs 2 -period 1 -val 0.05',
      'train: [█████▌  ] data=0000384/0000512 loss=2.34567±0.01234 acc=12.34±0.56% t=00:00:03 ETA=00:01:05 ',
      'val:   [████████] data=0000032/0000032 loss=2.50000±0.10000 acc=10.00±1.00% t=00:00:00 ETA=00:00:00 ',
      'train: [        ] data=0000000/0000512 loss=-nan±nan acc=0.00±0.00% t=00:00:00 ETA=00:00:00 ',
    ])
    expect(noise).toBeNull()
    expect(header).toBeNull()
    expect(train).toEqual({
      step: 384,
      total: 512,
      loss: 2.34567,
      lr: null,
      etaSeconds: 65,
      phase: 'train',
      source: 'llama-finetune',
    })
    expect(val).toMatchObject({ step: 32, total: 32, loss: 2.5, phase: 'eval' })
    expect(nan).toMatchObject({ step: 0, loss: null })
  })
})

describe('TransformersParser', () => {
  it('takes the step from the training bar and the loss from the log dicts', () => {
    const parser = new TransformersParser()
    const results = readAll(parser, [
      'Map: 100%|██████████| 1000/1000 [00:00<00:00, 5012.33 examples/s]',
      'Loading checkpoint shards: 100%|██████████| 2/2 [00:03<00:00,  1.60s/it]',
      '  0%|          | 0/100 [00:00<?, ?it/s]',
      ' 10%|█         | 10/100 [00:05<00:45,  2.00it/s]',
      "{'loss': 2.1234, 'grad_norm': 0.98, 'learning_rate': 1.8e-05, 'epoch': 0.1}",
      // An evaluation pass has its own bar (a different total) and an eval_loss dict.
      ' 50%|█████     | 4/8 [00:01<00:01,  3.00it/s]',
      "{'eval_loss': 2.4, 'eval_runtime': 2.1, 'epoch': 0.1}",
      // Newer transformers print the values as formatted strings.
      ' 20%|██        | 20/100 [00:10<00:40,  2.00it/s]',
      "{'loss': '1.987', 'grad_norm': '0.9', 'learning_rate': '1.6e-05', 'epoch': '0.2'}",
      "{'train_runtime': 50.1, 'train_samples_per_second': 8.0, 'train_loss': 1.9, 'epoch': 1.0}",
    ])
    expect(results[0]).toBeNull()
    expect(results[1]).toBeNull()
    expect(results[2]).toMatchObject({ step: 0, total: 100, etaSeconds: null })
    expect(results[3]).toMatchObject({ step: 10, total: 100, etaSeconds: 45, loss: null })
    expect(results[4]).toEqual({
      step: 10,
      total: 100,
      loss: 2.1234,
      lr: 1.8e-5,
      etaSeconds: 45,
      phase: 'train',
      source: 'transformers',
    })
    expect(results[5]).toBeNull()
    expect(results[6]).toMatchObject({ step: 10, loss: 2.4, phase: 'eval' })
    expect(results[8]).toMatchObject({ step: 20, loss: 1.987, lr: 1.6e-5, etaSeconds: 40 })
    expect(results[9]).toBeNull()
  })

  it('reports a loss without a step when no bar was printed (disable_tqdm)', () => {
    const parser = new TransformersParser()
    expect(parser.read("{'loss': 0.5, 'learning_rate': 0.0001, 'epoch': 2.0}")).toMatchObject({
      step: null,
      total: null,
      loss: 0.5,
      lr: 1e-4,
    })
  })
})

describe('MlxLmParser', () => {
  it('reads train and val reports, with the total from the start line', () => {
    const parser = new MlxLmParser()
    const [loading, start, train, val] = readAll(parser, [
      'Loading pretrained model',
      'Starting training..., iters: 600',
      'Iter 10: Train loss 2.345, Learning Rate 1.000e-05, It/sec 0.500, Tokens/sec 254.987, Trained Tokens 4986, Peak mem 5.123 GB',
      'Iter 200: Val loss 1.890, Val took 3.456s',
    ])
    expect(loading).toBeNull()
    expect(start).toBeNull()
    expect(train).toEqual({
      step: 10,
      total: 600,
      loss: 2.345,
      lr: 1e-5,
      etaSeconds: (600 - 10) / 0.5,
      phase: 'train',
      source: 'mlx-lm',
    })
    expect(val).toMatchObject({ step: 200, total: 600, loss: 1.89, phase: 'eval' })
  })

  it('leaves the total and ETA unknown without a start line', () => {
    const parser = new MlxLmParser()
    expect(parser.read('Iter 1: Train loss nan, Learning Rate 1.000e-05, It/sec 1.0')).toMatchObject({
      step: 1,
      loss: null,
      total: null,
      etaSeconds: null,
    })
  })
})
