-- Calls and their recordings as Twilio reports them, plus what this app derived from them.
-- Times are epoch milliseconds (UTC). Public ids are Twilio SIDs; integer ids stay inside the store.

CREATE TABLE calls (
  id            INTEGER PRIMARY KEY,
  sid           TEXT    NOT NULL UNIQUE,
  from_number   TEXT    NOT NULL,
  to_number     TEXT    NOT NULL,
  -- Twilio's direction (inbound, outbound-api, outbound-dial, trunking-*)
  direction     TEXT    NOT NULL,
  status        TEXT    NOT NULL,
  start_time    INTEGER NOT NULL,
  duration_sec  INTEGER,
  -- The number outside the office: `from` for inbound calls, `to` for outbound ones (caller history).
  other_party   TEXT    NOT NULL,
  -- Time-ordered, unique key used as the search index's rowid range, so search results come newest first
  -- straight out of the full-text index.
  search_base   INTEGER NOT NULL UNIQUE,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL
);
CREATE INDEX calls_by_time ON calls (start_time DESC, id DESC);
CREATE INDEX calls_by_other_party ON calls (other_party, start_time DESC);

CREATE TABLE recordings (
  id                  INTEGER PRIMARY KEY,
  sid                 TEXT    NOT NULL UNIQUE,
  call_id             INTEGER NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
  twilio_status       TEXT    NOT NULL,
  twilio_error_code   INTEGER,
  channels            INTEGER NOT NULL DEFAULT 1 CHECK (channels IN (1, 2)),
  duration_sec        INTEGER,
  date_created        INTEGER NOT NULL,
  -- Relative to the recordings folder; set only once the file is complete and verified.
  local_file          TEXT,
  size_bytes          INTEGER,
  sha256              TEXT,
  availability        TEXT    NOT NULL DEFAULT 'preparing'
                      CHECK (availability IN ('ready', 'preparing', 'missing', 'failed')),
  availability_reason TEXT,
  updated_at          INTEGER NOT NULL
);
CREATE INDEX recordings_by_call ON recordings (call_id, date_created DESC);
CREATE INDEX recordings_by_availability ON recordings (availability);

CREATE TABLE transcripts (
  id            INTEGER PRIMARY KEY,
  -- One current transcript per recording: re-transcribing replaces it, never duplicates it.
  recording_id  INTEGER NOT NULL UNIQUE REFERENCES recordings (id) ON DELETE CASCADE,
  language      TEXT,
  model         TEXT    NOT NULL,
  -- Hash of the segments, so a summary knows which transcript version it was made from.
  content_hash  TEXT    NOT NULL,
  created_at    INTEGER NOT NULL
);

CREATE TABLE segments (
  transcript_id INTEGER NOT NULL REFERENCES transcripts (id) ON DELETE CASCADE,
  idx           INTEGER NOT NULL,
  start_ms      INTEGER NOT NULL,
  end_ms        INTEGER NOT NULL,
  channel       INTEGER,
  speaker       TEXT,
  text          TEXT    NOT NULL,
  confidence    REAL,
  -- JSON array of flags ("low-confidence", "repeated")
  flags         TEXT    NOT NULL DEFAULT '[]',
  PRIMARY KEY (transcript_id, idx)
) WITHOUT ROWID;

CREATE TABLE summaries (
  id              INTEGER PRIMARY KEY,
  transcript_id   INTEGER NOT NULL REFERENCES transcripts (id) ON DELETE CASCADE,
  transcript_hash TEXT    NOT NULL,
  prompt_hash     TEXT    NOT NULL,
  provider        TEXT    NOT NULL,
  model           TEXT    NOT NULL,
  summary         TEXT    NOT NULL,
  intent          TEXT,
  sentiment       TEXT,
  follow_up       INTEGER NOT NULL DEFAULT 0,
  -- JSON: action items, key points, topics (each point with its segment citations)
  details         TEXT    NOT NULL,
  created_at      INTEGER NOT NULL,
  -- Never summarize the same transcript with the same prompt twice.
  UNIQUE (transcript_id, transcript_hash, prompt_hash)
);
CREATE INDEX summaries_latest ON summaries (transcript_id, created_at DESC);

CREATE TABLE jobs (
  id               INTEGER PRIMARY KEY,
  kind             TEXT    NOT NULL,
  subject          TEXT    NOT NULL,
  state            TEXT    NOT NULL
                   CHECK (state IN ('blocked', 'queued', 'running', 'done', 'failed', 'cancelled')),
  priority         INTEGER NOT NULL DEFAULT 0,
  attempts         INTEGER NOT NULL DEFAULT 0,
  max_attempts     INTEGER NOT NULL,
  run_after        INTEGER NOT NULL,
  depends_on       INTEGER REFERENCES jobs (id) ON DELETE SET NULL,
  lease_owner      TEXT,
  lease_token      TEXT,
  lease_expires_at INTEGER,
  progress         REAL,
  last_error       TEXT,
  payload          TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  finished_at      INTEGER,
  UNIQUE (kind, subject)
);
CREATE INDEX jobs_claimable ON jobs (kind, state, priority DESC, run_after, id);
CREATE INDEX jobs_by_dependency ON jobs (depends_on) WHERE depends_on IS NOT NULL;

CREATE TABLE settings (
  key        TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TABLE sync_state (
  source     TEXT PRIMARY KEY,
  cursor     TEXT,
  last_ok_at INTEGER,
  last_error TEXT,
  updated_at INTEGER NOT NULL
) WITHOUT ROWID;

-- One full-text index over transcript segments, summaries and phone numbers. The store's write path keeps
-- it in step (it needs JavaScript to add Hebrew prefix-stripped word forms, which a trigger cannot do).
-- rowid = calls.search_base + slot (search_base = start second * 65536): slots 0..65533 are segments,
-- 65534 the summary, 65535 the phone numbers.
CREATE VIRTUAL TABLE search_index USING fts5 (
  body,
  variants,
  call_id UNINDEXED,
  source UNINDEXED,
  at_ms UNINDEXED,
  tokenize = 'unicode61 remove_diacritics 2'
);
