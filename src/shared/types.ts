/** Domain types shared by main, preload and renderer. Plain data only: everything here crosses IPC. */
import type { Notice } from './notice'
import type { SummarySettings, TranscriptionSettings, TwilioSettings } from './settings'
import type { Role } from './access'

export type { Notice, NoticeCode } from './notice'

export type {
  InterfaceSettings,
  RetentionSettings,
  SummarySettings,
  TranscriptionSettings,
  TwilioSettings,
} from './settings'

export type CallDirection = 'inbound' | 'outbound'

/**
 * What the player can do with a recording right now. Owned by main (one state machine), mirrored by the
 * renderer. `preparing` always carries a retry hint so a fallback poll can never spin.
 */
export type RecordingAvailability =
  | { state: 'ready' }
  | { state: 'preparing'; stage: PreparingStage; progress: number | null; retryAfterSec: number }
  | { state: 'missing'; reason: Notice }
  | { state: 'failed'; reason: Notice }

export type PreparingStage = 'twilio-processing' | 'queued' | 'downloading' | 'verifying'
export type AvailabilityState = RecordingAvailability['state']

export interface CallListItem {
  callSid: string
  from: string
  to: string
  direction: CallDirection
  startedAt: number
  durationSec: number | null
  /** Who answered a forwarded call (the number or client it was forwarded to), else null. */
  answeredBy: string | null
  recordingSid: string | null
  recording: AvailabilityState
  hasTranscript: boolean
  hasSummary: boolean
  /** Needs follow-up: as a person set it, else as the summary suggests. */
  followUp: boolean
  /** Who the call is assigned to (a person's name), else null. */
  assignee: string | null
  hasNote: boolean
}

/**
 * What people decided about a conversation, shared by every desk of an office: the follow-up flag (null:
 * nobody set it, the summary's suggestion stands), a note, and who it is assigned to.
 */
export interface CallReview {
  followUp: boolean | null
  note: string
  assignee: string | null
  updatedAt: number | null
  /** The person who changed it last (office mode); null on a desktop library. */
  updatedBy: string | null
}

export interface CallListPage {
  items: CallListItem[]
  /** Opaque cursor for the next (older) page; null on the last page. */
  nextCursor: string | null
}

export interface TranscriptSegment {
  index: number
  startMs: number
  endMs: number
  channel: number | null
  speaker: string | null
  text: string
  confidence: number | null
  flags: SegmentFlag[]
}

export type SegmentFlag = 'low-confidence' | 'repeated'

export interface Transcript {
  language: string | null
  model: string
  createdAt: number
  /** Things worth knowing about the recording: ends early, damaged frames, no speech. */
  notes: Notice[]
  segments: TranscriptSegment[]
}

export interface Citation {
  segmentIndex: number
}

export interface ActionItem {
  text: string
  owner: string | null
  due: string | null
  citations: Citation[]
}

export interface KeyPoint {
  text: string
  citations: Citation[]
}

export interface CallSummary {
  provider: string
  model: string
  createdAt: number
  summary: string
  intent: string | null
  sentiment: 'positive' | 'neutral' | 'negative' | 'mixed' | null
  followUp: boolean
  actionItems: ActionItem[]
  keyPoints: KeyPoint[]
  topics: string[]
}

export interface RecordingDetail {
  recordingSid: string
  channels: number
  durationSec: number | null
  availability: RecordingAvailability
}

export interface CallDetail {
  callSid: string
  from: string
  to: string
  direction: CallDirection
  twilioDirection: string
  status: string
  startedAt: number
  durationSec: number | null
  /** Who answered a forwarded call (the number or client it was forwarded to), else null. */
  answeredBy: string | null
  recording: RecordingDetail | null
  transcript: Transcript | null
  summary: CallSummary | null
  review: CallReview
}

export interface SearchSnippetPart {
  text: string
  hit: boolean
}

export interface SearchHit {
  callSid: string
  from: string
  to: string
  direction: CallDirection
  startedAt: number
  /** Where the match is: a transcript segment, the summary, or the caller's number. */
  source: 'transcript' | 'summary' | 'number' | 'note'
  /** For transcript hits, the moment of the matching segment. */
  atMs: number | null
  snippet: SearchSnippetPart[]
}

export type JobKind =
  | 'recording-download'
  | 'recording-transcription'
  | 'recording-summary'
  | 'model-download'
export type JobState = 'blocked' | 'queued' | 'running' | 'done' | 'failed' | 'cancelled'

export interface JobView {
  id: number
  kind: JobKind
  subject: string
  state: JobState
  priority: number
  attempts: number
  maxAttempts: number
  progress: number | null
  lastError: Notice | null
  runAfter: number
  updatedAt: number
}

/** A job as Activity lists it: with the call its recording belongs to (null for a model download). */
export interface JobListItem extends JobView {
  call: { callSid: string; from: string; to: string; direction: CallDirection; startedAt: number } | null
}

export interface AppInfo {
  name: string
  version: string
  transport: 'electron' | 'browser-host' | 'office-server'
  platform: string
  dataDir: string
}

