import type { EventName, EventPayloads, RequestName } from '../../../shared/contract'
import { notice, type Notice } from '../../../shared/notice'
import type { OfficeStatus } from '../../../shared/types'
import type { EventBus } from '../../events'
import type { Dispatch } from '../../ipc/dispatch'
import type { MediaHandler } from '../../media/media-handler'
import type { Logger } from '../../secrets/redact'
import type { DeskConnection } from '../../store/settings-schema'
import { UnprotectedSecretError, type SecretStore } from '../../secrets/secret-store'
import { DeskWorker, type DeskWorkerOptions } from './desk-worker'
import { notConnected, OfficeLink, pairWithServer, type LinkState } from './office-link'
import { officeAddress } from './pinned-connection'

const TOKEN_SECRET = 'office.session'

/** Requests a desk answers itself even when it has joined the office: this computer's own matters. */
const ANSWERED_HERE = new Set<string>([
  'app.info',
  'preferences.get',
  'preferences.update',
  'office.status',
  'office.connect',
  'office.disconnect',
  'office.offerWork',
] satisfies RequestName[])
/** Events of this computer's own services that still reach its window once the office's replace them. */
const OWN_EVENTS = new Set<EventName>(['preferences.changed', 'office.status'])

export interface OfficeDeskOptions {
  connection: { get(): DeskConnection; set(value: DeskConnection): Promise<unknown> }
  /** Whether this desk offers its idle CPU to the office (kept by the desk, off by default). */
  workOffered: { get(): boolean; set(value: boolean): Promise<unknown> }
  /** What the desk's worker needs (see DeskWorker). */
  work: Pick<
    DeskWorkerOptions,
    'transcriber' | 'dataDir' | 'threads' | 'onBattery' | 'idleMs' | 'firstRestMs' | 'lowPriority'
  >
  secrets: SecretStore
  events: EventBus
  /** How the server lists this computer among a person's sign-ins. */
  device: string
  /** Called when the desk joins (true) or leaves (false) the office: its own Twilio polling stops meanwhile. */
  onJoined: (joined: boolean) => void | Promise<void>
  log: Logger
  maxRetryMs?: number
}

/**
 * A desk of the office: once joined (Settings → Connect to the office library), every request except this
 * computer's own goes to the office server, its events come back, and recordings play from it; this
 * computer's library rests until the desk leaves.
 */
export class OfficeDesk {
  private link: OfficeLink | null = null
  private worker: DeskWorker | null = null
  private state: LinkState = 'connecting'
  private problem: Notice | null = null
  /** The office joined (kept in settings; read once, since every event asks). */
  private connection: DeskConnection

  constructor(private readonly options: OfficeDeskOptions) {
    this.connection = options.connection.get()
    options.events.admit((name) => this.connection === null || OWN_EVENTS.has(name))
  }

  get joined(): boolean {
    return this.connection !== null
  }

  status(): OfficeStatus {
    const connection = this.connection
    if (!connection) return { kind: 'desktop' }
    return {
      kind: 'desk',
      address: connection.address,
      person: connection.person,
      role: connection.role,
      state: this.state,
      problem: this.problem,
      work: this.worker?.status(this.options.workOffered.get()) ?? {
        offered: this.options.workOffered.get(),
        state: 'off',
        done: 0,
        problem: null,
      },
    }
  }

  /** Reconnects to the office joined before (at start-up). */
  async resume(): Promise<void> {
    const connection = this.connection
    if (!connection) return
    const token = await this.options.secrets.get(TOKEN_SECRET)
    if (!token) {
      this.setState('signed-out', notice('office.signed-out'))
    } else {
      this.open(connection, token)
    }
    await this.options.onJoined(true)
  }

  async connect(typedAddress: string, code: string, allowUnprotected: boolean): Promise<OfficeStatus> {
    const address = officeAddress(typedAddress)
    // Asked before the code is used up: a code cannot be redeemed twice.
    if (this.options.secrets.protection === 'none' && !allowUnprotected) throw new UnprotectedSecretError()
    const pairing = await pairWithServer(address, code, this.options.device)
    this.link?.close()
    await this.options.secrets.set(TOKEN_SECRET, pairing.token, { allowUnprotected })
    const connection = {
      address: address.origin,
      fingerprint: pairing.fingerprint,
      person: pairing.person,
      role: pairing.role,
    }
    await this.setConnection(connection)
    this.options.log.info(`Joined the office library at ${address.origin} as ${pairing.person}`)
    this.open(connection, pairing.token)
    await this.options.onJoined(true)
    return this.status()
  }

