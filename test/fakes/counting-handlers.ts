// Handlers for every contract channel that only record their calls: the spy behind "a refused call never
// reaches a service" in the dispatch and transport tests.
import { channelNames, type ChannelName } from '@shared/ipc/channel-names'
import type { Handlers } from '@shared/ipc/contract'

export interface HandlerCall {
  channel: ChannelName
  request: unknown
}

export function countingHandlers(): { handlers: Handlers; calls: HandlerCall[] } {
  const calls: HandlerCall[] = []
  const entries = channelNames.map((channel) => {
    const handler = (request: unknown): Promise<{ handled: ChannelName }> => {
      calls.push({ channel, request })
      return Promise.resolve({ handled: channel })
    }
    return [channel, handler] as const
  })
  // Dispatch checks requests, not replies, so one reply shape stands in for every channel's.
  const handlers = Object.fromEntries(entries) as unknown as Handlers
  return { handlers, calls }
}