export interface ApiErrorBody {
  code:
    | 'invalid-argument'
    | 'not-found'
    | 'forbidden'
    | 'unknown-method'
    | 'needs-consent'
    /** Something this request needs is out of reach right now (the office server); trying later may work. */
    | 'unavailable'
    | 'internal'
  /** For logs and developers; users read the notice (when there is one), worded by the renderer. */
  message: string
  notice?: Notice
}

/** A signed-in device of a person of the office. */
export interface OfficeSession {
  id: number
  device: string
  createdAt: number
  lastSeenAt: number | null
}

export interface OfficePerson {
  name: string
  role: Role
  sessions: OfficeSession[]
}

/** A pairing code handed out and not yet used (the code itself is shown once, when made). */
export interface OfficeInvitation {
  name: string
  role: Role
  expiresAt: number
}

export interface OfficePeopleView {
  people: OfficePerson[]
  invitations: OfficeInvitation[]
}

export interface OfficeInviteResult {
  /** The pairing code to give the person, with the address desks connect to. */
  code: string
  address: string
  expiresAt: number
  people: OfficePeopleView
}

/**
 * Where this app's library is: its own (`desktop`), the office's from a desk, or the office server itself
 * (what a request to the server sees: who the caller is).
 */
export type OfficeStatus =
  | { kind: 'desktop' }
  | { kind: 'server'; person: string | null; role: Role }
  | {
      kind: 'desk'
      address: string
      person: string
      role: Role
      /** `signed-out`: the server no longer accepts this desk (revoked, or the person removed). */
      state: 'connected' | 'connecting' | 'signed-out'
      problem: Notice | null
      work: DeskWorkStatus
    }

/**
 * A transcription a desk of the office does for the server: the recording (fetched from the server), the
 * model (the office's, fetched once and kept), and how. The lease token proves the job is still the desk's.
 */
export interface OfficeWorkItem {
  jobId: number
  leaseToken: string
  recordingSid: string
  format: 'mp3' | 'wav'
  expectedDurationSec: number | null
  speakers: [string, string]
  language: string
  beamSize: number
  fallbackPasses: number
  limitMs: number
  /** How often the desk must say it is still at it (the server's lease is several times longer). */
  heartbeatMs: number
  model: { id: string; name: string; sha256: string }
}

/** A desk's offer of its idle CPU to the office (off by default). */
export interface DeskWorkStatus {
  offered: boolean
  state: 'off' | 'waiting' | 'working' | 'resting' | 'paused-on-battery'
  /** Recordings this desk transcribed for the office since it started. */
  done: number
  /** Why the last attempt here failed (the desk rests a while before it takes another). */
  problem: Notice | null
}

/** Whether main is taking work: paused while the library cannot be written (a full disk). */
export interface WorkStatus {
  paused: 'disk-full' | 'storage-error' | null
}

export interface SyncStatus {
  state: 'not-configured' | 'idle' | 'syncing' | 'backing-off' | 'credentials-rejected' | 'offline'
  lastSyncAt: number | null
  nextSyncAt: number | null
  lastError: Notice | null
  progress: { pages: number; recordings: number; calls: number } | null
  /** Records the last listing could not read (each affected only itself), with Twilio's SID and why. */
  skipped: { sid: string; reason: Notice }[]
}

export interface WorkspaceView {
  mode: 'twilio' | 'demo' | null
  twilio: {
    configured: boolean
    /** Shown masked ("AC…1f2e"); secrets never leave main. */
    accountSid: string | null
    authKind: 'api-key' | 'auth-token' | null
    /** How secrets are kept: os = encrypted by the OS, none = unprotected (user agreed), memory = not saved. */
    protection: 'os' | 'none' | 'memory'
    /** Saved credentials were found damaged (or the OS can no longer decrypt them): enter them again. */
    savedCredentialsLost: boolean
  }
  settings: TwilioSettings
  /** How far back the library reaches (the first import, or an import of older calls); null before. */
  importedFrom: number | null
}

export type ConnectionTestResult =
  | { ok: true; message: Notice }
  | { ok: false; problem: 'format' | 'rejected' | 'network' | 'rate-limited' | 'server'; message: Notice }

export interface ModelEntry {
  id: string
  name: string
  sizeMb: number
  multilingual: boolean
  quantized: boolean
  /** Rough transcription speed on a 4-core laptop, in multiples of real time (estimate). */
  realtimeFactor: number
  note: Notice | null
  source: 'catalogue' | 'imported'
  installed: boolean
  /** How the installed file was checked: a published checksum, or only its format and size. */
  verification: 'checksum' | 'format' | null
}

export interface ModelsView {
  models: ModelEntry[]
  activeModelId: string | null
  suggestedModelId: string
  machine: { memoryGb: number; cores: number }
  /** What transcription computes on (the engine's own answer); null when the engine cannot run. */
  engine: { gpu: string | null; cpuFeatures: string } | null
  settings: TranscriptionSettings
}

export interface SummarySettingsView extends SummarySettings {
  hasApiKey: boolean
}

export interface AppSettingsView {
  dataDir: string
  deleteAudioAfterDays: number | null
}
