import type { EventName, EventPayloads } from '../shared/contract'

export type EventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void

/**
 * Main's outbound events. Each transport (Electron windows, browser-host sockets) subscribes once.
 * Every payload passes `redact` first: this is the one door events leave main through.
 */
export class EventBus {
  private readonly listeners = new Set<EventListener>()
  private admitted: (name: EventName) => boolean = () => true

  constructor(private readonly redact: <T>(payload: T) => T = (payload) => payload) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /**
   * Which of main's own events go out (a desk joined to the office sends the office's instead, by
   * `forward`).
   */
  admit(filter: (name: EventName) => boolean): void {
    this.admitted = filter
  }

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    if (this.admitted(name)) this.forward(name, payload)
  }

  /** Sends an event whatever `admit` says: the office server's, relayed by a desk. */
  forward<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    if (this.listeners.size === 0) return
    payload = this.redact(payload)
    for (const listener of this.listeners) {
      try {
        listener(name, payload)
      } catch (error) {
        console.error(`event listener failed for ${name}:`, (error as Error).message)
      }
    }
  }
}
