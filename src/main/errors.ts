/** Thrown when a request names something that does not exist; transports answer `not-found`. */
export class NotFoundError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'NotFoundError'
  }
}
