// The result envelope every IPC call answers with: a value, or an error with a stable code and a message
// written for the person using the app.

export type ErrorCode =
  | 'invalid-payload'
  | 'forbidden'
  | 'unknown-channel'
  | 'not-found'
  | 'conflict'
  | 'unavailable'
  | 'storage-full'
  | 'internal'

export interface AppError {
  code: ErrorCode
  message: string
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError }

export const ok = <T>(value: T): Result<T> => ({ ok: true, value })
export const fail = (code: ErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
})

/** Thrown by services to answer a specific error code instead of 'internal'. */
export class AppFailure extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'AppFailure'
  }
}
