import { NoticeError, type Notice } from '../shared/notice'
import type { ApiErrorBody } from '../shared/types'

/** An error meant for the user; transports pass its code and notice through (the renderer words it). */
export class UserFacingError extends NoticeError {
  constructor(
    readonly code: ApiErrorBody['code'],
    notice: Notice,
  ) {
    super(notice)
    this.name = 'UserFacingError'
  }
}

/** Thrown when a request names something that does not exist. */
export class NotFoundError extends UserFacingError {
  constructor(notice: Notice) {
    super('not-found', notice)
  }
}
