// One valid request per contract channel. The mapped type makes a new channel fail to compile until it has
// an entry here, so "every channel" in the dispatch and transport tests stays every channel.
import type { ChannelName } from '@shared/ipc/channel-names'
import type { Request } from '@shared/ipc/contract'
import { generationSpecFor } from './generation-spec'

const projectId = '0190c2d4-7a3b-7c11-9d2e-3f4a5b6c7d8e'

export const validRequests: { [C in ChannelName]: Request<C> } = {
  'app.info': {},
  'projects.list': {},
  'projects.create': { name: 'Stories' },
  'projects.rename': { projectId, name: 'Stories, curated' },
  'projects.open': { projectId },
  'projects.deletionSummary': { projectId },
  'projects.delete': { projectId, confirmName: 'Stories' },
  'log.head': { projectId },
  'log.read': { projectId, afterSeq: 0 },
  'files.pickImport': {},
  'files.pickSave': { suggestedName: 'errors.txt' },
  'import.preview': { path: '/data/corpus.jsonl', format: null },
  'import.start': {
    projectId,
    spec: {
      path: '/data/corpus.jsonl',
      format: 'jsonl',
      textField: 'text',
      idField: null,
      origin: { kind: 'declared', value: 'human' },
    },
  },
  'import.saveErrors': { projectId, batchId: 'batch-1', path: '/data/errors.txt' },
  'jobs.list': { projectId },
  'jobs.cancel': { jobId: 'job-1' },
  'jobs.resume': { jobId: 'job-1' },
  'links.openExternal': { url: 'https://ollama.com/library' },
  'generation.start': { projectId, spec: generationSpecFor('http://127.0.0.1:11434') },
  'store.moveAside': { reason: 'Internal error opening backing store' },
  'models.status': { host: 'http://127.0.0.1:11434' },
  'models.list': { host: 'http://127.0.0.1:11434' },
  'models.pull': { projectId, host: 'http://127.0.0.1:11434', name: 'llama3.2:1b' },
  'models.delete': { host: 'http://127.0.0.1:11434', name: 'llama3.2:1b' },
  'models.inspectGguf': { path: '/models/stories260K.gguf' },
  'templates.list': {},
  'review.decide': {
    projectId,
    decision: {
      id: '0190c2d4-7a3b-7c11-9d2e-3f4a5b6c7d99',
      projectId,
      sampleId: 's1',
      kind: 'select',
      candidateId: 'c2',
      editedText: null,
      diff: null,
      flag: null,
      note: null,
      undoes: null,
      annotator: 'alice',
      at: '2026-11-21T10:00:00.000Z',
      timeSpentMs: 1200,
      shownOrder: ['c1', 'c2', 'c3'],
    },
  },
  'review.verify': { projectId },
  'export.open': { projectId, folder: '/exports', name: 'stories v1' },
  'export.write': { exportId: 'e1', file: 'data/train.jsonl', text: '{"messages":[]}\n' },
  'export.finish': {
    exportId: 'e1',
    snapshot: {
      name: 'stories v1',
      formats: ['sft-messages'],
      spec: {},
      formatOptions: {},
      logSeq: 12,
      splits: { train: ['s1'], test: [] },
      counts: {
        rows: { 'sft-messages': 1 },
        bySplit: { train: 1 },
        byOrigin: { human: 1 },
        byDepth: { '1': 1 },
        byGeneration: { '0': 1 },
      },
      warnings: [],
    },
    extraFiles: { 'README.md': '# stories v1\n' },
  },
  'export.abort': { exportId: 'e1' },
}
