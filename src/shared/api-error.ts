import type { Envelope } from './contract'
import type { Notice } from './notice'
import type { ApiErrorBody } from './types'

/** Renderer-side convenience: turns a failed envelope into a thrown ApiError with its code. */
export function unwrap<T>(envelope: Envelope<T>): T {
  if (!envelope.ok) throw new ApiError(envelope.error)
  return envelope.value
}

export class ApiError extends Error {
  readonly code: ApiErrorBody['code']
  readonly notice: Notice | undefined
  constructor(body: ApiErrorBody) {
    super(body.message)
    this.name = 'ApiError'
    this.code = body.code
    this.notice = body.notice
  }
}
