// Channel and event names, free of any library so the sandboxed preload can bundle them without npm code.
// contract.ts pairs every name here with its schemas; a name without a schema does not compile.

export const channelNames = [
  'app.info',
  'projects.list',
  'projects.create',
  'projects.rename',
  'projects.open',
  'projects.deletionSummary',
  'projects.delete',
  'log.head',
  'log.read',
  'files.pickImport',
  'files.pickSave',
  'import.preview',
  'import.start',
  'import.saveErrors',
  'jobs.list',
  'jobs.cancel',
  'jobs.resume',
  'links.openExternal',
  'store.moveAside',
  'generation.start',
  'models.status',
  'models.list',
  'models.pull',
  'models.delete',
  'models.inspectGguf',
  'templates.list',
  'review.decide',
  'review.verify',
  'merge.import',
  'merge.agreement',
  'export.open',
  'export.write',
  'export.finish',
  'export.abort',
  'backup.create',
  'backup.restore',
  'monitor.register',
  'monitor.freezeSets',
  'monitor.probe',
  'monitor.report',
  'monitor.protectedSets',
  'monitor.exportReport',
  'training.recipes',
  'training.start',
  'training.overview',
] as const

export const eventNames = [
  'log.appended',
  'jobs.changed',
  'projects.changed',
  'generation.streaming',
  'training.live',
] as const

export type ChannelName = (typeof channelNames)[number]
export type EventName = (typeof eventNames)[number]

export const isChannelName = (name: unknown): name is ChannelName =>
  typeof name === 'string' && (channelNames as readonly string[]).includes(name)
