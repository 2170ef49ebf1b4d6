import type { ApiErrorBody } from '../shared/types'

/** An error whose message is written for the user; transports pass its code and message through. */
export class UserFacingError extends Error {
  constructor(
    readonly code: ApiErrorBody['code'],
    message: string,
  ) {
    super(message)
    this.name = 'UserFacingError'
  }
}

/** Thrown when a request names something that does not exist. */
export class NotFoundError extends UserFacingError {
  constructor(message: string) {
    super('not-found', message)
  }
}
