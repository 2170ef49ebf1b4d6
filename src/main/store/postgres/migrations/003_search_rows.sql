-- The office library's row-level search index (SQLite's search_index): one row per transcript segment, the
-- summary and the numbers of each call, at the same slots (segments 0.., the summary 65534, the numbers
-- 65535), so a hit's moment — the highest slot of a call that holds the query — is chosen as there.
CREATE TABLE search_rows (
  base    bigint  NOT NULL,
  slot    integer NOT NULL,
  call_id bigint  NOT NULL,
  source  text    NOT NULL CHECK (source IN ('transcript', 'summary', 'number')),
  at_ms   integer,
  body    text    NOT NULL,
  words   tsvector NOT NULL,
  PRIMARY KEY (base, slot)
);
CREATE INDEX search_rows_words ON search_rows USING gin (words);
