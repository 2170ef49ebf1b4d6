/**
 * The one IPC contract. Main registers a handler per request and validates every argument with its schema;
 * preload and the browser-host bridge build `window.callscribe` from the same names. Adding a call means
 * one entry here plus one handler in `src/main/handlers/` (the type checker insists on the handler).
 */
import { z } from 'zod'
import type {
  WorkStatus,
  ApiErrorBody,
  AppInfo,
  AppSettingsView,
  CallDetail,
  ConnectionTestResult,
  ModelsView,
  SummarySettingsView,
  SyncStatus,
  WorkspaceView,
  CallListPage,
  CallListItem,
  JobView,
  RecordingAvailability,
  SearchHit,
  JobListItem,
  OfficeInviteResult,
  OfficePeopleView,
  OfficeStatus,
  OfficeWorkItem,
} from './types'
import { NOTICE_CODES } from './notice'
import { ROLES } from './access'
import {
  interfaceSettingsSchema,
  retentionSettingsSchema,
  summarySettingsSchema,
  transcriptionSettingsSchema,
  twilioSettingsSchema,
} from './settings'
import type { InterfaceSettings } from './settings'

const callSid = z
  .string()
  .regex(/^CA[0-9a-fA-F]{32}$/, 'must be a Twilio Call SID (CA followed by 32 hex digits)')
const recordingSid = z
  .string()
  .regex(/^RE[0-9a-fA-F]{32}$/, 'must be a Twilio Recording SID (RE followed by 32 hex digits)')
const phoneNumber = z.string().trim().min(1).max(64)
const secretText = z.string().trim().min(1).max(200)
const twilioCredentials = z
  .object({
    accountSid: secretText,
    auth: z.discriminatedUnion('kind', [
      z.object({ kind: z.literal('api-key'), keySid: secretText, keySecret: secretText }).strict(),
      z.object({ kind: z.literal('auth-token'), authToken: secretText }).strict(),
    ]),
  })
  .strict()

const noticeSchema = z
  .object({
    code: z.enum(NOTICE_CODES),
    params: z.record(z.string().max(40), z.union([z.string().max(2000), z.number()])).optional(),
  })
  .strict()
const lease = { jobId: z.number().int().positive(), leaseToken: z.string().min(1).max(100) }
/** A transcript a desk made for the office (what the transcription pipeline returns). */
const transcriptResult = z
  .object({
    language: z.string().max(20).nullable(),
    model: z.string().max(200),
    segments: z
      .array(
        z
          .object({
            startMs: z.number().int().nonnegative(),
            endMs: z.number().int().nonnegative(),
            channel: z.number().int().min(0).max(1).nullable(),
            speaker: z.string().max(40).nullable(),
            text: z.string().max(10_000),
            confidence: z.number().min(0).max(1).nullable(),
            flags: z.array(z.enum(['low-confidence', 'repeated'])).max(2),
          })
          .strict(),
      )
      .max(50_000),
    notes: z.array(noticeSchema).max(20),
  })
  .strict()

export const schemas = {
  callSid,
  recordingSid,
  listCallsQuery: z
    .object({
      cursor: z.string().max(200).optional(),
      limit: z.number().int().min(1).max(500).default(100),
      since: z.number().int().nonnegative().optional(),
      until: z.number().int().nonnegative().optional(),
      direction: z.enum(['inbound', 'outbound']).optional(),
      recording: z.enum(['ready', 'preparing', 'missing', 'failed']).optional(),
      followUp: z.boolean().optional(),
    })
    .strict(),
}

/** A request: the schema of its one argument and (as a phantom type) its result. */
interface RequestSpec<Input extends z.ZodType, Output> {
  input: Input
  output?: Output
}
const request =
  <Output>() =>
  <Input extends z.ZodType>(input: Input): RequestSpec<Input, Output> => ({ input })

const noArgs = z.object({}).strict()