  /** Offers this computer's idle CPU to the office, or withdraws the offer (a job in hand is given back). */
  async offerWork(enabled: boolean): Promise<OfficeStatus> {
    await this.options.workOffered.set(enabled)
    await this.followOffer()
    this.publish()
    return this.status()
  }

  /** Leaves the office: signs this desk out at the server and returns to this computer's library. */
  async disconnect(): Promise<OfficeStatus> {
    const link = this.link
    this.link = null
    await this.followOffer()
    await link?.signOut()
    await this.options.secrets.delete(TOKEN_SECRET)
    await this.setConnection(null)
    await this.options.onJoined(false)
    this.publish()
    return this.status()
  }

  /** Requests: this computer's own answered here, the rest by the office once joined. */
  route(here: Dispatch): Dispatch {
    return async (name, input, caller) => {
      if (ANSWERED_HERE.has(name) || !this.joined) return here(name, input, caller)
      // A file on this computer means nothing to the server: a model file is imported at the server.
      if (name === 'models.import')
        return {
          ok: false,
          error: {
            code: 'invalid-argument',
            message: 'model files are imported at the office server',
            notice: notice('office.import-on-server'),
          },
        }
      if (!this.link)
        return {
          ok: false,
          error: {
            code: 'forbidden',
            message: 'signed out of the office',
            notice: notice('office.signed-out'),
          },
        }
      return this.link.request(name, input)
    }
  }

  /** Recordings: from the office once joined. */
  media(here: MediaHandler): MediaHandler {
    return async (request) => {
      if (!this.joined) return here(request)
      if (!this.link) return new Response('signed out of the office', { status: 403 })
      return this.link.media(request)
    }
  }

  async close(): Promise<void> {
    const link = this.link
    this.link = null
    await this.followOffer()
    link?.close()
  }

  /**
   * Runs the worker while the offer stands and the office is connected, and pauses it while the connection
   * is away: one worker for as long as the offer stands, so what it counted (its jobs, its rest) carries on.
   */
  private async followOffer(): Promise<void> {
    const offered = this.link !== null && this.options.workOffered.get()
    if (offered && !this.worker)
      this.worker = new DeskWorker({
        ...this.options.work,
        request: (name, input) =>
          this.link ? this.link.request(name, input) : Promise.resolve(notConnected()),
        fetch: (path) => this.officeLink().fetch(path),
        onChange: () => this.publish(),
        log: this.options.log,
      })
    const worker = this.worker
    if (offered && this.state === 'connected') worker?.start()
    else if (worker) {
      if (!offered) this.worker = null
      await worker.stop()
    }
  }

  /** The link to the office (the worker runs only while there is one). */
  private officeLink(): OfficeLink {
    if (!this.link) throw new Error('not connected to the office server')
    return this.link
  }

  private open(connection: NonNullable<DeskConnection>, token: string): void {
    this.link = new OfficeLink({
      address: new URL(connection.address),
      fingerprint: connection.fingerprint,
      token,
      maxRetryMs: this.options.maxRetryMs,
      onEvent: (name, payload) => this.options.events.forward(name, payload as EventPayloads[typeof name]),
      onState: (state, problem) => {
        if (state === 'signed-out') {
          this.link = null
          void this.options.secrets.delete(TOKEN_SECRET)
        }
        this.setState(state, problem)
      },
    })
    this.link.start()
  }

  private async setConnection(connection: DeskConnection): Promise<void> {
    await this.options.connection.set(connection)
    this.connection = connection
  }

  private setState(state: LinkState, problem: Notice | null): void {
    this.state = state
    this.problem = problem
    void this.followOffer()
    this.publish()
  }

  private publish(): void {
    this.options.events.emit('office.status', this.status())
  }
}
