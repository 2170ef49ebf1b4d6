import { decodeNotice, type Notice } from '../../shared/notice'
import { createHash } from 'node:crypto'
import type { Db } from './database'
import type { SegmentFlag, Transcript, TranscriptSegment } from '../../shared/types'
import type { SearchIndex } from './search'

export interface TranscriptInput {
  language: string | null
  model: string
  segments: Omit<TranscriptSegment, 'index'>[]
  notes?: Notice[]
}

/** A stored transcript as the app reads it, with what the store knows it by. */
export type TranscriptView = Transcript & { id: number; contentHash: string }

/** Notes as stored: objects, or (written by older versions) encoded notice strings. */
const notesFrom = (stored: unknown[]): Notice[] =>
  stored.map((note) => (typeof note === 'string' ? decodeNotice(note) : (note as Notice)))

export interface StoredTranscript {
  id: number
  contentHash: string
  /** False when an identical transcript was already stored (nothing was written). */
  changed: boolean
}

interface TranscriptRow {
  id: number
  language: string | null
  model: string
  content_hash: string
  created_at: number
  notes: string
}

interface SegmentRow {
  idx: number
  start_ms: number
  end_ms: number
  channel: number | null
  speaker: string | null
  text: string
  confidence: number | null
  flags: string
}

/** A transcript's rows as either engine returns them, JSON columns parsed. */
export type TranscriptRecord = Omit<TranscriptRow, 'notes'> & { notes: unknown[] }
export type SegmentRecord = Omit<SegmentRow, 'flags'> & { flags: SegmentFlag[] }

export function transcriptView(row: TranscriptRecord, segments: SegmentRecord[]): TranscriptView {
  return {
    id: row.id,
    contentHash: row.content_hash,
    language: row.language,
    model: row.model,
    createdAt: row.created_at,
    notes: notesFrom(row.notes),
    segments: segments.map(
      (segment): TranscriptSegment => ({
        index: segment.idx,
        startMs: segment.start_ms,
        endMs: segment.end_ms,
        channel: segment.channel,
        speaker: segment.speaker,
        text: segment.text,
        confidence: segment.confidence,
        flags: segment.flags,
      }),
    ),
  }
}

export function transcriptHash(input: TranscriptInput): string {
  return createHash('sha256')
    .update(JSON.stringify([input.language, input.model, input.segments, input.notes ?? []]))
    .digest('hex')
}

/** Transcripts and their segments: one current transcript per recording, replaced atomically. */
export class TranscriptsRepository {
  private readonly byRecording
  private readonly remove
  private readonly insert
  private readonly insertSegment
  private readonly segmentsOf
  private readonly segmentCount
  private readonly recordingIds

  constructor(
    private readonly db: Db,
    private readonly search: SearchIndex,
  ) {
    this.byRecording = db.prepare(`SELECT * FROM transcripts WHERE recording_id = ?`)
    this.remove = db.prepare(`DELETE FROM transcripts WHERE id = ?`)
    this.insert = db.prepare(
      `INSERT INTO transcripts (recording_id, language, model, content_hash, created_at, notes) VALUES (?, ?, ?, ?, ?, ?)`,
    )
    this.insertSegment = db.prepare(
      `INSERT INTO segments (transcript_id, idx, start_ms, end_ms, channel, speaker, text, confidence, flags)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.segmentsOf = db.prepare(`SELECT * FROM segments WHERE transcript_id = ? ORDER BY idx`)
    this.segmentCount = db.prepare(`SELECT count(*) FROM segments WHERE transcript_id = ?`).pluck()
    this.recordingIds = db.prepare(
      `SELECT r.id AS recording_id, c.id AS call_id, c.search_base FROM recordings r JOIN calls c ON c.id = r.call_id
       WHERE r.sid = ?`,
    )
  }

  /**
   * Stores the transcript of a recording, replacing any earlier one, and indexes it — all in one
   * transaction, so a crash leaves either the old transcript or the new one, never a mix or a duplicate.
   */
  save(recordingSid: string, input: TranscriptInput, now = Date.now()): StoredTranscript {
    return this.db.transaction((): StoredTranscript => {
      const ids = this.recordingIds.get(recordingSid) as
        | { recording_id: number; call_id: number; search_base: number }
        | undefined
      if (!ids) throw new Error(`unknown recording ${recordingSid}`)
      const contentHash = transcriptHash(input)
      const existing = this.byRecording.get(ids.recording_id) as TranscriptRow | undefined
      if (existing?.content_hash === contentHash) return { id: existing.id, contentHash, changed: false }
      const previousCount = existing ? (this.segmentCount.get(existing.id) as number) : 0
      if (existing) this.remove.run(existing.id)
      const id = Number(
        this.insert.run(
          ids.recording_id,
          input.language,
          input.model,
          contentHash,
          now,
          JSON.stringify(input.notes ?? []),
        ).lastInsertRowid,
      )
      input.segments.forEach((segment, index) => {
        this.insertSegment.run(
          id,
          index,
          segment.startMs,
          segment.endMs,
          segment.channel,
          segment.speaker,
          segment.text,
          segment.confidence,
          JSON.stringify(segment.flags),
        )
      })
      this.search.indexSegments(ids.search_base, ids.call_id, input.segments, previousCount)
      return { id, contentHash, changed: true }
    })()
  }

  ofRecording(recordingId: number): TranscriptView | null {
    const row = this.byRecording.get(recordingId) as TranscriptRow | undefined
    if (!row) return null
    const segments = (this.segmentsOf.all(row.id) as SegmentRow[]).map((segment) => ({
      ...segment,
      flags: JSON.parse(segment.flags) as SegmentFlag[],
    }))
    return transcriptView({ ...row, notes: JSON.parse(row.notes) as unknown[] }, segments)
  }
}
