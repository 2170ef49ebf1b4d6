import {
  transcriptHash,
  transcriptView,
  type SegmentRecord,
  type TranscriptRecord,
  type StoredTranscript,
  type TranscriptInput,
  type TranscriptView,
} from '../transcripts'
import type { Sql } from './connection'
import type { PgSearchIndex } from './search'

/** The office library's transcripts (PostgreSQL): the twin of src/main/store/transcripts.ts. */
export class PgTranscriptsRepository {
  constructor(
    private readonly db: Sql,
    private readonly search: PgSearchIndex,
  ) {}

  /**
   * Stores a recording's transcript, replacing an older one; unchanged content is not written again. Run
   * it in a transaction: the old transcript goes and the new one comes together.
   */
  async save(recordingSid: string, input: TranscriptInput, now = Date.now()): Promise<StoredTranscript> {
    const { rows } = await this.db.query<{ recording_id: number; call_id: number; search_base: number }>(
      `SELECT r.id AS recording_id, c.id AS call_id, c.search_base FROM recordings r JOIN calls c ON c.id = r.call_id
       WHERE r.sid = $1`,
      [recordingSid],
    )
    const ids = rows[0]
    if (!ids) throw new Error(`unknown recording ${recordingSid}`)
    const contentHash = transcriptHash(input)
    const existing = (
      await this.db.query<{ id: number; content_hash: string }>(
        'SELECT id, content_hash FROM transcripts WHERE recording_id = $1',
        [ids.recording_id],
      )
    ).rows[0]
    if (existing?.content_hash === contentHash) return { id: existing.id, contentHash, changed: false }
    if (existing) await this.db.query('DELETE FROM transcripts WHERE id = $1', [existing.id])
    const inserted = await this.db.query<{ id: number }>(
      `INSERT INTO transcripts (recording_id, language, model, content_hash, created_at, notes)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
      [ids.recording_id, input.language, input.model, contentHash, now, JSON.stringify(input.notes ?? [])],
    )
    const id = inserted.rows[0]!.id
    // One statement for all segments: unnest the columns side by side.
    const segments = input.segments
    await this.db.query(
      `INSERT INTO segments (transcript_id, idx, start_ms, end_ms, channel, speaker, text, confidence, flags)
       SELECT $1, s.idx - 1, s.start_ms, s.end_ms, s.channel, s.speaker, s.text, s.confidence, s.flags::jsonb
       FROM unnest($2::int[], $3::int[], $4::int[], $5::text[], $6::text[], $7::real[], $8::text[])
         WITH ORDINALITY AS s (start_ms, end_ms, channel, speaker, text, confidence, flags, idx)`,
      [
        id,
        segments.map((s) => s.startMs),
        segments.map((s) => s.endMs),
        segments.map((s) => s.channel),
        segments.map((s) => s.speaker),
        segments.map((s) => s.text),
        segments.map((s) => s.confidence),
        segments.map((s) => JSON.stringify(s.flags)),
      ],
    )
    await this.search.indexSegments(ids.search_base, ids.call_id, segments)
    return { id, contentHash, changed: true }
  }

  async ofRecording(recordingId: number): Promise<TranscriptView | null> {
    const { rows } = await this.db.query<TranscriptRecord>(
      'SELECT * FROM transcripts WHERE recording_id = $1',
      [recordingId],
    )
    if (!rows[0]) return null
    const segments = await this.db.query<SegmentRecord>(
      'SELECT * FROM segments WHERE transcript_id = $1 ORDER BY idx',
      [rows[0].id],
    )
    return transcriptView(rows[0], segments.rows)
  }
}
