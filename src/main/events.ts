import type { EventName, EventPayloads } from '../shared/contract'

export type EventListener = <E extends EventName>(name: E, payload: EventPayloads[E]) => void

/** Main's outbound events. Each transport (Electron windows, browser-host sockets) subscribes once. */
export class EventBus {
  private readonly listeners = new Set<EventListener>()

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  emit<E extends EventName>(name: E, payload: EventPayloads[E]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload)
      } catch (error) {
        console.error(`event listener failed for ${name}:`, (error as Error).message)
      }
    }
  }
}
