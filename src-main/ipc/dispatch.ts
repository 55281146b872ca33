// The guard every call passes through, whatever the transport: a trusted sender, a known channel, a payload
// that parses against the contract. Only then does one service run; whatever happens, a result envelope
// comes back, never an exception across the process boundary.
import { contract, type Handlers } from '@shared/ipc/contract'
import { isChannelName } from '@shared/ipc/channel-names'
import { AppFailure, fail, ok, type Result } from '@shared/ipc/result'

export interface Caller {
  /** Decided by the transport: the Electron sender frame's origin, or the loopback connection's token. */
  isTrusted: boolean
  /** For the log line when a call is refused. */
  describe: string
}

export type Dispatch = (channel: unknown, payload: unknown, caller: Caller) => Promise<Result<unknown>>

export function createDispatch(handlers: Handlers, warn: (message: string) => void = console.warn): Dispatch {
  return async (channel, payload, caller) => {
    if (!caller.isTrusted) {
      warn(`refused a call on ${String(channel)} from an untrusted sender: ${caller.describe}`)
      return fail('forbidden', 'This window is not allowed to talk to Winnow.')
    }
    if (!isChannelName(channel))
      return fail('unknown-channel', `There is no channel called ${String(channel)}.`)
    // Structured clone carries Dates, Maps and Errors, which zod would read through inherited properties.
    if (payload != null && !isPlainObject(payload)) {
      return fail('invalid-payload', `${channel}: the request must be a plain object`)
    }
    const parsed = contract[channel].request.safeParse(payload ?? {})
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` (${issue.path.join('.')})` : ''
      return fail('invalid-payload', `${channel}: ${issue?.message ?? 'invalid request'}${where}`)
    }
    try {
      const handler = handlers[channel] as (request: unknown) => Promise<unknown>
      return ok(await handler(parsed.data))
    } catch (error) {
      return toFailure(error)
    }
  }
}

function isPlainObject(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const prototype: unknown = Object.getPrototypeOf(value)
  return prototype === Object.prototype || prototype === null
}

function toFailure(error: unknown): Result<never> {
  if (error instanceof AppFailure) return fail(error.code, error.message)
  const code = (error as NodeJS.ErrnoException | null)?.code
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return fail('storage-full', 'The disk is full: free some space, then try again. Nothing saved was lost.')
  }
  if (code === 'ENOENT') return fail('not-found', (error as Error).message)
  console.error(error)
  return fail('internal', error instanceof Error ? error.message : String(error))
}