export const requests = {
  'app.info': request<AppInfo>()(noArgs),
  'app.getSettings': request<AppSettingsView>()(noArgs),
  'app.updateSettings': request<AppSettingsView>()(retentionSettingsSchema.strict()),
  'preferences.get': request<InterfaceSettings>()(noArgs),
  'preferences.update': request<InterfaceSettings>()(interfaceSettingsSchema.partial().strict()),
  'calls.list': request<CallListPage>()(schemas.listCallsQuery),
  'calls.get': request<CallDetail>()(z.object({ callSid }).strict()),
  'calls.history': request<CallListItem[]>()(
    z.object({ number: phoneNumber, limit: z.number().int().min(1).max(500).default(100) }).strict(),
  ),
  /** Changes what people decided about a call (only the fields given); answers the call's detail. */
  'calls.review': request<CallDetail>()(
    z
      .object({
        callSid,
        followUp: z.boolean().nullable().optional(),
        note: z.string().max(4000).optional(),
        assignee: z.string().trim().min(1).max(100).nullable().optional(),
      })
      .strict(),
  ),
  'search.query': request<SearchHit[]>()(
    z
      .object({
        text: z.string().trim().min(1).max(200),
        limit: z.number().int().min(1).max(100).default(30),
      })
      .strict(),
  ),
  'recordings.prepare': request<RecordingAvailability>()(z.object({ recordingSid }).strict()),
  'jobs.list': request<JobListItem[]>()(
    z
      .object({
        states: z.array(z.enum(['blocked', 'queued', 'running', 'done', 'failed', 'cancelled'])).optional(),
      })
      .strict(),
  ),
  'jobs.retry': request<JobView>()(z.object({ jobId: z.number().int().positive() }).strict()),
  'jobs.cancel': request<JobView>()(z.object({ jobId: z.number().int().positive() }).strict()),
  'workspace.get': request<WorkspaceView>()(noArgs),
  'workspace.startDemo': request<WorkspaceView>()(noArgs),
  'twilio.testConnection': request<ConnectionTestResult>()(
    z.object({ credentials: twilioCredentials }).strict(),
  ),
  'twilio.saveCredentials': request<WorkspaceView>()(
    z.object({ credentials: twilioCredentials, allowUnprotected: z.boolean().default(false) }).strict(),
  ),
  'twilio.clearCredentials': request<WorkspaceView>()(noArgs),
  /** Imports calls further back than the library reaches, on the next pass (now). */
  'twilio.importOlder': request<WorkspaceView>()(
    z.object({ days: z.number().int().min(1).max(3650) }).strict(),
  ),
  'twilio.updateSettings': request<WorkspaceView>()(twilioSettingsSchema.partial().strict()),
  'models.list': request<ModelsView>()(noArgs),
  'models.download': request<JobView>()(z.object({ modelId: z.string().min(1).max(100) }).strict()),
  'models.import': request<ModelsView>()(z.object({ path: z.string().min(1).max(4096) }).strict()),
  'models.remove': request<ModelsView>()(z.object({ modelId: z.string().min(1).max(100) }).strict()),
  'transcription.updateSettings': request<ModelsView>()(transcriptionSettingsSchema.partial().strict()),
  'summaries.getSettings': request<SummarySettingsView>()(noArgs),
  'summaries.updateSettings': request<SummarySettingsView>()(
    summarySettingsSchema
      .partial()
      .extend({
        /** A new key; null removes the stored one. Never read back. */
        apiKey: z.string().trim().min(1).max(500).nullable().optional(),
        allowUnprotected: z.boolean().optional(),
      })
      .strict(),
  ),
  'calls.resummarize': request<JobView>()(z.object({ callSid }).strict()),
  'sync.status': request<SyncStatus>()(noArgs),
  'sync.now': request<SyncStatus>()(noArgs),
  'work.status': request<WorkStatus>()(noArgs),
  'office.status': request<OfficeStatus>()(noArgs),
  /** A desk joins the office library: the server's address and a pairing code from its admin. */
  'office.connect': request<OfficeStatus>()(
    z
      .object({
        address: z.string().trim().min(1).max(300),
        code: z.string().trim().min(1).max(40),
        allowUnprotected: z.boolean().default(false),
      })
      .strict(),
  ),
  'office.disconnect': request<OfficeStatus>()(noArgs),
  'office.people': request<OfficePeopleView>()(noArgs),
  'office.invite': request<OfficeInviteResult>()(
    z.object({ name: z.string().trim().min(1).max(100), role: z.enum(ROLES) }).strict(),
  ),
  'office.revoke': request<OfficePeopleView>()(z.object({ sessionId: z.number().int().positive() }).strict()),
  /** The office's people by name (what a call can be assigned to); none on a desktop library. */
  'office.names': request<{ names: string[] }>()(noArgs),
  /** A desk offers (or stops offering) its idle CPU to transcribe the office's calls. */
  'office.offerWork': request<OfficeStatus>()(z.object({ enabled: z.boolean() }).strict()),
  /** The office server hands a desk a transcription (null: nothing to do), and hears how it went. */
  'work.claim': request<{ item: OfficeWorkItem | null }>()(noArgs),
  'work.heartbeat': request<{ current: boolean }>()(
    z.object({ ...lease, progress: z.number().min(0).max(1) }).strict(),
  ),
  'work.complete': request<{ recorded: boolean }>()(
    z.object({ ...lease, transcript: transcriptResult }).strict(),
  ),
  'work.fail': request<{ current: boolean }>()(
    z.object({ ...lease, reason: noticeSchema, retryable: z.boolean() }).strict(),
  ),
  /** Gives a job back without using an attempt (the desk went on battery or is closing). */
  'work.release': request<{ current: boolean }>()(z.object(lease).strict()),
} satisfies Record<string, RequestSpec<z.ZodType, unknown>>

/** Events main pushes to every window. Produced by main only, so typed but not validated. */
export interface EventPayloads {
  'recording.changed': { callSid: string; recordingSid: string; availability: RecordingAvailability }
  'job.changed': JobListItem
  'job.progress': { jobId: number; kind: JobView['kind']; subject: string; progress: number }
  'models.changed': ModelsView
  'calls.changed': { callSids: string[] }
  'sync.status': SyncStatus
  'work.status': WorkStatus
  'preferences.changed': InterfaceSettings
  'office.status': OfficeStatus
}

export type RequestName = keyof typeof requests
export type EventName = keyof EventPayloads
export type RequestInput<N extends RequestName> = z.input<(typeof requests)[N]['input']>
export type RequestArgs<N extends RequestName> = z.output<(typeof requests)[N]['input']>
export type RequestResult<N extends RequestName> = NonNullable<(typeof requests)[N]['output']>

export const requestNames = Object.keys(requests) as RequestName[]

/** IPC channel names, derived so that preload and main can never disagree. */
export const invokeChannel = (name: RequestName): string => `callscribe:${name}`
export const EVENT_CHANNEL = 'callscribe:event'
/** Privileged scheme for recordings in Electron; the browser host serves the same handler over HTTP. */
export const MEDIA_SCHEME = 'callscribe-media'

/** What every transport carries back for a request: never a thrown Error, so messages survive IPC intact. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorBody }
