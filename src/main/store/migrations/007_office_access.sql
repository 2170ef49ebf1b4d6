-- Who may use the office library (office server only): people with a role, the pairing codes handed out
-- to them, and their signed-in devices. Session tokens are kept only as SHA-256 hashes; a pairing code
-- is kept as given (the server must prove it knows it) and only until it is used or expires.
CREATE TABLE office_people (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE,
  role       TEXT NOT NULL CHECK (role IN ('admin', 'staff')),
  created_at INTEGER NOT NULL
);
CREATE TABLE office_pairing_codes (
  code       TEXT PRIMARY KEY,
  person_id  INTEGER NOT NULL REFERENCES office_people(id) ON DELETE CASCADE,
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE TABLE office_sessions (
  id           INTEGER PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  person_id    INTEGER NOT NULL REFERENCES office_people(id) ON DELETE CASCADE,
  device       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER,
  revoked_at   INTEGER
);
CREATE INDEX office_sessions_person ON office_sessions (person_id);
